import { sql, type Insertable } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { AccessPrintTable, ReadingLogTable, ReadingSessionTable } from '../../platform/db/schema.use.js';
import { withinUnits } from '../../platform/db/scope.js';
import type { Authorized, DataScope } from '../access/access.js';

export type ReadingSessionRow = ReadingSessionTable;

export interface LogFilter {
  userId?: string | undefined;
  dossierId?: string | undefined;
  requestId?: string | undefined;
  /** ISO bounds, from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Reading windows, the page-by-page reading log and prints; only this file and platform/db touch SQL. */
export function readingRepository(db: Executor, kind: DatabaseKind) {
  return {
    async dossier(dossierId: string) {
      return db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .select(['dossiers.id', 'dossiers.dossier_no', 'cadres.name as cadre_name', 'cadres.managing_unit_id'])
        .where('dossiers.id', '=', dossierId)
        .executeTakeFirst();
    },

    async dossiers(ids: string[]) {
      if (ids.length === 0) return [];
      return db
        .selectFrom('dossiers')
        .innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
        .select(['dossiers.id', 'dossiers.dossier_no', 'cadres.name as cadre_name'])
        .where('dossiers.id', 'in', [...new Set(ids)])
        .execute();
    },

    async unitName(unitId: string): Promise<string> {
      return (await db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst())?.name ?? '';
    },

    async requestState(requestId: string) {
      return db.selectFrom('access_requests').select(['state', 'prints_used', 'print_limit']).where('id', '=', requestId).executeTakeFirst();
    },

    async liveMaterials(dossierId: string) {
      return db
        .selectFrom('materials')
        .select(['id', 'class_code', 'piece_no', 'seq', 'name', 'formed_on'])
        .where('dossier_id', '=', dossierId)
        .where('deleted_at', 'is', null)
        .execute();
    },

    /** Live pages linked to the given materials, in page order. */
    async pagesOf(materialIds: string[]) {
      if (materialIds.length === 0) return [];
      return db
        .selectFrom('pages')
        .select(['id', 'material_id', 'page_no', 'web_blob_id'])
        .where('material_id', 'in', materialIds)
        .where('deleted_at', 'is', null)
        .orderBy('material_id')
        .orderBy('page_no')
        .execute();
    },

    /** A page with its material and dossier number, for one page view. */
    async page(pageId: string) {
      return db
        .selectFrom('pages')
        .innerJoin('dossiers', 'dossiers.id', 'pages.dossier_id')
        .leftJoin('materials', 'materials.id', 'pages.material_id')
        .select([
          'pages.id', 'pages.dossier_id', 'pages.material_id', 'pages.page_no', 'pages.web_blob_id', 'pages.deleted_at',
          'materials.class_code', 'materials.name as material_name', 'materials.deleted_at as material_deleted_at', 'dossiers.dossier_no',
        ])
        .where('pages.id', '=', pageId)
        .executeTakeFirst();
    },

    async session(id: string) {
      return db.selectFrom('reading_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Serializes one reader's window changes (SQLite holds its one write lock already). */
    async lockUser(userId: string): Promise<void> {
      await forUpdate(kind, db.selectFrom('users').select('id').where('id', '=', userId)).execute();
    },

    async openSessions(userId: string) {
      return db.selectFrom('reading_sessions').selectAll().where('user_id', '=', userId).where('closed_at', 'is', null).execute();
    },

    async insertSession(row: Insertable<ReadingSessionTable>): Promise<void> {
      await db.insertInto('reading_sessions').values(row).execute();
    },

    async touchSession(id: string, at: string): Promise<void> {
      await db.updateTable('reading_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
    },

    async closeSession(id: string, at: string, reason: string): Promise<boolean> {
      const r = await db
        .updateTable('reading_sessions')
        .set({ closed_at: at, close_reason: reason })
        .where('id', '=', id)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async lastLogRow(sessionId: string) {
      return db
        .selectFrom('reading_log')
        .select(['id', 'viewed_at'])
        .where('reading_session_id', '=', sessionId)
        .orderBy('viewed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    async setDuration(logId: string, durationMs: number): Promise<void> {
      await db.updateTable('reading_log').set({ duration_ms: Math.max(0, Math.round(durationMs)) }).where('id', '=', logId).execute();
    },

    async insertLog(row: Insertable<ReadingLogTable>): Promise<void> {
      await db.insertInto('reading_log').values(row).execute();
    },

    async readingLog(scope: Authorized<DataScope> | null, filter: LogFilter, page: number, pageSize: number) {
      let q = db
        .selectFrom('reading_log as l')
        .innerJoin('users as u', 'u.id', 'l.user_id')
        .innerJoin('access_requests as r', 'r.id', 'l.request_id')
        .innerJoin('dossiers as d', 'd.id', 'l.dossier_id')
        .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
        .innerJoin('materials as m', 'm.id', 'l.material_id')
        .innerJoin('pages as p', 'p.id', 'l.page_id')
        .where(withinUnits('c.managing_unit_id', scope?.unitIds ?? null));
      if (filter.userId) q = q.where('l.user_id', '=', filter.userId);
      if (filter.dossierId) q = q.where('l.dossier_id', '=', filter.dossierId);
      if (filter.requestId) q = q.where('l.request_id', '=', filter.requestId);
      if (filter.from) q = q.where('l.viewed_at', '>=', filter.from);
      if (filter.to) q = q.where('l.viewed_at', '<', filter.to);
      const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await q
        .select([
          'l.id', 'l.viewed_at', 'l.duration_ms', 'l.client_ip', 'l.user_id', 'u.display_name', 'l.request_id', 'r.request_no',
          'l.dossier_id', 'd.dossier_no', 'c.name as cadre_name', 'm.name as material_name', 'm.class_code', 'p.page_no',
        ])
        .orderBy('l.viewed_at', 'desc')
        .orderBy('l.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { rows, total };
    },

    /** The next print serial number of a year; the unique (year, seq) index refuses a concurrent twin. */
    async nextPrintSeq(year: number): Promise<number> {
      const r = await db.selectFrom('access_prints').select(sql<number | null>`max(seq)`.as('m')).where('year', '=', year).executeTakeFirst();
      return Number(r?.m ?? 0) + 1;
    },

    /** Takes one print from the grant, if any is left: the condition is the limit, checked by the database. */
    async takePrint(requestId: string, at: string): Promise<boolean> {
      const r = await db
        .updateTable('access_requests')
        .set({ prints_used: sql<number>`prints_used + 1`, updated_at: at })
        .where('id', '=', requestId)
        .where('state', '=', 'approved')
        .where(sql<boolean>`prints_used < print_limit`)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async insertPrint(row: Insertable<AccessPrintTable>): Promise<void> {
      await db.insertInto('access_prints').values(row).execute();
    },

    async prints(scope: Authorized<DataScope>, filter: { requestId?: string | undefined; userId?: string | undefined }, page: number, pageSize: number) {
      let q = db
        .selectFrom('access_prints as a')
        .innerJoin('users as u', 'u.id', 'a.user_id')
        .innerJoin('access_requests as r', 'r.id', 'a.request_id')
        .innerJoin('dossiers as d', 'd.id', 'a.dossier_id')
        .innerJoin('cadres as c', 'c.id', 'd.cadre_id')
        .where(withinUnits('c.managing_unit_id', scope.unitIds));
      if (filter.requestId) q = q.where('a.request_id', '=', filter.requestId);
      if (filter.userId) q = q.where('a.user_id', '=', filter.userId);
      const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await q
        .select([
          'a.id', 'a.serial_no', 'a.created_at', 'a.user_id', 'u.display_name', 'a.request_id', 'r.request_no', 'a.dossier_id', 'd.dossier_no',
          'c.name as cadre_name', 'a.material_ids', 'a.page_count', 'a.sha256', 'a.client_ip',
        ])
        .orderBy('a.created_at', 'desc')
        .orderBy('a.serial_no', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { rows, total };
    },

    async materialNames(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('materials').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}
