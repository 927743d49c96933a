import { sql } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import { scopeCondition, withinUnits } from '../../platform/db/scope.js';
import { batchVisible } from '../project/project.visibility.js';

/**
 * The dashboard's and task lists' queries over the project tables. Every query takes the reader's
 * units (null = all units): a dossier counts when its cadre's managing unit is one of them, a batch
 * shows when it is one of theirs or holds one of their dossiers, as the project module decides.
 */
export type Units = readonly string[] | null;

const num = (v: unknown): number => Number(v ?? 0);

/** Live pages of the dossier in column `dossier`. */
const livePages = (dossier: string) =>
  sql<number>`(select count(*) from pages lp where lp.dossier_id = ${sql.ref(dossier)} and lp.deleted_at is null)`;

export function dashboardRepository(db: Executor) {
  /** Dossiers of batches that are not cancelled, in the units, optionally of one batch. */
  const batchDossiers = (units: Units, batchId?: string) => {
    let q = db
      .selectFrom('project_batch_dossiers as bd')
      .innerJoin('project_batches as b', 'b.id', 'bd.batch_id')
      .innerJoin('dossiers as d', 'd.id', 'bd.dossier_id')
      .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
      .where('b.state', '<>', 'cancelled')
      .where(withinUnits('c.managing_unit_id', units));
    if (batchId) q = q.where('bd.batch_id', '=', batchId);
    return q;
  };

  /** Batches by id or all, visible to the units. */
  const batches = (units: Units) =>
    db.selectFrom('project_batches as b').where((eb) => scopeCondition(units, (ids) => batchVisible(eb, ids)));

  /** Completed inspection rounds since `from` of dossiers in the units. */
  const inspectedSince = (units: Units, batchId: string | undefined, from: string) => {
    let q = db
      .selectFrom('project_inspections as i')
      .innerJoin('dossiers as d', 'd.id', 'i.dossier_id')
      .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
      .where('i.verdict', 'is not', null)
      .where('i.verdict_at', '>=', from)
      .where(withinUnits('c.managing_unit_id', units));
    if (batchId) q = q.where('i.batch_id', '=', batchId);
    return q;
  };

  return {
    // ---------------------------------------------------------------- progress
    async visibleBatches(units: Units, batchId?: string) {
      let q = batches(units).select(['b.id', 'b.code', 'b.name', 'b.state', 'b.created_at']).where('b.state', '<>', 'cancelled');
      if (batchId) q = q.where('b.id', '=', batchId);
      return q.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').execute();
    },

    async batchVisible(units: Units, batchId: string): Promise<boolean> {
      return (await batches(units).select('b.id').where('b.id', '=', batchId).executeTakeFirst()) !== undefined;
    },

    /** Per batch: how many dossiers have how many stages done, and whether one is in progress. */
    async doneCounts(units: Units, batchId?: string) {
      const perDossier = batchDossiers(units, batchId)
        .leftJoin('project_stages as s', (j) => j.onRef('s.batch_id', '=', 'bd.batch_id').onRef('s.dossier_id', '=', 'bd.dossier_id'))
        .select([
          'bd.batch_id',
          'bd.dossier_id',
          sql<number>`sum(case when s.status = 'done' then 1 else 0 end)`.as('done'),
          sql<number>`sum(case when s.status = 'in_progress' then 1 else 0 end)`.as('active'),
        ])
        .groupBy(['bd.batch_id', 'bd.dossier_id']);
      const rows = await db
        .selectFrom(perDossier.as('x'))
        .select(['x.batch_id', 'x.done', 'x.active', sql<number>`count(*)`.as('n')])
        .groupBy(['x.batch_id', 'x.done', 'x.active'])
        .execute();
      return rows.map((r) => ({ batchId: r.batch_id, done: num(r.done), active: num(r.active) > 0, dossiers: num(r.n) }));
    },

    /** Stage rows per stage and status over the dossiers (a dossier without a row is pending). */
    async stageStatuses(units: Units, batchId?: string) {
      const rows = await batchDossiers(units, batchId)
        .innerJoin('project_stages as s', (j) => j.onRef('s.batch_id', '=', 'bd.batch_id').onRef('s.dossier_id', '=', 'bd.dossier_id'))
        .select(['s.stage', 's.status', sql<number>`count(*)`.as('n')])
        .groupBy(['s.stage', 's.status'])
        .execute();
      return rows.map((r) => ({ stage: r.stage, status: r.status, n: num(r.n) }));
    },

    /**
     * Dossiers of batches under way (handed over, not yet back in store) whose last stage movement —
     * or, before any, the hand-over out — is older than `before`, oldest first.
     */
    async stuck(units: Units, batchId: string | undefined, before: string) {
      const last = sql<string | null>`(select max(e.at) from project_stage_events e where e.batch_id = bd.batch_id and e.dossier_id = bd.dossier_id)`;
      const handedOver = sql<string | null>`(select min(h.created_at) from project_handovers h where h.batch_id = bd.batch_id and h.direction = 'out')`;
      const since = sql<string>`coalesce(${last}, ${handedOver})`;
      const done = sql<number>`(select count(*) from project_stages s where s.batch_id = bd.batch_id and s.dossier_id = bd.dossier_id and s.status = 'done')`;
      const rows = await batchDossiers(units, batchId)
        .where('b.state', 'in', ['in_progress', 'accepted'])
        .where(since, '<', before)
        .select(['bd.batch_id', 'b.code as batch_code', 'b.name as batch_name', 'bd.dossier_id', 'd.dossier_no', 'c.name as cadre_name', since.as('since'), done.as('done')])
        .orderBy('since')
        .orderBy('d.dossier_no')
        .execute();
      return rows.map((r) => ({ ...r, done: num(r.done) }));
    },

    async stageRows(batchIds: readonly string[], dossierIds: readonly string[]) {
      if (batchIds.length === 0 || dossierIds.length === 0) return [];
      return db
        .selectFrom('project_stages')
        .select(['batch_id', 'dossier_id', 'stage', 'status', 'started_by'])
        .where('batch_id', 'in', [...new Set(batchIds)])
        .where('dossier_id', 'in', [...new Set(dossierIds)])
        .execute();
    },

    // ---------------------------------------------------------------- operators
    /** Pages ingested since `from` per uploader and UTC hour (`YYYY-MM-DDTHH`). */
    async scannedPages(units: Units, batchId: string | undefined, from: string) {
      const hour = sql<string>`substr(p.created_at, 1, 13)`;
      let q = db
        .selectFrom('pages as p')
        .innerJoin('scan_files as f', 'f.id', 'p.file_id')
        .innerJoin('scan_batches as sb', 'sb.id', 'f.batch_id')
        .innerJoin('dossiers as d', 'd.id', 'p.dossier_id')
        .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
        .where('p.created_at', '>=', from)
        .where(withinUnits('c.managing_unit_id', units));
      if (batchId) {
        q = q.where('p.dossier_id', 'in', db.selectFrom('project_batch_dossiers').select('dossier_id').where('batch_id', '=', batchId));
      }
      const rows = await q
        .select(['sb.created_by_id', 'sb.created_by', hour.as('hour'), sql<number>`count(*)`.as('n')])
        .groupBy(['sb.created_by_id', 'sb.created_by', hour])
        .execute();
      return rows.map((r) => ({ userId: r.created_by_id, label: r.created_by, hour: r.hour, pages: num(r.n) }));
    },

    /** Finishes of 图像处理 and 著录/挂接 since `from`, with the dossier's live pages. */
    async stageFinishes(units: Units, batchId: string | undefined, from: string) {
      let q = db
        .selectFrom('project_stage_events as e')
        .innerJoin('dossiers as d', 'd.id', 'e.dossier_id')
        .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
        .where('e.event', '=', 'finish')
        .where('e.stage', 'in', ['process', 'link'])
        .where('e.user_id', 'is not', null)
        .where('e.at', '>=', from)
        .where(withinUnits('c.managing_unit_id', units));
      if (batchId) q = q.where('e.batch_id', '=', batchId);
      const rows = await q.select(['e.user_id', 'e.stage', 'e.at', livePages('e.dossier_id').as('pages')]).execute();
      return rows.map((r) => ({ userId: r.user_id!, stage: r.stage as 'process' | 'link', at: r.at, pages: num(r.pages) }));
    },

    // ---------------------------------------------------------------- defects
    async inspectedRounds(units: Units, batchId: string | undefined, from: string) {
      const rows = await inspectedSince(units, batchId, from)
        .select(['i.id', 'i.verdict', 'i.verdict_at', livePages('i.dossier_id').as('pages')])
        .execute();
      return rows.map((r) => ({ id: r.id, verdict: r.verdict as 'pass' | 'fail', verdictAt: r.verdict_at!, pages: num(r.pages) }));
    },

    /** Defects per inspection and type, for the rounds `inspectedRounds` returns. */
    async defectCounts(units: Units, batchId: string | undefined, from: string) {
      const rows = await inspectedSince(units, batchId, from)
        .innerJoin('project_defects as x', 'x.inspection_id', 'i.id')
        .select(['x.inspection_id', 'x.type', sql<number>`count(*)`.as('n')])
        .groupBy(['x.inspection_id', 'x.type'])
        .execute();
      const out = new Map<string, Record<string, number>>();
      for (const r of rows) out.set(r.inspection_id, { ...out.get(r.inspection_id), [r.type]: num(r.n) });
      return out;
    },

    // ---------------------------------------------------------------- tasks
    /** Open rework, with its dossier and defect counts: assigned to `assigneeId`, or older than `before`. */
    async openRework(units: Units, filter: { assigneeId?: string; before?: string }) {
      let q = db
        .selectFrom('project_rework as r')
        .innerJoin('project_batches as b', 'b.id', 'r.batch_id')
        .innerJoin('project_inspections as i', 'i.id', 'r.inspection_id')
        .innerJoin('dossiers as d', 'd.id', 'r.dossier_id')
        .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
        .where('r.state', '=', 'open')
        .where(withinUnits('c.managing_unit_id', units));
      if (filter.assigneeId) q = q.where('r.assignee_id', '=', filter.assigneeId);
      if (filter.before) q = q.where('r.created_at', '<', filter.before);
      const rows = await q
        .select([
          'r.id', 'r.batch_id', 'r.inspection_id', 'r.assignee_id', 'r.created_at', 'b.code as batch_code', 'i.round', 'd.dossier_no',
          'c.name as cadre_name',
          sql<number>`(select count(*) from project_defects x where x.rework_id = r.id)`.as('defects'),
          sql<number>`(select count(*) from project_defects x where x.rework_id = r.id and x.fixed_at is not null)`.as('fixed'),
        ])
        .orderBy('r.created_at')
        .execute();
      return rows.map((r) => ({ ...r, defects: num(r.defects), fixed: num(r.fixed) }));
    },

    async batchesInState(units: Units, state: string) {
      const rows = await batches(units)
        .where('b.state', '=', state)
        .select([
          'b.id', 'b.code', 'b.name', 'b.requested_by', 'b.requested_at', 'b.request_note', 'b.sampled_at', 'b.acceptance_refused_at',
          sql<number>`(select count(*) from project_batch_dossiers n where n.batch_id = b.id)`.as('dossiers'),
        ])
        .orderBy('b.requested_at')
        .orderBy('b.code')
        .execute();
      return rows.map((r) => ({ ...r, dossiers: num(r.dossiers) }));
    },

    /**
     * Batches under way whose sample is drawn and every dossier's 质检 done, with no rework still
     * open: what the acceptance decision waits for. With the time of the last verdict.
     */
    async readyForAcceptance(units: Units) {
      const rows = await batches(units)
        .where('b.state', '=', 'in_progress')
        .where('b.sampled_at', 'is not', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('project_batch_dossiers as nbd')
                .leftJoin('project_stages as ns', (j) =>
                  j.onRef('ns.batch_id', '=', 'nbd.batch_id').onRef('ns.dossier_id', '=', 'nbd.dossier_id').on('ns.stage', '=', 'inspect'),
                )
                .select('nbd.dossier_id')
                .whereRef('nbd.batch_id', '=', 'b.id')
                .where((eb) => eb.or([eb('ns.status', 'is', null), eb('ns.status', '<>', 'done')])),
            ),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('project_rework as nr').select('nr.id').whereRef('nr.batch_id', '=', 'b.id').where('nr.state', '<>', 'closed'))),
        )
        .select([
          'b.id', 'b.code', 'b.name', 'b.sampled_at', 'b.acceptance_refused_at',
          sql<string | null>`(select max(v.verdict_at) from project_inspections v where v.batch_id = b.id)`.as('last_verdict_at'),
        ])
        .orderBy('b.code')
        .execute();
      return rows;
    },

    /** Verdicts of each sampled dossier's completed rounds, in order, for the pass rate. */
    async sampleVerdicts(batchId: string) {
      const rows = await db
        .selectFrom('project_batch_dossiers as bd')
        .leftJoin('project_inspections as i', (j) =>
          j.onRef('i.batch_id', '=', 'bd.batch_id').onRef('i.dossier_id', '=', 'bd.dossier_id').on('i.verdict', 'is not', null),
        )
        .select(['bd.dossier_id', 'i.round', 'i.verdict'])
        .where('bd.batch_id', '=', batchId)
        .where('bd.sample_reason', 'is not', null)
        .orderBy('bd.dossier_id')
        .orderBy('i.round')
        .execute();
      const out = new Map<string, ('pass' | 'fail')[]>();
      for (const r of rows) {
        const list = out.get(r.dossier_id) ?? [];
        if (r.verdict) list.push(r.verdict as 'pass' | 'fail');
        out.set(r.dossier_id, list);
      }
      return [...out].map(([dossierId, verdicts]) => ({ dossierId, verdicts }));
    },

    /** Hand-overs not completed in which the user is a party who has not confirmed. */
    async handoversToConfirm(units: Units, userId: string) {
      const rows = await batches(units)
        .innerJoin('project_handovers as h', 'h.batch_id', 'b.id')
        .where('h.completed_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb.and([eb('h.giver_id', '=', userId), eb('h.giver_confirmed_at', 'is', null)]),
            eb.and([eb('h.receiver_id', '=', userId), eb('h.receiver_confirmed_at', 'is', null)]),
          ]),
        )
        .select([
          'h.id', 'h.batch_id', 'h.direction', 'h.giver_id', 'h.receiver_id', 'h.created_at', 'h.giver_confirmed_at', 'h.receiver_confirmed_at',
          'b.code', 'b.name',
          sql<number>`(select count(*) from project_handover_items hi where hi.handover_id = h.id)`.as('dossiers'),
          sql<number>`(select coalesce(sum(hi.pages), 0) from project_handover_items hi where hi.handover_id = h.id)`.as('pages'),
        ])
        .orderBy('h.created_at')
        .execute();
      return rows.map((r) => ({ ...r, dossiers: num(r.dossiers), pages: num(r.pages) }));
    },

    /** Sampled dossiers of batches under way, checked and not through 质检: what the inspectors face. */
    async awaitingInspection(units: Units) {
      return batchDossiers(units)
        .innerJoin('project_stages as sc', (j) =>
          j.onRef('sc.batch_id', '=', 'bd.batch_id').onRef('sc.dossier_id', '=', 'bd.dossier_id').on('sc.stage', '=', 'check').on('sc.status', '=', 'done'),
        )
        .leftJoin('project_stages as si', (j) =>
          j.onRef('si.batch_id', '=', 'bd.batch_id').onRef('si.dossier_id', '=', 'bd.dossier_id').on('si.stage', '=', 'inspect'),
        )
        .where('b.state', '=', 'in_progress')
        .where('bd.sample_reason', 'is not', null)
        .where((eb) => eb.or([eb('si.status', 'is', null), eb('si.status', '<>', 'done')]))
        .select([
          'bd.batch_id', 'bd.dossier_id', 'bd.sample_reason', 'b.code as batch_code', 'b.sampled_at', 'd.dossier_no', 'c.name as cadre_name',
          'sc.finished_at as checked_at',
        ])
        .orderBy('b.code')
        .orderBy('d.dossier_no')
        .execute();
    },

    /** The inspection rounds of the batches, with their rework, for the dossiers awaiting inspection. */
    async rounds(batchIds: readonly string[]) {
      if (batchIds.length === 0) return [];
      return db
        .selectFrom('project_inspections as i')
        .leftJoin('project_rework as r', 'r.inspection_id', 'i.id')
        .select(['i.id', 'i.batch_id', 'i.dossier_id', 'i.round', 'i.inspector_id', 'i.opened_at', 'i.verdict', 'r.state as rework_state', 'r.submitted_at'])
        .where('i.batch_id', 'in', [...new Set(batchIds)])
        .orderBy('i.round')
        .execute();
    },

    // ---------------------------------------------------------------- users
    async userNames(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
      const list = [...new Set([...ids].filter((x): x is string => !!x))];
      if (list.length === 0) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },
  };
}

export type DashboardRepository = ReturnType<typeof dashboardRepository>;
