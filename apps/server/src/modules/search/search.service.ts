import { sql, type RawBuilder } from 'kysely';
import type { SearchHit, SearchQuery, SearchResult } from '@dangan/contracts';
import { descendantsOf } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/connect.js';
import type { AccessService } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { docId, type DocKind, type IndexDoc, type SearchIndex } from './search.index.js';
import {
  cadreDocText, hitBoxes, literalPieces, materialDocText, matchRanges, parseQuery, snippet, tokenize, type OcrLine, type ParsedQuery,
} from './search.text.js';

const WATERMARK = 'catalogue.indexedSince';
export const SEARCH_CAP = 1000;
const KIND_ORDER = sql`case kind when 'cadre' then 0 when 'material' then 1 else 2 end`;
const KIND_RANK: Record<DocKind, number> = { cadre: 0, material: 1, page: 2 };

function byRelevance(a: HitRow, b: HitRow): number {
  return KIND_RANK[a.kind] - KIND_RANK[b.kind] || Number(b.score) - Number(a.score) || (a.doc_id < b.doc_id ? -1 : a.doc_id > b.doc_id ? 1 : 0);
}

function byDate(a: HitRow, b: HitRow): number {
  const fa = a.formed_on ?? '';
  const fb = b.formed_on ?? '';
  return fa < fb ? 1 : fa > fb ? -1 : byRelevance(a, b);
}
const BATCH = 500;

/** What a catalogue document says, for its score: a cadre's name, initials, ID number and 档案号, or a material's name. */
const catalogueText = sql`case when d.kind = 'cadre'
  then c.name || ' ' || c.name_initials || ' ' || coalesce(c.id_number, '') || ' ' || coalesce(s.dossier_no, '') else coalesce(m.name, '') end`;

/**
 * The relevance of a match: how often each positive phrase's pieces occur in its text (a cadre whose
 * name is exactly the query first among cadres). Evaluated on at most the cap's matches, after the
 * scope and filters, from the text the match is checked on anyway — the same on both databases.
 */
function scoreSql(parsed: ParsedQuery, text: RawBuilder<unknown>): RawBuilder<number> {
  const terms: RawBuilder<unknown>[] = [];
  const exactNames = new Set<string>();
  for (const phrase of parsed.must.flat()) {
    const pieces = literalPieces(phrase);
    if (pieces.length === 1) exactNames.add(pieces[0]!.text);
    for (const piece of pieces) {
      const haystack = piece.han ? text : sql`lower(${text})`;
      terms.push(sql`(length(${haystack}) - length(replace(${haystack}, ${piece.text}, ''))) / ${sql.lit(piece.text.length)}`);
    }
  }
  const bonus = exactNames.size ? sql`case when d.kind = 'cadre' and c.name in (${sql.join([...exactNames])}) then 1000 else 0 end` : sql`0`;
  return sql<number>`(${bonus} + ${sql.join(terms, sql` + `)})`;
}

interface HitRow {
  doc_id: string;
  kind: DocKind;
  cadre_id: string;
  cadre_name: string;
  name_initials: string;
  id_number: string | null;
  dossier_id: string | null;
  dossier_no: string | null;
  state: string | null;
  material_id: string | null;
  material_name: string | null;
  class_code: string | null;
  formed_on: string | null;
  page_id: string | null;
  page_no: number | null;
  score: number | string;
}

export type SearchFilters = Omit<SearchQuery, 'q' | 'page' | 'pageSize' | 'sort'>;

export interface ReindexProgress {
  (done: number, total: number, stage: 'cadres' | 'materials' | 'pages'): void;
}

/**
 * One search over the catalogue (cadre name, pinyin initials, ID number, 档案号, material names and
 * dates) and the pages' OCR text, with the actor's data scope and the filters inside the query. The
 * index itself is `SearchIndex` (FTS5 on SQLite, tsvector + GIN on PostgreSQL).
 */
/** What the catalogue's writers need of search: re-index what they changed, in their transaction. */
export type CatalogueIndex = Pick<SearchService, 'indexCatalogue'>;

export class SearchService {
  constructor(
    readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    readonly index: SearchIndex,
    /** At most this many matches a part (catalogue, pages) are counted and ranked; more is reported as capped. */
    private readonly cap = SEARCH_CAP,
  ) {}

