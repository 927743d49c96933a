import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditVerification } from '@dangan/contracts';
import { SETTINGS, SETTING_KEYS } from '@dangan/contracts';
import {
  Agent, BOOT_PASSWORD, OFFICER_PASSWORD, createTestApp, json, rootUnitId, signInOfficers, type Officers, type TestApp,
} from '../../../test/harness.js';

interface SettingView {
  key: string;
  label: string;
  description: string;
  category: 'security' | 'system';
  value: unknown;
  defaultValue: unknown;
  updatedAt: string | null;
  updatedBy: string | null;
}

const SECURITY_KEYS = SETTING_KEYS.filter((k) => SETTINGS[k].category === 'security');
const SYSTEM_KEYS = SETTING_KEYS.filter((k) => SETTINGS[k].category === 'system');

async function settingsOf(agent: Agent): Promise<SettingView[]> {
  const res = await agent.get('/api/settings');
  expect(res.statusCode, res.body).toBe(200);
  return json<SettingView[]>(res);
}

async function valueOf(agent: Agent, key: string): Promise<unknown> {
  return (await settingsOf(agent)).find((s) => s.key === key)?.value;
}

async function put(agent: Agent, key: string, value: unknown) {
  return agent.put(`/api/settings/${key}`, { body: { value } });
}

describe('who sees and changes which settings', () => {
  let t: TestApp;
  let o: Officers;
  beforeAll(async () => {
    t = await createTestApp();
    o = await signInOfficers(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the security officer sees the security settings only, at their defaults', async () => {
    const list = await settingsOf(o.secadmin);
    expect(list.map((s) => s.key)).toEqual(SECURITY_KEYS);
    expect(SECURITY_KEYS).toEqual([
      'password.minLength', 'password.minClasses', 'password.maxAgeDays', 'login.maxFailures', 'login.lockMinutes',
      'session.idleMinutes', 'session.absoluteHours', 'storage.cipher',
      'use.approvalLevels', 'use.maxGrantDays', 'use.maxPrintLimit', 'use.readerSessions',
      'alerts.fastPagingPages', 'alerts.fastPagingSeconds', 'alerts.workHours', 'alerts.workDays', 'alerts.failedLogins', 'alerts.bulkExports',
    ]);
    const minLength = list.find((s) => s.key === 'password.minLength')!;
    expect(minLength).toEqual({
      key: 'password.minLength', label: '密码最小长度', description: SETTINGS['password.minLength'].description,
      category: 'security', value: 10, defaultValue: 10, updatedAt: null, updatedBy: null,
    });
    for (const s of list) expect(s.value, s.key).toEqual(s.defaultValue);
  });

  it('the system administrator sees the system settings only', async () => {
    const list = await settingsOf(o.sysadmin);
    expect(list.map((s) => s.key)).toEqual(SYSTEM_KEYS);
    expect(SYSTEM_KEYS).toEqual([
      'audit.hashAlgorithm', 'dossier.numberPattern', 'scan.minDpi', 'scan.maxFileMB', 'scan.pixelLimit', 'scan.namingTemplates',
      'scan.sane.device', 'scan.sane.resolution', 'scan.sane.mode', 'scan.sane.source',
      'project.samplingPercent', 'project.passPercent', 'project.stuckDays', 'checks.maxSkewDeg', 'use.lendingDays', 'system.organizationName',
    ]);
    expect(list.find((s) => s.key === 'audit.hashAlgorithm')).toMatchObject({ category: 'system', value: 'sm3', defaultValue: 'sm3' });
  });

  it('neither changes the other\'s settings', async () => {
    const sec = await put(o.secadmin, 'audit.hashAlgorithm', 'sha256');
    expect(sec.statusCode).toBe(403);
    expect(json(sec).code).toBe('FORBIDDEN');
    expect(json(sec).message).toContain('审计链哈希算法');
    const sys = await put(o.sysadmin, 'password.minLength', 12);
    expect(sys.statusCode).toBe(403);
    expect(json(sys).code).toBe('FORBIDDEN');
    expect(await valueOf(o.sysadmin, 'audit.hashAlgorithm')).toBe('sm3');
    expect(await valueOf(o.secadmin, 'password.minLength')).toBe(10);
  });

  it('the auditor neither sees nor changes any', async () => {
    const list = await o.auditor.get('/api/settings');
    expect(list.statusCode).toBe(403);
    expect(json(list).code).toBe('FORBIDDEN');
    const change = await put(o.auditor, 'password.minLength', 12);
    expect(change.statusCode).toBe(403);
    expect(await valueOf(o.secadmin, 'password.minLength')).toBe(10);
  });

  it('refuses a value outside the setting\'s rule with SETTING_INVALID and keeps the old one', async () => {
    const cases: [Agent, string, unknown][] = [
      [o.secadmin, 'password.minLength', 7],
      [o.secadmin, 'password.minLength', 65],
      [o.secadmin, 'password.minLength', 10.5],
      [o.secadmin, 'password.minLength', '12'],
      [o.secadmin, 'password.minLength', null],
      [o.secadmin, 'password.minClasses', 5],
      [o.secadmin, 'login.maxFailures', 2],
      [o.secadmin, 'session.idleMinutes', 0],
      [o.secadmin, 'session.absoluteHours', 25],
      [o.sysadmin, 'audit.hashAlgorithm', 'md5'],
      [o.sysadmin, 'audit.hashAlgorithm', 'SM3'],
      [o.sysadmin, 'dossier.numberPattern', '[unclosed'],
      [o.sysadmin, 'system.organizationName', '   '],
      [o.sysadmin, 'system.organizationName', '档'.repeat(61)],
    ];
    for (const [agent, key, value] of cases) {
      const res = await put(agent, key, value);
      expect(res.statusCode, `${key}=${JSON.stringify(value)}`).toBe(422);
      expect(json(res).code, `${key}=${JSON.stringify(value)}`).toBe('SETTING_INVALID');
      expect(json(res).message).toContain(SETTINGS[key as keyof typeof SETTINGS].label);
    }
    const missing = await o.secadmin.put('/api/settings/password.minLength', { body: {} });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).code).toBe('VALIDATION_FAILED');

    for (const s of [...(await settingsOf(o.secadmin)), ...(await settingsOf(o.sysadmin))]) {
      expect(s.value, s.key).toEqual(s.defaultValue);
      expect(s.updatedAt, s.key).toBeNull();
    }
  });

  it('answers 404 for an unknown key', async () => {
    for (const key of ['password.maxLength', 'constructor', '__proto__']) {
      for (const agent of [o.secadmin, o.sysadmin]) {
        const res = await put(agent, key, 1);
        expect(res.statusCode, key).toBe(404);
        expect(json(res).code, key).toBe('SETTING_NOT_FOUND');
      }
    }
  });

  it('stores a valid change, says who made it and when, and records it in the audit log', async () => {
    t.clock.advanceMinutes(1);
    const res = await put(o.secadmin, 'login.maxFailures', 6);
    expect(res.statusCode, res.body).toBe(200);
    const view = json<SettingView>(res);
    expect(view).toMatchObject({ key: 'login.maxFailures', value: 6, defaultValue: 5, updatedBy: 'secadmin' });
    expect(view.updatedAt).toBe(t.clock.now().toISOString());
    expect((await settingsOf(o.secadmin)).find((s) => s.key === 'login.maxFailures')).toEqual(view);

    const trimmed = await put(o.sysadmin, 'system.organizationName', '  某市委组织部干部档案室  ');
    expect(json<SettingView>(trimmed).value).toBe('某市委组织部干部档案室');
    expect(json((await o.auditor.get('/api/auth/me'))).organizationName).toBe('某市委组织部干部档案室');

    const events = json<{ items: AuditEvent[] }>(
      await o.auditor.get('/api/audit/events', { query: { action: 'setting.update', objectId: 'login.maxFailures' } }),
    ).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actionLabel: '修改设置', objectLabel: '登录失败锁定次数', username: 'secadmin', detail: { before: 5, after: 6 } });
  });
});

