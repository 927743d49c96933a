import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Unit, User } from '@dangan/contracts';
import { BUILT_IN_ROLES } from '@dangan/domain';
import { Agent, BOOT_PASSWORD, createTestApp, json, rootUnitId, type TestApp } from '../../../test/harness.js';

const INITIAL = 'Init-Passw0rd!';
const CHANGED = `${INITIAL}x9`;

let t: TestApp;
let sec: Agent;
let rootId: string;
const roles = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t, '10.0.0.2');
  await sec.signIn('secadmin', BOOT_PASSWORD);
  rootId = await rootUnitId(sec);
  for (const r of json<{ id: string; code: string }[]>(await sec.get('/api/roles'))) roles.set(r.code, r.id);
});
afterAll(async () => {
  await t.close();
});

const role = (code: string) => roles.get(code)!;

interface NewUser {
  username: string;
  displayName?: string;
  unitId?: string;
  roles?: string[];
  scope?: { kind: string; unitIds: string[] };
  password?: string;
}

function body(u: NewUser) {
  return {
    username: u.username,
    displayName: u.displayName ?? '测试用户',
    unitId: u.unitId ?? rootId,
    password: u.password ?? INITIAL,
    roleIds: (u.roles ?? []).map(role),
    ...(u.scope ? { scope: u.scope } : {}),
  };
}

async function createUser(u: NewUser): Promise<User> {
  const res = await sec.post('/api/users', { body: body(u) });
  expect(res.statusCode, res.body).toBe(200);
  return json<User>(res);
}

async function createUnit(code: string, name: string, parentId: string | null = rootId): Promise<Unit> {
  const res = await sec.post('/api/units', { body: { parentId, code, name } });
  expect(res.statusCode, res.body).toBe(200);
  return json<Unit>(res);
}

