import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { IndexDoc, MatchSql, SearchIndex, SearchTier } from './search.index.js';
import { adjacent, hanRun, phraseLexemes, type ParsedQuery, type Phrase, type Token } from './search.text.js';

/** tsvector positions stop at 16383; a lexeme keeps at most 256 positions. */
const MAX_POS = 16383;
const MAX_POSITIONS = 256;

/**
 * PostgreSQL: `search_docs.tsv`, a tsvector built here rather than by `to_tsvector`, with a GIN index.
 * Each Han character is a lexeme at its position, and each adjacent pair and triple a lexeme at the same
 * position (which `to_tsvector` cannot do), so `王伟` and `王伟明` are single, selective lexemes — the
 * GIN index answers them without rechecking positions. Longer runs are answered by their triples and
 * checked on the page text (`pagePlan`); phrases mixing words and characters are bigram chains
 * `'1988' <-> '年' <-> …`. The vector and query are given as literals (`::tsvector`, `::tsquery`), so no
 * text-search parser or locale reinterprets the tokens.
 */
export class PostgresSearchIndex implements SearchIndex {
  async upsert(ex: Executor, docs: IndexDoc[]): Promise<void> {
    for (let i = 0; i < docs.length; i += 200) {
      const rows = docs.slice(i, i + 200).map(
        (d) => sql`(${d.docId}, ${d.kind}, ${d.cadreId}, ${d.dossierId}, ${d.materialId}, ${d.pageId}, ${d.updatedAt}, cast(${tsvectorLiteral(d.tokens)} as tsvector))`,
      );
      await sql`insert into search_docs (doc_id, kind, cadre_id, dossier_id, material_id, page_id, updated_at, tsv) values ${sql.join(rows)}
        on conflict (doc_id) do update set kind = excluded.kind, cadre_id = excluded.cadre_id, dossier_id = excluded.dossier_id,
          material_id = excluded.material_id, page_id = excluded.page_id, updated_at = excluded.updated_at, tsv = excluded.tsv`.execute(ex);
    }
  }

  async remove(ex: Executor, docIds: string[]): Promise<void> {
    if (docIds.length) await sql`delete from search_docs where doc_id in (${sql.join(docIds)})`.execute(ex);
  }

  async clear(ex: Executor): Promise<void> {
    await sql`truncate search_docs`.execute(ex);
  }

  async beginBulk(ex: Executor): Promise<void> {
    await sql`drop index if exists search_docs_tsv_page`.execute(ex);
    await sql`drop index if exists search_docs_tsv_catalogue`.execute(ex);
  }

  async endBulk(ex: Executor): Promise<void> {
    // A GIN build sorts its entries in maintenance_work_mem (64 MB by default): with more it writes
    // far fewer runs for a million pages. `set local` keeps the setting to this transaction.
    const build = async (trx: Executor) => {
      await sql`set local maintenance_work_mem = '512MB'`.execute(trx);
      await createTierIndexes(trx);
    };
    if (ex.isTransaction) await build(ex);
    else await ex.transaction().execute(build);
    await sql`analyze search_docs`.execute(ex);
  }

  match(query: ParsedQuery, tier: SearchTier): MatchSql | null {
    if (query.must.length === 0) return null;
    // Written out literally, so the planner can prove the partial GIN index's predicate.
    const part = tier === 'page' ? sql`d.kind = 'page'` : sql`d.kind <> 'page'`;
    const common = { from: sql`search_docs d`, materialize: true, lateral: true };
    if (tier === 'catalogue') return { ...common, where: sql`${part} and d.tsv @@ cast(${tsqueryText(query)!} as tsquery)` };
    const plan = pagePlan(query);
    return {
      ...common,
      where: sql`${part} and d.tsv @@ cast(${plan.tsquery} as tsquery)`,
      verify: plan.verify,
      ...(plan.orElse ? { orElse: sql`${part} and d.tsv @@ cast(${plan.orElse} as tsquery)` } : {}),
    };
  }

  async sizeBytes(ex: Executor): Promise<number> {
    const r = await sql<{ n: number }>`select pg_total_relation_size('search_docs') as n`.execute(ex);
    return Number(r.rows[0]?.n ?? 0);
  }
}

/** One GIN index per part (pages; cadres and materials), so each part's match reads only its own lists. */
export async function createTierIndexes(ex: Executor): Promise<void> {
  await sql`create index if not exists search_docs_tsv_page on search_docs using gin (tsv) where kind = 'page'`.execute(ex);
  await sql`create index if not exists search_docs_tsv_catalogue on search_docs using gin (tsv) where kind <> 'page'`.execute(ex);
}

const lexeme = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

