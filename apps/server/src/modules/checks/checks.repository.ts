import type { Insertable, Updateable } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { CheckFindingTable, CheckRunTable } from '../../platform/db/schema.checks.js';
import { withinUnits } from '../../platform/db/scope.js';
import type { Authorized, DataScope } from '../access/access.js';

/** Ids per `in (…)` list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function checksRepository(db: Executor, kind: DatabaseKind) {
  const dossierQuery = () =>
    db
      .selectFrom('dossiers')
      .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
      .select(['dossiers.id', 'dossiers.dossier_no', 'dossiers.state', 'cadres.name as cadre_name', 'cadres.managing_unit_id']);

  return {
    /** The dossier with its cadre, when the scope reaches the cadre's managing unit. */
    async dossier(scope: Authorized<DataScope>, dossierId: string) {
      return dossierQuery()
        .where('dossiers.id', '=', dossierId)
        .where(withinUnits('cadres.managing_unit_id', scope.unitIds))
        .executeTakeFirst();
    },

    /** Those of `ids` whose cadre's managing unit the scope reaches. */
    async visibleDossierIds(scope: Authorized<DataScope>, ids: readonly string[]): Promise<Set<string>> {
      if (scope.unitIds === null) return new Set(ids);
      const units = [...scope.unitIds];
      const out = new Set<string>();
      if (units.length === 0) return out;
      for (const part of chunks(ids)) {
        const rows = await dossierQuery().where('dossiers.id', 'in', part).where('cadres.managing_unit_id', 'in', units).execute();
        for (const r of rows) out.add(r.id);
      }
      return out;
    },

    /** For the job and the project module, which have checked access themselves. */
    async dossierById(dossierId: string) {
      return dossierQuery().where('dossiers.id', '=', dossierId).executeTakeFirst();
    },

    async dossierNos(ids: readonly string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (const part of chunks(ids)) {
        for (const r of await db.selectFrom('dossiers').select(['id', 'dossier_no']).where('id', 'in', part).execute()) out.set(r.id, r.dossier_no);
      }
      return out;
    },

    async insertRun(row: Insertable<CheckRunTable>): Promise<void> {
      await db.insertInto('check_runs').values(row).execute();
    },

    async run(id: string) {
      return db.selectFrom('check_runs').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async lockRun(id: string) {
      return forUpdate(kind, db.selectFrom('check_runs').selectAll().where('id', '=', id)).executeTakeFirst();
    },

    async updateRun(id: string, changes: Updateable<CheckRunTable>): Promise<void> {
      await db.updateTable('check_runs').set(changes).where('id', '=', id).execute();
    },

    async latestRunOf(dossierId: string) {
      return db
        .selectFrom('check_runs')
        .selectAll()
        .where('dossier_id', '=', dossierId)
        .orderBy('requested_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** The latest run of each dossier that has one (ids are time-ordered, so they break ties). */
    async latestRuns(dossierIds: readonly string[]) {
      const latest = new Map<string, CheckRunTable>();
      for (const part of chunks([...new Set(dossierIds)])) {
        const rows = await db
          .selectFrom('check_runs')
          .selectAll()
          .where('dossier_id', 'in', part)
          .orderBy('dossier_id')
          .orderBy('requested_at', 'desc')
          .orderBy('id', 'desc')
          .execute();
        for (const r of rows) if (!latest.has(r.dossier_id)) latest.set(r.dossier_id, r);
      }
      return latest;
    },

    /** A run's findings are replaced whole, so running it again never doubles them. */
    async replaceFindings(runId: string, rows: readonly CheckFindingTable[]): Promise<void> {
      await db.deleteFrom('check_findings').where('run_id', '=', runId).execute();
      for (let i = 0; i < rows.length; i += 50) await db.insertInto('check_findings').values(rows.slice(i, i + 50)).execute();
    },

    async findings(runId: string) {
      return db.selectFrom('check_findings').selectAll().where('run_id', '=', runId).orderBy('position').execute();
    },

    /** Every live page of the dossier, with its file's name and which version was processed. */
    async livePages(dossierId: string) {
      return db
        .selectFrom('pages')
        .innerJoin('scan_files', 'scan_files.id', 'pages.file_id')
        .innerJoin('page_status', 'page_status.page_id', 'pages.id')
        .select([
          'pages.id', 'pages.dossier_id', 'pages.material_id', 'pages.page_no', 'pages.unlinked_order', 'pages.source_page', 'pages.status',
          'pages.error_message', 'pages.version', 'pages.ops', 'pages.analysis', 'pages.steps', 'pages.skew_deg', 'pages.blank', 'pages.blurry',
          'pages.blur_score', 'pages.dpi', 'pages.color_mode', 'pages.edge_cut', 'pages.phash', 'pages.web_blob_id', 'pages.created_at',
          'scan_files.name as file_name', 'page_status.processed_version',
        ])
        .where('pages.dossier_id', '=', dossierId)
        .where('pages.deleted_at', 'is', null)
        .orderBy('pages.created_at')
        .orderBy('pages.id')
        .execute();
    },

    /** The dossier's materials, deleted ones too (pages may still point at them). */
    async materials(dossierId: string) {
      return db
        .selectFrom('materials')
        .select(['id', 'dossier_id', 'class_code', 'piece_no', 'seq', 'name', 'pages', 'deleted_at'])
        .where('dossier_id', '=', dossierId)
        .execute();
    },

    /** Processed, inked, hashed live pages of other dossiers: what a page of this one is compared with. */
    async comparablePages(dossierIds: readonly string[]) {
      const out = [];
      for (const part of chunks(dossierIds)) {
        const rows = await db
          .selectFrom('pages')
          .innerJoin('scan_files', 'scan_files.id', 'pages.file_id')
          .innerJoin('page_status', 'page_status.page_id', 'pages.id')
          .innerJoin('dossiers', 'dossiers.id', 'pages.dossier_id')
          .leftJoin('materials', 'materials.id', 'pages.material_id')
          .select([
            'pages.id', 'pages.dossier_id', 'dossiers.dossier_no', 'pages.material_id', 'materials.seq as material_seq',
            'materials.name as material_name', 'pages.page_no', 'pages.unlinked_order', 'pages.source_page', 'pages.phash', 'pages.web_blob_id', 'scan_files.name as file_name',
          ])
          .where('pages.dossier_id', 'in', part)
          .where('pages.deleted_at', 'is', null)
          .where('pages.status', '=', 'processed')
          .whereRef('page_status.processed_version', '=', 'pages.version')
          .where('pages.blank', '=', 0)
          .where('pages.phash', 'is not', null)
          .orderBy('pages.dossier_id')
          .orderBy('pages.created_at')
          .execute();
        out.push(...rows);
      }
      return out;
    },
  };
}