async function getUser(id: string): Promise<User> {
  const res = await sec.get(`/api/users/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return json<User>(res);
}

async function userIdOf(username: string): Promise<string> {
  const page = json<{ items: User[] }>(await sec.get('/api/users', { query: { q: username } }));
  const user = page.items.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

async function countMatching(q: string): Promise<number> {
  return json<{ total: number }>(await sec.get('/api/users', { query: { q } })).total;
}

/** A user signed in with the initial password changed, and an active session. */
async function signedIn(u: NewUser, ip = '10.5.0.1'): Promise<{ user: User; agent: Agent }> {
  const user = await createUser(u);
  const agent = new Agent(t, ip);
  await agent.signIn(u.username, u.password ?? INITIAL);
  expect(agent.me?.stage).toBe('active');
  return { user, agent };
}

describe('creating a user', () => {
  it('makes an archivist who must change his initial password and then sees only what his role and scope allow', async () => {
    const unit = await createUnit('U-ARCH', '档案一处');
    const child = await createUnit('U-ARCH-1', '档案一处一科', unit.id);
    const other = await createUnit('U-OTHER', '干部二处');

    const res = await sec.post('/api/users', {
      body: {
        username: 'liwei', displayName: '李伟', unitId: unit.id, password: INITIAL, roleIds: [role('archivist')],
        scope: { kind: 'unit_and_below', unitIds: [] },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const created = json<User>(res);
    expect(created).toMatchObject({
      username: 'liwei', displayName: '李伟', unitId: unit.id, unitName: '档案一处', disabled: false, lockedUntil: null,
      mustChangePassword: true, totpEnrolled: false, clearance: null, scope: { kind: 'unit_and_below', unitIds: [] },
      lastLoginAt: null,
    });
    expect(created.roles).toEqual([{ id: role('archivist'), code: 'archivist', name: '档案管理员' }]);
    expect(res.body).not.toContain('argon2');

    const a = new Agent(t, '10.5.0.9');
    const login = await a.login('liwei', INITIAL);
    expect(login.statusCode).toBe(200);
    expect(a.me?.stage).toBe('change_password');
    expect(a.me?.permissions).toEqual([]);
    const early = await a.get('/api/units');
    expect(early.statusCode).toBe(403);
    expect(json(early).code).toBe('LOGIN_INCOMPLETE');

    const changed = await a.post('/api/auth/password', { body: { currentPassword: INITIAL, newPassword: CHANGED } });
    expect(changed.statusCode, changed.body).toBe(200);
    // Not a sensitive role: no second factor to enrol.
    expect(a.me?.stage).toBe('active');
    expect(a.me?.user.totpRequired).toBe(false);
    const archivist = BUILT_IN_ROLES.find((r) => r.code === 'archivist')!;
    expect(a.me?.permissions).toEqual([...archivist.permissions].sort());

    for (const [method, url] of [
      ['GET', '/api/users'], ['GET', `/api/users/${created.id}`], ['GET', '/api/roles'], ['GET', '/api/settings'],
      ['GET', '/api/audit/events'], ['GET', '/api/sessions'], ['POST', '/api/units'],
    ] as const) {
      const r = await a.call(method, url, method === 'POST' ? { body: { parentId: null, code: 'X', name: '越权' } } : {});
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect(json(r).code, `${method} ${url}`).toBe('FORBIDDEN');
    }

    const units = await a.get('/api/units');
    expect(units.statusCode).toBe(200);
    const seen = json<Unit[]>(units).map((u) => u.id).sort();
    expect(seen).toEqual([unit.id, child.id].sort());
    expect(seen).not.toContain(other.id);
    expect(seen).not.toContain(rootId);

    const after = await getUser(created.id);
    expect(after.mustChangePassword).toBe(false);
    expect(after.lastLoginIp).toBe('10.5.0.9');
  });

  it('refuses a user name already taken, and leaves the first account alone', async () => {
    const first = await createUser({ username: 'dupuser', displayName: '第一位' });
    const res = await sec.post('/api/users', { body: body({ username: 'dupuser', displayName: '第二位' }) });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('USERNAME_TAKEN');
    expect(json(res).message).toContain('dupuser');
    expect(json<{ fields: Record<string, string> }>(res).fields.username).toBeTruthy();
    expect(await countMatching('dupuser')).toBe(1);
    expect((await getUser(first.id)).displayName).toBe('第一位');
  });

  it('answers simultaneous creations of one user name with one success and 409 for the rest, never 500', async () => {
    // A few rounds, because before the fix the outcome depends on timing.
    for (let round = 1; round <= 3; round++) {
      const username = `raceuser${round}`;
      const results = await Promise.all([1, 2, 3, 4].map((i) => sec.post('/api/users', { body: body({ username, displayName: `并发${i}` }) })));
      expect(results.map((r) => r.statusCode).sort(), username).toEqual([200, 409, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).code).toBe('USERNAME_TAKEN');
      expect(await countMatching(username)).toBe(1);
    }
  });

  it('refuses an unknown or disabled unit with 422, naming the field', async () => {
    const unknown = await sec.post('/api/users', { body: body({ username: 'nounit', unitId: '01900000-0000-7000-8000-000000000000' }) });
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).code).toBe('UNIT_NOT_FOUND');
    expect(json<{ fields: Record<string, string> }>(unknown).fields.unitId).toBeTruthy();

    const closed = await createUnit('U-CLOSED', '已撤销单位');
    expect((await sec.patch(`/api/units/${closed.id}`, { body: { disabled: true } })).statusCode).toBe(200);
    const disabled = await sec.post('/api/users', { body: body({ username: 'nounit', unitId: closed.id }) });
    expect(disabled.statusCode).toBe(422);
    expect(json(disabled).code).toBe('UNIT_DISABLED');
    expect(await countMatching('nounit')).toBe(0);
  });

  it('refuses a weak initial password with PASSWORD_POLICY and a Chinese reason', async () => {
    const short = await sec.post('/api/users', { body: body({ username: 'weakpw', password: 'Ab1-x' }) });
    expect(short.statusCode).toBe(422);
    expect(json(short).code).toBe('PASSWORD_POLICY');
    expect(json(short).message).toContain('长度至少 10 位');

    const simple = await sec.post('/api/users', { body: body({ username: 'weakpw', password: 'abcdefghijkl' }) });
    expect(json(simple).code).toBe('PASSWORD_POLICY');
    expect(json(simple).message).toContain('至少 3 类');

    const named = await sec.post('/api/users', { body: body({ username: 'weakpw', password: 'Weakpw-2026!' }) });
    expect(named.statusCode).toBe(422);
    expect(json(named).code).toBe('PASSWORD_POLICY');
    expect(json(named).message).toContain('用户名');
    expect(await countMatching('weakpw')).toBe(0);
  });

  it('refuses an unknown role with 422', async () => {
    const res = await sec.post('/api/users', {
      body: { ...body({ username: 'norole' }), roleIds: ['01900000-0000-7000-8000-000000000000'] },
    });
    expect(res.statusCode).toBe(422);
    expect(json(res).code).toBe('ROLE_NOT_FOUND');
    expect(await countMatching('norole')).toBe(0);
  });

  it('stores and returns injection-like and markup names verbatim', async () => {
    const sqlish = "'); drop table users; --";
    const markup = '<script>alert(1)</script>';
    const one = await createUser({ username: 'inject1', displayName: sqlish });
    const two = await createUser({ username: 'inject2', displayName: markup });
    expect(one.displayName).toBe(sqlish);
    expect(two.displayName).toBe(markup);
    expect((await getUser(one.id)).displayName).toBe(sqlish);
    expect((await getUser(two.id)).displayName).toBe(markup);

    const bySql = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { q: "'); drop" } }));
    expect(bySql.items.map((u) => u.username)).toEqual(['inject1']);
    const byMarkup = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { q: '<script>' } }));
    expect(byMarkup.items.map((u) => u.displayName)).toEqual([markup]);
    // The table is still there.
    expect(await countMatching('inject')).toBe(2);
  });
});

describe('data scope', () => {
  it('named_units needs at least one existing unit', async () => {
    const none = await sec.post('/api/users', { body: body({ username: 'scoped', scope: { kind: 'named_units', unitIds: [] } }) });
    expect(none.statusCode).toBe(422);
    expect(json(none).code).toBe('SCOPE_EMPTY');
    expect(json<{ fields: Record<string, string> }>(none).fields.scope).toBeTruthy();

    const unknown = await sec.post('/api/users', {
      body: body({ username: 'scoped', scope: { kind: 'named_units', unitIds: ['01900000-0000-7000-8000-000000000000'] } }),
    });
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).code).toBe('UNIT_NOT_FOUND');
    expect(await countMatching('scoped')).toBe(0);

    const user = await createUser({ username: 'scoped', roles: ['archivist'] });
    const patch = await sec.patch(`/api/users/${user.id}`, { body: { scope: { kind: 'named_units', unitIds: [] } } });
    expect(patch.statusCode).toBe(422);
    expect(json(patch).code).toBe('SCOPE_EMPTY');
    expect((await getUser(user.id)).scope).toEqual({ kind: 'own_unit', unitIds: [] });
  });

  it('keeps the named units for named_units and drops them when the kind changes', async () => {
    const unit = await createUnit('U-NAMED', '指定单位');
    const user = await createUser({ username: 'scoped2', scope: { kind: 'named_units', unitIds: [unit.id, unit.id] } });
    expect(user.scope).toEqual({ kind: 'named_units', unitIds: [unit.id] });
    const changed = await sec.patch(`/api/users/${user.id}`, { body: { scope: { kind: 'all', unitIds: [unit.id] } } });
    expect(changed.statusCode).toBe(200);
    expect(json<User>(changed).scope).toEqual({ kind: 'all', unitIds: [] });
  });
});

describe('granting roles: 三员分立', () => {
  it('refuses to create a user with the auditor or the system administrator role: the security officer lacks that authority', async () => {
    for (const code of ['auditor', 'sysadmin']) {
      const res = await sec.post('/api/users', { body: body({ username: `grant${code}`, roles: [code] }) });
      expect(res.statusCode, code).toBe(403);
      expect(json(res).code, code).toBe('GRANT_EXCEEDS_OWN');
      expect(await countMatching(`grant${code}`)).toBe(0);
    }
  });

  it('refuses to give the auditor role to an existing user', async () => {
    const user = await createUser({ username: 'grantlater' });
    const res = await sec.put(`/api/users/${user.id}/roles`, { body: { roleIds: [role('auditor')] } });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('GRANT_EXCEEDS_OWN');
    expect(json(res).message).toContain('查看审计日志');
    expect((await getUser(user.id)).roles).toEqual([]);
  });

  it('refuses to take the auditor role away from the auditor too', async () => {
    const auditorId = await userIdOf('auditor');
    const res = await sec.put(`/api/users/${auditorId}/roles`, { body: { roleIds: [] } });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('GRANT_EXCEEDS_OWN');
    expect((await getUser(auditorId)).roles.map((r) => r.code)).toEqual(['auditor']);
  });

  it('refuses an archive role together with an officer role', async () => {
    const create = await sec.post('/api/users', { body: body({ username: 'mixed', roles: ['archivist', 'secadmin'] }) });
    expect(create.statusCode).toBe(409);
    expect(json(create).code).toBe('SEPARATION_OF_DUTIES');
    expect(json(create).message).toContain('三员分立');
    expect(await countMatching('mixed')).toBe(0);

    const user = await createUser({ username: 'mixed', roles: ['archivist'] });
    const res = await sec.put(`/api/users/${user.id}/roles`, { body: { roleIds: [role('archivist'), role('secadmin')] } });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('SEPARATION_OF_DUTIES');
    expect((await getUser(user.id)).roles.map((r) => r.code)).toEqual(['archivist']);
  });

  it('refuses a change of one\'s own roles', async () => {
    const own = sec.me!.user.id;
    const res = await sec.put(`/api/users/${own}/roles`, { body: { roleIds: [role('secadmin'), role('archivist')] } });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('SELF_ROLE_CHANGE');
    const same = await sec.put(`/api/users/${own}/roles`, { body: { roleIds: [role('secadmin')] } });
    expect(json(same).code).toBe('SELF_ROLE_CHANGE');
    expect((await getUser(own)).roles.map((r) => r.code)).toEqual(['secadmin']);
  });

  it('answers 404 for roles of an unknown user', async () => {
    const res = await sec.put('/api/users/01900000-0000-7000-8000-000000000000/roles', { body: { roleIds: [role('reader')] } });
    expect(res.statusCode).toBe(404);
    expect(json(res).code).toBe('USER_NOT_FOUND');
  });
});

describe('managing another officer', () => {
  it('refuses to reset the auditor\'s password or TOTP, or to disable him; he keeps his password', async () => {
    const auditorId = await userIdOf('auditor');
    const pw = await sec.post(`/api/users/${auditorId}/password-reset`, { body: { password: 'Taken-0ver-2026' } });
    expect(pw.statusCode).toBe(403);
    expect(json(pw).code).toBe('MANAGE_EXCEEDS_OWN');
    expect(json(pw).message).toContain('三员分立');

    const totp = await sec.post(`/api/users/${auditorId}/totp-reset`);
    expect(totp.statusCode).toBe(403);
    expect(json(totp).code).toBe('MANAGE_EXCEEDS_OWN');

    const disable = await sec.patch(`/api/users/${auditorId}`, { body: { disabled: true } });
    expect(disable.statusCode).toBe(403);
    expect(json(disable).code).toBe('MANAGE_EXCEEDS_OWN');
    expect((await getUser(auditorId)).disabled).toBe(false);

    const sysadminId = await userIdOf('sysadmin');
    const sys = await sec.post(`/api/users/${sysadminId}/password-reset`, { body: { password: 'Taken-0ver-2026' } });
    expect(json(sys).code).toBe('MANAGE_EXCEEDS_OWN');

    const still = await new Agent(t).login('auditor', BOOT_PASSWORD);
    expect(still.statusCode).toBe(200);
    expect(json(still).stage).toBe('change_password');
  });

  it('refuses to disable or reset oneself', async () => {
    const own = sec.me!.user.id;
    const disable = await sec.patch(`/api/users/${own}`, { body: { disabled: true } });
    expect(disable.statusCode).toBe(403);
    expect(json(disable).code).toBe('SELF_DISABLE');
    const pw = await sec.post(`/api/users/${own}/password-reset`, { body: { password: 'Self-Reset-2026' } });
    expect(pw.statusCode).toBe(403);
    expect(json(pw).code).toBe('SELF_RESET');
    expect((await sec.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('an ordinary user\'s account', () => {
  it('password reset forces a change at next login and ends his sessions', async () => {
    const { user, agent } = await signedIn({ username: 'resetme', roles: ['reader'] });
    const res = await sec.post(`/api/users/${user.id}/password-reset`, { body: { password: 'Reset-Passw0rd' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<User>(res).mustChangePassword).toBe(true);

    const gone = await agent.get('/api/auth/me');
    expect(gone.statusCode).toBe(401);
    expect(json(gone).code).toBe('AUTH_ENDED');
    expect(json(gone).message).toContain('密码已重置');

    const old = await new Agent(t).login('resetme', CHANGED);
    expect(old.statusCode).toBe(401);
    expect(json(old).code).toBe('AUTH_INVALID_CREDENTIALS');

    const fresh = new Agent(t);
    expect((await fresh.login('resetme', 'Reset-Passw0rd')).statusCode).toBe(200);
    expect(fresh.me?.stage).toBe('change_password');
    expect((await fresh.get('/api/dictionary')).statusCode).toBe(403);
  });

  it('the reset password must meet the policy', async () => {
    const user = await createUser({ username: 'resetweak' });
    const res = await sec.post(`/api/users/${user.id}/password-reset`, { body: { password: 'short' } });
    expect(res.statusCode).toBe(422);
    expect(json(res).code).toBe('PASSWORD_POLICY');
  });

  it('locks after repeated failures until the security officer unlocks it', async () => {
    const user = await createUser({ username: 'lockme', roles: ['reader'] });
    const a = new Agent(t);
    for (let i = 0; i < 4; i++) expect(json(await a.login('lockme', 'Wrong-Passw0rd')).code).toBe('AUTH_INVALID_CREDENTIALS');
    const fifth = await a.login('lockme', 'Wrong-Passw0rd');
    expect(fifth.statusCode).toBe(401);
    expect(json(fifth).code).toBe('AUTH_LOCKED');
    expect(json(await a.login('lockme', INITIAL)).code).toBe('AUTH_LOCKED');

    const locked = await getUser(user.id);
    expect(locked.lockedUntil).not.toBeNull();
    expect(new Date(locked.lockedUntil!).getTime()).toBe(t.clock.now().getTime() + 30 * 60_000);

    const unlock = await sec.post(`/api/users/${user.id}/unlock`);
    expect(unlock.statusCode).toBe(200);
    expect(json<User>(unlock).lockedUntil).toBeNull();
    expect((await a.login('lockme', INITIAL)).statusCode).toBe(200);
    expect(a.me?.stage).toBe('change_password');
  });

  it('disabling ends his sessions and blocks login until enabled again', async () => {
    const { user, agent } = await signedIn({ username: 'disableme', roles: ['reader'] });
    const res = await sec.patch(`/api/users/${user.id}`, { body: { disabled: true } });
    expect(res.statusCode).toBe(200);
    expect(json<User>(res).disabled).toBe(true);

    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    const login = await new Agent(t).login('disableme', CHANGED);
    expect(login.statusCode).toBe(401);
    expect(json(login).code).toBe('AUTH_DISABLED');
    expect(json(login).message).toContain('停用');

    expect((await sec.patch(`/api/users/${user.id}`, { body: { disabled: false } })).statusCode).toBe(200);
    expect((await new Agent(t).login('disableme', CHANGED)).statusCode).toBe(200);
  });

  it('a change of roles ends his sessions; the new roles apply at the next login', async () => {
    const { user, agent } = await signedIn({ username: 'rolechange', roles: ['archivist'] });
    expect(agent.me?.permissions).toContain('dossier.edit');
    const res = await sec.put(`/api/users/${user.id}/roles`, { body: { roleIds: [role('scanner')] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<User>(res).roles.map((r) => r.code)).toEqual(['scanner']);

    const gone = await agent.get('/api/auth/me');
    expect(gone.statusCode).toBe(401);
    await agent.login('rolechange', CHANGED);
    expect(agent.me?.stage).toBe('active');
    const scanner = BUILT_IN_ROLES.find((r) => r.code === 'scanner')!;
    expect(agent.me?.permissions).toEqual([...scanner.permissions].sort());
  });

  it('a sensitive role (审批领导) makes him enrol TOTP at his next login, and enter it after that', async () => {
    const { user, agent } = await signedIn({ username: 'leaderx', roles: ['archivist'] });
    expect(agent.me?.user.totpRequired).toBe(false);
    const res = await sec.put(`/api/users/${user.id}/roles`, { body: { roleIds: [role('archivist'), role('leader')] } });
    expect(res.statusCode, res.body).toBe(200);

    await agent.login('leaderx', CHANGED);
    expect(agent.me?.stage).toBe('enrol_totp');
    expect(agent.me?.user.totpRequired).toBe(true);
    const blocked = await agent.get('/api/units');
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked).code).toBe('LOGIN_INCOMPLETE');

    await agent.signIn('leaderx', CHANGED);
    expect(agent.me?.stage).toBe('active');
    expect(agent.me?.permissions).toContain('access.approve');
    expect((await getUser(user.id)).totpEnrolled).toBe(true);

    const next = new Agent(t);
    await next.login('leaderx', CHANGED);
    expect(next.me?.stage).toBe('totp');
  });

  it('a TOTP reset ends his sessions and makes a sensitive user enrol again', async () => {
    const { user, agent } = await signedIn({ username: 'totpreset', roles: ['leader'] });
    expect(agent.totpSecret).toBeTruthy();
    const res = await sec.post(`/api/users/${user.id}/totp-reset`);
    expect(res.statusCode).toBe(200);
    expect(json<User>(res).totpEnrolled).toBe(false);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    await agent.login('totpreset', CHANGED);
    expect(agent.me?.stage).toBe('enrol_totp');
  });
});

describe('listing users', () => {
  it('searches user name and name, case-insensitively, with LIKE wildcards taken literally, and pages with a total', async () => {
    for (const [username, displayName] of [
      ['pg_u1', '分页甲'], ['pg_u2', '分页乙'], ['pg_u3', '分页丙'], ['pgxu4', '分页丁'], ['pg_u5', '其他人'],
    ]) {
      await createUser({ username: username!, displayName: displayName! });
    }
    const first = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { q: 'pg_', pageSize: 2 } }));
    expect(first.total).toBe(4);
    expect(first.items.map((u) => u.username)).toEqual(['pg_u1', 'pg_u2']);
    const second = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { q: 'pg_', pageSize: 2, page: 2 } }));
    expect(second.total).toBe(4);
    expect(second.items.map((u) => u.username)).toEqual(['pg_u3', 'pg_u5']);
    const beyond = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { q: 'pg_', pageSize: 2, page: 3 } }));
    expect(beyond).toEqual({ items: [], total: 4 });

    const upper = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { q: 'PG_U' } }));
    expect(upper.total).toBe(4);

    const byName = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { q: '分页' } }));
    expect(byName.items.map((u) => u.username)).toEqual(['pg_u1', 'pg_u2', 'pg_u3', 'pgxu4']);

    const percent = json<{ total: number }>(await sec.get('/api/users', { query: { q: '%' } }));
    expect(percent.total).toBe(0);
  });

  it('filters by unit', async () => {
    const unit = await createUnit('U-LIST', '列表单位');
    await createUser({ username: 'inlist1', unitId: unit.id });
    await createUser({ username: 'inlist2', unitId: unit.id });
    const page = json<{ items: User[]; total: number }>(await sec.get('/api/users', { query: { unitId: unit.id } }));
    expect(page.total).toBe(2);
    expect(page.items.map((u) => u.username)).toEqual(['inlist1', 'inlist2']);
    expect(page.items.every((u) => u.unitName === '列表单位')).toBe(true);
  });

  it('refuses a page size over 500', async () => {
    const res = await sec.get('/api/users', { query: { pageSize: 501 } });
    expect(res.statusCode).toBe(400);
    expect(json(res).code).toBe('VALIDATION_FAILED');
  });
});

describe('user names', () => {
  it('are one account whatever the letter case, at creation and at login', async () => {
    const t2 = await createTestApp();
    try {
      const s2 = new Agent(t2, '10.0.0.2');
      await s2.signIn('secadmin', BOOT_PASSWORD);
      const unitId = await rootUnitId(s2);
      const first = await s2.post('/api/users', { body: { username: 'LiWei', displayName: '李伟', unitId, password: 'Casing-Passw0rd' } });
      expect(first.statusCode).toBe(200);
      expect(json(first).username).toBe('liwei');
      const second = await s2.post('/api/users', { body: { username: 'liwei', displayName: '李伟', unitId, password: 'Casing-Passw0rd' } });
      expect(second.statusCode).toBe(409);
      expect(json(second).code).toBe('USERNAME_TAKEN');
      const login = await new Agent(t2).login('LIWEI', 'Casing-Passw0rd');
      expect(login.statusCode).toBe(200);
    } finally {
      await t2.close();
    }
  });
});

