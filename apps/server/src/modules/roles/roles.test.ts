import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Role, User } from '@dangan/contracts';
import { ALL_PERMISSIONS, PERMISSIONS, checkSeparationOfDuties, dutyOf, isPermission } from '@dangan/domain';
import { Agent, BOOT_PASSWORD, createTestApp, json, rootUnitId, type TestApp } from '../../../test/harness.js';

const INITIAL = 'Init-Passw0rd!';

let t: TestApp;
let sec: Agent;
let auditor: Agent;
let rootId: string;

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t, '10.0.0.2');
  auditor = new Agent(t, '10.0.0.3');
  await sec.signIn('secadmin', BOOT_PASSWORD);
  await auditor.signIn('auditor', BOOT_PASSWORD);
  rootId = await rootUnitId(sec);
});
afterAll(async () => {
  await t.close();
});

async function listRoles(): Promise<Role[]> {
  const res = await sec.get('/api/roles');
  expect(res.statusCode).toBe(200);
  return json<Role[]>(res);
}

async function roleByCode(code: string): Promise<Role | undefined> {
  return (await listRoles()).find((r) => r.code === code);
}

async function createRole(code: string, name: string, permissions: string[], extra: Record<string, unknown> = {}): Promise<Role> {
  const res = await sec.post('/api/roles', { body: { code, name, permissions, ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  return json<Role>(res);
}

async function createUser(username: string, displayName: string, roleIds: string[]): Promise<User> {
  const res = await sec.post('/api/users', { body: { username, displayName, unitId: rootId, password: INITIAL, roleIds } });
  expect(res.statusCode, res.body).toBe(200);
  return json<User>(res);
}

async function auditEvents(query: Record<string, string>): Promise<AuditEvent[]> {
  const res = await auditor.get('/api/audit/events', { query });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: AuditEvent[] }>(res).items;
}

describe('permission catalogue', () => {
  it('lists every permission with its Chinese label, group and officer duty', async () => {
    const res = await sec.get('/api/permissions');
    expect(res.statusCode).toBe(200);
    const list = json<{ code: string; label: string; group: string; duty: string | null }[]>(res);
    expect(list.map((p) => p.code)).toEqual(ALL_PERMISSIONS);
    for (const p of list) {
      const def: { label: string; group: string } = PERMISSIONS[p.code as keyof typeof PERMISSIONS];
      expect(p, p.code).toEqual({ code: p.code, label: def.label, group: def.group, duty: dutyOf(p.code as never) ?? null });
    }
    expect(list.find((p) => p.code === 'audit.read')?.duty).toBe('audit');
    expect(list.find((p) => p.code === 'system.backup')?.duty).toBe('system');
    expect(list.find((p) => p.code === 'role.assign')?.duty).toBe('security');
    expect(list.find((p) => p.code === 'dossier.read')?.duty).toBeNull();
  });

  it('is for those who assign roles only', async () => {
    for (const url of ['/api/permissions', '/api/roles']) {
      const res = await auditor.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(json(res).code, url).toBe('FORBIDDEN');
    }
  });

  it('lists the built-in roles with their flags and holders', async () => {
    const roles = await listRoles();
    const byCode = new Map(roles.map((r) => [r.code, r]));
    for (const code of ['sysadmin', 'secadmin', 'auditor', 'archivist', 'scanner', 'inspector', 'reviewer', 'leader', 'reader']) {
      expect(byCode.get(code)?.builtIn, code).toBe(true);
    }
    expect(byCode.get('auditor')).toMatchObject({ name: '安全审计员', sensitive: true, userCount: 1 });
    expect(byCode.get('leader')).toMatchObject({ name: '审批领导', sensitive: true });
    expect(byCode.get('archivist')).toMatchObject({ name: '档案管理员', sensitive: false });
  });
});

describe('custom roles', () => {
  it('creates a role with its permissions sorted and without repeats, and it can be given to a user', async () => {
    const role = await createRole('filer', '归档员', ['dossier.read', 'catalogue.edit', 'dossier.read'], { description: '整理归档' });
    expect(role).toMatchObject({
      code: 'filer', name: '归档员', description: '整理归档', permissions: ['catalogue.edit', 'dossier.read'],
      sensitive: false, builtIn: false, userCount: 0,
    });
    expect(await roleByCode('filer')).toEqual(role);

    const user = await createUser('filer1', '归档甲', []);
    const res = await sec.put(`/api/users/${user.id}/roles`, { body: { roleIds: [role.id] } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await roleByCode('filer'))?.userCount).toBe(1);
  });

  it('updates name, description, sensitivity and permissions of a custom role', async () => {
    const role = await createRole('updatable', '可修改角色', ['stats.read']);
    const res = await sec.patch(`/api/roles/${role.id}`, {
      body: { name: '已修改角色', description: '新说明', sensitive: true, permissions: ['stats.read', 'cadre.read'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const expected = { ...role, name: '已修改角色', description: '新说明', sensitive: true, permissions: ['cadre.read', 'stats.read'] };
    expect(json<Role>(res)).toEqual(expected);
    expect(await roleByCode('updatable')).toEqual(expected);
  });

  it('a PATCH changes only the fields it names: renaming keeps the description and the sensitive flag', async () => {
    const role = await createRole('keepflags', '保留标记', ['stats.read'], { description: '须双因素', sensitive: true });
    const res = await sec.patch(`/api/roles/${role.id}`, { body: { name: '保留标记（改名）' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Role>(res)).toEqual({ ...role, name: '保留标记（改名）' });
    expect(await roleByCode('keepflags')).toEqual({ ...role, name: '保留标记（改名）' });
  });

  it('refuses a role mixing two officers\' duties', async () => {
    const res = await sec.post('/api/roles', { body: { code: 'mixed', name: '混合', permissions: ['user.manage', 'system.settings'] } });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('SEPARATION_OF_DUTIES');
    expect(json(res).message).toBe('三员分立：不能同时具有安全保密管理员与系统管理员的权限');
    expect(await roleByCode('mixed')).toBeUndefined();
  });

  it('refuses an officer duty with an archive permission', async () => {
    const res = await sec.post('/api/roles', { body: { code: 'officerplus', name: '越界', permissions: ['user.manage', 'dossier.read'] } });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('SEPARATION_OF_DUTIES');
    expect(json(res).message).toContain('查看档案');
    expect(await roleByCode('officerplus')).toBeUndefined();
  });

  it('refuses a permission the security officer does not hold himself', async () => {
    for (const permission of ['audit.read', 'system.backup']) {
      const res = await sec.post('/api/roles', { body: { code: 'overreach', name: '越权角色', permissions: [permission] } });
      expect(res.statusCode, permission).toBe(403);
      expect(json(res).code, permission).toBe('GRANT_EXCEEDS_OWN');
    }
    expect(await roleByCode('overreach')).toBeUndefined();

    const own = await createRole('helpdesk', '服务台', ['session.manage']);
    expect(own.permissions).toEqual(['session.manage']);
    const res = await sec.patch(`/api/roles/${own.id}`, { body: { permissions: ['audit.read'] } });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('GRANT_EXCEEDS_OWN');
    expect((await roleByCode('helpdesk'))?.permissions).toEqual(['session.manage']);
  });

  it('refuses any change to a built-in role', async () => {
    const archivist = (await roleByCode('archivist'))!;
    for (const patch of [{ name: '改名' }, { permissions: ['dossier.read'] }, { sensitive: true }]) {
      const res = await sec.patch(`/api/roles/${archivist.id}`, { body: patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(409);
      expect(json(res).code).toBe('ROLE_BUILT_IN');
      expect(json(res).message).toContain('内置角色');
    }
    expect(await roleByCode('archivist')).toEqual(archivist);
  });

  it('refuses a change that would make one of its holders break the separation of duties, and changes nothing', async () => {
    const role = await createRole('statsonly', '统计查看', ['stats.read']);
    const archivistId = (await roleByCode('archivist'))!.id;
    await createUser('holder1', '持有人甲', [archivistId, role.id]);

    const res = await sec.patch(`/api/roles/${role.id}`, { body: { name: '统计与用户', permissions: ['user.manage'] } });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('SEPARATION_OF_DUTIES');
    expect(json(res).message).toContain('持有人甲');
    expect(await roleByCode('statsonly')).toMatchObject({ name: '统计查看', permissions: ['stats.read'], userCount: 1 });
    expect(await auditEvents({ action: 'role.update', objectId: role.id })).toEqual([]);
  });

  it('a role change and a role assignment at the same moment cannot together break the separation of duties', async () => {
    const archivistId = (await roleByCode('archivist'))!.id;
    // A few rounds, because before the fix the outcome depends on timing.
    for (let round = 1; round <= 3; round++) {
      const role = await createRole(`skewrole${round}`, `并发统计${round}`, ['stats.read']);
      const user = await createUser(`skewuser${round}`, `并发用户${round}`, [role.id]);
      const [update, assign] = await Promise.all([
        sec.patch(`/api/roles/${role.id}`, { body: { permissions: ['user.manage'] } }),
        sec.put(`/api/users/${user.id}/roles`, { body: { roleIds: [role.id, archivistId] } }),
      ]);
      expect([update.statusCode, assign.statusCode].sort(), `round ${round}`).toEqual([200, 409]);
      const held = json<User>(await sec.get(`/api/users/${user.id}`)).roles.map((r) => r.id);
      const permissions = (await listRoles()).filter((r) => held.includes(r.id)).flatMap((r) => r.permissions);
      expect(checkSeparationOfDuties(permissions.filter(isPermission)), `round ${round}`).toBeNull();
    }
  });

  it('refuses a duplicate code or name, on creation and on renaming', async () => {
    await createRole('unique1', '唯一角色', ['stats.read']);
    const code = await sec.post('/api/roles', { body: { code: 'unique1', name: '另一个名字', permissions: ['stats.read'] } });
    expect(code.statusCode).toBe(409);
    expect(json(code).code).toBe('ROLE_CODE_TAKEN');
    const builtInCode = await sec.post('/api/roles', { body: { code: 'archivist', name: '另一个名字', permissions: ['stats.read'] } });
    expect(json(builtInCode).code).toBe('ROLE_CODE_TAKEN');
    const name = await sec.post('/api/roles', { body: { code: 'unique2', name: '唯一角色', permissions: ['stats.read'] } });
    expect(name.statusCode).toBe(409);
    expect(json(name).code).toBe('ROLE_NAME_TAKEN');
    const builtInName = await sec.post('/api/roles', { body: { code: 'unique2', name: '档案管理员', permissions: ['stats.read'] } });
    expect(json(builtInName).code).toBe('ROLE_NAME_TAKEN');
    expect(await roleByCode('unique2')).toBeUndefined();

    const other = await createRole('unique3', '第三个角色', ['stats.read']);
    const rename = await sec.patch(`/api/roles/${other.id}`, { body: { name: '唯一角色' } });
    expect(rename.statusCode).toBe(409);
    expect(json(rename).code).toBe('ROLE_NAME_TAKEN');
    expect((await roleByCode('unique3'))?.name).toBe('第三个角色');
    // Keeping one's own name is no conflict.
    expect((await sec.patch(`/api/roles/${other.id}`, { body: { name: '第三个角色', description: '备注' } })).statusCode).toBe(200);
  });

  it('answers simultaneous creations of one code with one success and 409 for the rest, never 500', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => sec.post('/api/roles', { body: { code: 'racerole', name: `并发角色${i}`, permissions: ['stats.read'] } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).code).toBe('ROLE_CODE_TAKEN');
    expect((await listRoles()).filter((r) => r.code === 'racerole')).toHaveLength(1);
  });

  it('validates the input: code format, at least one known permission', async () => {
    for (const body of [
      { code: 'Bad-Code', name: '格式', permissions: ['stats.read'] },
      { code: 'nopermissions', name: '无权限', permissions: [] },
      { code: 'unknownperm', name: '未知权限', permissions: ['dossier.delete'] },
    ]) {
      const res = await sec.post('/api/roles', { body });
      expect(res.statusCode, body.code).toBe(400);
      expect(json(res).code, body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers 404 for an unknown role', async () => {
    const res = await sec.patch('/api/roles/01900000-0000-7000-8000-000000000000', { body: { name: '无此角色' } });
    expect(res.statusCode).toBe(404);
    expect(json(res).code).toBe('ROLE_NOT_FOUND');
  });

  it('is managed by the security officer only', async () => {
    const res = await auditor.post('/api/roles', { body: { code: 'byauditor', name: '审计员建的', permissions: ['audit.read'] } });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('FORBIDDEN');
    expect(await roleByCode('byauditor')).toBeUndefined();
  });
});

describe('sensitive custom roles', () => {
  it('are always sensitive when they carry an officer duty', async () => {
    const role = await createRole('deskclerk', '用户维护员', ['user.manage'], { sensitive: false });
    expect(role.sensitive).toBe(true);
    const cleared = await sec.patch(`/api/roles/${role.id}`, { body: { sensitive: false } });
    expect(cleared.statusCode).toBe(200);
    expect(json<Role>(cleared).sensitive).toBe(true);
    const plain = await createRole('readonlydesk', '统计查看员', ['stats.read'], { sensitive: false });
    expect(plain.sensitive).toBe(false);
  });

  it('make their holders enrol TOTP at the next login once marked sensitive', async () => {
    const role = await createRole('nightdesk', '夜间值班', ['stats.read']);
    await createUser('night1', '值班甲', [role.id]);
    const a = new Agent(t, '10.7.0.1');
    await a.signIn('night1', INITIAL);
    expect(a.me?.stage).toBe('active');
    expect((await sec.patch(`/api/roles/${role.id}`, { body: { sensitive: true } })).statusCode).toBe(200);

    const next = new Agent(t, '10.7.0.2');
    await next.login('night1', `${INITIAL}x9`);
    expect(next.me?.stage).toBe('enrol_totp');
    expect(next.me?.user.totpRequired).toBe(true);
  });

  it('end the holders\' open one-factor sessions once marked sensitive', async () => {
    const role = await createRole('weekenddesk', '周末值班', ['stats.read']);
    await createUser('weekend1', '值班乙', [role.id]);
    const a = new Agent(t, '10.7.0.3');
    await a.signIn('weekend1', INITIAL);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await sec.patch(`/api/roles/${role.id}`, { body: { sensitive: true } })).statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('audit', () => {
  it('records each creation and change with who, what and before/after', async () => {
    const role = await createRole('audited', '留痕角色', ['stats.read', 'cadre.read'], { description: '原说明' });
    const created = await auditEvents({ action: 'role.create', objectId: role.id });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: 'role.create', actionLabel: '新建角色', objectType: 'role', objectLabel: '留痕角色', username: 'secadmin',
      roles: 'secadmin', clientIp: '10.0.0.2', result: 'success',
    });
    expect(created[0]!.detail).toMatchObject({ after: { code: 'audited', name: '留痕角色', permissions: ['cadre.read', 'stats.read'] } });

    const all = await auditEvents({ action: 'role.create' });
    expect(all.map((e) => e.objectLabel)).toEqual(expect.arrayContaining(['归档员', '留痕角色']));

    const patch = { name: '留痕角色二', description: '原说明', permissions: ['stats.read'] };
    expect((await sec.patch(`/api/roles/${role.id}`, { body: patch })).statusCode).toBe(200);
    const updated = await auditEvents({ action: 'role.update', objectId: role.id });
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ actionLabel: '修改角色', objectLabel: '留痕角色二', username: 'secadmin' });
    expect(updated[0]!.detail).toEqual({
      before: { name: '留痕角色', description: '原说明', sensitive: false, permissions: ['cadre.read', 'stats.read'] },
      after: { name: '留痕角色二', description: '原说明', sensitive: false, permissions: ['stats.read'] },
    });
  });

  it('records refused attempts to reach role management', async () => {
    await auditor.post('/api/roles', { body: { code: 'denied', name: '被拒', permissions: ['audit.read'] } });
    const denied = await auditEvents({ action: 'access.denied', username: 'auditor' });
    expect(denied.some((e) => e.objectId === 'POST /api/roles' && e.result === 'denied')).toBe(true);
  });
});
