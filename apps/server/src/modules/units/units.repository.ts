import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { UnitTable } from '../../platform/db/schema.js';

export function unitsRepository(db: Executor) {
  return {
    async all() {
      return db.selectFrom('units').selectAll().orderBy('sort_order').orderBy('code').execute();
    },
    async byId(id: string) {
      return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async byIds(ids: readonly string[]) {
      if (ids.length === 0) return [];
      return db.selectFrom('units').selectAll().where('id', 'in', ids).execute();
    },
    async byCode(code: string) {
      return db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
    },
    async insert(row: Insertable<UnitTable>): Promise<void> {
      await db.insertInto('units').values(row).execute();
    },
    async update(id: string, patch: Updateable<UnitTable>): Promise<void> {
      await db.updateTable('units').set(patch).where('id', '=', id).execute();
    },
  };
}
