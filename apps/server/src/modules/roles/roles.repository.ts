import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/connect.js';
import type { RoleTable } from '../../platform/db/schema.js';

export function rolesRepository(db: Executor) {
  return {
    async all() {
      return db.selectFrom('roles').selectAll().orderBy('built_in', 'desc').orderBy('created_at').execute();
    },
    async byId(id: string) {
      return db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async byIds(ids: readonly string[]) {
      if (ids.length === 0) return [];
      return db.selectFrom('roles').selectAll().where('id', 'in', ids).execute();
    },
    async byCode(code: string) {
      return db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst();
    },
    async byName(name: string) {
      return db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst();
    },
    async insert(row: Insertable<RoleTable>): Promise<void> {
      await db.insertInto('roles').values(row).execute();
    },
    async update(id: string, patch: Updateable<RoleTable>): Promise<void> {
      await db.updateTable('roles').set(patch).where('id', '=', id).execute();
    },
    async permissions(roleIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (roleIds.length === 0) return out;
      const rows = await db.selectFrom('role_permissions').selectAll().where('role_id', 'in', roleIds).orderBy('permission').execute();
      for (const r of rows) out.set(r.role_id, [...(out.get(r.role_id) ?? []), r.permission]);
      return out;
    },
    async setPermissions(roleId: string, permissions: readonly string[]): Promise<void> {
      await db.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
      if (permissions.length > 0) {
        await db.insertInto('role_permissions').values(permissions.map((permission) => ({ role_id: roleId, permission }))).execute();
      }
    },
    async userCounts(): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('user_roles')
        .select(['role_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('role_id')
        .execute();
      return new Map(rows.map((r) => [r.role_id, Number(r.n)]));
    },
    async holders(roleId: string): Promise<string[]> {
      const rows = await db.selectFrom('user_roles').select('user_id').where('role_id', '=', roleId).execute();
      return rows.map((r) => r.user_id);
    },
  };
}
