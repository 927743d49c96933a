import type { Executor } from '../../platform/db/connect.js';

export function settingsRepository(db: Executor) {
  return {
    async all() {
      return db.selectFrom('settings').selectAll().execute();
    },
    async get(key: string) {
      return db.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst();
    },
    async put(key: string, value: string, at: string, by: string | null): Promise<void> {
      await db
        .insertInto('settings')
        .values({ key, value, updated_at: at, updated_by: by })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at, updated_by: by }))
        .execute();
    },
  };
}