  async search(actor: Actor, query: SearchQuery): Promise<SearchResult> {
    const scope = await this.access.scope(actor, 'dossier.read');
    const { q, page, pageSize, sort, ...filters } = query;
    const result = await this.run(scope.unitIds, query);
    await this.audit.record(actor.audit, {
      action: 'search.query', objectType: 'search', objectLabel: q.slice(0, 100),
      detail: { q, filters, sort, page, total: result.total },
    });
    void pageSize;
    return result;
  }

  /** The search itself, for units `unitIds` (null = all); the caller has checked the actor's scope. */
  async run(unitIds: ReadonlySet<string> | null, query: SearchQuery): Promise<SearchResult> {
    const empty: SearchResult = { total: 0, counts: { cadre: 0, material: 0, page: 0 }, capped: false, items: [] };
    const parsed = parseQuery(query.q);
    if (!this.index.match(parsed, 'page') || (unitIds && unitIds.size === 0)) return empty;

    const conds: RawBuilder<unknown>[] = [];
    if (unitIds) conds.push(sql`c.managing_unit_id in (${sql.join([...unitIds])})`);
    if (query.unitId) {
      const units = await this.db.selectFrom('units').select(['id', 'parent_id']).execute();
      const below = [...descendantsOf(units.map((u) => ({ id: u.id, parentId: u.parent_id })), [query.unitId])];
      conds.push(sql`c.managing_unit_id in (${sql.join(below.length ? below : [query.unitId])})`);
    }
    if (query.classCode) conds.push(sql`(m.class_code = ${query.classCode} or m.class_code like ${`${query.classCode}-%`})`);
    if (query.from) conds.push(sql`m.formed_on >= ${query.from}`);
    if (query.to) conds.push(sql`m.formed_on <= ${`${query.to}~`}`);
    if (query.state) conds.push(sql`s.state = ${query.state}`);

    // The catalogue (cadres, materials) and the pages are searched apart, the catalogue first, so a
    // cadre's own record is never crowded out by the pages that mention him; each part is ordered
    // among its matches and merged here.
    const want = query.page * query.pageSize;
    const tiers = await Promise.all([this.tier('catalogue', parsed, conds, query.sort, want), this.tier('page', parsed, conds, query.sort, want)]);
    const result: SearchResult = { ...empty, counts: { ...empty.counts } };
    for (const t of tiers) {
      for (const k of ['cadre', 'material', 'page'] as const) result.counts[k] += t.counts[k];
      result.capped ||= t.capped;
    }
    result.total = result.counts.cadre + result.counts.material + result.counts.page;
    if (result.total === 0) return result;
    const merged = tiers.flatMap((t) => t.rows).sort(query.sort === 'date' ? byDate : byRelevance);
    result.items = await this.hits(merged.slice((query.page - 1) * query.pageSize, want), parsed);
    return result;
  }

  /**
   * One part of the search: at most `cap` matches in the user's scope and filters are taken, counted
   * and ordered (the engine stops looking after that many); `capped` says there were more. Counting
   * and ranking every one of a million pages that contain a common phrase costs seconds and tells the
   * user nothing a narrower query would not.
   */
  private async tier(tier: 'catalogue' | 'page', parsed: ParsedQuery, extra: RawBuilder<unknown>[], sort: SearchQuery['sort'], want: number) {
    const match = this.index.match(parsed, tier)!;
    const conds = [...extra, tier === 'page' ? sql`p.deleted_at is null` : sql`(m.id is null or m.deleted_at is null)`];
    if (match.verify) conds.push(match.verify);
    const materialize = match.materialize ? sql`materialized ` : sql``;
    // The full-text match alone first, as its own (on PostgreSQL materialized, and read lazily) CTE:
    // the planner then answers it from the GIN index and joins the matches by primary key, instead of
    // choosing a seq scan that de-TOASTs every row's tsvector. The catalogue rows are lateral look-ups
    // by primary key, not hash joins over whole tables. A page's text is read for the check that
    // completes the match and for its score, after the scope and filters.
    const joins = match.lateral
      ? sql`join lateral (select * from cadres where id = d.cadre_id) c on true
      left join lateral (select * from dossiers where id = d.dossier_id) s on true
      left join pages p on p.id = d.page_id
      left join lateral (select * from materials where id = coalesce(p.material_id, d.material_id)) m on true`
      : sql`join cadres c on c.id = d.cadre_id
      left join dossiers s on s.id = d.dossier_id
      left join pages p on p.id = d.page_id
      left join materials m on m.id = coalesce(p.material_id, d.material_id)`;
    const text = tier === 'page' ? sql`t.text` : catalogueText;
    const r = await sql<HitRow & { n: number | string; n_cadre: number | string }>`
      with d as ${materialize}(
        select d.doc_id, d.kind, d.cadre_id, d.dossier_id, d.material_id, d.page_id, 0 as part
        from ${match.from} where ${match.where}${match.orElse ? sql`
        union all
        select d.doc_id, d.kind, d.cadre_id, d.dossier_id, d.material_id, d.page_id, 1 as part
        from ${match.from} where ${match.orElse}` : sql``}),
      hit as ${materialize}(
        select d.doc_id, d.kind, d.cadre_id, c.name as cadre_name, c.name_initials, c.id_number, d.dossier_id, s.dossier_no, s.state,
          m.id as material_id, m.name as material_name, m.class_code, m.formed_on, d.page_id, p.page_no, ${scoreSql(parsed, text)} as score
        from d ${joins}${tier === 'page' ? sql` left join page_text t on t.page_id = d.page_id` : sql``}
        where ${sql.join(conds, sql` and `)} limit ${this.cap + 1})
      select hit.*, (select count(*) from hit) as n, (select count(*) from hit where kind = 'cadre') as n_cadre
      from hit order by ${sort === 'date' ? sql`coalesce(formed_on, '') desc, ` : sql``}${KIND_ORDER}, score desc, doc_id limit ${Math.min(want, this.cap)}`.execute(this.db);
    const n = Number(r.rows[0]?.n ?? 0);
    const nCadre = Number(r.rows[0]?.n_cadre ?? 0);
    const counts = { cadre: 0, material: 0, page: 0 };
    if (tier === 'page') counts.page = Math.min(n, this.cap);
    else {
      counts.cadre = Math.min(nCadre, this.cap);
      counts.material = Math.min(n, this.cap) - counts.cadre;
    }
    return { rows: r.rows, counts, capped: n > this.cap };
  }

