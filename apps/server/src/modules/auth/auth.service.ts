import { checkPassword, describePasswordProblems, isPermission, type Permission, type ScopeKind } from '@dangan/domain';
import type { LoginStage, Me } from '@dangan/contracts';
import { addMinutes, type Clock } from '../../platform/clock.js';
import { digestHex, randomToken } from '../../platform/crypto/hash.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { fromBool } from '../../platform/db/dialect.js';
import type { SessionTable, UserTable } from '../../platform/db/schema.js';
import { AppError, invalid, unauthorized } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import type { AuditContext, AuditLog } from '../audit/audit.log.js';
import type { SettingsService } from '../settings/settings.service.js';
import { usersRepository } from '../users/users.repository.js';
import { burnVerify, hashPassword, verifyPassword } from './password-hasher.js';
import { sessionsRepository } from './sessions.repository.js';
import { enrolmentFor, matchTotp, newTotpSecret } from './totp.js';

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** A live session with its user: what every authenticated request carries. */
export interface SessionContext {
  session: SessionTable;
  user: UserTable;
  actor: Actor;
  totpRequired: boolean;
}

const TOTP_CONTEXT = 'user.totp';
/** Refreshing last_seen_at on every request would make each read a write; this is fine-grained enough. */
const TOUCH_EVERY_MS = 15_000;

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    private readonly audit: AuditLog,
    private readonly keyring: Keyring,
  ) {}

  // ------------------------------------------------------------------ login
  async login(username: string, password: string, client: ClientInfo): Promise<{ token: string; me: Me }> {
    const users = usersRepository(this.db, this.kind);
    const user = await users.byUsername(username);
    const now = this.clock.now();
    const ctx: AuditContext = { userId: user?.id ?? null, username, roles: '', clientIp: client.ip };
    const fail = async (code: string, message: string, reason: string): Promise<never> => {
      await this.audit.record(ctx, { action: 'auth.login', result: 'failure', objectType: 'user', objectId: user?.id, objectLabel: username, detail: { reason } });
      throw unauthorized(code, message);
    };

    if (!user) {
      await burnVerify(password);
      return fail('AUTH_INVALID_CREDENTIALS', '用户名或密码错误', '用户不存在');
    }
    if (user.locked_until && user.locked_until > now.toISOString()) {
      const until = new Date(user.locked_until);
      return fail('AUTH_LOCKED', `账号已锁定，请于 ${formatLocalTime(until)} 后再试，或联系安全保密管理员解锁`, '账号已锁定');
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      const outcome = await this.recordFailure(user, ctx, 'auth.login', '密码错误');
      if (outcome.locked) {
        throw unauthorized('AUTH_LOCKED', `连续 ${outcome.failures} 次登录失败，账号已锁定 ${outcome.lockMinutes} 分钟`);
      }
      throw unauthorized('AUTH_INVALID_CREDENTIALS', `用户名或密码错误，再错 ${outcome.left} 次账号将被锁定`);
    }
    if (fromBool(user.disabled)) return fail('AUTH_DISABLED', '账号已停用，请联系安全保密管理员', '账号已停用');

    const token = randomToken();
    const absoluteHours = await this.settings.get('session.absoluteHours');
    const totpRequired = await this.totpRequired(this.db, user.id);
    const stage: LoginStage = user.totp_secret ? 'totp' : await this.stageAfterFactors(user, totpRequired);
    const session: SessionTable = {
      id: newId(),
      token_hash: tokenHash(token),
      user_id: user.id,
      stage,
      csrf_token: randomToken(),
      client_ip: client.ip,
      user_agent: client.userAgent.slice(0, 300),
      previous_login_at: user.last_login_at,
      previous_login_ip: user.last_login_ip,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + absoluteHours * 3_600_000).toISOString(),
      ended_at: null,
      end_reason: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await usersRepository(trx, this.kind).update(user.id, {
        failed_logins: 0,
        locked_until: null,
        last_login_at: now.toISOString(),
        last_login_ip: client.ip,
      });
      await sessionsRepository(trx).insert(session);
      await this.audit.append(trx, { ...ctx, roles: await this.roleCodes(trx, user.id) }, {
        action: 'auth.login', objectType: 'user', objectId: user.id, objectLabel: username,
        detail: { stage, sessionId: session.id },
      });
    });
    const context = await this.authenticate(token);
    return { token, me: await this.me(context) };
  }

  /** The session behind a cookie token; throws 401 when there is none or it has ended or expired. */
  async authenticate(token: string | undefined, clientIp?: string): Promise<SessionContext> {
    if (!token) throw unauthorized('AUTH_REQUIRED', '请先登录');
    const sessions = sessionsRepository(this.db);
    const session = await sessions.byTokenHash(tokenHash(token));
    if (!session) throw unauthorized('AUTH_REQUIRED', '会话已结束，请重新登录');
    if (session.ended_at) throw unauthorized('AUTH_ENDED', `会话已结束（${session.end_reason ?? '已退出'}），请重新登录`);
    const now = this.clock.now();
    const idleMinutes = await this.settings.get('session.idleMinutes');
    const user = await usersRepository(this.db, this.kind).byId(session.user_id);
    let endReason: string | null = null;
    if (!user || fromBool(user.disabled)) endReason = '账号已停用';
    else if (session.expires_at <= now.toISOString()) endReason = '超过会话最长时长';
    else if (addMinutes(new Date(session.last_seen_at), idleMinutes) <= now) endReason = '空闲超时';
    if (endReason || !user) {
      await this.end(session, endReason ?? '账号不存在', { userId: session.user_id, username: user?.username ?? null, roles: '', clientIp: session.client_ip });
      throw unauthorized('AUTH_EXPIRED', `会话已失效（${endReason}），请重新登录`);
    }
    if (now.getTime() - new Date(session.last_seen_at).getTime() >= TOUCH_EVERY_MS) {
      session.last_seen_at = now.toISOString();
      await sessions.update(session.id, { last_seen_at: session.last_seen_at });
    }
    const context = await this.contextFor(session, user);
    if (clientIp) context.actor.audit.clientIp = clientIp;
    return context;
  }

  // ------------------------------------------------------------------ second factor and first-login steps
  async verifyTotp(context: SessionContext, code: string): Promise<Me> {
    const { session, user } = context;
    if (session.stage !== 'totp' || !user.totp_secret) throw invalid('AUTH_STAGE', '当前无需输入动态口令');
    const step = matchTotp(this.keyring.open(user.totp_secret, TOTP_CONTEXT), code, this.clock.now());
    const replay = step !== null && user.totp_last_step !== null && step <= Number(user.totp_last_step);
    if (step === null || replay) {
      // A wrong code counts towards the lock like a wrong password.
      await this.recordFailure(user, context.actor.audit, 'auth.totp', replay ? '动态口令已使用过' : '动态口令错误');
      throw invalid('AUTH_TOTP_INVALID', replay ? '该动态口令已使用过，请等待下一个' : '动态口令错误', { code: '动态口令错误' });
    }
    const stage = await this.stageAfterFactors(user, context.totpRequired);
    await this.db.transaction().execute(async (trx) => {
      await usersRepository(trx, this.kind).update(user.id, { totp_last_step: step, failed_logins: 0 });
      await sessionsRepository(trx).update(session.id, { stage });
      await this.audit.append(trx, context.actor.audit, { action: 'auth.totp', objectType: 'user', objectId: user.id, objectLabel: user.username });
    });
    return this.me(await this.reload(context));
  }

  async changePassword(context: SessionContext, currentPassword: string, newPassword: string): Promise<Me> {
    const { user, session } = context;
    if (session.stage === 'totp') throw invalid('AUTH_STAGE', '请先输入动态口令');
    if (!(await verifyPassword(user.password_hash, currentPassword))) {
      await this.audit.record(context.actor.audit, {
        action: 'auth.password_change', result: 'failure', objectType: 'user', objectId: user.id, objectLabel: user.username,
        detail: { reason: '当前密码错误' },
      });
      throw invalid('AUTH_PASSWORD_WRONG', '当前密码错误', { currentPassword: '当前密码错误' });
    }
    await this.assertAcceptable(user.username, newPassword, currentPassword);
    const now = this.clock.now().toISOString();
    const passwordHash = await hashPassword(newPassword);
    const updated = { ...user, must_change_password: 0 as const, password_changed_at: now };
    const stage = session.stage === 'active' ? 'active' : await this.stageAfterFactors(updated, context.totpRequired);
    await this.db.transaction().execute(async (trx) => {
      await usersRepository(trx, this.kind).update(user.id, { password_hash: passwordHash, must_change_password: 0, password_changed_at: now, updated_at: now });
      await sessionsRepository(trx).update(session.id, { stage });
      const ended = await sessionsRepository(trx).endAllOfUser(user.id, now, '密码已修改', session.id);
      await this.audit.append(trx, context.actor.audit, {
        action: 'auth.password_change', objectType: 'user', objectId: user.id, objectLabel: user.username,
        detail: { otherSessionsEnded: ended },
      });
    });
    return this.me(await this.reload(context));
  }

  async startTotpEnrolment(context: SessionContext) {
    const { user, session } = context;
    if (session.stage === 'totp' || session.stage === 'change_password') throw invalid('AUTH_STAGE', '请先完成当前登录步骤');
    const secret = newTotpSecret();
    await usersRepository(this.db, this.kind).update(user.id, { totp_pending_secret: this.keyring.seal(secret, TOTP_CONTEXT) });
    const issuer = await this.settings.get('system.organizationName');
    return enrolmentFor(secret, user.username, `${issuer}·干部档案`);
  }

  async confirmTotpEnrolment(context: SessionContext, code: string): Promise<Me> {
    const { user, session } = context;
    if (session.stage === 'totp' || session.stage === 'change_password') throw invalid('AUTH_STAGE', '请先完成当前登录步骤');
    if (!user.totp_pending_secret) throw invalid('AUTH_TOTP_NOT_STARTED', '请先获取绑定二维码');
    const secret = this.keyring.open(user.totp_pending_secret, TOTP_CONTEXT);
    const step = matchTotp(secret, code, this.clock.now());
    if (step === null) throw invalid('AUTH_TOTP_INVALID', '动态口令错误，请核对手机时间后重试', { code: '动态口令错误' });
    await this.db.transaction().execute(async (trx) => {
      await usersRepository(trx, this.kind).update(user.id, {
        totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_last_step: step, updated_at: this.clock.now().toISOString(),
      });
      await sessionsRepository(trx).update(session.id, { stage: session.stage === 'enrol_totp' ? 'active' : session.stage });
      await this.audit.append(trx, context.actor.audit, {
        action: 'auth.totp_enrol', objectType: 'user', objectId: user.id, objectLabel: user.username,
        detail: { rebound: user.totp_secret !== null },
      });
    });
    return this.me(await this.reload(context));
  }

  async logout(context: SessionContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sessionsRepository(trx).update(context.session.id, { ended_at: this.clock.now().toISOString(), end_reason: '用户退出' });
      await this.audit.append(trx, context.actor.audit, { action: 'auth.logout', objectType: 'session', objectId: context.session.id });
    });
  }

  async me(context: SessionContext): Promise<Me> {
    const { session, user, actor } = context;
    const idleMinutes = await this.settings.get('session.idleMinutes');
    const unit = await this.db.selectFrom('units').select('name').where('id', '=', user.unit_id).executeTakeFirst();
    const roles = (await usersRepository(this.db, this.kind).rolesOf([user.id])).get(user.id) ?? [];
    const active = session.stage === 'active';
    return {
      stage: session.stage as LoginStage,
      csrfToken: session.csrf_token,
      idleMinutes,
      expiresAt: session.expires_at,
      passwordExpired: await this.passwordExpired(user),
      user: {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        unitId: user.unit_id,
        unitName: unit?.name ?? '',
        totpEnrolled: user.totp_secret !== null,
        totpRequired: context.totpRequired,
        lastLoginAt: session.previous_login_at,
        lastLoginIp: session.previous_login_ip,
      },
      roles: roles.map((r) => ({ id: r.id, code: r.code, name: r.name })),
      permissions: active ? [...actor.permissions].sort() : [],
      organizationName: await this.settings.get('system.organizationName'),
      passwordPolicy: await this.passwordPolicy(),
    };
  }

  // ------------------------------------------------------------------ helpers
  private async passwordPolicy() {
    return { minLength: await this.settings.get('password.minLength'), minClasses: await this.settings.get('password.minClasses') };
  }

  async assertAcceptable(username: string, password: string, currentPassword?: string): Promise<void> {
    const policy = await this.passwordPolicy();
    const problems = checkPassword(password, username, policy);
    if (currentPassword !== undefined && password === currentPassword) problems.push('same_as_old');
    if (problems.length > 0) {
      throw new AppError(422, 'PASSWORD_POLICY', describePasswordProblems(problems, policy), {
        newPassword: describePasswordProblems(problems, policy),
      });
    }
  }

  /**
   * One failed factor: counted, audited and, at the limit, the account locked and its sessions ended,
   * all in one transaction.
   */
  private async recordFailure(user: UserTable, ctx: AuditContext, action: 'auth.login' | 'auth.totp', reason: string) {
    const maxFailures = await this.settings.get('login.maxFailures');
    const lockMinutes = await this.settings.get('login.lockMinutes');
    const failures = user.failed_logins + 1;
    const locked = failures >= maxFailures;
    const now = this.clock.now();
    const target = { objectType: 'user', objectId: user.id, objectLabel: user.username };
    await this.db.transaction().execute(async (trx) => {
      await usersRepository(trx, this.kind).update(user.id, {
        failed_logins: locked ? 0 : failures,
        locked_until: locked ? addMinutes(now, lockMinutes).toISOString() : user.locked_until,
      });
      await this.audit.append(trx, ctx, { action, result: 'failure', ...target, detail: { reason, failures, locked } });
      if (locked) {
        await sessionsRepository(trx).endAllOfUser(user.id, now.toISOString(), '连续验证失败，账号已锁定');
        await this.audit.append(trx, ctx, {
          action: 'user.lock', ...target, detail: { reason: `连续 ${failures} 次验证失败`, minutes: lockMinutes },
        });
      }
    });
    return { failures, locked, lockMinutes, left: maxFailures - failures };
  }

  private async passwordExpired(user: UserTable): Promise<boolean> {
    const maxAgeDays = await this.settings.get('password.maxAgeDays');
    if (maxAgeDays === 0) return false;
    return new Date(user.password_changed_at).getTime() + maxAgeDays * 86_400_000 <= this.clock.now().getTime();
  }

  private async stageAfterFactors(user: UserTable, totpRequired: boolean): Promise<LoginStage> {
    if (fromBool(user.must_change_password) || (await this.passwordExpired(user))) return 'change_password';
    if (totpRequired && !user.totp_secret) return 'enrol_totp';
    return 'active';
  }

  private async totpRequired(db: Executor, userId: string): Promise<boolean> {
    const roles = (await usersRepository(db, this.kind).rolesOf([userId])).get(userId) ?? [];
    return roles.some((r) => fromBool(r.sensitive));
  }

  private async roleCodes(db: Executor, userId: string): Promise<string> {
    const roles = (await usersRepository(db, this.kind).rolesOf([userId])).get(userId) ?? [];
    return roles.map((r) => r.code).join(',');
  }

  private async reload(context: SessionContext): Promise<SessionContext> {
    const session = await sessionsRepository(this.db).byId(context.session.id);
    const user = await usersRepository(this.db, this.kind).byId(context.user.id);
    if (!session || !user) throw unauthorized('AUTH_REQUIRED', '会话已结束，请重新登录');
    return this.contextFor(session, user);
  }

  private async contextFor(session: SessionTable, user: UserTable): Promise<SessionContext> {
    const repo = usersRepository(this.db, this.kind);
    const [roles, permissions, scopeUnits] = await Promise.all([
      repo.rolesOf([user.id]),
      repo.permissionsOf(user.id),
      repo.scopeUnitsOf([user.id]),
    ]);
    const roleRows = roles.get(user.id) ?? [];
    const roleCodes = roleRows.map((r) => r.code);
    const actor: Actor = {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      unitId: user.unit_id,
      sessionId: session.id,
      roleCodes,
      permissions: new Set(permissions.filter(isPermission) as Permission[]),
      scope: { kind: user.scope_kind as ScopeKind, unitIds: scopeUnits.get(user.id) ?? [] },
      audit: { userId: user.id, username: user.username, roles: roleCodes.join(','), clientIp: session.client_ip },
    };
    return { session, user, actor, totpRequired: roleRows.some((r) => fromBool(r.sensitive)) };
  }

  private async end(session: SessionTable, reason: string, ctx: AuditContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sessionsRepository(trx).update(session.id, { ended_at: this.clock.now().toISOString(), end_reason: reason });
      await this.audit.append(trx, ctx, { action: 'auth.session_end', objectType: 'session', objectId: session.id, detail: { reason } });
    });
  }
}

export function tokenHash(token: string): string {
  return digestHex('sha256', token);
}

/** Beijing time for messages: the users' clock, whatever the server's zone. */
export function formatLocalTime(d: Date): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
}

