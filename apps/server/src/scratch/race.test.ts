import { afterAll, beforeAll, expect, it } from 'vitest';
import { Agent, BOOT_PASSWORD, createTestApp, json, rootUnitId, type TestApp } from '../../test/harness.js';
let t: TestApp; let sec: Agent; let rootId: string;
beforeAll(async () => { t = await createTestApp(); sec = new Agent(t); await sec.signIn('secadmin', BOOT_PASSWORD); rootId = await rootUnitId(sec); });
afterAll(async () => { await t.close(); });
it('probe', async () => {
  for (const [m, u, b] of [['GET', '/api/users/abc', undefined], ['PATCH', '/api/units/abc', { name: 'x' }], ['PATCH', '/api/roles/abc', { name: 'x' }], ['PATCH', '/api/dictionary/gender/abc', { label: 'x' }], ['POST', '/api/users/abc/unlock', undefined], ['PUT', '/api/users/abc/roles', { roleIds: ['abc'] }]] as const) {
    const r = await sec.call(m, u, b ? { body: b } : {});
    console.log(m, u, r.statusCode, r.body.slice(0, 100));
  }
  const b = { username: 'back\\slash'.replace('\\', '_'), displayName: 'a\\b', unitId: rootId, password: 'Init-Passw0rd!' };
  console.log((await sec.post('/api/users', { body: b })).statusCode);
  for (const q of ['\\', 'a\\b', '_', "'"]) console.log(q, (await sec.get('/api/users', { query: { q } })).body.slice(0, 80));
  const mk = await sec.post('/api/users', { body: { username: 'LiWei', displayName: 'x', unitId: rootId, password: 'Init-Passw0rd!' } });
  const mk2 = await sec.post('/api/users', { body: { username: 'liwei', displayName: 'x', unitId: rootId, password: 'Init-Passw0rd!' } });
  console.log('case', mk.statusCode, mk2.statusCode);
});
