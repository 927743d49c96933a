import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, Lending, LendingCandidate, TaskList } from '@dangan/contracts';
import { newId } from '../../platform/ids.js';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

/*
 * The clock starts at 2026-03-02T01:00Z, 09:00 on Monday 2 March in Beijing; use.lendingDays is 14.
 * Unit 甲: archivist mgr, reader rd, dossiers D1, D2 (out for digitization), D3.
 * Unit 乙: archivist other, dossier D4.
 * R1 (rd, lend, granted to 2026-04-30): D1, D2.  R2 (rd, lend, granted until 2026-03-10 24:00 Beijing): D3.
 * R3 (rd, read mode): D1.  R4 (rd, lend): D4 in unit 乙.
 */

let t: TestApp;
let sec: Agent;
const agents: Record<string, Agent> = {};
const ids: Record<string, string> = {};
const passwords: Record<string, string> = {};
const PASSWORD = 'Lend-Passw0rd!';
const db = () => t.core.handle.db;

async function createUnit(code: string, name: string, parentId: string): Promise<string> {
  const res = await sec.post('/api/units', { body: { parentId, code, name } });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ id: string }>(res).id;
}

async function createUser(username: string, displayName: string, unitId: string, role: string): Promise<void> {
  const res = await sec.post('/api/users', { body: { username, displayName, unitId, password: PASSWORD, roleIds: [await roleId(sec, role)] } });
  expect(res.statusCode, res.body).toBe(200);
  ids[username] = json<{ id: string }>(res).id;
  agents[username] = new Agent(t, `10.8.0.${Object.keys(agents).length + 1}`);
  passwords[username] = await agents[username].signIn(username, PASSWORD);
}

/** After the clock has moved past the sessions' lifetime. */
async function signInAgain(): Promise<void> {
  for (const [name, agent] of Object.entries(agents)) {
    agents[name] = new Agent(t, agent.ip);
    await agents[name].signIn(name, passwords[name]!);
  }
}

async function createDossier(by: string, key: string, name: string, unitId: string): Promise<void> {
  const res = await agents[by]!.post('/api/cadres', { body: { name, managingUnitId: unitId, dossier: { dossierNo: `JY-${key}`, custodianUnitId: unitId } } });
  expect(res.statusCode, res.body).toBe(200);
  const cadre = json<Cadre>(res);
  ids[key] = cadre.dossier!.id;
  ids[`cadre${key}`] = cadre.id;
}

/** An approved request as the requests module stores it (until that module lands, written directly). */
let seq = 0;
async function approvedRequest(key: string, mode: 'lend' | 'read', dossiers: string[], unitId: string, grantedUntil: string): Promise<void> {
  ids[key] = newId();
  seq += 1;
  const at = '2026-03-01T02:00:00.000Z';
  await db().insertInto('access_requests').values({
    id: ids[key], request_no: `CY2026-${String(seq).padStart(4, '0')}`, year: 2026, seq, requester_id: ids.reader1!, requester_unit_id: unitId,
    purpose: '01', purpose_note: '', mode, scope_kind: 'dossier', scope_classes: null, period_from: at, period_to: grantedUntil,
    print_limit: 0, prints_used: 0, levels_required: 1, levels_done: 1, state: 'approved', created_at: at, updated_at: at,
    decided_at: at, granted_from: at, granted_until: grantedUntil,
  }).execute();
  for (const d of dossiers) {
    await db().insertInto('access_request_dossiers').values({ request_id: ids[key], dossier_id: ids[d]!, cadre_id: ids[`cadre${d}`]!, managing_unit_id: unitId }).execute();
  }
}

const dossierState = async (key: string) => (await db().selectFrom('dossiers').select('state').where('id', '=', ids[key]!).executeTakeFirstOrThrow()).state;
const auditCount = async (action: string) => Number((await db().selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', action).executeTakeFirst())?.n ?? 0);
const lendingRows = async () => db().selectFrom('lendings').selectAll().execute();

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const unitA = await createUnit('JIA', '甲局', root);
  const unitB = await createUnit('YI', '乙局', root);
  ids.unitA = unitA;
  await createUser('mgr', '管理员甲', unitA, 'archivist');
  await createUser('other', '管理员乙', unitB, 'archivist');
  await createUser('reader1', '查阅人甲', unitA, 'reader');
  await createDossier('mgr', 'D1', '张一', unitA);
  await createDossier('mgr', 'D2', '张二', unitA);
  await createDossier('mgr', 'D3', '张三', unitA);
  await createDossier('other', 'D4', '李四', unitB);
  await db().updateTable('dossiers').set({ state: 'out_for_digitization' }).where('id', '=', ids.D2!).execute();
  await approvedRequest('R1', 'lend', ['D1', 'D2'], unitA, '2026-04-30T16:00:00.000Z');
  await approvedRequest('R2', 'lend', ['D3'], unitA, '2026-03-10T16:00:00.000Z');
  await approvedRequest('R3', 'read', ['D1'], unitA, '2026-04-30T16:00:00.000Z');
  await approvedRequest('R4', 'lend', ['D4'], unitB, '2026-04-30T16:00:00.000Z');
});

