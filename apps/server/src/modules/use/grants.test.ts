import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessGrant, AccessRequest, Cadre } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

const PASSWORD = 'Grant-Passw0rd1';

let t: TestApp;
let sec: Agent;
const agents: Record<string, Agent> = {};
const dossiers: Record<string, string> = {};

async function ok<T>(res: Promise<LightMyRequestResponse>): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return json<T>(r);
}

const minutes = (n: number) => new Date(t.clock.now().getTime() + n * 60_000).toISOString();

async function list(agent: Agent, state: 'running' | 'ended') {
  return ok<{ items: AccessGrant[]; total: number }>(agent.get('/api/access/grants', { query: { state } }));
}

async function grant(dossierId: string, minutesLong: number): Promise<AccessRequest> {
  const req = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', {
    body: {
      dossierIds: [dossierId], purpose: '01', purposeNote: '干部考察', mode: 'print', scopeKind: 'classes', classCodes: ['1'],
      periodFrom: minutes(0), periodTo: minutes(minutesLong), printLimit: 2,
    },
  }));
  return ok<AccessRequest>(agents.uleadA!.post(`/api/access/requests/${req.id}/approve`, { body: { comment: '同意' } }));
}

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const unitA = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'GA', name: '一处' } })).id;
  const users: [string, string, string, string][] = [
    ['gclerk', '档案员', 'archivist', root],
    ['ureader', '查阅人甲', 'reader', unitA],
    ['uleadA', '领导甲', 'leader', unitA],
  ];
  for (const [username, displayName, role, unitId] of users) {
    const res = await sec.post('/api/users', {
      body: { username, displayName, unitId, password: PASSWORD, roleIds: [await roleId(sec, role)], scope: { kind: 'unit_and_below', unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    agents[username] = new Agent(t);
    await agents[username].signIn(username, PASSWORD);
  }
  for (const [name, no] of [['王建国', 'GA001'], ['李四', 'GA002']] as const) {
    const c = await ok<Cadre>(agents.gclerk!.post('/api/cadres', { body: { name, managingUnitId: unitA, dossier: { dossierNo: no, custodianUnitId: root } } }));
    await ok(agents.gclerk!.post(`/api/dossiers/${c.dossier!.id}/materials`, { body: { classCode: '1', name: '干部履历表', formedOn: '1995-06', pages: 1 } }));
    dossiers[no] = c.dossier!.id;
  }
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('查阅授权 (grant.manage)', () => {
  it('the security officer lists running grants of all units, revokes one, it moves to ended; expired ones too, newest first', async () => {
    const long = await grant(dossiers.GA001!, 72 * 60);
    const short = await grant(dossiers.GA002!, 10);

    const running = await list(sec, 'running');
    expect(running.total).toBe(2);
    expect(running.items.map((g) => g.requestNo)).toEqual([short.requestNo, long.requestNo]); // the soonest end first
    const row = running.items.find((g) => g.id === long.id)!;
    expect(row).toMatchObject({
      requester: { name: '查阅人甲' }, requesterUnitName: '一处', modeLabel: '打印', scopeSummary: '按类别：1 履历类材料',
      printLimit: 2, printsUsed: 0, state: 'approved', stateLabel: '生效中', running: true, endedAt: null,
      grantedFrom: long.grantedFrom, grantedUntil: long.grantedUntil,
    });
    expect(row.dossiers).toMatchObject([{ dossierNo: 'GA001', cadreName: '王建国', managingUnitName: '一处' }]);
    expect(row).not.toHaveProperty('materials');
    expect((await list(sec, 'ended')).total).toBe(0);

    // The short grant runs out (sessions idle out after 15 minutes): before the chore it already counts as ended.
    t.clock.advance(11 * 60_000);
    expect((await list(sec, 'running')).items.map((g) => g.id)).toEqual([long.id]);
    expect((await list(sec, 'ended')).items).toMatchObject([{ id: short.id, stateLabel: '已到期', running: false, endedAt: short.grantedUntil }]);
    await t.core.housekeeping.runOnce(['access.expire']);
    expect((await list(sec, 'ended')).items).toMatchObject([{ id: short.id, state: 'expired', stateLabel: '已到期', endedAt: t.clock.now().toISOString() }]);

    t.clock.advance(60_000);
    const revoked = await ok<AccessRequest>(sec.post(`/api/access/requests/${long.id}/revoke`, { body: { reason: '发现违规查阅' } }));
    expect(revoked).toMatchObject({ state: 'revoked', revokedBy: { name: '安全保密管理员' } });
    expect((await list(sec, 'running')).total).toBe(0);
    const ended = await list(sec, 'ended');
    expect(ended.total).toBe(2);
    expect(ended.items.map((g) => g.id)).toEqual([long.id, short.id]);
    expect(ended.items[0]).toMatchObject({ state: 'revoked', stateLabel: '已撤销', revokeReason: '发现违规查阅', endedAt: t.clock.now().toISOString() });
    const audit = await t.core.handle.db.selectFrom('audit_events').selectAll().where('action', '=', 'access.grant.revoke').execute();
    expect(audit.map((e) => [e.object_label, e.username])).toEqual([[long.requestNo, 'secadmin']]);
  });

  it('is refused to an archivist, a reader and a leader', async () => {
    for (const name of ['gclerk', 'ureader', 'uleadA']) {
      const res = await agents[name]!.get('/api/access/grants', { query: { state: 'running' } });
      expect(res.statusCode, name).toBe(403);
      expect(json<{ code: string }>(res).code).toBe('FORBIDDEN');
    }
  });

  it('refuses an unknown state', async () => {
    const res = await sec.get('/api/access/grants', { query: { state: 'all' } });
    expect(res.statusCode).toBe(400);
  });
});