  private async hits(rows: HitRow[], parsed: ParsedQuery): Promise<SearchHit[]> {
    const pageIds = rows.filter((r) => r.page_id).map((r) => r.page_id!);
    const texts = new Map<string, { text: string; lines: OcrLine[] }>();
    if (pageIds.length) {
      const t = await this.db.selectFrom('page_text').select(['page_id', 'text', 'lines']).where('page_id', 'in', pageIds).execute();
      for (const r of t) texts.set(r.page_id, { text: r.text, lines: parseLines(r.lines) });
    }
    return rows.map((r) => {
      let text: string;
      let boxes: SearchHit['boxes'] = [];
      let ranges: [number, number][];
      if (r.kind === 'page') {
        const pt = texts.get(r.page_id!) ?? { text: '', lines: [] };
        text = pt.text;
        ranges = matchRanges(text, parsed);
        boxes = hitBoxes(text, pt.lines, ranges);
      } else {
        text = r.kind === 'cadre'
          ? cadreDocText({ name: r.cadre_name, name_initials: r.name_initials, id_number: r.id_number, dossier_no: r.dossier_no })
          : materialDocText({ name: r.material_name ?? '', formed_on: r.formed_on });
        ranges = matchRanges(text, parsed);
      }
      return {
        kind: r.kind,
        cadre: { id: r.cadre_id, name: r.cadre_name },
        dossier: r.dossier_id && r.dossier_no ? { id: r.dossier_id, dossierNo: r.dossier_no, state: r.state ?? '' } : null,
        material: r.material_id ? { id: r.material_id, name: r.material_name ?? '', classCode: r.class_code ?? '', formedOn: r.formed_on } : null,
        page: r.page_id ? { id: r.page_id, pageNo: r.page_no } : null,
        snippet: snippet(text, ranges),
        boxes,
        score: Number(r.score),
      };
    });
  }

  // ---------------------------------------------------------------- indexing

  /** Indexes one page's text (or drops it when the page is gone) and records the indexed version. */
  async indexPage(ex: Executor, pageId: string): Promise<void> {
    await this.indexPageRows(ex, await pageRows(ex, sql`p.id = ${pageId}`, 1));
  }

  /** Re-indexes cadres (with their dossier) and materials after a catalogue change. */
  async indexCatalogue(ex: Executor, changed: { cadreIds?: string[]; dossierIds?: string[]; materialIds?: string[] }): Promise<void> {
    const cadreIds = new Set(changed.cadreIds ?? []);
    if (changed.dossierIds?.length) {
      for (const d of await ex.selectFrom('dossiers').select('cadre_id').where('id', 'in', changed.dossierIds).execute()) cadreIds.add(d.cadre_id);
    }
    if (cadreIds.size) await this.indexCadreRows(ex, await cadreRows(ex, sql`c.id in (${sql.join([...cadreIds])})`, cadreIds.size));
    if (changed.materialIds?.length) {
      await this.indexMaterialRows(ex, await materialRows(ex, sql`m.id in (${sql.join(changed.materialIds)})`, changed.materialIds.length));
    }
  }