describe('a changed setting takes effect', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  async function officer(username: 'sysadmin' | 'secadmin' | 'auditor'): Promise<Agent> {
    const a = new Agent(t, '10.0.0.9');
    await a.signIn(username, BOOT_PASSWORD);
    return a;
  }

  it('password.minLength 14: a 12-character password is refused, a 14-character one accepted', async () => {
    const sec = await officer('secadmin');
    expect((await put(sec, 'password.minLength', 14)).statusCode).toBe(200);

    const short = await sec.post('/api/auth/password', { body: { currentPassword: OFFICER_PASSWORD, newPassword: 'Kx7-mq2Lp9-z' } });
    expect('Kx7-mq2Lp9-z').toHaveLength(12);
    expect(short.statusCode).toBe(422);
    expect(json(short).code).toBe('PASSWORD_POLICY');
    expect(json(short).message).toContain('长度至少 14 位');

    const initial = await sec.post('/api/users', {
      body: { username: 'newcomer', displayName: '新人', unitId: await rootUnitId(sec), password: 'Kx7-mq2Lp9-z' },
    });
    expect(initial.statusCode).toBe(422);
    expect(json(initial).code).toBe('PASSWORD_POLICY');

    const long = await sec.post('/api/auth/password', { body: { currentPassword: OFFICER_PASSWORD, newPassword: 'Kx7-mq2Lp9-zW4' } });
    expect(long.statusCode, long.body).toBe(200);
  });

  it('session.idleMinutes 5: a session idle for 6 minutes is ended, one idle for 4 is not', async () => {
    const sec = await officer('secadmin');
    t.clock.advanceMinutes(6);
    expect((await sec.get('/api/auth/me')).statusCode).toBe(200);

    const res = await put(sec, 'session.idleMinutes', 5);
    expect(res.statusCode).toBe(200);
    expect(json((await sec.get('/api/auth/me'))).idleMinutes).toBe(5);

    t.clock.advanceMinutes(4);
    expect((await sec.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advanceMinutes(6);
    const idle = await sec.get('/api/auth/me');
    expect(idle.statusCode).toBe(401);
    expect(json(idle).code).toBe('AUTH_EXPIRED');
    expect(json(idle).message).toContain('空闲超时');
    // Ended for good, not just refused this once.
    expect((await sec.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('login.maxFailures 3 and login.lockMinutes 2: the third failure locks for two minutes', async () => {
    const sec = await officer('secadmin');
    expect((await put(sec, 'login.maxFailures', 3)).statusCode).toBe(200);
    expect((await put(sec, 'login.lockMinutes', 2)).statusCode).toBe(200);
    const a = new Agent(t);
    expect(json(await a.login('auditor', 'Wrong-Passw0rd')).message).toContain('再错 2 次');
    expect(json(await a.login('auditor', 'Wrong-Passw0rd')).message).toContain('再错 1 次');
    const third = await a.login('auditor', 'Wrong-Passw0rd');
    expect(json(third).code).toBe('AUTH_LOCKED');
    expect(json(third).message).toContain('锁定 2 分钟');
    t.clock.advanceMinutes(1);
    expect(json(await a.login('auditor', BOOT_PASSWORD)).code).toBe('AUTH_LOCKED');
    t.clock.advanceMinutes(2);
    expect((await a.login('auditor', BOOT_PASSWORD)).statusCode).toBe(200);
  });

  it('password.maxAgeDays 30: a password older than that must be changed at login', async () => {
    const sec = await officer('secadmin');
    expect((await put(sec, 'password.maxAgeDays', 30)).statusCode).toBe(200);
    t.clock.advanceMinutes(29 * 24 * 60);
    const fresh = new Agent(t);
    await fresh.login('secadmin', OFFICER_PASSWORD);
    expect(fresh.me?.stage).toBe('totp');
    expect(fresh.me?.passwordExpired).toBe(false);

    t.clock.advanceMinutes(2 * 24 * 60);
    const old = new Agent(t);
    old.totpSecret = sec.totpSecret;
    await old.login('secadmin', OFFICER_PASSWORD);
    expect(old.me?.passwordExpired).toBe(true);
    expect((await old.post('/api/auth/totp', { body: { code: old.totpCode() } })).statusCode).toBe(200);
    expect(old.me?.stage).toBe('change_password');
  });

  it('audit.hashAlgorithm sha256: new events carry sha256, older ones keep sm3, and the chain still verifies', async () => {
    const sys = await officer('sysadmin');
    const auditor = await officer('auditor');
    const res = await put(sys, 'audit.hashAlgorithm', 'sha256');
    expect(res.statusCode).toBe(200);
    const switchedAt = json<{ items: AuditEvent[] }>(
      await auditor.get('/api/audit/events', { query: { action: 'setting.update', objectId: 'audit.hashAlgorithm' } }),
    ).items[0]!;
    expect(switchedAt.detail).toEqual({ before: 'sm3', after: 'sha256' });

    // Some events after the switch.
    await sys.post('/api/dictionary/gender', { body: { code: 'H1', label: '哈希测试' } });
    await new Agent(t).login('nobody', 'whatever-password');

    const events = json<{ items: AuditEvent[] }>(await auditor.get('/api/audit/events', { query: { pageSize: 500 } })).items;
    const before = events.filter((e) => e.seq < switchedAt.seq);
    const after = events.filter((e) => e.seq > switchedAt.seq);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(before.every((e) => e.algorithm === 'sm3')).toBe(true);
    expect(after.every((e) => e.algorithm === 'sha256')).toBe(true);
    expect(after.find((e) => e.action === 'dictionary.create')?.hash).toMatch(/^[0-9a-f]{64}$/);

    const verify = await auditor.post('/api/audit/verify');
    expect(verify.statusCode).toBe(200);
    const result = json<AuditVerification>(verify);
    expect(result.intact).toBe(true);
    expect(result.firstBroken).toBeNull();
    expect(result.checked).toBe(result.lastSeq);
    expect(result.lastSeq).toBeGreaterThan(switchedAt.seq);
  });
});
