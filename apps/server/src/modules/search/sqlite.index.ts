import { sql } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { IndexDoc, MatchSql, SearchIndex, SearchTier } from './search.index.js';
import { adjacent, bigramStream, unigramStream, type ParsedQuery, type Phrase } from './search.text.js';

/**
 * SQLite: a contentless FTS5 table `search_fts(u, b)` (unicode61, diacritics kept) whose rowid is
 * `search_docs.seq`. Column `u` holds the unigram stream (one Han character or word a position), so an
 * FTS5 phrase `u : "1988 年 7 月"` is an exact sequence; column `b` holds the aligned bigram stream, so
 * `b : "王伟"` or `b : "干部 部履 履历"` requires the characters side by side in the original text (not
 * across punctuation or line breaks) and, being rare, spares FTS5 the long lists of common characters.
 * Catalogue documents (cadres, materials) have negative row ids and pages positive ones, so each part
 * of a search is a row-id range of the same FTS5 table.
 * A phrase mixing several Han runs and words checks each run's chain and the whole sequence separately
 * (not tied to the same position: a rare over-match PostgreSQL's positional chain does not have).
 */
export class SqliteSearchIndex implements SearchIndex {
  async upsert(ex: Executor, docs: IndexDoc[]): Promise<void> {
    for (const d of docs) {
      const existing = await sql<{ seq: number }>`select seq from search_docs where doc_id = ${d.docId}`.execute(ex);
      let seq = existing.rows[0]?.seq;
      if (seq !== undefined) {
        await sql`delete from search_fts where rowid = ${seq}`.execute(ex);
        await sql`update search_docs set kind = ${d.kind}, cadre_id = ${d.cadreId}, dossier_id = ${d.dossierId}, material_id = ${d.materialId},
          page_id = ${d.pageId}, updated_at = ${d.updatedAt} where seq = ${seq}`.execute(ex);
      } else {
        // Catalogue documents take negative row ids, pages positive ones: each part is a row-id range FTS5
        // walks on its own.
        const key = d.kind === 'page'
          ? sql`(select max(1, coalesce(max(seq), 0) + 1) from search_docs)`
          : sql`(select min(-1, coalesce(min(seq), 0) - 1) from search_docs)`;
        const inserted = await sql<{ seq: number }>`insert into search_docs (seq, doc_id, kind, cadre_id, dossier_id, material_id, page_id, updated_at)
          values (${key}, ${d.docId}, ${d.kind}, ${d.cadreId}, ${d.dossierId}, ${d.materialId}, ${d.pageId}, ${d.updatedAt}) returning seq`.execute(ex);
        seq = inserted.rows[0]!.seq;
      }
      await sql`insert into search_fts (rowid, u, b) values (${seq}, ${unigramStream(d.tokens).join(' ')}, ${bigramStream(d.tokens).join(' ')})`.execute(ex);
    }
  }

  async remove(ex: Executor, docIds: string[]): Promise<void> {
    for (const id of docIds) {
      const existing = await sql<{ seq: number }>`select seq from search_docs where doc_id = ${id}`.execute(ex);
      const seq = existing.rows[0]?.seq;
      if (seq === undefined) continue;
      await sql`delete from search_fts where rowid = ${seq}`.execute(ex);
      await sql`delete from search_docs where seq = ${seq}`.execute(ex);
    }
  }

  async clear(ex: Executor): Promise<void> {
    await sql`insert into search_fts (search_fts) values ('delete-all')`.execute(ex);
    await sql`delete from search_docs`.execute(ex);
  }

  async beginBulk(): Promise<void> {}

  async endBulk(ex: Executor): Promise<void> {
    await sql`insert into search_fts (search_fts) values ('optimize')`.execute(ex);
  }

  match(query: ParsedQuery, tier: SearchTier): MatchSql | null {
    const expr = fts5Expression(query);
    if (!expr) return null;
    return {
      from: sql`search_fts join search_docs d on d.seq = search_fts.rowid`,
      where: sql`search_fts match ${expr} and ${tier === 'page' ? sql`search_fts.rowid > 0` : sql`search_fts.rowid < 0`}`,
    };
  }

  async sizeBytes(ex: Executor): Promise<number> {
    try {
      const r = await sql<{ n: number | null }>`select sum(pgsize) as n from dbstat where name like 'search%'`.execute(ex);
      return Number(r.rows[0]?.n ?? 0);
    } catch {
      const r = await sql<{ n: number }>`select page_count * page_size as n from pragma_page_count(), pragma_page_size()`.execute(ex);
      return Number(r.rows[0]?.n ?? 0);
    }
  }
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * A phrase: each run of adjacent Han characters as a bigram chain in `b` (exact: the pairs side by side,
 * in order), and, when the phrase has more than one run or any word, the whole token sequence in `u`.
 */
function phraseExpression(p: Phrase): string {
  const runs: string[][] = [];
  let run: string[] = [];
  p.tokens.forEach((t, i) => {
    if (adjacent(t, p.tokens[i + 1])) run.push(t.t + p.tokens[i + 1]!.t);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  });
  const whole = runs.length === 1 && runs[0]!.length === p.tokens.length - 1;
  const parts = whole ? [] : [`u : ${quote(p.tokens.map((t) => t.t).join(' '))}`];
  for (const r of runs) parts.push(`b : ${quote(r.join(' '))}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
}

/** The FTS5 query; every token is quoted, so no user input is read as FTS5 syntax. */
export function fts5Expression(query: ParsedQuery): string | null {
  if (query.must.length === 0) return null;
  const must = query.must.map((clause) => (clause.length === 1 ? phraseExpression(clause[0]!) : `(${clause.map(phraseExpression).join(' OR ')})`));
  let expr = must.join(' AND ');
  if (query.not.length) expr = `(${expr}) NOT (${query.not.map(phraseExpression).join(' OR ')})`;
  return expr;
}