  /**
   * Catch-up: pages whose text is newer than what is indexed (a new OCR version, a proofreading edit,
   * a deletion), and catalogue rows changed since the last run. Returns how many documents it touched.
   */
  async indexPending(): Promise<{ pages: number; catalogue: number }> {
    const startedAt = this.clock.now().toISOString();
    const since = (await this.db.selectFrom('search_state').select('value').where('key', '=', WATERMARK).executeTakeFirst())?.value ?? '';
    let pages = 0;
    let after = '';
    for (;;) {
      const ids = await sql<{ id: string }>`
        select p.id from page_status ps join pages p on p.id = ps.page_id left join page_text t on t.page_id = ps.page_id
        where p.id > ${after} and (
          (t.page_id is not null and (ps.indexed_version < ps.ocr_version or ps.indexed_at is null or t.updated_at > ps.indexed_at))
          or (p.deleted_at is not null and ps.indexed_at is not null and p.deleted_at > ps.indexed_at))
        order by p.id limit ${BATCH}`.execute(this.db);
      if (ids.rows.length === 0) break;
      after = ids.rows[ids.rows.length - 1]!.id;
      await this.db.transaction().execute(async (trx) =>
        this.indexPageRows(trx, await pageRows(trx, sql`p.id in (${sql.join(ids.rows.map((r) => r.id))})`, ids.rows.length)),
      );
      pages += ids.rows.length;
    }
    let catalogue = 0;
    const changedCadres = await sql<{ id: string }>`
      select id from cadres where updated_at >= ${since}
      union select cadre_id as id from dossiers where updated_at >= ${since}`.execute(this.db);
    const changedMaterials = await this.db.selectFrom('materials').select('id').where('updated_at', '>=', since).execute();
    for (let i = 0; i < changedCadres.rows.length; i += BATCH) {
      await this.db.transaction().execute((trx) => this.indexCatalogue(trx, { cadreIds: changedCadres.rows.slice(i, i + BATCH).map((r) => r.id) }));
    }
    for (let i = 0; i < changedMaterials.length; i += BATCH) {
      await this.db.transaction().execute((trx) => this.indexCatalogue(trx, { materialIds: changedMaterials.slice(i, i + BATCH).map((r) => r.id) }));
    }
    catalogue = changedCadres.rows.length + changedMaterials.length;
    await this.setWatermark(this.db, startedAt);
    return { pages, catalogue };
  }

  /** Drops the index and builds it again from the catalogue and the page texts. */
  async reindex(progress?: ReindexProgress): Promise<{ cadres: number; materials: number; pages: number; seconds: number }> {
    const started = performance.now();
    const startedAt = this.clock.now().toISOString();
    await this.index.clear(this.db);
    await this.index.beginBulk(this.db);
    const count = async (q: RawBuilder<{ n: number | string }>) => Number((await q.execute(this.db)).rows[0]?.n ?? 0);
    const totals = {
      cadres: await count(sql`select count(*) as n from cadres`),
      materials: await count(sql`select count(*) as n from materials where deleted_at is null`),
      pages: await count(sql`select count(*) as n from pages p join page_text t on t.page_id = p.id where p.deleted_at is null`),
    };
    const stages = [
      { stage: 'cadres' as const, total: totals.cadres, load: (ex: Executor, after: string) => cadreRows(ex, sql`c.id > ${after}`, 2000), apply: this.indexCadreRows.bind(this) },
      { stage: 'materials' as const, total: totals.materials, load: (ex: Executor, after: string) => materialRows(ex, sql`m.id > ${after} and m.deleted_at is null`, 2000), apply: this.indexMaterialRows.bind(this) },
      { stage: 'pages' as const, total: totals.pages, load: (ex: Executor, after: string) => pageRows(ex, sql`p.id > ${after} and p.deleted_at is null and t.page_id is not null`, BATCH), apply: this.indexPageRows.bind(this) },
    ];
    for (const s of stages) {
      let after = '';
      let done = 0;
      progress?.(0, s.total, s.stage);
      for (;;) {
        const n = await this.db.transaction().execute(async (trx) => {
          const rows = await s.load(trx, after);
          if (rows.length === 0) return 0;
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          await s.apply(trx, rows as any);
          after = rows[rows.length - 1]!.id;
          return rows.length;
        });
        if (n === 0) break;
        done += n;
        progress?.(done, s.total, s.stage);
      }
    }
    await this.index.endBulk(this.db);
    await this.setWatermark(this.db, startedAt);
    return { ...totals, seconds: (performance.now() - started) / 1000 };
  }

