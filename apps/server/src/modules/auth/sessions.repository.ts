import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { SessionTable } from '../../platform/db/schema.js';

export function sessionsRepository(db: Executor) {
  return {
    async byTokenHash(tokenHash: string) {
      return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    async byId(id: string) {
      return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async insert(row: Insertable<SessionTable>): Promise<void> {
      await db.insertInto('sessions').values(row).execute();
    },
    async update(id: string, patch: Updateable<SessionTable>): Promise<void> {
      await db.updateTable('sessions').set(patch).where('id', '=', id).execute();
    },
    async endAllOfUser(userId: string, at: string, reason: string, exceptId?: string): Promise<number> {
      let q = db.updateTable('sessions').set({ ended_at: at, end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null);
      if (exceptId) q = q.where('id', '!=', exceptId);
      const res = await q.executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
    async open(notSeenBefore: string, notExpiredAt: string) {
      return db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id', 'sessions.user_id', 'users.username', 'users.display_name', 'sessions.client_ip',
          'sessions.user_agent', 'sessions.stage', 'sessions.created_at', 'sessions.last_seen_at',
        ])
        .where('sessions.ended_at', 'is', null)
        .where('sessions.last_seen_at', '>=', notSeenBefore)
        .where('sessions.expires_at', '>', notExpiredAt)
        .orderBy('sessions.last_seen_at', 'desc')
        .execute();
    },
  };
}
