import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { BlobTable, PageTable, ScanBatchTable, ScanFileTable } from '../../platform/db/schema.js';
import { withinUnits } from '../../platform/db/scope.js';
import type { Authorized, DataScope } from '../access/access.js';

export type PageRow = PageTable;

export function scansRepository(db: Executor, kind: DatabaseKind) {
  return {
    /** The dossier with its cadre, when the scope reaches the cadre's managing unit. */
    async dossier(scope: Authorized<DataScope>, dossierId: string) {
      return db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .select(['dossiers.id', 'dossiers.dossier_no', 'dossiers.state', 'cadres.name as cadre_name', 'cadres.managing_unit_id'])
        .where('dossiers.id', '=', dossierId)
        .where(withinUnits('cadres.managing_unit_id', scope.unitIds))
        .executeTakeFirst();
    },

    /** For console and folder ingest (no user scope): the dossier a file name names. */
    async dossierByNo(dossierNo: string) {
      return db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .select(['dossiers.id', 'dossiers.dossier_no', 'dossiers.state', 'cadres.name as cadre_name', 'cadres.managing_unit_id'])
        .where('dossiers.dossier_no', '=', dossierNo)
        .executeTakeFirst();
    },

    /** For ingest into a dossier already checked (or named by a system batch): no scope here. */
    async dossierById(dossierId: string) {
      return db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .select(['dossiers.id', 'dossiers.dossier_no', 'dossiers.state', 'cadres.name as cadre_name', 'cadres.managing_unit_id'])
        .where('dossiers.id', '=', dossierId)
        .executeTakeFirst();
    },

    async dossierNo(dossierId: string): Promise<string | null> {
      const d = await db.selectFrom('dossiers').select('dossier_no').where('id', '=', dossierId).executeTakeFirst();
      return d?.dossier_no ?? null;
    },

    async pageIdOfFile(fileId: string): Promise<string> {
      return (await db.selectFrom('pages').select('id').where('file_id', '=', fileId).executeTakeFirstOrThrow()).id;
    },

    async pageNumbers(ids: string[]): Promise<Map<string, number | null>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('pages').select(['id', 'page_no']).where('id', 'in', ids).execute();
      return new Map(rows.map((p) => [p.id, p.page_no]));
    },

    async lockDossier(dossierId: string): Promise<void> {
      await forUpdate(kind, db.selectFrom('dossiers').select('id').where('id', '=', dossierId)).execute();
    },

    async insertBatch(row: Insertable<ScanBatchTable>) {
      await db.insertInto('scan_batches').values(row).execute();
    },

    async batch(id: string) {
      return db.selectFrom('scan_batches').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async filesOfBatch(batchId: string) {
      return db.selectFrom('scan_files').selectAll().where('batch_id', '=', batchId).orderBy('created_at').orderBy('id').execute();
    },

    async file(id: string) {
      return db.selectFrom('scan_files').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** The first stored file with these bytes, and the dossier it went to. */
    async storedFileWithBlob(blobId: string) {
      return db
        .selectFrom('scan_files')
        .leftJoin('dossiers', 'dossiers.id', 'scan_files.dossier_id')
        .select(['scan_files.id', 'scan_files.name', 'scan_files.created_at', 'dossiers.dossier_no'])
        .where('scan_files.blob_id', '=', blobId)
        .where('scan_files.status', '=', 'stored')
        .orderBy('scan_files.created_at')
        .executeTakeFirst();
    },

    async insertFile(row: Insertable<ScanFileTable>) {
      await db.insertInto('scan_files').values(row).execute();
    },

    async insertBlob(row: Insertable<BlobTable>) {
      await db.insertInto('blobs').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
    },

    async blob(id: string) {
      return db.selectFrom('blobs').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async pageCountsOfBatch(batchId: string) {
      return db
        .selectFrom('pages')
        .innerJoin('scan_files', 'scan_files.id', 'pages.file_id')
        .select(['pages.status', sql<number>`count(*)`.as('n')])
        .where('scan_files.batch_id', '=', batchId)
        .where('pages.deleted_at', 'is', null)
        .groupBy('pages.status')
        .execute();
    },

    async liveMaterial(dossierId: string, classCode: string, pieceNo: number) {
      return db
        .selectFrom('materials')
        .select(['id', 'name', 'pages'])
        .where('dossier_id', '=', dossierId)
        .where('class_code', '=', classCode)
        .where('piece_no', '=', pieceNo)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
    },

    async materialsOfDossier(dossierId: string) {
      return db
        .selectFrom('materials')
        .select(['id', 'class_code', 'piece_no', 'seq', 'name', 'pages', 'dossier_id'])
        .where('dossier_id', '=', dossierId)
        .where('deleted_at', 'is', null)
        .execute();
    },

    async material(id: string) {
      return db.selectFrom('materials').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async livePagesOfMaterial(materialId: string) {
      return db
        .selectFrom('pages')
        .select(['id', 'page_no'])
        .where('material_id', '=', materialId)
        .where('deleted_at', 'is', null)
        .orderBy('page_no')
        .orderBy('created_at')
        .execute();
    },

    async maxUnlinkedOrder(dossierId: string): Promise<number> {
      const r = await db
        .selectFrom('pages')
        .select(sql<number | null>`max(unlinked_order)`.as('m'))
        .where('dossier_id', '=', dossierId)
        .where('material_id', 'is', null)
        .executeTakeFirst();
      return Number(r?.m ?? 0);
    },

    async pagesOfDossier(dossierId: string) {
      return db
        .selectFrom('pages')
        .innerJoin('scan_files', 'scan_files.id', 'pages.file_id')
        .selectAll('pages')
        .select('scan_files.name as file_name')
        .where('pages.dossier_id', '=', dossierId)
        .where('pages.deleted_at', 'is', null)
        .orderBy('pages.created_at')
        .orderBy('pages.source_page')
        .execute();
    },

    async page(id: string) {
      return db
        .selectFrom('pages')
        .innerJoin('scan_files', 'scan_files.id', 'pages.file_id')
        .selectAll('pages')
        .select(['scan_files.name as file_name', 'scan_files.format as file_format', 'scan_files.size as file_size'])
        .where('pages.id', '=', id)
        .executeTakeFirst();
    },

    async insertPage(row: Insertable<PageTable>, now: string) {
      await db.insertInto('pages').values(row).execute();
      await db
        .insertInto('page_status')
        .values({ page_id: row.id, stored_at: now, processed_version: 0, processed_at: null, process_runs: 0, ocr_version: 0, ocr_at: null, ocr_runs: 0, indexed_version: 0, indexed_at: null })
        .execute();
    },

    async updatePage(id: string, changes: Updateable<PageTable>) {
      await db.updateTable('pages').set(changes).where('id', '=', id).execute();
    },

    /** Writes a processing result only if the page still has the version it was processed for. */
    async updatePageAtVersion(id: string, version: number, changes: Updateable<PageTable>): Promise<boolean> {
      const r = await db.updateTable('pages').set(changes).where('id', '=', id).where('version', '=', version).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async status(pageId: string) {
      return db.selectFrom('page_status').selectAll().where('page_id', '=', pageId).executeTakeFirst();
    },

    async countRun(pageId: string) {
      await db.updateTable('page_status').set({ process_runs: sql<number>`process_runs + 1` }).where('page_id', '=', pageId).execute();
    },

    async markProcessed(pageId: string, version: number, at: string) {
      await db.updateTable('page_status').set({ processed_version: version, processed_at: at }).where('page_id', '=', pageId).execute();
    },
  };
}
