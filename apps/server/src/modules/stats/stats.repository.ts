import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { Database } from '../../platform/db/schema.js';
import { scopeCondition, withinUnits } from '../../platform/db/scope.js';

/**
 * The statistics' queries. Every one takes the reader's units (null = all): a dossier — and what
 * hangs on it: materials, pages, requests, reading, prints, lendings — counts in the managing unit of
 * its cadre, as everywhere else in the archive.
 */
export type Units = readonly string[] | null;

const num = (v: unknown): number => Number(v ?? 0);

export function statsRepository(db: Executor) {
  const dossiers = (units: Units) =>
    db.selectFrom('dossiers as d').innerJoin('cadres as c', 'c.id', 'd.cadre_id').where(withinUnits('c.managing_unit_id', units));

  /** Requests naming at least one dossier of the units. */
  const requestInUnits = (units: Units) => (eb: ExpressionBuilder<Database & { r: Database['access_requests'] }, 'r'>) =>
    scopeCondition(units, (ids) =>
      eb.exists(
        eb.selectFrom('access_request_dossiers as rd')
          .innerJoin('dossiers as rdd', 'rdd.id', 'rd.dossier_id')
          .innerJoin('cadres as rc', 'rc.id', 'rdd.cadre_id')
          .select('rd.dossier_id')
          .whereRef('rd.request_id', '=', 'r.id')
          .where('rc.managing_unit_id', 'in', ids),
      ),
    );

  return {
    async units() {
      return db.selectFrom('units').select(['id', 'parent_id', 'name', 'sort_order']).orderBy('sort_order').orderBy('code').execute();
    },

    async dictionary(types: readonly string[]) {
      return db.selectFrom('dictionary_entries').select(['type', 'code', 'label', 'parent_code', 'sort_order'])
        .where('type', 'in', [...types]).orderBy('type').orderBy('sort_order').orderBy('code').execute();
    },

    async userNames(ids: readonly string[]) {
      if (ids.length === 0) return new Map<string, string>();
      const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    // ------------------------------------------------------------------ archive
    async dossiersByUnitAndState(units: Units) {
      const rows = await dossiers(units).select(['c.managing_unit_id as unit_id', 'd.state', sql<number>`count(*)`.as('n')])
        .groupBy(['c.managing_unit_id', 'd.state']).execute();
      return rows.map((r) => ({ unitId: r.unit_id, state: r.state, n: num(r.n) }));
    },

    /** Live materials and their catalogue pages per unit and class. */
    async materialsByUnitAndClass(units: Units) {
      const rows = await dossiers(units).innerJoin('materials as m', 'm.dossier_id', 'd.id').where('m.deleted_at', 'is', null)
        .select(['c.managing_unit_id as unit_id', 'm.class_code', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(m.pages), 0)`.as('pages')])
        .groupBy(['c.managing_unit_id', 'm.class_code']).execute();
      return rows.map((r) => ({ unitId: r.unit_id, classCode: r.class_code, materials: num(r.n), pages: num(r.pages) }));
    },

    /** Live scanned pages per unit. */
    async scannedPagesByUnit(units: Units) {
      const rows = await dossiers(units).innerJoin('pages as p', 'p.dossier_id', 'd.id').where('p.deleted_at', 'is', null)
        .select(['c.managing_unit_id as unit_id', sql<number>`count(*)`.as('n')]).groupBy('c.managing_unit_id').execute();
      return rows.map((r) => ({ unitId: r.unit_id, pages: num(r.n) }));
    },

    /**
     * Per dossier with live materials: how many materials, how many have all their catalogue pages
     * scanned, linked and processed, and the processed pages counted up to each material's catalogue count.
     */
    async coverage(units: Units) {
      const processed = db.selectFrom('pages').select(['material_id', sql<number>`count(*)`.as('n')])
        .where('deleted_at', 'is', null).where('status', '=', 'processed').where('material_id', 'is not', null)
        .groupBy('material_id').as('pp');
      const have = sql<number>`coalesce(pp.n, 0)`;
      const rows = await dossiers(units).innerJoin('materials as m', 'm.dossier_id', 'd.id').where('m.deleted_at', 'is', null)
        .leftJoin(processed, 'pp.material_id', 'm.id')
        .select([
          'd.id',
          sql<number>`count(*)`.as('materials'),
          sql<number>`sum(case when ${have} >= m.pages then 1 else 0 end)`.as('complete'),
          sql<number>`sum(case when ${have} < m.pages then ${have} else m.pages end)`.as('processed'),
          sql<number>`sum(m.pages)`.as('expected'),
        ])
        .groupBy('d.id').execute();
      return rows.map((r) => ({ materials: num(r.materials), complete: num(r.complete), processed: num(r.processed), expected: num(r.expected) }));
    },

    // ------------------------------------------------------------------ use
    async requests(units: Units, from: string, to: string) {
      return db.selectFrom('access_requests as r')
        .select(['r.id', 'r.purpose', 'r.requester_id', 'r.requester_unit_id', 'r.state', 'r.created_at'])
        .where('r.created_at', '>=', from).where('r.created_at', '<', to).where(requestInUnits(units))
        .execute();
    },

    async topDossiers(units: Units, from: string, to: string, limit: number) {
      const rows = await dossiers(units).innerJoin('reading_log as l', 'l.dossier_id', 'd.id')
        .where('l.viewed_at', '>=', from).where('l.viewed_at', '<', to)
        .select([
          'd.id', 'd.dossier_no', 'c.name as cadre_name',
          sql<number>`count(distinct l.page_id)`.as('pages'), sql<number>`count(*)`.as('views'),
          sql<number>`coalesce(sum(l.duration_ms), 0)`.as('ms'),
        ])
        .groupBy(['d.id', 'd.dossier_no', 'c.name'])
        .orderBy(sql`count(*)`, 'desc').orderBy(sql`coalesce(sum(l.duration_ms), 0)`, 'desc').orderBy('d.dossier_no')
        .limit(limit).execute();
      return rows.map((r) => ({ id: r.id, dossierNo: r.dossier_no, cadreName: r.cadre_name, pages: num(r.pages), views: num(r.views), ms: num(r.ms) }));
    },

    async prints(units: Units, from: string, to: string) {
      const r = await dossiers(units).innerJoin('access_prints as p', 'p.dossier_id', 'd.id')
        .where('p.created_at', '>=', from).where('p.created_at', '<', to)
        .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(p.page_count), 0)`.as('pages')]).executeTakeFirst();
      return { prints: num(r?.n), pages: num(r?.pages) };
    },

    async lendings(units: Units, from: string, to: string, today: string) {
      const base = () => dossiers(units).innerJoin('lendings as l', 'l.dossier_id', 'd.id');
      const count = async (q: ReturnType<typeof base>) => num((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n);
      return {
        open: await count(base().where('l.returned_at', 'is', null)),
        overdue: await count(base().where('l.returned_at', 'is', null).where('l.due_on', '<', today)),
        lent: await count(base().where('l.lent_at', '>=', from).where('l.lent_at', '<', to)),
        returned: await count(base().where('l.returned_at', '>=', from).where('l.returned_at', '<', to)),
      };
    },

    // ------------------------------------------------------------------ cadres
    /** Cadres of the units whose personnel status is `status`. */
    async cadres(units: Units, status: string) {
      return db.selectFrom('cadres as c')
        .select(['c.id', 'c.gender', 'c.birth_date', 'c.ethnicity', 'c.education', 'c.political_status', 'c.party_join_date',
          'c.work_start_date', 'c.rank', 'c.managing_unit_id'])
        .where('c.personnel_status', '=', status).where(withinUnits('c.managing_unit_id', units))
        .execute();
    },
  };
}

export type StatsRepository = ReturnType<typeof statsRepository>;
