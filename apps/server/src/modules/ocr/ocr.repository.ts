import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import type { PageTextTable } from '../../platform/db/schema.js';

/** Page text and the OCR columns of the page ledger. */
export function ocrRepository(db: Executor, _kind: DatabaseKind) {
  return {
    async status(pageId: string) {
      return db.selectFrom('page_status').selectAll().where('page_id', '=', pageId).executeTakeFirst();
    },

    async countRun(pageId: string) {
      await db.updateTable('page_status').set({ ocr_runs: sql<number>`ocr_runs + 1` }).where('page_id', '=', pageId).execute();
    },

    /** The ledger says this version was read (never moves backwards). */
    async markRead(pageId: string, version: number, at: string) {
      await db.updateTable('page_status').set({ ocr_version: version, ocr_at: at }).where('page_id', '=', pageId).where('ocr_version', '<', version).execute();
    },

    async upsertText(row: Insertable<PageTextTable>) {
      const { page_id: _id, created_at: _created, ...changes } = row;
      await db
        .insertInto('page_text')
        .values(row)
        .onConflict((oc) => oc.column('page_id').doUpdateSet(changes))
        .execute();
    },

    async text(pageId: string) {
      return db.selectFrom('page_text').selectAll().where('page_id', '=', pageId).executeTakeFirst();
    },

    /** The live pages of a material in page order, with what a PDF page needs. */
    async pdfPagesOfMaterial(materialId: string) {
      return db
        .selectFrom('pages')
        .leftJoin('page_text', 'page_text.page_id', 'pages.id')
        .select(['pages.id', 'pages.page_no', 'pages.master_blob_id', 'pages.dpi', 'page_text.lines'])
        .where('pages.material_id', '=', materialId)
        .where('pages.deleted_at', 'is', null)
        .orderBy('pages.page_no')
        .orderBy('pages.created_at')
        .execute();
    },

    async material(id: string) {
      return db.selectFrom('materials').select(['id', 'dossier_id', 'name', 'class_code', 'piece_no', 'deleted_at']).where('id', '=', id).executeTakeFirst();
    },

    async materialsOfDossier(dossierId: string) {
      return db
        .selectFrom('materials')
        .select(['id', 'name', 'class_code', 'piece_no'])
        .where('dossier_id', '=', dossierId)
        .where('deleted_at', 'is', null)
        .execute();
    },
  };
}
