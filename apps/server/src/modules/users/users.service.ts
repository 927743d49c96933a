import {
  PERMISSIONS, calendarDateAt, checkIdNumber, checkSeparationOfDuties, describeViolation, dutyOf, isPermission, missingToGrant,
  type Permission, type ScopeKind,
} from '@dangan/domain';
import type { User } from '@dangan/contracts';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { bool, forUpdate, fromBool, orConflict } from '../../platform/db/dialect.js';
import type { UserTable } from '../../platform/db/schema.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { parseDateField } from '../catalogue/dates.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import type { AuditContext, AuditLog } from '../audit/audit.log.js';
import type { AuthService } from '../auth/auth.service.js';
import { hashPassword } from '../auth/password-hasher.js';
import { sessionsRepository } from '../auth/sessions.repository.js';
import { rolesRepository } from '../roles/roles.repository.js';
import { unitsRepository } from '../units/units.repository.js';
import { usersRepository } from './users.repository.js';

export interface NewUser {
  username: string;
  displayName: string;
  unitId: string;
  password: string;
  roleIds: string[];
  scope: { kind: ScopeKind; unitIds: string[] };
  clearance: string | null;
  /** The user's own identity, so 回避 can match him against cadres and their families. */
  idNumber?: string | null;
  birthDate?: string | null;
}

export interface UserPatch {
  displayName?: string;
  unitId?: string;
  scope?: { kind: ScopeKind; unitIds: string[] };
  clearance?: string | null;
  disabled?: boolean;
  idNumber?: string | null;
  birthDate?: string | null;
}

/**
 * Who grants: an actor with the authority of the console (the `dangan` command) may do anything here;
 * a signed-in actor is held to the separation of duties and may not give authority he lacks.
 */
