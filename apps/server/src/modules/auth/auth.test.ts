import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, BOOT_PASSWORD, OFFICER_PASSWORD, createTestApp, json, type TestApp } from '../../../test/harness.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('first login of a bootstrap officer', () => {
  it('walks password change then TOTP enrolment, and only then opens the API', async () => {
    const a = new Agent(t);
    const login = await a.login('secadmin', BOOT_PASSWORD);
    expect(login.statusCode).toBe(200);
    expect(a.me?.stage).toBe('change_password');
    expect(a.me?.permissions).toEqual([]);

    const blocked = await a.get('/api/users');
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked).code).toBe('LOGIN_INCOMPLETE');

    const weak = await a.post('/api/auth/password', { body: { currentPassword: BOOT_PASSWORD, newPassword: 'secadmin12345' } });
    expect(weak.statusCode).toBe(422);
    expect(json(weak).code).toBe('PASSWORD_POLICY');
    expect(String(json(weak).message)).toContain('用户名');

    const same = await a.post('/api/auth/password', { body: { currentPassword: BOOT_PASSWORD, newPassword: BOOT_PASSWORD } });
    expect(json(same).code).toBe('PASSWORD_POLICY');

    const changed = await a.post('/api/auth/password', { body: { currentPassword: BOOT_PASSWORD, newPassword: 'N3w-Strong-Pass' } });
    expect(changed.statusCode).toBe(200);
    expect(a.me?.stage).toBe('enrol_totp');
    expect((await a.get('/api/users')).statusCode).toBe(403);

    const start = await a.post('/api/auth/totp/enrolment');
    const enrolment = json<{ secret: string; uri: string; qrSvg: string }>(start);
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(enrolment.qrSvg).toContain('<svg');
    a.totpSecret = enrolment.secret;

    const wrong = await a.post('/api/auth/totp/enrolment/confirm', { body: { code: '000000' } });
    expect(wrong.statusCode).toBe(422);
    const ok = await a.post('/api/auth/totp/enrolment/confirm', { body: { code: a.totpCode() } });
    expect(ok.statusCode).toBe(200);
    expect(a.me?.stage).toBe('active');
    expect(a.me?.permissions).toContain('user.manage');
    expect((await a.get('/api/users')).statusCode).toBe(200);
  });

  it('asks for the TOTP code at every later login and refuses a replayed code', async () => {
    const a = new Agent(t);
    await a.signIn('auditor', BOOT_PASSWORD);
    const b = new Agent(t);
    b.totpSecret = a.totpSecret;
    await b.login('auditor', OFFICER_PASSWORD);
    expect(b.me?.stage).toBe('totp');
    expect((await b.get('/api/audit/events')).statusCode).toBe(403);

    const code = b.totpCode();
    expect((await b.post('/api/auth/totp', { body: { code } })).statusCode).toBe(200);
    expect(b.me?.stage).toBe('active');

    const c = new Agent(t);
    await c.login('auditor', OFFICER_PASSWORD);
    const replay = await c.post('/api/auth/totp', { body: { code } });
    expect(replay.statusCode).toBe(422);
    expect(json(replay).message).toContain('已使用过');
  });
});

describe('password failures and lock-out', () => {
  it('locks the account after 5 failures, even for the right password, until unlocked or the time passes', async () => {
    const a = new Agent(t);
    for (let i = 1; i <= 4; i++) {
      const r = await a.login('sysadmin', 'wrong-password');
      expect(r.statusCode).toBe(401);
      expect(json(r).code).toBe('AUTH_INVALID_CREDENTIALS');
      expect(json(r).message).toContain(`再错 ${5 - i} 次`);
    }
    const fifth = await a.login('sysadmin', 'wrong-password');
    expect(json(fifth).code).toBe('AUTH_LOCKED');
    const right = await a.login('sysadmin', BOOT_PASSWORD);
    expect(right.statusCode).toBe(401);
    expect(json(right).code).toBe('AUTH_LOCKED');

    t.clock.advanceMinutes(31);
    expect((await a.login('sysadmin', BOOT_PASSWORD)).statusCode).toBe(200);
  });

  it('counts wrong TOTP codes too: five lock the account and end the half-open session', async () => {
    const a = new Agent(t);
    await a.signIn('auditor', BOOT_PASSWORD);
    const b = new Agent(t);
    await b.login('auditor', OFFICER_PASSWORD);
    for (let i = 0; i < 4; i++) expect(json(await b.post('/api/auth/totp', { body: { code: '000000' } })).code).toBe('AUTH_TOTP_INVALID');
    await b.post('/api/auth/totp', { body: { code: '000000' } });
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect(json(await new Agent(t).login('auditor', OFFICER_PASSWORD)).code).toBe('AUTH_LOCKED');
  });

  it('does not reveal whether a user name exists', async () => {
    const a = new Agent(t);
    const unknown = await a.login('nobody', 'whatever-password');
    const known = await a.login('auditor', 'whatever-password');
    expect(unknown.statusCode).toBe(401);
    expect(json(unknown).message).toBe('用户名或密码错误');
    expect(json(known).code).toBe('AUTH_INVALID_CREDENTIALS');
  });
});

