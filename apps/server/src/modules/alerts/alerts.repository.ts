import type { AlertRule, AlertState } from '@dangan/contracts';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { forUpdate } from '../../platform/db/dialect.js';
import type { AlertTable } from '../../platform/db/schema.use.js';
import type { ScanEvent } from './alerts.rules.js';

export interface AlertFilter {
  state?: AlertState;
  rule?: AlertRule;
}

export interface AlertRow extends AlertTable {
  user_name: string | null;
  acknowledged_name: string | null;
  closed_name: string | null;
}

export interface EventRow extends ScanEvent {
  objectType: string | null;
  objectId: string | null;
  objectLabel: string | null;
}

export function alertsRepository(db: Executor, kind: DatabaseKind) {
  const events = () =>
    db.selectFrom('audit_events').select([
      'seq', 'at', 'user_id as userId', 'username', 'client_ip as clientIp', 'roles', 'action', 'result',
      'object_type as objectType', 'object_id as objectId', 'object_label as objectLabel',
    ]);
  const withNames = () =>
    db
      .selectFrom('alerts')
      .leftJoin('users as u', 'u.id', 'alerts.user_id')
      .leftJoin('users as a', 'a.id', 'alerts.acknowledged_by')
      .leftJoin('users as c', 'c.id', 'alerts.closed_by')
      .selectAll('alerts')
      .select(['u.display_name as user_name', 'a.display_name as acknowledged_name', 'c.display_name as closed_name']);

  return {
    /** The scanner's cursor, locked until the transaction ends: two scanners never read the same events. */
    async lockCursor(): Promise<number> {
      const row = await forUpdate(kind, db.selectFrom('alert_cursor').select('last_seq').where('id', '=', 1)).executeTakeFirstOrThrow();
      return Number(row.last_seq);
    },

    async setCursor(seq: number): Promise<void> {
      await db.updateTable('alert_cursor').set({ last_seq: seq }).where('id', '=', 1).execute();
    },

    async eventsAfter(seq: number, limit: number): Promise<EventRow[]> {
      const rows = await events().where('seq', '>', seq).orderBy('seq', 'asc').limit(limit).execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },

    /** Events up to `toSeq` since `fromAt` that the windowed rules count: logins that failed, page views, exports. */
    async windowHistory(fromAt: string, toSeq: number): Promise<ScanEvent[]> {
      const rows = await events()
        .where('seq', '<=', toSeq)
        .where('at', '>=', fromAt)
        .where((eb) =>
          eb.or([
            eb('action', 'in', ['reading.page.view', 'reading.print', 'catalogue.print']),
            eb('action', 'like', '%.export'),
            eb.and([eb('action', 'in', ['auth.login', 'auth.totp']), eb('result', '=', 'failure')]),
          ]),
        )
        .orderBy('seq', 'asc')
        .execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },

    async eventsBySeq(seqs: readonly number[]): Promise<EventRow[]> {
      if (seqs.length === 0) return [];
      const rows = await events().where('seq', 'in', [...seqs]).orderBy('seq', 'asc').execute();
      return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    },

    /** The latest alert of a rule about a subject: the burst a new event may belong to. */
    async latest(rule: AlertRule, subject: string): Promise<AlertTable | undefined> {
      return db.selectFrom('alerts').selectAll().where('rule', '=', rule).where('subject', '=', subject)
        .orderBy('last_seq', 'desc').limit(1).executeTakeFirst();
    },

    async sensitiveRoleCodes(): Promise<string[]> {
      const rows = await db.selectFrom('roles').select('code').where('sensitive', '=', 1).execute();
      return rows.map((r) => r.code);
    },

    async addresses(userIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (userIds.length === 0) return out;
      const rows = await db.selectFrom('user_login_addresses').select(['user_id', 'client_ip'])
        .where('user_id', 'in', [...userIds]).orderBy('first_seen_at').execute();
      for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.client_ip]);
      return out;
    },

    async sawAddress(userId: string, clientIp: string, at: string): Promise<void> {
      await db.insertInto('user_login_addresses')
        .values({ user_id: userId, client_ip: clientIp, first_seen_at: at, last_seen_at: at })
        .onConflict((oc) => oc.columns(['user_id', 'client_ip']).doUpdateSet({ last_seen_at: at }))
        .execute();
    },

    async insert(row: AlertTable): Promise<void> {
      await db.insertInto('alerts').values(row).execute();
    },

    async update(id: string, patch: Partial<AlertTable>): Promise<void> {
      await db.updateTable('alerts').set(patch).where('id', '=', id).execute();
    },

    async lock(id: string): Promise<AlertTable | undefined> {
      return forUpdate(kind, db.selectFrom('alerts').selectAll().where('id', '=', id)).executeTakeFirst();
    },

    async byId(id: string): Promise<AlertRow | undefined> {
      return withNames().where('alerts.id', '=', id).executeTakeFirst();
    },

    async page(f: AlertFilter, offset: number, limit: number): Promise<{ rows: AlertRow[]; total: number }> {
      let q = withNames();
      let c = db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n'));
      if (f.state) {
        q = q.where('alerts.state', '=', f.state);
        c = c.where('state', '=', f.state);
      }
      if (f.rule) {
        q = q.where('alerts.rule', '=', f.rule);
        c = c.where('rule', '=', f.rule);
      }
      const rows = await q.orderBy('alerts.raised_at', 'desc').orderBy('alerts.first_seq', 'desc').offset(offset).limit(limit).execute();
      const count = await c.executeTakeFirstOrThrow();
      return { rows, total: Number(count.n) };
    },

    async countsByState(rule?: AlertRule): Promise<Record<AlertState, number>> {
      let q = db.selectFrom('alerts').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state');
      if (rule) q = q.where('rule', '=', rule);
      const out: Record<AlertState, number> = { new: 0, acknowledged: 0, closed: 0 };
      for (const r of await q.execute()) out[r.state] = Number(r.n);
      return out;
    },
  };
}

export type AlertsRepository = ReturnType<typeof alertsRepository>;