  private async setWatermark(ex: Executor, value: string): Promise<void> {
    await ex.deleteFrom('search_state').where('key', '=', WATERMARK).execute();
    await ex.insertInto('search_state').values({ key: WATERMARK, value }).execute();
  }

  private async indexPageRows(ex: Executor, rows: PageRow[]): Promise<void> {
    if (rows.length === 0) return;
    const now = this.clock.now().toISOString();
    const live = rows.filter((r) => !r.deleted_at && r.text !== null);
    const gone = rows.filter((r) => r.deleted_at || r.text === null);
    await this.index.upsert(ex, live.map((r) => ({
      docId: docId('page', r.id), kind: 'page', cadreId: r.cadre_id, dossierId: r.dossier_id, materialId: null, pageId: r.id,
      tokens: tokenize(r.text!), updatedAt: now,
    })));
    if (gone.length) await this.index.remove(ex, gone.map((r) => docId('page', r.id)));
    await sql`update page_status set indexed_version = coalesce((select t.version from page_text t where t.page_id = page_status.page_id), indexed_version),
      indexed_at = ${now} where page_id in (${sql.join(rows.map((r) => r.id))})`.execute(ex);
  }

  private async indexCadreRows(ex: Executor, rows: CadreRow[]): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.index.upsert(ex, rows.map((r): IndexDoc => ({
      docId: docId('cadre', r.id), kind: 'cadre', cadreId: r.id, dossierId: r.dossier_id, materialId: null, pageId: null,
      tokens: tokenize(cadreDocText(r)), updatedAt: now,
    })));
  }

  private async indexMaterialRows(ex: Executor, rows: MaterialRow[]): Promise<void> {
    const now = this.clock.now().toISOString();
    const live = rows.filter((r) => !r.deleted_at);
    await this.index.upsert(ex, live.map((r): IndexDoc => ({
      docId: docId('material', r.id), kind: 'material', cadreId: r.cadre_id, dossierId: r.dossier_id, materialId: r.id, pageId: null,
      tokens: tokenize(materialDocText(r)), updatedAt: now,
    })));
    const gone = rows.filter((r) => r.deleted_at).map((r) => docId('material', r.id));
    if (gone.length) await this.index.remove(ex, gone);
  }
}

interface PageRow { id: string; dossier_id: string; cadre_id: string; deleted_at: string | null; text: string | null }
interface CadreRow { id: string; name: string; name_initials: string; id_number: string | null; dossier_id: string | null; dossier_no: string | null }
interface MaterialRow { id: string; dossier_id: string; cadre_id: string; name: string; formed_on: string | null; deleted_at: string | null }

async function pageRows(ex: Executor, where: RawBuilder<unknown>, limit: number): Promise<PageRow[]> {
  const r = await sql<PageRow>`select p.id, p.dossier_id, s.cadre_id, p.deleted_at, t.text from pages p join dossiers s on s.id = p.dossier_id
    left join page_text t on t.page_id = p.id where ${where} order by p.id limit ${limit}`.execute(ex);
  return r.rows;
}

async function cadreRows(ex: Executor, where: RawBuilder<unknown>, limit: number): Promise<CadreRow[]> {
  const r = await sql<CadreRow>`select c.id, c.name, c.name_initials, c.id_number, s.id as dossier_id, s.dossier_no from cadres c
    left join dossiers s on s.cadre_id = c.id where ${where} order by c.id limit ${limit}`.execute(ex);
  return r.rows;
}

async function materialRows(ex: Executor, where: RawBuilder<unknown>, limit: number): Promise<MaterialRow[]> {
  const r = await sql<MaterialRow>`select m.id, m.dossier_id, s.cadre_id, m.name, m.formed_on, m.deleted_at from materials m
    join dossiers s on s.id = m.dossier_id where ${where} order by m.id limit ${limit}`.execute(ex);
  return r.rows;
}

function parseLines(json: string): OcrLine[] {
  try {
    const lines = JSON.parse(json) as OcrLine[];
    return Array.isArray(lines) ? lines : [];
  } catch {
    return [];
  }
}
