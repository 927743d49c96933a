import { api, type Endpoint } from '@dangan/contracts';
import { BUILT_IN_ROLES, type Permission } from '@dangan/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from './harness.js';

/** Every endpoint of the contract, flattened. */
function endpoints(node: unknown = api, out: Endpoint[] = []): Endpoint[] {
  if (node && typeof node === 'object' && 'method' in node && 'path' in node) out.push(node as Endpoint);
  else if (node && typeof node === 'object') for (const v of Object.values(node)) endpoints(v, out);
  return out;
}

const ALL = endpoints();
const DUMMY_ID = '00000000-0000-7000-8000-000000000000';

function urlOf(e: Endpoint): string {
  return e.path.replace(':type', 'gender').replace(':key', 'no.such.key').replace(/:id/g, DUMMY_ID);
}

/** The expectation, from the role definitions and the endpoint's declared access alone. */
function allowed(e: Endpoint, permissions: readonly Permission[]): boolean {
  if (e.access === 'public' || e.access === 'session' || e.access === 'user') return true;
  const needed: readonly Permission[] = typeof e.access === 'string' ? [e.access] : e.access;
  return needed.some((p) => permissions.includes(p));
}

let t: TestApp;
const agents = new Map<string, Agent>();

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  agents.set('secadmin', sec);
  for (const officer of ['sysadmin', 'auditor']) {
    const a = new Agent(t);
    await a.signIn(officer, BOOT_PASSWORD);
    agents.set(officer, a);
  }
  const root = await rootUnitId(sec);
  for (const role of BUILT_IN_ROLES.filter((r) => !agents.has(r.code))) {
    const username = `u_${role.code}`;
    const res = await sec.post('/api/users', {
      body: { username, displayName: role.name, unitId: root, password: 'Matrix-Passw0rd', roleIds: [await roleId(sec, role.code)] },
    });
    expect(res.statusCode).toBe(200);
    const a = new Agent(t);
    await a.signIn(username, 'Matrix-Passw0rd');
    agents.set(role.code, a);
  }
});
afterAll(async () => {
  await t.close();
});

describe('access matrix: every route × every built-in role', () => {
  it('covers every route the server registers under /api', () => {
    const declared = new Set(ALL.map((e) => `${e.method} ${e.path}`));
    const extra = t.app.routeList
      .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !declared.has(r) && r !== 'GET /api/openapi.json');
    expect(extra).toEqual([]);
    expect(ALL.length).toBeGreaterThan(30);
  });

  it('answers 401 to anonymous callers everywhere but login and health', async () => {
    const anonymous = new Agent(t);
    for (const e of ALL) {
      const res = await anonymous.call(e.method, urlOf(e), { body: e.method === 'GET' ? undefined : {} });
      if (e.access === 'public') expect(res.statusCode, `${e.method} ${e.path}`).not.toBe(401);
      else expect([res.statusCode, json(res).code], `${e.method} ${e.path}`).toEqual([401, 'AUTH_REQUIRED']);
    }
    for (const url of ['/api/openapi.json', '/api/docs', '/api/docs/json']) {
      expect((await anonymous.get(url)).statusCode, url).toBe(401);
    }
    expect((await anonymous.get('/api/docs/static/swagger-ui.css')).statusCode).toBe(200);
  });

  for (const role of BUILT_IN_ROLES) {
    it(`${role.name} (${role.code}) reaches exactly what the catalogue grants`, async () => {
      const agent = agents.get(role.code)!;
      const seen: string[] = [];
      for (const e of ALL) {
        if (e === api.auth.logout) continue;
        const res = await agent.call(e.method, urlOf(e), { body: e.method === 'GET' ? undefined : {} });
        const label = `${role.code}: ${e.method} ${e.path} → ${res.statusCode} ${res.statusCode >= 400 ? json(res).code : ''}`;
        seen.push(label);
        if (allowed(e, role.permissions)) {
          expect([401, 403], label).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, label).toBe(403);
          expect(json(res).code, label).toBe('FORBIDDEN');
        }
      }
      expect(seen.length).toBe(ALL.length - 1);
      // The session survived the whole walk, so logout is reachable too.
      expect((await agent.post('/api/auth/logout')).statusCode).toBe(200);
    });
  }

  it('keeps the three officers out of each other\'s duties and out of archive work', () => {
    const perms = (code: string) => BUILT_IN_ROLES.find((r) => r.code === code)!.permissions;
    const reach = (code: string) => ALL.filter((e) => typeof e.access !== 'string' || !['public', 'session', 'user'].includes(e.access)).filter((e) => allowed(e, perms(code)));
    expect(reach('auditor').every((e) => e.path.startsWith('/api/audit'))).toBe(true);
    expect(reach('sysadmin').some((e) => e.path.startsWith('/api/audit') || e.path.startsWith('/api/users'))).toBe(false);
    expect(reach('secadmin').some((e) => e.path.startsWith('/api/audit'))).toBe(false);
  });
});
