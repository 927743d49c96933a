import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessCadre, AccessMaterial, AccessRequest, Cadre, Relative } from '@dangan/contracts';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

const PASSWORD = 'Use-Passw0rd1';
const ID = {
  cadre: '110101199003071233', // 李四 himself
  spouse: '11010519491231002X', // 王建国's spouse, and the user 亲属甲
  leaderSelf: '110101199003071233',
  reader: '440304198506152037',
};

let t: TestApp;
let sec: Agent;
const agents: Record<string, Agent> = {};
const ids: Record<string, string> = {};
let d1: { id: string; cadreId: string; materials: Record<string, string> };
let d2: { id: string; cadreId: string };
let dFar: { id: string };

async function ok<T>(res: Promise<LightMyRequestResponse>): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return json<T>(r);
}

async function refused(res: Promise<LightMyRequestResponse>, status: number, code: string) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  const body = json<{ code: string; message: string; fields?: Record<string, string> }>(r);
  expect(body.code).toBe(code);
  return body;
}

const hours = (n: number) => new Date(t.clock.now().getTime() + n * 3600_000).toISOString();

function body(dossierId: string, extra: Record<string, unknown> = {}) {
  return {
    dossierIds: [dossierId], purpose: '01', purposeNote: '干部考察', mode: 'read', scopeKind: 'classes', classCodes: ['1', '9'],
    periodFrom: hours(0), periodTo: hours(72), ...extra,
  };
}

