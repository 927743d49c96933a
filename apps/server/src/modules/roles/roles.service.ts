import {
  ALL_PERMISSIONS, BUILT_IN_ROLES, PERMISSIONS, checkSeparationOfDuties, describeViolation, dutyOf, isPermission,
  missingToGrant, type Permission,
} from '@dangan/domain';
import type { Role } from '@dangan/contracts';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { bool, forUpdate, fromBool, orConflict } from '../../platform/db/dialect.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { sessionsRepository } from '../auth/sessions.repository.js';
import { usersRepository } from '../users/users.repository.js';
import { rolesRepository } from './roles.repository.js';

export interface RoleInput {
  code: string;
  name: string;
  description: string;
  permissions: Permission[];
  sensitive: boolean;
}

export class RolesService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  permissionCatalogue() {
    return ALL_PERMISSIONS.map((code) => {
      const def: { label: string; group: string; duty?: 'system' | 'security' | 'audit' } = PERMISSIONS[code];
      return { code, label: def.label, group: def.group, duty: def.duty ?? null };
    });
  }

  async list(executor: Executor = this.db): Promise<Role[]> {
    const repo = rolesRepository(executor);
    const rows = await repo.all();
    const perms = await repo.permissions(rows.map((r) => r.id));
    const counts = await repo.userCounts();
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      permissions: (perms.get(r.id) ?? []).filter(isPermission),
      sensitive: fromBool(r.sensitive),
      builtIn: fromBool(r.built_in),
      userCount: counts.get(r.id) ?? 0,
    }));
  }

  async create(actor: Actor, input: RoleInput): Promise<Role> {
    const permissions = [...new Set(input.permissions)].sort();
    this.assertRoleRules(actor, permissions);
    return this.db.transaction().execute(async (trx) => {
      const repo = rolesRepository(trx);
      if (await repo.byCode(input.code)) throw conflict('ROLE_CODE_TAKEN', `角色代码「${input.code}」已存在`, { code: '已存在' });
      if (await repo.byName(input.name)) throw conflict('ROLE_NAME_TAKEN', `角色名称「${input.name}」已存在`, { name: '已存在' });
      const now = this.clock.now().toISOString();
      const id = newId();
      await orConflict(
        repo.insert({
          id, code: input.code, name: input.name, description: input.description, sensitive: bool(input.sensitive || hasDuty(permissions)),
          built_in: 0, created_at: now, updated_at: now,
        }),
        () => conflict('ROLE_CODE_TAKEN', `角色代码或名称已存在`, { code: '已存在' }),
      );
      await repo.setPermissions(id, permissions);
      await this.audit.append(trx, actor.audit, {
        action: 'role.create', objectType: 'role', objectId: id, objectLabel: input.name,
        detail: { after: { ...input, permissions } },
      });
      return this.one(trx, id);
    });
  }

  async update(actor: Actor, id: string, patch: Partial<Omit<RoleInput, 'code'>>): Promise<Role> {
    return this.db.transaction().execute(async (trx) => {
      const repo = rolesRepository(trx);
      await forUpdate(this.kind, trx.selectFrom('roles').select('id').where('id', '=', id)).execute();
      const before = await this.one(trx, id);
      if (before.builtIn) throw conflict('ROLE_BUILT_IN', `「${before.name}」是内置角色，不能修改；可新建自定义角色`);
      if (patch.name && patch.name !== before.name && (await repo.byName(patch.name))) {
        throw conflict('ROLE_NAME_TAKEN', `角色名称「${patch.name}」已存在`, { name: '已存在' });
      }
      const permissions = patch.permissions ? [...new Set(patch.permissions)].sort() : before.permissions;
      // The actor must be able to grant both what the role had and what it will have.
      this.assertRoleRules(actor, permissions);
      this.assertGrantable(actor, before.permissions);
      if (patch.permissions) await this.assertHoldersStaySeparated(trx, id, permissions);
      await repo.update(id, {
        name: patch.name ?? before.name,
        description: patch.description ?? before.description,
        sensitive: bool((patch.sensitive ?? before.sensitive) || hasDuty(permissions)),
        updated_at: this.clock.now().toISOString(),
      });
      if (patch.permissions) await repo.setPermissions(id, permissions);
      const after = await this.one(trx, id);
      if (after.sensitive && !before.sensitive) {
        const now = this.clock.now().toISOString();
        for (const userId of await repo.holders(id)) await sessionsRepository(trx).endAllOfUser(userId, now, '角色已变更');
      }
      await this.audit.append(trx, actor.audit, {
        action: 'role.update', objectType: 'role', objectId: id, objectLabel: after.name,
        detail: { before: roleSummary(before), after: roleSummary(after) },
      });
      return after;
    });
  }

  /** Built-in roles follow the code: created when missing, their permissions reset to the catalogue's. */
  async syncBuiltIns(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const repo = rolesRepository(trx);
      const now = this.clock.now().toISOString();
      for (const def of BUILT_IN_ROLES) {
        const existing = await repo.byCode(def.code);
        const id = existing?.id ?? newId();
        if (!existing) {
          await repo.insert({
            id, code: def.code, name: def.name, description: def.description, sensitive: bool(def.sensitive),
            built_in: 1, created_at: now, updated_at: now,
          });
        } else {
          await repo.update(id, { name: def.name, description: def.description, sensitive: bool(def.sensitive), built_in: 1 });
        }
        await repo.setPermissions(id, def.permissions);
      }
    });
  }

  async one(executor: Executor, id: string): Promise<Role> {
    const role = (await this.list(executor)).find((r) => r.id === id);
    if (!role) throw notFound('ROLE_NOT_FOUND', '角色不存在');
    return role;
  }

  private assertRoleRules(actor: Actor, permissions: Permission[]): void {
    const violation = checkSeparationOfDuties(permissions);
    if (violation) throw conflict('SEPARATION_OF_DUTIES', describeViolation(violation), { permissions: describeViolation(violation) });
    this.assertGrantable(actor, permissions);
  }

  private assertGrantable(actor: Actor, permissions: Iterable<Permission>): void {
    const missing = missingToGrant(actor.permissions, permissions);
    if (missing.length > 0) {
      throw forbidden('GRANT_EXCEEDS_OWN', `不能授予本人不具有的管理权限：${missing.map((p) => PERMISSIONS[p].label).join('、')}`);
    }
  }

  private async assertHoldersStaySeparated(trx: Executor, roleId: string, permissions: Permission[]): Promise<void> {
    const repo = rolesRepository(trx);
    const users = usersRepository(trx, this.kind);
    const holders = await repo.holders(roleId);
    const rolesByUser = await users.rolesOf(holders);
    const otherRoleIds = [...new Set([...rolesByUser.values()].flat().map((r) => r.id))].filter((r) => r !== roleId);
    const permsByRole = await repo.permissions(otherRoleIds);
    for (const userId of holders) {
      const union = new Set<Permission>(permissions);
      for (const r of rolesByUser.get(userId) ?? []) {
        if (r.id !== roleId) for (const p of permsByRole.get(r.id) ?? []) if (isPermission(p)) union.add(p);
      }
      const violation = checkSeparationOfDuties(union);
      if (violation) {
        const user = await users.byId(userId);
        throw conflict('SEPARATION_OF_DUTIES', `修改后用户「${user?.display_name ?? userId}」将违反${describeViolation(violation)}`);
      }
    }
  }
}

/** A role that carries any officer duty always requires two-factor login (等保: 管理员双因素). */
function hasDuty(permissions: readonly Permission[]): boolean {
  return permissions.some((p) => dutyOf(p) !== undefined);
}

function roleSummary(r: Role) {
  return { name: r.name, description: r.description, sensitive: r.sensitive, permissions: r.permissions };
}