describe('sessions', () => {
  it('sets a HttpOnly, SameSite=Strict cookie and ends after 15 idle minutes', async () => {
    const a = new Agent(t);
    const res = await a.login('sysadmin', BOOT_PASSWORD);
    const cookie = res.cookies.find((c) => c.name === 'dangan_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');

    const s = new Agent(t);
    await s.signIn('secadmin', BOOT_PASSWORD);
    t.clock.advanceMinutes(14);
    expect((await s.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advanceMinutes(14);
    expect((await s.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advanceMinutes(16);
    const expired = await s.get('/api/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(json(expired).code).toBe('AUTH_EXPIRED');
    expect(json(expired).message).toContain('空闲超时');
  });

  it('ends after 8 hours however active', async () => {
    const s = new Agent(t);
    await s.signIn('secadmin', BOOT_PASSWORD);
    for (let i = 0; i < 48; i++) {
      t.clock.advanceMinutes(10);
      const r = await s.get('/api/auth/me');
      if (r.statusCode !== 200) {
        expect(json(r).message).toContain('最长时长');
        expect(i).toBeGreaterThanOrEqual(46);
        return;
      }
    }
    throw new Error('session outlived 8 hours');
  });

  it('logout ends the session on the server', async () => {
    const s = new Agent(t);
    await s.signIn('secadmin', BOOT_PASSWORD);
    const cookie = s.cookie;
    expect((await s.post('/api/auth/logout')).statusCode).toBe(200);
    s.cookie = cookie;
    expect((await s.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('the security officer can see live sessions and force one out', async () => {
    const sec = new Agent(t);
    await sec.signIn('secadmin', BOOT_PASSWORD);
    const aud = new Agent(t, '10.9.9.9');
    await aud.signIn('auditor', BOOT_PASSWORD);
    const list = json<{ id: string; username: string; current: boolean; clientIp: string }[]>(await sec.get('/api/sessions'));
    const target = list.find((s) => s.username === 'auditor')!;
    expect(target.clientIp).toBe('10.9.9.9');
    expect(list.find((s) => s.username === 'secadmin')!.current).toBe(true);
    expect((await sec.delete(`/api/sessions/${target.id}`)).statusCode).toBe(200);
    expect((await aud.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('request protection', () => {
  it('refuses a state-changing request without the CSRF token', async () => {
    const s = new Agent(t);
    await s.signIn('secadmin', BOOT_PASSWORD);
    const res = await s.post('/api/units', { body: { parentId: null, code: 'X1', name: '测试' }, csrf: false });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('CSRF_INVALID');
    const forged = await s.post('/api/units', { body: { parentId: null, code: 'X1', name: '测试' }, csrf: false, headers: { 'x-csrf-token': 'forged' } });
    expect(json(forged).code).toBe('CSRF_INVALID');
  });

  it('refuses a login or change sent from another site', async () => {
    const a = new Agent(t);
    const cross = await a.post('/api/auth/login', {
      body: { username: 'secadmin', password: BOOT_PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(cross.statusCode).toBe(403);
    expect(json(cross).code).toBe('ORIGIN_MISMATCH');
    const same = await a.post('/api/auth/login', {
      body: { username: 'secadmin', password: BOOT_PASSWORD },
      headers: { origin: 'http://localhost:80', host: 'localhost:80' },
    });
    expect(same.statusCode).toBe(200);
  });

  it('sends security headers: CSP without inline scripts, no framing, no caching of API answers', async () => {
    const res = await new Agent(t).get('/api/health');
    const csp = String(res.headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers bad input with a Chinese message and a stable code, never a stack trace', async () => {
    const a = new Agent(t);
    const missing = await a.post('/api/auth/login', { body: { username: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).code).toBe('VALIDATION_FAILED');
    expect(json<{ fields: Record<string, string> }>(missing).fields.password).toBeTruthy();
    const notJson = await a.post('/api/auth/login', { body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(notJson.statusCode).toBe(400);
    expect(json(notJson).code).toBe('INVALID_JSON');
    const huge = await a.post('/api/auth/login', { body: { username: 'x', password: 'y'.repeat(2 * 1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    expect(json(huge).code).toBe('PAYLOAD_TOO_LARGE');
    for (const r of [missing, notJson, huge]) expect(r.body).not.toMatch(/at .*\.ts:\d+/);
    const injection = await a.login("admin' or '1'='1", "' or 1=1 --");
    expect(json(injection).code).toBe('AUTH_INVALID_CREDENTIALS');
  });
});

describe('the web client', () => {
  it('is served with its assets, and page paths get the app shell while unknown API paths get JSON 404', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const webDir = mkdtempSync(join(tmpdir(), 'dangan-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>干部人事档案系统</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log(1)');
    const served = await createTestApp({ webDir });
    try {
      const a = new Agent(served);
      const shell = await a.get('/users');
      expect(shell.statusCode).toBe(200);
      expect(shell.body).toContain('干部人事档案系统');
      expect(shell.headers['content-security-policy']).toContain("script-src 'self'");
      const asset = await a.get('/assets/app.js');
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      const api404 = await a.get('/api/no-such-thing');
      expect(api404.statusCode).toBe(404);
      expect(json(api404).code).toBe('NOT_FOUND');
      const traversal = await a.get('/assets/..%2f..%2f..%2fetc%2fpasswd');
      expect(traversal.body).not.toContain('root:');
    } finally {
      await served.close();
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 past the limit per address', async () => {
    const limited = await createTestApp({ loginRateLimit: { max: 3, timeWindow: 60_000 } });
    try {
      const a = new Agent(limited);
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await a.login('nobody', 'x')).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