export function tsvectorLiteral(tokens: Token[]): string {
  const positions = new Map<string, number[]>();
  const add = (lex: string, pos: number) => {
    const list = positions.get(lex);
    if (!list) positions.set(lex, [pos]);
    else if (list.length < MAX_POSITIONS && list[list.length - 1] !== pos) list.push(pos);
  };
  tokens.forEach((t, i) => {
    const pos = Math.min(i + 1, MAX_POS);
    add(t.t, pos);
    const next = tokens[i + 1];
    if (!adjacent(t, next)) return;
    add(t.t + next!.t, pos);
    const third = tokens[i + 2];
    if (adjacent(next, third)) add(t.t + next!.t + third!.t, pos);
  });
  return [...positions].map(([l, ps]) => `${lexeme(l)}:${ps.join(',')}`).join(' ');
}

function phraseQuery(p: Phrase): string {
  const run = hanRun(p);
  if (run && [...run].length <= 3) return lexeme(run);
  const parts = phraseLexemes(p);
  let out = lexeme(parts[0]!.lexeme);
  for (let i = 1; i < parts.length; i++) out += ` <${parts[i]!.offset - parts[i - 1]!.offset}> ${lexeme(parts[i]!.lexeme)}`;
  return parts.length > 1 ? `(${out})` : out;
}

/**
 * The pages' tsquery and the check that completes it. Each run of adjacent Han characters is indexed as
 * its characters, pairs and triples, so a run of up to three characters is one exact lexeme. A longer
 * one asks GIN for its triples ANDed — answered from the index alone, and the triple that straddles two
 * common words is rare — and the exact string is checked on the page text. (A positional chain
 * `'参加' <-> '加工' <-> …` would make GIN recheck every candidate's ~8 KB vector, thousands of them
 * when the words are common.) A NOT of such a run is checked on the text only. Phrases mixing words
 * and characters keep the positional chain: a word like 1988 is selective, and the sequence cannot be
 * checked as one string.
 */
export function pagePlan(query: ParsedQuery): { tsquery: string; verify?: RawBuilder<unknown>; orElse?: string } {
  const checks: RawBuilder<unknown>[] = [];
  const must = query.must.map((clause) => {
    if (clause.some(checkedOnText)) {
      // Another phrase of the same OR clause may be what matched: check it exactly too.
      const alternatives = clause.map((p) => {
        const run = hanRun(p);
        return run
          ? sql`strpos(t.text, ${run}) > 0`
          : sql`(select x.tsv from search_docs x where x.doc_id = d.doc_id) @@ cast(${phraseQuery(p)} as tsquery)`;
      });
      checks.push(sql`(${sql.join(alternatives, sql` or `)})`);
    }
    return `(${clause.map(pagePhraseQuery).join(' | ')})`;
  });
  const not: string[] = [];
  const checkedNot: Phrase[] = [];
  for (const p of query.not) {
    if (checkedOnText(p)) checkedNot.push(p);
    else not.push(`!${pagePhraseQuery(p)}`);
  }
  const base = [...must, ...not];
  const verify = () => (checks.length ? sql.join(checks, sql` and `) : undefined);
  if (checkedNot.length === 0) return { tsquery: base.join(' & '), verify: verify() };
  // A page lacking one of a NOT phrase's triples cannot hold it: those pages come first and need no
  // check; the pages with all the triples of some NOT phrase come second, each read to check them all.
  const triples = checkedNot.map(pagePhraseQuery);
  const notChecks = checkedNot.map((p) => sql`coalesce(strpos(t.text, ${hanRun(p)!}), 0) = 0`);
  checks.push(sql`(d.part = 0 or (${sql.join(notChecks, sql` and `)}))`);
  return {
    tsquery: [...base, ...triples.map((t) => `!${t}`)].join(' & '),
    orElse: [...base, `(${triples.join(' | ')})`].join(' & '),
    verify: verify(),
  };
}

/** A run of four or more adjacent Han characters: answered by its triples, checked on the text. */
function checkedOnText(p: Phrase): string | null {
  const run = hanRun(p);
  return run && [...run].length > 3 ? run : null;
}

function pagePhraseQuery(p: Phrase): string {
  const run = hanRun(p);
  const chars = run ? [...run] : [];
  if (chars.length <= 3) return phraseQuery(p);
  const triples = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) triples.add(chars.slice(i, i + 3).join(''));
  return `(${[...triples].map(lexeme).join(' & ')})`;
}

/** The tsquery; every lexeme is quoted, so no user input is read as tsquery syntax. */
export function tsqueryText(query: ParsedQuery): string | null {
  if (query.must.length === 0) return null;
  const must = query.must.map((clause) => `(${clause.map(phraseQuery).join(' | ')})`);
  const not = query.not.map((p) => `!${phraseQuery(p)}`);
  return [...must, ...not].join(' & ');
}