afterAll(async () => {
  await t?.close();
});

describe('lending', () => {
  it('lists approved lend-mode requests awaiting hand-out, within the archivist\'s scope, with due-date bounds', async () => {
    const list = json<LendingCandidate[]>(await agents.mgr!.get('/api/lendings/pending'));
    expect(list.map((c) => `${c.requestNo}:${c.dossierNo}`).sort()).toEqual(['CY2026-0001:JY-D1', 'CY2026-0001:JY-D2', 'CY2026-0002:JY-D3']);
    const d1 = list.find((c) => c.dossierNo === 'JY-D1')!;
    expect(d1).toMatchObject({ defaultDueOn: '2026-03-16', latestDueOn: '2026-04-30', blockedReason: null, requester: { name: '查阅人甲' } });
    const d2 = list.find((c) => c.dossierNo === 'JY-D2')!;
    expect(d2.dossierStateLabel).toBe('出库加工');
    expect(d2.blockedReason).toContain('出库加工');
    // R2's grant ends at midnight starting 11 March in Beijing: its last day is the 10th.
    expect(list.find((c) => c.dossierNo === 'JY-D3')).toMatchObject({ defaultDueOn: '2026-03-10', latestDueOn: '2026-03-10' });

    const others = json<LendingCandidate[]>(await agents.other!.get('/api/lendings/pending'));
    expect(others.map((c) => c.dossierNo)).toEqual(['JY-D4']);
    expect((await agents.reader1!.get('/api/lendings/pending')).statusCode).toBe(403);
  });

  it('refuses a dossier out for digitization and writes nothing', async () => {
    const before = { lend: await auditCount('lending.lend'), move: await auditCount('dossier.transition') };
    const res = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R1, dossierId: ids.D2, note: '' } });
    expect(res.statusCode, res.body).toBe(409);
    expect(json(res).code).toBe('DOSSIER_NOT_IN_STORE');
    expect(json<{ message: string }>(res).message).toContain('出库加工');
    expect(await lendingRows()).toHaveLength(0);
    expect(await dossierState('D2')).toBe('out_for_digitization');
    expect(await auditCount('lending.lend')).toBe(before.lend);
    expect(await auditCount('dossier.transition')).toBe(before.move);
  });

  it('refuses what is not a running lend grant in scope', async () => {
    const read = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R3, dossierId: ids.D1, note: '' } });
    expect(json(read).code).toBe('LENDING_NOT_LEND_MODE');
    const foreign = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R4, dossierId: ids.D4, note: '' } });
    expect(foreign.statusCode).toBe(404);
    const wrongDossier = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R1, dossierId: ids.D3, note: '' } });
    expect(json(wrongDossier).code).toBe('LENDING_REQUEST_NOT_FOUND');
    expect(await lendingRows()).toHaveLength(0);
  });

  it('checks the due date: not before today, not after the grant\'s last day', async () => {
    for (const dueOn of ['2026-03-01', '2026-03-11', '2026-02-30']) {
      const res = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R2, dossierId: ids.D3, dueOn, note: '' } });
      expect(res.statusCode, dueOn).toBe(422);
      expect(json(res).code).toBe('LENDING_DUE_INVALID');
    }
    expect(await lendingRows()).toHaveLength(0);
    expect(await dossierState('D3')).toBe('in_store');
  });

  it('lends: default due date, the dossier moves to 借出, audited; one open lending per dossier', async () => {
    const res = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R1, dossierId: ids.D1, note: '组织考察' } });
    expect(res.statusCode, res.body).toBe(200);
    const lending = json<Lending>(res);
    expect(lending).toMatchObject({ dueOn: '2026-03-16', state: 'open', stateLabel: '借出中', borrower: { id: ids.reader1 }, lentBy: { id: ids.mgr }, lendNote: '组织考察' });
    expect(await dossierState('D1')).toBe('lent');
    const events = await db().selectFrom('audit_events').select(['action', 'detail']).where('object_id', '=', ids.D1!).orderBy('seq').execute();
    expect(events.map((e) => e.action).slice(-2)).toEqual(['dossier.transition', 'lending.lend']);
    expect(JSON.parse(events.at(-2)!.detail!)).toMatchObject({ before: '在库', after: '借出' });

    const again = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R1, dossierId: ids.D1, note: '' } });
    expect(json(again).code).toBe('LENDING_ALREADY_LENT');

    const d3 = await agents.mgr!.post('/api/lendings', { body: { requestId: ids.R2, dossierId: ids.D3, dueOn: '2026-03-10', note: '' } });
    expect(json<Lending>(d3).dueOn).toBe('2026-03-10');
    const pending = json<LendingCandidate[]>(await agents.mgr!.get('/api/lendings/pending'));
    expect(pending.map((c) => c.dossierNo)).toEqual(['JY-D2']);
    const open = json<{ items: Lending[]; total: number }>(await agents.mgr!.get('/api/lendings', { query: { state: 'open' } }));
    expect(open.total).toBe(2);
    expect(json<{ total: number }>(await agents.mgr!.get('/api/lendings', { query: { state: 'overdue' } })).total).toBe(0);
    expect(json<{ total: number }>(await agents.other!.get('/api/lendings', { query: { state: 'open' } })).total).toBe(0);
  });

  it('reminds overdue lendings once a day, shows them as 已逾期 to the borrower and in the archivist\'s tasks', async () => {
    t.clock.advance(10 * 86_400_000); // 2026-03-12 09:00 Beijing: D3 (due 10th) overdue, D1 (due 16th) not
    await t.core.housekeeping.runOnce(['lending.overdue']);
    let rows = await lendingRows();
    expect(rows.find((r) => r.dossier_id === ids.D3)!.reminders).toBe(1);
    expect(rows.find((r) => r.dossier_id === ids.D1)!.reminders).toBe(0);
    t.clock.advance(3 * 3_600_000);
    await t.core.housekeeping.runOnce(['lending.overdue']);
    expect((await lendingRows()).find((r) => r.dossier_id === ids.D3)!.reminders).toBe(1);
    expect(await auditCount('lending.remind')).toBe(1);
    const remind = await db().selectFrom('audit_events').selectAll().where('action', '=', 'lending.remind').executeTakeFirstOrThrow();
    expect(remind).toMatchObject({ username: 'system', object_id: ids.D3 });

    t.clock.advance(5 * 86_400_000); // 2026-03-17 12:00 Beijing: both overdue
    await t.core.housekeeping.runOnce(['lending.overdue']);
    await signInAgain();
    rows = await lendingRows();
    expect(rows.find((r) => r.dossier_id === ids.D3)!.reminders).toBe(2);
    expect(rows.find((r) => r.dossier_id === ids.D1)!.reminders).toBe(1);
    expect(await auditCount('lending.remind')).toBe(3);

    const mine = json<Lending[]>(await agents.reader1!.get('/api/lendings/mine'));
    expect(mine.map((l) => [l.dossierNo, l.stateLabel, l.overdueDays])).toEqual([['JY-D3', '已逾期', 7], ['JY-D1', '已逾期', 1]]);
    const overdue = json<{ items: Lending[]; total: number }>(await agents.mgr!.get('/api/lendings', { query: { state: 'overdue' } }));
    expect(overdue.total).toBe(2);

    const tasks = json<TaskList>(await agents.mgr!.get('/api/tasks'));
    const lendTasks = tasks.items.filter((i) => i.key.startsWith('lending-overdue:'));
    expect(lendTasks).toHaveLength(2);
    expect(lendTasks[0]).toMatchObject({ kind: 'overdue', overdue: true, link: '/use/lending?tab=overdue' });
    expect(json<TaskList>(await agents.other!.get('/api/tasks')).items.filter((i) => i.key.startsWith('lending-overdue:'))).toHaveLength(0);
  });

  it('returns: the dossier is back in store, audited, and cannot be returned twice', async () => {
    const open = json<{ items: Lending[] }>(await agents.mgr!.get('/api/lendings', { query: { state: 'open', q: 'JY-D1' } }));
    expect(open.items).toHaveLength(1);
    const foreign = await agents.other!.post(`/api/lendings/${open.items[0]!.id}/return`, { body: { note: '' } });
    expect(foreign.statusCode).toBe(404);
    const res = await agents.mgr!.post(`/api/lendings/${open.items[0]!.id}/return`, { body: { note: '完好' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<Lending>(res)).toMatchObject({ state: 'returned', stateLabel: '已归还', returnNote: '完好', returnedBy: { id: ids.mgr }, overdueDays: 1 });
    expect(await dossierState('D1')).toBe('in_store');
    expect(await auditCount('lending.return')).toBe(1);
    const row = (await lendingRows()).find((r) => r.dossier_id === ids.D1)!;
    expect(row.open_dossier_id).toBeNull();
    const twice = await agents.mgr!.post(`/api/lendings/${open.items[0]!.id}/return`, { body: { note: '' } });
    expect(json(twice).code).toBe('LENDING_ALREADY_RETURNED');
    expect(json<{ total: number }>(await agents.mgr!.get('/api/lendings', { query: { state: 'returned' } })).total).toBe(1);
    await t.core.housekeeping.runOnce(['lending.overdue']);
    expect((await lendingRows()).find((r) => r.dossier_id === ids.D1)!.reminders).toBe(1);
  });
});
