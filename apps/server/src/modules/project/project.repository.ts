import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { containsPattern, forUpdate, likeOperator } from '../../platform/db/dialect.js';
import { scopeCondition, withinUnits } from '../../platform/db/scope.js';
import type {
  ProjectBatchDossierTable,
  ProjectBatchTable,
  ProjectDefectTable,
  ProjectHandoverItemTable,
  ProjectHandoverTable,
  ProjectInspectionTable,
  ProjectReworkTable,
  ProjectScanExplanationTable,
  ProjectStageEventTable,
  ProjectStageTable,
} from '../../platform/db/schema.project.js';
import type { DataScope } from '../access/access.js';
import { batchVisible } from './project.visibility.js';

export type BatchRow = ProjectBatchTable;
export type BatchDossierRow = ProjectBatchDossierTable;
export type StageRow = ProjectStageTable;
export type HandoverRow = ProjectHandoverTable;
export type InspectionRow = ProjectInspectionTable;
export type ReworkRow = ProjectReworkTable;
export type DefectRow = ProjectDefectTable;

export interface DossierInfo {
  id: string;
  dossier_no: string;
  state: string;
  cadre_name: string;
  managing_unit_id: string;
}

const num = (v: unknown): number => Number(v ?? 0);

/** The project module's queries; every dossier read that serves a user takes his scope's units. */
export function projectRepository(db: Executor, kind: DatabaseKind) {
  const pageQuery = () =>
    db
      .selectFrom('pages')
      .leftJoin('materials', 'materials.id', 'pages.material_id')
      .select(['pages.id', 'pages.dossier_id', 'pages.material_id', 'pages.page_no', 'pages.analysis', 'pages.deleted_at', 'materials.seq as material_seq', 'materials.class_code']);

  return {
    // ---------------------------------------------------------------- batches
    async insertBatch(row: Insertable<ProjectBatchTable>) {
      await db.insertInto('project_batches').values(row).execute();
    },

    async maxSeq(year: number): Promise<number> {
      const r = await db.selectFrom('project_batches').select(sql<number | null>`max(seq)`.as('m')).where('year', '=', year).executeTakeFirst();
      return num(r?.m);
    },

    async batch(id: string) {
      return db.selectFrom('project_batches').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async batchCodes(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('project_batches').select(['id', 'code']).where('id', 'in', [...new Set(ids)]).execute();
      return new Map(rows.map((r) => [r.id, r.code]));
    },

    async lockBatch(id: string) {
      return forUpdate(kind, db.selectFrom('project_batches').selectAll().where('id', '=', id)).executeTakeFirst();
    },

    async updateBatch(id: string, changes: Updateable<ProjectBatchTable>) {
      await db.updateTable('project_batches').set(changes).where('id', '=', id).execute();
    },

    /** Batches of the scope's units, or holding one of its dossiers; newest first. */
    async listBatches(scope: DataScope, filter: { state?: string; q?: string; limit: number; offset: number }) {
      let q = db.selectFrom('project_batches as b').where((eb) => scopeCondition(scope.unitIds, (units) => batchVisible(eb, units)));
      if (filter.state) q = q.where('state', '=', filter.state);
      if (filter.q) {
        const op = sql.raw(likeOperator(kind));
        const pattern = containsPattern(filter.q);
        q = q.where(sql<boolean>`(${sql.ref('code')} ${op} ${pattern} escape '\\' or ${sql.ref('name')} ${op} ${pattern} escape '\\')`);
      }
      const total = num((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n);
      const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
      return { rows, total };
    },

    // ---------------------------------------------------------------- dossiers of batches
    /** Dossiers by id with their cadre; those outside `units` (when given) are left out. */
    async dossiers(ids: readonly string[], units: string[] | null = null): Promise<DossierInfo[]> {
      if (ids.length === 0) return [];
      return db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .select(['dossiers.id', 'dossiers.dossier_no', 'dossiers.state', 'cadres.name as cadre_name', 'cadres.managing_unit_id'])
        .where('dossiers.id', 'in', [...ids])
        .where(withinUnits('cadres.managing_unit_id', units))
        .orderBy('dossiers.dossier_no')
        .execute();
    },

    async lockDossier(dossierId: string) {
      await forUpdate(kind, db.selectFrom('dossiers').select('id').where('id', '=', dossierId)).execute();
    },

    async setDossierState(dossierId: string, state: string, now: string) {
      await db.updateTable('dossiers').set({ state, updated_at: now }).where('id', '=', dossierId).execute();
    },

    async batchDossiers(batchId: string) {
      return db.selectFrom('project_batch_dossiers').selectAll().where('batch_id', '=', batchId).orderBy('added_at').orderBy('dossier_id').execute();
    },

    async batchDossier(batchId: string, dossierId: string) {
      return db.selectFrom('project_batch_dossiers').selectAll().where('batch_id', '=', batchId).where('dossier_id', '=', dossierId).executeTakeFirst();
    },

    async batchDossierByRun(runId: string) {
      return db.selectFrom('project_batch_dossiers').selectAll().where('check_run_id', '=', runId).executeTakeFirst();
    },

    /** The open batch each of these dossiers is in, if any. */
    async openBatchesOf(dossierIds: readonly string[]) {
      if (dossierIds.length === 0) return [];
      return db
        .selectFrom('project_batch_dossiers as bd')
        .innerJoin('project_batches as b', 'b.id', 'bd.batch_id')
        .select(['bd.dossier_id', 'b.id as batch_id', 'b.code'])
        .where('bd.open_dossier_id', 'in', [...dossierIds])
        .execute();
    },

    async insertBatchDossier(row: Insertable<ProjectBatchDossierTable>) {
      await db.insertInto('project_batch_dossiers').values(row).execute();
    },

    async updateBatchDossier(batchId: string, dossierId: string, changes: Updateable<ProjectBatchDossierTable>) {
      await db.updateTable('project_batch_dossiers').set(changes).where('batch_id', '=', batchId).where('dossier_id', '=', dossierId).execute();
    },

    async releaseDossiers(batchId: string) {
      await db.updateTable('project_batch_dossiers').set({ open_dossier_id: null }).where('batch_id', '=', batchId).execute();
    },

    async deleteBatchDossier(batchId: string, dossierId: string) {
      await db.deleteFrom('project_stages').where('batch_id', '=', batchId).where('dossier_id', '=', dossierId).execute();
      await db.deleteFrom('project_batch_dossiers').where('batch_id', '=', batchId).where('dossier_id', '=', dossierId).execute();
    },

    /** Per batch: dossiers, catalogue materials and pages. */
    async batchTotals(batchIds: readonly string[]) {
      if (batchIds.length === 0) return [];
      return db
        .selectFrom('project_batch_dossiers as bd')
        .leftJoin('materials as m', (j) => j.onRef('m.dossier_id', '=', 'bd.dossier_id').on('m.deleted_at', 'is', null))
        .select([
          'bd.batch_id',
          sql<number>`count(distinct bd.dossier_id)`.as('dossiers'),
          sql<number>`count(m.id)`.as('materials'),
          sql<number>`coalesce(sum(m.pages), 0)`.as('pages'),
        ])
        .where('bd.batch_id', 'in', [...batchIds])
        .groupBy('bd.batch_id')
        .execute();
    },

    /** The catalogue's counts per dossier: live materials and the sum of their 页数. */
    async catalogueCounts(dossierIds: readonly string[]): Promise<Map<string, { materials: number; pages: number }>> {
      if (dossierIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('materials')
        .select(['dossier_id', sql<number>`count(*)`.as('materials'), sql<number>`coalesce(sum(pages), 0)`.as('pages')])
        .where('dossier_id', 'in', [...dossierIds])
        .where('deleted_at', 'is', null)
        .groupBy('dossier_id')
        .execute();
      return new Map(rows.map((r) => [r.dossier_id, { materials: num(r.materials), pages: num(r.pages) }]));
    },

    /** Live (not deleted) pages per dossier. */
    async scannedCounts(dossierIds: readonly string[]): Promise<Map<string, number>> {
      if (dossierIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('pages')
        .select(['dossier_id', sql<number>`count(*)`.as('n')])
        .where('dossier_id', 'in', [...dossierIds])
        .where('deleted_at', 'is', null)
        .groupBy('dossier_id')
        .execute();
      return new Map(rows.map((r) => [r.dossier_id, num(r.n)]));
    },

    async pageStatusCounts(dossierId: string) {
      const rows = await db
        .selectFrom('pages')
        .select(['status', sql<number>`count(*)`.as('n')])
        .where('dossier_id', '=', dossierId)
        .where('deleted_at', 'is', null)
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status, num(r.n)])) as Partial<Record<'pending' | 'processing' | 'processed' | 'failed', number>>;
    },

    async unlinkedPages(dossierId: string): Promise<number> {
      const r = await db
        .selectFrom('pages')
        .select(sql<number>`count(*)`.as('n'))
        .where('dossier_id', '=', dossierId)
        .where('material_id', 'is', null)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return num(r?.n);
    },

    /** Each live material of the dossier with its catalogue 页数 and its linked live pages. */
    async scanCounts(dossierId: string) {
      return db
        .selectFrom('materials as m')
        .leftJoin('pages as p', (j) => j.onRef('p.material_id', '=', 'm.id').on('p.deleted_at', 'is', null))
        .select(['m.id', 'm.class_code', 'm.piece_no', 'm.seq', 'm.name', 'm.pages', sql<number>`count(p.id)`.as('scanned')])
        .where('m.dossier_id', '=', dossierId)
        .where('m.deleted_at', 'is', null)
        .groupBy(['m.id', 'm.class_code', 'm.piece_no', 'm.seq', 'm.name', 'm.pages'])
        .orderBy('m.class_code')
        .orderBy('m.piece_no')
        .execute();
    },

    async material(id: string) {
      return db.selectFrom('materials').select(['id', 'dossier_id', 'class_code', 'seq', 'name', 'pages', 'deleted_at']).where('id', '=', id).executeTakeFirst();
    },

    async page(id: string) {
      return pageQuery().where('pages.id', '=', id).executeTakeFirst();
    },

    async pagesByIds(ids: readonly string[]) {
      if (ids.length === 0) return [];
      return pageQuery().where('pages.id', 'in', [...new Set(ids)]).execute();
    },

    async materialsByIds(ids: readonly string[]) {
      if (ids.length === 0) return [];
      return db.selectFrom('materials').select(['id', 'dossier_id', 'class_code', 'seq', 'name', 'pages', 'deleted_at']).where('id', 'in', [...new Set(ids)]).execute();
    },

    // ---------------------------------------------------------------- scan register
    async insertScanExplanation(row: Insertable<ProjectScanExplanationTable>) {
      await db.insertInto('project_scan_explanations').values(row).execute();
    },

    async scanExplanations(batchId: string, dossierId: string) {
      return db
        .selectFrom('project_scan_explanations')
        .selectAll()
        .where('batch_id', '=', batchId)
        .where('dossier_id', '=', dossierId)
        .orderBy('at')
        .orderBy('id')
        .execute();
    },

    // ---------------------------------------------------------------- stages
    async insertStages(rows: Insertable<ProjectStageTable>[]) {
      if (rows.length > 0) await db.insertInto('project_stages').values(rows).execute();
    },

    async stagesOfBatches(batchIds: readonly string[]) {
      if (batchIds.length === 0) return [];
      return db.selectFrom('project_stages').select(['batch_id', 'dossier_id', 'stage', 'status']).where('batch_id', 'in', [...batchIds]).execute();
    },

    async stages(batchId: string, dossierId?: string) {
      let q = db.selectFrom('project_stages').selectAll().where('batch_id', '=', batchId);
      if (dossierId) q = q.where('dossier_id', '=', dossierId);
      return q.execute();
    },

    async updateStage(batchId: string, dossierId: string, stage: string, changes: Updateable<ProjectStageTable>) {
      await db.updateTable('project_stages').set(changes).where('batch_id', '=', batchId).where('dossier_id', '=', dossierId).where('stage', '=', stage).execute();
    },

    async insertStageEvent(row: Insertable<ProjectStageEventTable>) {
      await db.insertInto('project_stage_events').values(row).execute();
    },

    async stageEvents(batchId: string) {
      return db.selectFrom('project_stage_events').selectAll().where('batch_id', '=', batchId).orderBy('at').orderBy('id').execute();
    },

    // ---------------------------------------------------------------- hand-overs
    async insertHandover(row: Insertable<ProjectHandoverTable>, items: Insertable<ProjectHandoverItemTable>[]) {
      await db.insertInto('project_handovers').values(row).execute();
      if (items.length > 0) await db.insertInto('project_handover_items').values(items).execute();
    },

    async handover(id: string) {
      return db.selectFrom('project_handovers').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async lockHandover(id: string) {
      return forUpdate(kind, db.selectFrom('project_handovers').selectAll().where('id', '=', id)).executeTakeFirst();
    },

    async updateHandover(id: string, changes: Updateable<ProjectHandoverTable>) {
      await db.updateTable('project_handovers').set(changes).where('id', '=', id).execute();
    },

    async handovers(batchId: string) {
      return db.selectFrom('project_handovers').selectAll().where('batch_id', '=', batchId).orderBy('created_at').orderBy('id').execute();
    },

    async handoverItems(handoverIds: readonly string[]) {
      if (handoverIds.length === 0) return [];
      return db.selectFrom('project_handover_items').selectAll().where('handover_id', 'in', [...handoverIds]).execute();
    },

    // ---------------------------------------------------------------- inspections, defects, rework
    async insertInspection(row: Insertable<ProjectInspectionTable>) {
      await db.insertInto('project_inspections').values(row).execute();
    },

    async inspection(id: string) {
      return db.selectFrom('project_inspections').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The round of each inspection. */
    async rounds(ids: readonly string[]): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('project_inspections').select(['id', 'round']).where('id', 'in', [...new Set(ids)]).execute();
      return new Map(rows.map((r) => [r.id, num(r.round)]));
    },

    async lockInspection(id: string) {
      return forUpdate(kind, db.selectFrom('project_inspections').selectAll().where('id', '=', id)).executeTakeFirst();
    },

    async updateInspection(id: string, changes: Updateable<ProjectInspectionTable>) {
      await db.updateTable('project_inspections').set(changes).where('id', '=', id).execute();
    },

    async inspections(batchId: string, dossierId?: string) {
      let q = db.selectFrom('project_inspections').selectAll().where('batch_id', '=', batchId);
      if (dossierId) q = q.where('dossier_id', '=', dossierId);
      return q.orderBy('dossier_id').orderBy('round').execute();
    },

    async insertDefect(row: Insertable<ProjectDefectTable>) {
      await db.insertInto('project_defects').values(row).execute();
    },

    async defect(id: string) {
      return db.selectFrom('project_defects').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async deleteDefect(id: string) {
      await db.deleteFrom('project_defects').where('id', '=', id).execute();
    },

    async updateDefect(id: string, changes: Updateable<ProjectDefectTable>) {
      await db.updateTable('project_defects').set(changes).where('id', '=', id).execute();
    },

    async assignDefects(inspectionId: string, reworkId: string) {
      await db.updateTable('project_defects').set({ rework_id: reworkId }).where('inspection_id', '=', inspectionId).execute();
    },

    async defectsOf(by: { inspectionId?: string; reworkId?: string; batchId?: string }) {
      let q = db.selectFrom('project_defects').selectAll();
      if (by.inspectionId) q = q.where('inspection_id', '=', by.inspectionId);
      if (by.reworkId) q = q.where('rework_id', '=', by.reworkId);
      if (by.batchId) q = q.where('batch_id', '=', by.batchId);
      return q.orderBy('created_at').orderBy('id').execute();
    },

    async insertRework(row: Insertable<ProjectReworkTable>) {
      await db.insertInto('project_rework').values(row).execute();
    },

    async rework(id: string) {
      return db.selectFrom('project_rework').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async lockRework(id: string) {
      return forUpdate(kind, db.selectFrom('project_rework').selectAll().where('id', '=', id)).executeTakeFirst();
    },

    async updateRework(id: string, changes: Updateable<ProjectReworkTable>) {
      await db.updateTable('project_rework').set(changes).where('id', '=', id).execute();
    },

    async reworkList(filter: { batchId?: string; dossierId?: string; assigneeId?: string; states?: string[] }) {
      let q = db.selectFrom('project_rework').selectAll();
      if (filter.batchId) q = q.where('batch_id', '=', filter.batchId);
      if (filter.dossierId) q = q.where('dossier_id', '=', filter.dossierId);
      if (filter.assigneeId) q = q.where('assignee_id', '=', filter.assigneeId);
      if (filter.states) q = q.where('state', 'in', filter.states);
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    },

    async defectCounts(column: 'inspection_id' | 'rework_id', ids: readonly string[]) {
      if (ids.length === 0) return new Map<string, { total: number; fixed: number }>();
      const rows = await db
        .selectFrom('project_defects')
        .select([`${column} as key`, sql<number>`count(*)`.as('total'), sql<number>`count(fixed_at)`.as('fixed')])
        .where(column, 'in', [...ids])
        .groupBy(column)
        .execute();
      return new Map(rows.map((r) => [r.key as string, { total: num(r.total), fixed: num(r.fixed) }]));
    },

    // ---------------------------------------------------------------- users
    async userNames(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
      const list = [...new Set([...ids].filter((x): x is string => !!x))];
      if (list.length === 0) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    async activeUser(id: string) {
      return db.selectFrom('users').select(['id', 'display_name', 'username']).where('id', '=', id).where('disabled', '=', 0).executeTakeFirst();
    },

    async permissionsOf(userId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('user_roles')
        .innerJoin('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
        .select('role_permissions.permission')
        .where('user_roles.user_id', '=', userId)
        .execute();
      return new Set(rows.map((r) => r.permission));
    },

    /** Active users holding one of the permissions, with their role names. */
    async usersWith(permissions: readonly string[]) {
      return db
        .selectFrom('users')
        .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .select(['users.id', 'users.display_name', 'users.username', 'roles.name as role_name', 'roles.id as role_id'])
        .where('users.disabled', '=', 0)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('role_permissions')
              .select('role_permissions.role_id')
              .whereRef('role_permissions.role_id', '=', 'roles.id')
              .where('role_permissions.permission', 'in', [...permissions]),
          ),
        )
        .orderBy('users.display_name')
        .execute();
    },
  };
}

export type ProjectRepository = ReturnType<typeof projectRepository>;