async function count(table: 'access_requests' | 'access_approvals' | 'access_request_dossiers'): Promise<number> {
  const r = await t.core.handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function auditOf(action: string) {
  return t.core.handle.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
}

async function actorOf(agent: Agent): Promise<Actor> {
  return (await t.core.auth.authenticate(agent.cookie, agent.ip)).actor;
}

async function openSession(requestId: string, dossierId: string, userId: string): Promise<string> {
  const id = newId();
  const at = t.clock.now().toISOString();
  await t.core.handle.db.insertInto('reading_sessions').values({
    id, request_id: requestId, dossier_id: dossierId, user_id: userId, login_session_id: 'x', client_ip: null,
    opened_at: at, last_seen_at: at, closed_at: null, close_reason: null,
  }).execute();
  return id;
}

async function materialId(dossierId: string, classCode: string): Promise<string> {
  const row = await t.core.handle.db.selectFrom('materials').select('id').where('dossier_id', '=', dossierId).where('class_code', '=', classCode).executeTakeFirstOrThrow();
  return row.id;
}

async function setLevels(n: number) {
  await ok(sec.put('/api/settings/use.approvalLevels', { body: { value: n } }));
}

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const unit = async (parentId: string, code: string, name: string) =>
    json<{ id: string }>(await sec.post('/api/units', { body: { parentId, code, name } })).id;
  ids.a = await unit(root, 'UA', '一处');
  ids.a1 = await unit(ids.a, 'UA1', '一处一科');
  ids.b = await unit(root, 'UB', '二处');
  const users: [string, string, string[], string, string, Record<string, unknown>][] = [
    ['uclerk', '档案员', ['archivist'], root, 'unit_and_below', {}],
    ['ureader', '查阅人甲', ['reader'], ids.a, 'unit_and_below', { idNumber: ID.reader }],
    ['ukin', '亲属甲', ['reader'], ids.a, 'unit_and_below', { idNumber: ID.spouse.toLowerCase() }],
    ['ukid', '王小明', ['reader'], ids.a, 'unit_and_below', { birthDate: '1998-06-15' }],
    ['ufarreader', '查阅人乙', ['reader'], ids.b, 'own_unit', {}],
    ['uleadA', '领导甲', ['leader'], ids.a, 'unit_and_below', {}],
    ['uleadA1', '领导丙', ['leader'], ids.a1, 'unit_and_below', {}],
    ['uleadRoot', '领导乙', ['leader'], root, 'unit_and_below', {}],
    ['uleadB', '领导丁', ['leader'], ids.b, 'unit_and_below', {}],
    ['uleadSelf', '领导戊', ['leader'], ids.a, 'unit_and_below', { idNumber: ID.leaderSelf }],
    ['uleadKid', '李小华', ['leader'], ids.a, 'unit_and_below', { birthDate: '2000-01-02' }],
    ['uboth', '兼任者', ['reader', 'leader'], ids.a, 'unit_and_below', {}],
  ];
  for (const [username, displayName, roles, unitId, scope, identity] of users) {
    const roleIds = await Promise.all(roles.map((r) => roleId(sec, r)));
    const res = await sec.post('/api/users', {
      body: { username, displayName, unitId, password: PASSWORD, roleIds, scope: { kind: scope, unitIds: [] }, ...identity },
    });
    expect(res.statusCode, res.body).toBe(200);
    ids[username] = json<{ id: string }>(res).id;
    agents[username] = new Agent(t);
    await agents[username].signIn(username, PASSWORD);
  }
  const clerk = agents.uclerk!;
  const cadre = async (name: string, managingUnitId: string, no: string, extra: Record<string, unknown> = {}) =>
    ok<Cadre>(clerk.post('/api/cadres', { body: { name, managingUnitId, ...extra, dossier: { dossierNo: no, custodianUnitId: root } } }));
  const c1 = await cadre('王建国', ids.a, 'UA001', { birthDate: '1970-03-07' });
  const materials: Record<string, string> = {};
  for (const [classCode, name] of [['1', '干部履历表'], ['4-1', '毕业登记表'], ['8', '处分决定'], ['9-2', '任免审批表']] as const) {
    await ok(clerk.post(`/api/dossiers/${c1.dossier!.id}/materials`, { body: { classCode, name, formedOn: '1995-06', pages: 1 } }));
    materials[classCode] = await materialId(c1.dossier!.id, classCode);
  }
  d1 = { id: c1.dossier!.id, cadreId: c1.id, materials };
  const c2 = await cadre('李四', ids.a, 'UA002', { idNumber: ID.cadre, birthDate: '1990-03-07' });
  d2 = { id: c2.dossier!.id, cadreId: c2.id };
  const c3 = await cadre('赵五', ids.b, 'UB001');
  await ok(clerk.post(`/api/dossiers/${c3.dossier!.id}/materials`, { body: { classCode: '1', name: '履历表', formedOn: '1995-06', pages: 1 } }));
  dFar = { id: c3.dossier!.id };
  ids.farMaterial = await materialId(c3.dossier!.id, '1');
  await ok<Relative>(clerk.post(`/api/cadres/${c1.id}/relatives`, { body: { relation: '10', name: '刘芳', idNumber: ID.spouse, workUnit: '某中学' } }));
  await ok<Relative>(clerk.post(`/api/cadres/${c1.id}/relatives`, { body: { relation: '20', name: '王小明', birthDate: '1998-06' } }));
  await ok<Relative>(clerk.post(`/api/cadres/${c2.id}/relatives`, { body: { relation: '20', name: '李小华', birthDate: '2000-01-02' } }));
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('家庭成员', () => {
  it('are listed with the relation in words, validated, changed and deleted with before/after in the audit', async () => {
    const clerk = agents.uclerk!;
    const list = await ok<Relative[]>(clerk.get(`/api/cadres/${d1.cadreId}/relatives`));
    expect(list.map((r) => [r.relationLabel, r.name, r.birthDate])).toEqual([['配偶', '刘芳', '1949-12-31'], ['子女', '王小明', '1998-06']]);
    await refused(clerk.post(`/api/cadres/${d1.cadreId}/relatives`, { body: { relation: '10', name: '某', idNumber: '110105194912310021' } }), 422, 'ID_NUMBER_INVALID');
    await refused(clerk.post(`/api/cadres/${d1.cadreId}/relatives`, { body: { relation: '77', name: '某' } }), 422, 'CODE_UNKNOWN');
    await refused(agents.ureader!.post(`/api/cadres/${d1.cadreId}/relatives`, { body: { relation: '10', name: '某' } }), 403, 'FORBIDDEN');
    const extra = await ok<Relative>(clerk.post(`/api/cadres/${d1.cadreId}/relatives`, { body: { relation: '50', name: '王建军' } }));
    const changed = await ok<Relative>(clerk.patch(`/api/cadres/${d1.cadreId}/relatives/${extra.id}`, { body: { workUnit: '某厂' } }));
    expect(changed.workUnit).toBe('某厂');
    await ok(clerk.delete(`/api/cadres/${d1.cadreId}/relatives/${extra.id}`));
    const update = (await auditOf('relative.update')).at(-1)!;
    expect(JSON.parse(update.detail!)).toMatchObject({ before: { workUnit: '' }, after: { workUnit: '某厂', relation: '兄弟姐妹' } });
    expect((await auditOf('relative.delete')).at(-1)!.detail).toContain('王建军');
  });
});

describe('a user\'s own identity', () => {
  it('is set by the security officer: the ID number checked and normalized, the birth date taken from it', async () => {
    const kin = await ok<{ idNumber: string; birthDate: string }>(sec.get(`/api/users/${ids.ukin}`));
    expect(kin).toMatchObject({ idNumber: ID.spouse, birthDate: '1949-12-31' });
    await refused(sec.patch(`/api/users/${ids.ukin}`, { body: { idNumber: '11010519491231002Y' } }), 422, 'ID_NUMBER_INVALID');
    await refused(sec.patch(`/api/users/${ids.ukin}`, { body: { idNumber: '110105194912310021' } }), 422, 'ID_NUMBER_INVALID');
    const changed = await ok<{ birthDate: string }>(sec.patch(`/api/users/${ids.ufarreader}`, { body: { birthDate: '1985.06.15' } }));
    expect(changed.birthDate).toBe('1985-06-15');
    expect((await auditOf('user.update')).at(-1)!.detail).toContain('1985-06-15');
  });
});

describe('the requester\'s lookup', () => {
  it('finds cadres of his scope by name, initials or 档案号 with class counts, and lists a dossier\'s materials', async () => {
    const found = await ok<AccessCadre[]>(agents.ureader!.get('/api/access/cadres', { query: { q: '王' } }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: '王建国', dossierNo: 'UA001', managingUnitName: '一处' });
    expect(found[0]!.classes.map((c) => [c.code, c.materials])).toEqual([['1', 1], ['4-1', 1], ['8', 1], ['9-2', 1]]);
    expect(Object.keys(found[0]!)).not.toContain('idNumber');
    expect((await ok<AccessCadre[]>(agents.ureader!.get('/api/access/cadres', { query: { q: 'ub0' } }))).length).toBe(0);
    expect((await ok<AccessCadre[]>(agents.ufarreader!.get('/api/access/cadres', { query: { q: 'ZW' } })))[0]!.name).toBe('赵五');
    const materials = await ok<AccessMaterial[]>(agents.ureader!.get(`/api/access/dossiers/${d1.id}/materials`));
    expect(materials.map((m) => m.classCode)).toEqual(['1', '4-1', '8', '9-2']);
    expect(Object.keys(materials[0]!).sort()).toEqual(['classCode', 'id', 'name', 'seq']);
    await refused(agents.ureader!.get(`/api/access/dossiers/${dFar.id}/materials`), 404, 'DOSSIER_NOT_FOUND');
  });
});

describe('a request, approved, becomes a grant', () => {
  let request: AccessRequest;

  it('is numbered CY{year}-0001 and waits for one level', async () => {
    request = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', { body: body(d1.id) }));
    expect(request).toMatchObject({ requestNo: 'CY2026-0001', state: 'pending', levelsRequired: 1, classCodes: ['1', '9'], modeLabel: '在线查阅' });
    expect(request.dossiers[0]).toMatchObject({ dossierNo: 'UA001', cadreName: '王建国' });
    const mine = await ok<{ items: AccessRequest[] }>(agents.ureader!.get('/api/access/requests'));
    expect(mine.items.map((r) => r.requestNo)).toEqual(['CY2026-0001']);
    expect((await auditOf('access.request.create')).at(-1)!.object_label).toBe('CY2026-0001');
  });

  it('is refused to approvers outside 干部管理权限 and to nobody else', async () => {
    await refused(agents.uleadB!.post(`/api/access/requests/${request.id}/approve`, { body: {} }), 403, 'NOT_APPROVER');
    await refused(agents.uleadA1!.post(`/api/access/requests/${request.id}/approve`, { body: {} }), 403, 'NOT_APPROVER');
    await refused(agents.ureader!.post(`/api/access/requests/${request.id}/approve`, { body: {} }), 403, 'FORBIDDEN');
    const pendingA = await ok<{ items: AccessRequest[] }>(agents.uleadA!.get('/api/access/approvals'));
    expect(pendingA.items.map((r) => r.id)).toContain(request.id);
    const pendingB = await ok<{ items: AccessRequest[] }>(agents.uleadB!.get('/api/access/approvals'));
    expect(pendingB.items.map((r) => r.id)).not.toContain(request.id);
    await refused(agents.uleadB!.get(`/api/access/requests/${request.id}`), 404, 'REQUEST_NOT_FOUND');
  });

  it('may be shortened by the approver, never lengthened; grants() then returns classes 1 and 9', async () => {
    await refused(agents.uleadA!.post(`/api/access/requests/${request.id}/approve`, { body: { until: hours(73) } }), 422, 'UNTIL_EXTENDS');
    const until = hours(48);
    const approved = await ok<AccessRequest>(agents.uleadA!.post(`/api/access/requests/${request.id}/approve`, { body: { comment: '同意', until } }));
    expect(approved).toMatchObject({ state: 'approved', levelsDone: 1, grantedUntil: until, grantedFrom: t.clock.now().toISOString() });
    expect(approved.decisions).toMatchObject([{ level: 1, decision: 'approve', comment: '同意', approver: { name: '领导甲' }, approverUnitName: '一处' }]);
    await refused(agents.uleadRoot!.post(`/api/access/requests/${request.id}/approve`, { body: {} }), 409, 'REQUEST_NOT_PENDING');
    const grants = await t.core.access.grants(await actorOf(agents.ureader!), d1.id);
    expect(grants).toHaveLength(1);
    expect([...grants[0]!.classCodes!]).toEqual(['1', '9']);
    expect(grants[0]!.until).toBe(until);
    const approvedTab = await ok<{ items: AccessRequest[] }>(agents.uleadA!.get('/api/access/approvals', { query: { view: 'approved' } }));
    expect(approvedTab.items.map((r) => r.id)).toEqual([request.id]);
  });

  it('is revoked by its approver (not by another leader); open readings close, the grant is gone', async () => {
    const session = await openSession(request.id, d1.id, ids.ureader!);
    await refused(agents.uleadB!.post(`/api/access/requests/${request.id}/revoke`, { body: { reason: '越权' } }), 403, 'NOT_APPROVER');
    const revoked = await ok<AccessRequest>(agents.uleadA!.post(`/api/access/requests/${request.id}/revoke`, { body: { reason: '考察已结束' } }));
    expect(revoked).toMatchObject({ state: 'revoked', revokeReason: '考察已结束', revokedBy: { name: '领导甲' } });
    const row = await t.core.handle.db.selectFrom('reading_sessions').selectAll().where('id', '=', session).executeTakeFirstOrThrow();
    expect(row.close_reason).toBe('revoked');
    expect(await t.core.access.grants(await actorOf(agents.ureader!), d1.id)).toHaveLength(0);
    expect((await auditOf('access.grant.revoke')).at(-1)!.object_label).toBe('CY2026-0001');
    await refused(agents.uleadA!.post(`/api/access/requests/${request.id}/revoke`, { body: { reason: '再撤' } }), 409, 'GRANT_NOT_ACTIVE');
  });
});

describe('回避', () => {
  it('refuses a relative by ID number and by name + birth date; only the audit is written', async () => {
    const before = await count('access_requests');
    const spouse = await refused(agents.ukin!.post('/api/access/requests', { body: body(d1.id) }), 422, 'AVOIDANCE');
    expect(spouse.message).toBe('回避：申请人是该干部的配偶（家庭成员登记，身份证号一致）');
    const child = await refused(agents.ukid!.post('/api/access/requests', { body: body(d1.id) }), 422, 'AVOIDANCE');
    expect(child.message).toBe('回避：申请人是该干部的子女（家庭成员登记，姓名与出生日期一致）');
    expect(await count('access_requests')).toBe(before);
    const avoided = await auditOf('access.request.avoid');
    expect(avoided.slice(-2).map((e) => [e.username, e.result])).toEqual([['ukin', 'denied'], ['ukid', 'denied']]);
  });

  it('applies to approvers: his own dossier (ID number) and his parent\'s (name + birth date)', async () => {
    const req = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', { body: body(d2.id) }));
    const self = await refused(agents.uleadSelf!.post(`/api/access/requests/${req.id}/approve`, { body: {} }), 422, 'AVOIDANCE');
    expect(self.message).toContain('回避：审批人本人即该干部（身份证号一致）');
    const kid = await refused(agents.uleadKid!.post(`/api/access/requests/${req.id}/refuse`, { body: { reason: '不同意' } }), 422, 'AVOIDANCE');
    expect(kid.message).toBe('回避：审批人是该干部的子女（家庭成员登记，姓名与出生日期一致）');
    expect(await count('access_approvals')).toBe(1);
    expect((await auditOf('access.request.avoid')).slice(-2).map((e) => [e.username, e.object_label])).toEqual([
      ['uleadself', req.requestNo], ['uleadkid', req.requestNo],
    ]);
    const still = await ok<AccessRequest>(agents.ureader!.get(`/api/access/requests/${req.id}`));
    expect(still).toMatchObject({ state: 'pending', levelsDone: 0 });
  });
});

describe('rules of asking and deciding', () => {
  it('refuses bad input with stable codes and writes nothing', async () => {
    const before = await count('access_requests');
    const reader = agents.ureader!;
    await refused(reader.post('/api/access/requests', { body: body(d1.id, { purpose: 'zz' }) }), 422, 'CODE_UNKNOWN');
    await refused(reader.post('/api/access/requests', { body: body(d1.id, { periodTo: hours(8 * 24) }) }), 422, 'PERIOD_TOO_LONG');
    await refused(reader.post('/api/access/requests', { body: body(d1.id, { periodFrom: hours(-1) }) }), 422, 'PERIOD_IN_PAST');
    await refused(reader.post('/api/access/requests', { body: body(d1.id, { printLimit: 2 }) }), 422, 'PRINT_LIMIT_NOT_ALLOWED');
    await refused(reader.post('/api/access/requests', { body: body(d1.id, { mode: 'print', printLimit: 99 }) }), 422, 'PRINT_LIMIT_INVALID');
    await refused(reader.post('/api/access/requests', {
      body: body(d1.id, { scopeKind: 'materials', classCodes: [], materialIds: [ids.farMaterial] }),
    }), 422, 'MATERIAL_NOT_IN_DOSSIER');
    await refused(reader.post('/api/access/requests', { body: body(d1.id, { classCodes: ['11'] }) }), 422, 'CLASS_UNKNOWN');
    await refused(reader.post('/api/access/requests', { body: body(d1.id, { mode: 'lend' }) }), 422, 'LEND_WHOLE_DOSSIER');
    await refused(reader.post('/api/access/requests', { body: body(dFar.id) }), 403, 'OUT_OF_SCOPE');
    expect(await count('access_requests')).toBe(before);
  });

  it('takes a materials scope of the dossier, and print limits for printing', async () => {
    const req = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', {
      body: body(d1.id, { scopeKind: 'materials', classCodes: [], materialIds: [d1.materials['8']], mode: 'print', printLimit: 3 }),
    }));
    expect(req.materials!.map((m) => m.name)).toEqual(['处分决定']);
    expect(req).toMatchObject({ printLimit: 3, scopeSummary: '1 份材料', modeLabel: '打印' });
  });

  it('never lets the requester approve himself', async () => {
    const req = await ok<AccessRequest>(agents.uboth!.post('/api/access/requests', { body: body(d1.id) }));
    await refused(agents.uboth!.post(`/api/access/requests/${req.id}/approve`, { body: {} }), 403, 'SELF_APPROVAL');
    const pending = await ok<{ items: AccessRequest[] }>(agents.uboth!.get('/api/access/approvals'));
    expect(pending.items.map((r) => r.id)).not.toContain(req.id);
  });

  it('withdraws only while pending; a refusal needs a reason and ends the request', async () => {
    const req = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', { body: body(d1.id) }));
    expect((await ok<AccessRequest>(agents.ureader!.post(`/api/access/requests/${req.id}/withdraw`))).state).toBe('withdrawn');
    await refused(agents.ureader!.post(`/api/access/requests/${req.id}/withdraw`), 409, 'REQUEST_NOT_PENDING');
    const other = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', { body: body(d1.id) }));
    expect((await agents.uleadA!.post(`/api/access/requests/${other.id}/refuse`, { body: { reason: '' } })).statusCode).toBe(400);
    const refusedReq = await ok<AccessRequest>(agents.uleadA!.post(`/api/access/requests/${other.id}/refuse`, { body: { reason: '目的不明确' } }));
    expect(refusedReq).toMatchObject({ state: 'refused', decisions: [{ decision: 'refuse', comment: '目的不明确' }] });
    await refused(agents.uleadRoot!.post(`/api/access/requests/${other.id}/approve`, { body: {} }), 409, 'REQUEST_NOT_PENDING');
  });

  it('with two levels: level 2 only from a unit strictly above the level-1 approver\'s', async () => {
    await setLevels(2);
    const req = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', { body: body(d1.id) }));
    expect(req.levelsRequired).toBe(2);
    const first = await ok<AccessRequest>(agents.uleadA!.post(`/api/access/requests/${req.id}/approve`, { body: { until: hours(60) } }));
    expect(first).toMatchObject({ state: 'pending', levelsDone: 1 });
    await refused(agents.uleadA!.post(`/api/access/requests/${req.id}/approve`, { body: {} }), 403, 'NOT_APPROVER');
    await refused(agents.uleadA1!.post(`/api/access/requests/${req.id}/approve`, { body: {} }), 403, 'NOT_APPROVER');
    await refused(agents.uleadRoot!.post(`/api/access/requests/${req.id}/approve`, { body: { until: hours(70) } }), 422, 'UNTIL_EXTENDS');
    const done = await ok<AccessRequest>(agents.uleadRoot!.post(`/api/access/requests/${req.id}/approve`, { body: {} }));
    expect(done).toMatchObject({ state: 'approved', levelsDone: 2, grantedUntil: hours(60) });
    expect(done.decisions.map((d) => [d.level, d.approver.name])).toEqual([[1, '领导甲'], [2, '领导乙']]);
    await setLevels(1);
  });

  it('records one decision per level when two approvers decide at once', async () => {
    const req = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', { body: body(d1.id) }));
    const results = await Promise.all([
      agents.uleadA!.post(`/api/access/requests/${req.id}/approve`, { body: {} }),
      agents.uleadRoot!.post(`/api/access/requests/${req.id}/approve`, { body: {} }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await t.core.handle.db.selectFrom('access_approvals').select('level').where('request_id', '=', req.id).execute();
    expect(rows).toHaveLength(1);
  });
});

describe('expiry', () => {
  it('the access.expire chore ends a grant past its end, closes its readings and audits as the system', async () => {
    const req = await ok<AccessRequest>(agents.ureader!.post('/api/access/requests', { body: body(d2.id, { periodTo: hours(2) }) }));
    await ok(agents.uleadRoot!.post(`/api/access/requests/${req.id}/approve`, { body: {} }));
    const reader = await actorOf(agents.ureader!);
    expect((await t.core.access.grants(reader, d2.id)).map((g) => g.requestNo)).toEqual([req.requestNo]);
    const session = await openSession(req.id, d2.id, ids.ureader!);
    t.clock.advance(3 * 3600_000);
    expect(await t.core.access.grants(reader, d2.id)).toHaveLength(0);
    await t.core.housekeeping.runOnce(['access.expire']);
    const row = await t.core.handle.db.selectFrom('access_requests').selectAll().where('id', '=', req.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('expired');
    expect(row.expired_at).toBe(t.clock.now().toISOString());
    const s = await t.core.handle.db.selectFrom('reading_sessions').selectAll().where('id', '=', session).executeTakeFirstOrThrow();
    expect(s.close_reason).toBe('expired');
    const event = (await auditOf('access.grant.expire')).find((e) => e.object_id === req.id)!;
    expect(event.username).toBe('system');
    await t.core.housekeeping.runOnce(['access.expire']);
    expect((await auditOf('access.grant.expire')).filter((e) => e.object_id === req.id)).toHaveLength(1);
  });
});
