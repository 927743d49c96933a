import { sql } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { containsPattern, forUpdate, likeOperator } from '../../platform/db/dialect.js';
import type { AuditEventTable } from '../../platform/db/schema.js';

export interface AuditFilter {
  from?: string;
  to?: string;
  username?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  result?: string;
}

export function auditRepository(db: Executor, kind: DatabaseKind) {
  function filtered(f: AuditFilter) {
    let q = db.selectFrom('audit_events');
    if (f.from) q = q.where('at', '>=', new Date(f.from).toISOString());
    if (f.to) q = q.where('at', '<=', new Date(f.to).toISOString());
    if (f.username) q = q.where(sql<boolean>`${sql.ref('username')} ${sql.raw(likeOperator(kind))} ${containsPattern(f.username)} escape '\\'`);
    if (f.action) q = q.where('action', '=', f.action);
    if (f.objectType) q = q.where('object_type', '=', f.objectType);
    if (f.objectId) q = q.where('object_id', '=', f.objectId);
    if (f.result) q = q.where('result', '=', f.result);
    return q;
  }

  return {
    /** The chain's head, locked for the rest of the transaction so appends are strictly serial. */
    async lockHead(): Promise<{ last_seq: number; last_hash: string }> {
      const row = await forUpdate(kind, db.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1))
        .executeTakeFirstOrThrow();
      return { last_seq: Number(row.last_seq), last_hash: row.last_hash };
    },

    async insert(event: AuditEventTable): Promise<void> {
      await db.insertInto('audit_events').values(event).execute();
      await db.updateTable('audit_head').set({ last_seq: event.seq, last_hash: event.hash }).where('id', '=', 1).execute();
    },

    async head(): Promise<{ last_seq: number; last_hash: string }> {
      const row = await db.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      return { last_seq: Number(row.last_seq), last_hash: row.last_hash };
    },

    async page(f: AuditFilter, offset: number, limit: number): Promise<{ rows: AuditEventTable[]; total: number }> {
      const [rows, count] = await Promise.all([
        filtered(f).selectAll().orderBy('seq', 'desc').offset(offset).limit(limit).execute(),
        filtered(f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map(normalize), total: Number(count.n) };
    },

    /** Events in seq order after `afterSeq`, `limit` at a time: for verifying and exporting. */
    async after(afterSeq: number, limit: number, f: AuditFilter = {}): Promise<AuditEventTable[]> {
      const rows = await filtered(f).selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
      return rows.map(normalize);
    },

    async distinctActions(): Promise<string[]> {
      const rows = await db.selectFrom('audit_events').select('action').distinct().execute();
      return rows.map((r) => r.action);
    },
  };
}

function normalize(row: AuditEventTable): AuditEventTable {
  return { ...row, seq: Number(row.seq) };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
