import { afterAll, beforeAll, expect, it } from 'vitest';
import { Agent, BOOT_PASSWORD, createTestApp, json, rootUnitId, type TestApp } from '../../test/harness.js';
let t: TestApp; let sec: Agent; let rootId: string;
beforeAll(async () => { t = await createTestApp(); sec = new Agent(t); await sec.signIn('secadmin', BOOT_PASSWORD); rootId = await rootUnitId(sec); });
afterAll(async () => { await t.close(); });
it('race', async () => {
  for (let i = 0; i < 5; i++) {
    const b = { username: `race${i}`, displayName: 'x', unitId: rootId, password: 'Init-Passw0rd!' };
    const rs = await Promise.all([sec.post('/api/users', { body: b }), sec.post('/api/users', { body: b })]);
    console.log('users', rs.map((r) => r.statusCode + ' ' + json(r).code));
    const u = { parentId: rootId, code: `RC${i}`, name: 'x' };
    const us = await Promise.all([sec.post('/api/units', { body: u }), sec.post('/api/units', { body: u })]);
    console.log('units', us.map((r) => r.statusCode + ' ' + json(r).code));
    const ro = { code: `race${i}`, name: `race${i}`, permissions: ['stats.read'] };
    const rr = await Promise.all([sec.post('/api/roles', { body: ro }), sec.post('/api/roles', { body: ro })]);
    console.log('roles', rr.map((r) => r.statusCode + ' ' + json(r).code));
    const d = { code: `R${i}`, label: 'x' };
    const ds = await Promise.all([sec.post('/api/dictionary/gender', { body: d }), sec.post('/api/dictionary/gender', { body: d })]);
    console.log('dict', ds.map((r) => r.statusCode + ' ' + json(r).code));
  }
});