export type Grantor = { kind: 'actor'; actor: Actor } | { kind: 'console'; audit: AuditContext };

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly auth: AuthService,
  ) {}

  async list(filter: { unitId?: string; q?: string }, page: number, pageSize: number) {
    const repo = usersRepository(this.db, this.kind);
    const { rows, total } = await repo.page(filter, (page - 1) * pageSize, pageSize);
    return { items: await this.views(this.db, rows), total };
  }

  async get(id: string, executor: Executor = this.db): Promise<User> {
    const row = await usersRepository(executor, this.kind).byId(id);
    if (!row) throw notFound('USER_NOT_FOUND', '用户不存在');
    const [view] = await this.views(executor, [row]);
    return view!;
  }

  async create(grantor: Grantor, input: NewUser): Promise<User> {
    await this.auth.assertAcceptable(input.username, input.password);
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      const repo = usersRepository(trx, this.kind);
      if (await repo.byUsername(input.username)) {
        throw conflict('USERNAME_TAKEN', `用户名「${input.username}」已被使用`, { username: '已被使用' });
      }
      await this.assertUnit(trx, input.unitId, 'unitId');
      await this.assertScope(trx, input.scope);
      await this.assertClearance(trx, input.clearance);
      const identity = this.identity(input, null);
      const roleIds = [...new Set(input.roleIds)];
      await this.assertRoles(trx, grantor, roleIds, roleIds);
      const now = this.clock.now().toISOString();
      const row: UserTable = {
        id: newId(), username: input.username, display_name: input.displayName, unit_id: input.unitId,
        password_hash: passwordHash, must_change_password: 1, password_changed_at: now, failed_logins: 0,
        locked_until: null, disabled: 0, totp_secret: null, totp_pending_secret: null, totp_last_step: null,
        scope_kind: input.scope.kind, clearance: input.clearance, last_login_at: null, last_login_ip: null,
        id_number: identity.id_number ?? null, birth_date: identity.birth_date ?? null,
        created_at: now, updated_at: now,
      };
      await orConflict(repo.insert(row), () => conflict('USERNAME_TAKEN', `用户名「${input.username}」已被使用`, { username: '已被使用' }));
      await repo.setRoles(row.id, roleIds);
      await repo.setScopeUnits(row.id, scopeUnitIds(input.scope));
      const after = await this.get(row.id, trx);
      await this.audit.append(trx, auditOf(grantor), {
        action: 'user.create', objectType: 'user', objectId: row.id, objectLabel: row.username, detail: { after: summary(after) },
      });
      return after;
    });
  }

  async update(actor: Actor, id: string, patch: UserPatch): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      const repo = usersRepository(trx, this.kind);
      const before = await this.get(id, trx);
      if (patch.disabled !== undefined && patch.disabled !== before.disabled) {
        if (id === actor.userId) throw forbidden('SELF_DISABLE', '不能停用本人账号');
        await this.assertCanManage(trx, actor, id);
      }
      if (patch.unitId) await this.assertUnit(trx, patch.unitId, 'unitId');
      if (patch.scope) await this.assertScope(trx, patch.scope);
      if (patch.clearance !== undefined) {
        if (!actor.permissions.has('secrecy.manage')) throw forbidden('FORBIDDEN', '没有设置涉密等级的权限');
        await this.assertClearance(trx, patch.clearance);
      }
      const current = await repo.byId(id);
      const identity = this.identity(patch, current ?? null);
      const now = this.clock.now().toISOString();
      await repo.update(id, {
        ...identity,
        display_name: patch.displayName,
        unit_id: patch.unitId,
        scope_kind: patch.scope?.kind,
        clearance: patch.clearance,
        disabled: patch.disabled === undefined ? undefined : bool(patch.disabled),
        updated_at: now,
      });
      if (patch.scope) await repo.setScopeUnits(id, scopeUnitIds(patch.scope));
      if (patch.disabled) await sessionsRepository(trx).endAllOfUser(id, now, '账号已停用');
      const after = await this.get(id, trx);
      await this.audit.append(trx, actor.audit, {
        action: 'user.update', objectType: 'user', objectId: id, objectLabel: after.username,
        detail: { before: summary(before), after: summary(after) },
      });
      return after;
    });
  }

  async setRoles(grantor: Grantor, id: string, roleIds: string[]): Promise<User> {
    if (grantor.kind === 'actor' && grantor.actor.userId === id) {
      throw forbidden('SELF_ROLE_CHANGE', '不能修改本人的角色');
    }
    return this.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      const wanted = [...new Set(roleIds)];
      const current = before.roles.map((r) => r.id);
      const added = wanted.filter((r) => !current.includes(r));
      const removed = current.filter((r) => !wanted.includes(r));
      // Taking authority away is also giving it: the grantor must be able to grant both.
      await this.assertRoles(trx, grantor, [...added, ...removed], wanted);
      await usersRepository(trx, this.kind).setRoles(id, wanted);
      // Permissions apply from the next request; sessions end so a newly required 2FA applies too.
      await sessionsRepository(trx).endAllOfUser(id, this.clock.now().toISOString(), '角色已变更');
      const after = await this.get(id, trx);
      await this.audit.append(trx, auditOf(grantor), {
        action: 'user.roles', objectType: 'user', objectId: id, objectLabel: after.username,
        detail: { before: before.roles.map((r) => r.code), after: after.roles.map((r) => r.code) },
      });
      return after;
    });
  }

  async resetPassword(grantor: Grantor, id: string, password: string): Promise<User> {
    const target = await this.get(id);
    if (grantor.kind === 'actor') await this.assertCanManage(this.db, grantor.actor, id);
    await this.auth.assertAcceptable(target.username, password);
    const passwordHash = await hashPassword(password);
    return this.db.transaction().execute(async (trx) => {
      if (grantor.kind === 'actor') {
        if (grantor.actor.userId === id) throw forbidden('SELF_RESET', '请在“修改密码”中修改本人密码');
        await this.assertCanManage(trx, grantor.actor, id);
      }
      const now = this.clock.now().toISOString();
      await usersRepository(trx, this.kind).update(id, {
        password_hash: passwordHash, must_change_password: 1, password_changed_at: now, failed_logins: 0,
        locked_until: null, updated_at: now,
      });
      await sessionsRepository(trx).endAllOfUser(id, now, '密码已重置');
      await this.audit.append(trx, auditOf(grantor), {
        action: 'user.password_reset', objectType: 'user', objectId: id, objectLabel: target.username,
      });
      return this.get(id, trx);
    });
  }

  async lock(grantor: Grantor, id: string, minutes: number): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      if (grantor.kind === 'actor') await this.assertCanManage(trx, grantor.actor, id);
      const target = await this.get(id, trx);
      const now = this.clock.now();
      const until = new Date(now.getTime() + minutes * 60_000).toISOString();
      await usersRepository(trx, this.kind).update(id, { locked_until: until, updated_at: now.toISOString() });
      await sessionsRepository(trx).endAllOfUser(id, now.toISOString(), '账号被锁定');
      await this.audit.append(trx, auditOf(grantor), {
        action: 'user.lock', objectType: 'user', objectId: id, objectLabel: target.username, detail: { until },
      });
      return this.get(id, trx);
    });
  }

  async unlock(actor: Actor, id: string): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      const target = await this.get(id, trx);
      await usersRepository(trx, this.kind).update(id, { locked_until: null, failed_logins: 0, updated_at: this.clock.now().toISOString() });
      await this.audit.append(trx, actor.audit, {
        action: 'user.unlock', objectType: 'user', objectId: id, objectLabel: target.username,
        detail: { wasLockedUntil: target.lockedUntil },
      });
      return this.get(id, trx);
    });
  }

  async resetTotp(grantor: Grantor, id: string): Promise<User> {
    return this.db.transaction().execute(async (trx) => {
      if (grantor.kind === 'actor') {
        if (grantor.actor.userId === id) throw forbidden('SELF_RESET', '不能重置本人的动态口令');
        await this.assertCanManage(trx, grantor.actor, id);
      }
      const target = await this.get(id, trx);
      const now = this.clock.now().toISOString();
      await usersRepository(trx, this.kind).update(id, { totp_secret: null, totp_pending_secret: null, totp_last_step: null, updated_at: now });
      await sessionsRepository(trx).endAllOfUser(id, now, '动态口令已重置');
      await this.audit.append(trx, auditOf(grantor), {
        action: 'user.totp_reset', objectType: 'user', objectId: id, objectLabel: target.username,
      });
      return this.get(id, trx);
    });
  }

  async byUsername(username: string): Promise<User> {
    const row = await usersRepository(this.db, this.kind).byUsername(username);
    if (!row) throw notFound('USER_NOT_FOUND', `用户「${username}」不存在`);
    return this.get(row.id);
  }

  // ------------------------------------------------------------------ rules
  /**
   * Taking over another officer (resetting his password or 2FA, disabling him) would defeat the
   * separation of duties: only someone holding every administrative permission the target holds may.
   */
  private async assertCanManage(trx: Executor, actor: Actor, targetId: string): Promise<void> {
    const perms = (await usersRepository(trx, this.kind).permissionsOf(targetId)).filter(isPermission);
    const lacking = perms.filter((p) => dutyOf(p) && !actor.permissions.has(p));
    if (lacking.length > 0) {
      throw forbidden('MANAGE_EXCEEDS_OWN', '该用户具有您不具备的管理职责（三员分立），此操作须由系统控制台执行');
    }
  }

  private async assertRoles(trx: Executor, grantor: Grantor, changed: string[], resulting: string[]): Promise<void> {
    const repo = rolesRepository(trx);
    const all = [...new Set([...changed, ...resulting])].sort();
    if (all.length > 0) await forUpdate(this.kind, trx.selectFrom('roles').select('id').where('id', 'in', all).orderBy('id')).execute();
    const found = await repo.byIds(all);
    if (found.length !== all.length) throw invalid('ROLE_NOT_FOUND', '所选角色不存在', { roleIds: '含不存在的角色' });
    const perms = await repo.permissions(all);
    const union = new Set<Permission>();
    for (const id of resulting) for (const p of perms.get(id) ?? []) if (isPermission(p)) union.add(p);
    const violation = checkSeparationOfDuties(union);
    if (violation) throw conflict('SEPARATION_OF_DUTIES', describeViolation(violation), { roleIds: describeViolation(violation) });
    if (grantor.kind === 'console') return;
    const changedPerms = changed.flatMap((id) => (perms.get(id) ?? []).filter(isPermission));
    const missing = missingToGrant(grantor.actor.permissions, changedPerms);
    if (missing.length > 0) {
      const names = [...new Set(missing)].map((p) => PERMISSIONS[p].label).join('、');
      throw forbidden('GRANT_EXCEEDS_OWN', `不能授予或收回本人不具有的管理权限：${names}`);
    }
  }

  /**
   * The ID number is checked (GB 11643) and stored in its normalized form; a birth date left empty
   * is taken from a valid number, so either alone is enough for 回避 by name and birth date.
   */
  private identity(
    input: { idNumber?: string | null; birthDate?: string | null },
    current: Pick<UserTable, 'id_number' | 'birth_date'> | null,
  ): Partial<Pick<UserTable, 'id_number' | 'birth_date'>> {
    const out: Partial<Pick<UserTable, 'id_number' | 'birth_date'>> = {};
    const now = this.clock.now();
    if (input.birthDate !== undefined) out.birth_date = parseDateField(input.birthDate, 'birthDate', '出生日期', now);
    if (input.idNumber !== undefined) {
      if (!input.idNumber) out.id_number = null;
      else {
        const checked = checkIdNumber(input.idNumber, calendarDateAt(now));
        if (!checked.ok) throw invalid('ID_NUMBER_INVALID', `公民身份号码不正确：${checked.reason}`, { idNumber: checked.reason });
        out.id_number = checked.normalized;
        const birth = out.birth_date !== undefined ? out.birth_date : current?.birth_date ?? null;
        if (!birth) out.birth_date = checked.birthDate;
      }
    }
    return out;
  }

  private async assertUnit(trx: Executor, unitId: string, field: string): Promise<void> {
    const unit = await unitsRepository(trx).byId(unitId);
    if (!unit) throw invalid('UNIT_NOT_FOUND', '所选单位不存在', { [field]: '单位不存在' });
    if (fromBool(unit.disabled)) throw invalid('UNIT_DISABLED', '所选单位已停用', { [field]: '单位已停用' });
  }

  private async assertScope(trx: Executor, scope: { kind: ScopeKind; unitIds: string[] }): Promise<void> {
    if (scope.kind !== 'named_units') return;
    const ids = [...new Set(scope.unitIds)];
    if (ids.length === 0) throw invalid('SCOPE_EMPTY', '数据范围为“指定单位”时须至少选择一个单位', { scope: '请选择单位' });
    const found = await unitsRepository(trx).byIds(ids);
    if (found.length !== ids.length) throw invalid('UNIT_NOT_FOUND', '数据范围中含不存在的单位', { scope: '含不存在的单位' });
  }

  private async assertClearance(trx: Executor, clearance: string | null): Promise<void> {
    if (clearance === null) return;
    const entry = await trx.selectFrom('dictionary_entries').select('id').where('type', '=', 'clearance').where('code', '=', clearance).executeTakeFirst();
    if (!entry) throw invalid('CLEARANCE_UNKNOWN', `涉密等级「${clearance}」不在代码表中`, { clearance: '不在代码表中' });
  }

  private async views(executor: Executor, rows: UserTable[]): Promise<User[]> {
    const repo = usersRepository(executor, this.kind);
    const ids = rows.map((r) => r.id);
    const [roles, scopes, units] = await Promise.all([
      repo.rolesOf(ids),
      repo.scopeUnitsOf(ids),
      unitsRepository(executor).byIds([...new Set(rows.map((r) => r.unit_id))]),
    ]);
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    const now = this.clock.now().toISOString();
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      unitId: r.unit_id,
      unitName: unitNames.get(r.unit_id) ?? '',
      disabled: fromBool(r.disabled),
      lockedUntil: r.locked_until && r.locked_until > now ? r.locked_until : null,
      mustChangePassword: fromBool(r.must_change_password),
      totpEnrolled: r.totp_secret !== null,
      clearance: r.clearance,
      roles: (roles.get(r.id) ?? []).map((x) => ({ id: x.id, code: x.code, name: x.name })),
      scope: { kind: r.scope_kind as ScopeKind, unitIds: scopes.get(r.id) ?? [] },
      lastLoginAt: r.last_login_at,
      lastLoginIp: r.last_login_ip,
      idNumber: r.id_number,
      birthDate: r.birth_date,
      createdAt: r.created_at,
    }));
  }
}

function scopeUnitIds(scope: { kind: ScopeKind; unitIds: string[] }): string[] {
  return scope.kind === 'named_units' ? [...new Set(scope.unitIds)] : [];
}

function auditOf(grantor: Grantor): AuditContext {
  return grantor.kind === 'actor' ? grantor.actor.audit : grantor.audit;
}

function summary(u: User) {
  return {
    username: u.username, displayName: u.displayName, unit: u.unitName, disabled: u.disabled,
    roles: u.roles.map((r) => r.code), scope: u.scope, clearance: u.clearance, idNumber: u.idNumber, birthDate: u.birthDate,
  };
}
