import type { Updateable, Insertable } from 'kysely';
import { sql } from 'kysely';
import type { DatabaseKind, Executor } from '../../platform/db/connect.js';
import { containsPattern, likeOperator } from '../../platform/db/dialect.js';
import type { UserTable } from '../../platform/db/schema.js';

export interface RoleRefRow {
  id: string;
  code: string;
  name: string;
  sensitive: number;
}

export function usersRepository(db: Executor, kind: DatabaseKind) {
  return {
    async byId(id: string) {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async byUsername(username: string) {
      return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    },
    async insert(row: Insertable<UserTable>): Promise<void> {
      await db.insertInto('users').values(row).execute();
    },
    async update(id: string, patch: Updateable<UserTable>): Promise<void> {
      await db.updateTable('users').set(patch).where('id', '=', id).execute();
    },
    async page(filter: { unitId?: string; q?: string }, offset: number, limit: number) {
      let q = db.selectFrom('users');
      if (filter.unitId) q = q.where('unit_id', '=', filter.unitId);
      if (filter.q) {
        const op = sql.raw(likeOperator(kind));
        const pattern = containsPattern(filter.q);
        q = q.where((eb) =>
          eb.or([
            sql<boolean>`${eb.ref('username')} ${op} ${pattern} escape '\\'`,
            sql<boolean>`${eb.ref('display_name')} ${op} ${pattern} escape '\\'`,
          ]),
        );
      }
      const [rows, count] = await Promise.all([
        q.selectAll().orderBy('username').offset(offset).limit(limit).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    async rolesOf(userIds: readonly string[]): Promise<Map<string, RoleRefRow[]>> {
      const out = new Map<string, RoleRefRow[]>();
      if (userIds.length === 0) return out;
      const rows = await db
        .selectFrom('user_roles')
        .innerJoin('roles', 'roles.id', 'user_roles.role_id')
        .select(['user_roles.user_id', 'roles.id', 'roles.code', 'roles.name', 'roles.sensitive'])
        .where('user_roles.user_id', 'in', userIds)
        .orderBy('roles.code')
        .execute();
      for (const r of rows) {
        const list = out.get(r.user_id) ?? [];
        list.push({ id: r.id, code: r.code, name: r.name, sensitive: r.sensitive });
        out.set(r.user_id, list);
      }
      return out;
    },
    async scopeUnitsOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      if (userIds.length === 0) return out;
      const rows = await db.selectFrom('user_scope_units').selectAll().where('user_id', 'in', userIds).execute();
      for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.unit_id]);
      return out;
    },
    async permissionsOf(userId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('user_roles')
        .innerJoin('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
        .select('role_permissions.permission')
        .distinct()
        .where('user_roles.user_id', '=', userId)
        .execute();
      return rows.map((r) => r.permission);
    },
    async setRoles(userId: string, roleIds: readonly string[]): Promise<void> {
      await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
      if (roleIds.length > 0) {
        await db.insertInto('user_roles').values(roleIds.map((role_id) => ({ user_id: userId, role_id }))).execute();
      }
    },
    async setScopeUnits(userId: string, unitIds: readonly string[]): Promise<void> {
      await db.deleteFrom('user_scope_units').where('user_id', '=', userId).execute();
      if (unitIds.length > 0) {
        await db.insertInto('user_scope_units').values(unitIds.map((unit_id) => ({ user_id: userId, unit_id }))).execute();
      }
    },
    async count(): Promise<number> {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
