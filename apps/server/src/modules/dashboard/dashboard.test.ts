import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, Dashboard, TaskList, TaskSummary } from '@dangan/contracts';
import { STAGES, type StageCode } from '@dangan/domain';
import { newId } from '../../platform/ids.js';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

/*
 * A small project as the project service leaves it, written straight into its tables. The clock
 * stands at 2026-03-02T01:00Z, Monday 09:00 in Beijing; `project.stuckDays` is 5.
 *
 * Unit 甲 (A):
 *   P1 加工中, sampled. D1 质检 in progress (round 1 failed 2026-02-22, rework open for op1),
 *      D2 质检 in progress (sampled, not inspected), D3 扫描 in progress since 2026-02-22 (op2),
 *      D6 through 质检 (passed 2026-03-01T16:30Z = Monday 00:30 in Beijing), waiting for 验收.
 *   P2 待审批出库: D4.   P5 加工中: D7 through 质检 (passed), ready for acceptance.
 *   P6 已批准出库: D8, hand-over out from mgr to op2, neither confirmed.
 * Unit 乙 (B): P3 加工中: D5 整理 in progress.
 */

let t: TestApp;
let sec: Agent;
const agents: Record<string, Agent> = {};
const passwords: Record<string, string> = {};
const ids: Record<string, string> = {};
const PASSWORD = 'Dash-Passw0rd!';

const db = () => t.core.handle.db;

async function createUnit(code: string, name: string, parentId: string): Promise<string> {
  const res = await sec.post('/api/units', { body: { parentId, code, name } });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ id: string }>(res).id;
}

async function createUser(username: string, displayName: string, unitId: string, role: string): Promise<void> {
  const res = await sec.post('/api/users', {
    body: { username, displayName, unitId, password: PASSWORD, roleIds: [await roleId(sec, role)] },
  });
  expect(res.statusCode, res.body).toBe(200);
  ids[username] = json<{ id: string }>(res).id;
  agents[username] = new Agent(t, `10.9.0.${Object.keys(agents).length + 1}`);
  passwords[username] = await agents[username].signIn(username, PASSWORD);
}

async function createDossier(by: string, key: string, name: string, unitId: string): Promise<void> {
  const res = await agents[by]!.post('/api/cadres', {
    body: { name, managingUnitId: unitId, dossier: { dossierNo: `DA-${key}`, custodianUnitId: unitId } },
  });
  expect(res.statusCode, res.body).toBe(200);
  ids[key] = json<Cadre>(res).dossier!.id;
}

async function batch(key: string, seq: number, state: string, unitId: string, createdAt: string, extra: Record<string, unknown> = {}) {
  ids[key] = newId();
  await db().insertInto('project_batches').values({
    id: ids[key], code: `PC-2026-00${seq}`, year: 2026, seq, name: `第${seq}批`, notes: '', state, unit_id: unitId,
    created_by: ids.mgr!, created_at: createdAt, updated_at: createdAt, ...extra,
  }).execute();
}

type StageSpec = [status: 'done' | 'in_progress', by: string | null, startedAt: string, finishedAt?: string];

/** A dossier in a batch with its stage rows (all eight) and the start and finish events. */
async function inBatch(batchKey: string, dossierKey: string, stages: Partial<Record<StageCode, StageSpec>>, sample: string | null = null) {
  const batchId = ids[batchKey]!;
  const dossierId = ids[dossierKey]!;
  await db().insertInto('project_batch_dossiers').values({
    batch_id: batchId, dossier_id: dossierId, open_dossier_id: dossierId, added_by: ids.mgr!, added_at: '2026-02-01T00:00:00.000Z', sample_reason: sample,
  }).execute();
  for (const stage of STAGES) {
    const spec = stages[stage];
    const by = spec?.[1] ? ids[spec[1]]! : null;
    await db().insertInto('project_stages').values({
      batch_id: batchId, dossier_id: dossierId, stage, status: spec?.[0] ?? 'pending',
      started_by: spec ? by : null, started_at: spec?.[2] ?? null, finished_by: spec?.[0] === 'done' ? by : null, finished_at: spec?.[3] ?? null,
    }).execute();
    if (!spec) continue;
    const event = (kind: string, at: string) => ({ id: newId(), batch_id: batchId, dossier_id: dossierId, stage, event: kind, user_id: by, at });
    await db().insertInto('project_stage_events').values(event('start', spec[2])).execute();
    if (spec[3]) await db().insertInto('project_stage_events').values(event('finish', spec[3])).execute();
  }
}

/** Pages ingested at `at` from one upload by `by` (a user key) or a scan station. */
async function pages(dossierKey: string, count: number, at: string, by: { user: string } | { station: string }, deleted = 0) {
  const blobId = newId();
  await db().insertInto('blobs').values({ id: blobId, algorithm: 'sha256', hash: blobId, size: 1, kind: 'original', format: 'jpeg', created_at: at }).execute();
  const scanBatch = newId();
  await db().insertInto('scan_batches').values({
    id: scanBatch, dossier_id: ids[dossierKey]!, source: 'upload', station: null,
    created_by: 'user' in by ? by.user : `station:${by.station}`, created_by_id: 'user' in by ? ids[by.user]! : null, created_at: at,
  }).execute();
  const fileId = newId();
  await db().insertInto('scan_files').values({
    id: fileId, batch_id: scanBatch, dossier_id: ids[dossierKey]!, name: 'scan.pdf', size: 1, blob_id: blobId, format: 'pdf', page_count: count,
    status: 'stored', created_at: at,
  }).execute();
  for (let i = 0; i < count; i++) {
    await db().insertInto('pages').values({
      id: newId(), dossier_id: ids[dossierKey]!, file_id: fileId, source_page: i + 1, original_blob_id: blobId, ops: '{}', status: 'processed',
      version: 1, created_at: at, updated_at: at, deleted_at: i < deleted ? at : null,
    }).execute();
  }
}

async function inspection(key: string, batchKey: string, dossierKey: string, openedAt: string, verdict: 'pass' | 'fail', verdictAt: string, defects: string[]) {
  ids[key] = newId();
  await db().insertInto('project_inspections').values({
    id: ids[key], batch_id: ids[batchKey]!, dossier_id: ids[dossierKey]!, round: 1, inspector_id: ids.qc1!, opened_at: openedAt, verdict, verdict_at: verdictAt,
  }).execute();
  for (const type of defects) {
    await db().insertInto('project_defects').values({
      id: newId(), inspection_id: ids[key], batch_id: ids[batchKey]!, dossier_id: ids[dossierKey]!, type, note: '', created_by: ids.qc1!, created_at: verdictAt,
    }).execute();
  }
}

const through = (last: StageCode, by: Partial<Record<StageCode, [string | null, string, string]>>): Partial<Record<StageCode, StageSpec>> =>
  Object.fromEntries(STAGES.slice(0, STAGES.indexOf(last) + 1).map((s) => [s, ['done', ...(by[s] ?? ['mgr', '2026-02-12T03:00:00.000Z', '2026-02-13T03:00:00.000Z'])]]));

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const unitA = await createUnit('JIA', '甲局', root);
  const unitB = await createUnit('YI', '乙局', root);
  await createUser('mgr', '管理员甲', unitA, 'archivist');
  await createUser('op1', '扫描员一', unitA, 'scanner');
  await createUser('op2', '扫描员二', unitA, 'scanner');
  await createUser('qc1', '质检员甲', unitA, 'inspector');
  await createUser('boss', '领导甲', unitA, 'leader');
  await createUser('other', '管理员乙', unitB, 'archivist');
  for (const [key, name] of [['D1', '张一'], ['D2', '张二'], ['D3', '张三'], ['D4', '张四'], ['D6', '张六'], ['D7', '张七'], ['D8', '张八']]) {
    await createDossier('mgr', key!, name!, unitA);
  }
  await createDossier('other', 'D5', '李五', unitB);

  // P1, handed over on 2026-02-12, sampled on 2026-02-19.
  await batch('P1', 1, 'in_progress', unitA, '2026-02-10T02:00:00.000Z', { sampled_at: '2026-02-19T02:00:00.000Z', sampled_by: ids.qc1 });
  await db().insertInto('project_handovers').values({
    id: newId(), batch_id: ids.P1!, direction: 'out', giver_id: ids.mgr!, receiver_id: ids.op1!, created_by: ids.mgr!, created_at: '2026-02-12T02:00:00.000Z',
    giver_confirmed_at: '2026-02-12T02:00:00.000Z', receiver_confirmed_at: '2026-02-12T02:10:00.000Z', completed_at: '2026-02-12T02:10:00.000Z', note: '',
  }).execute();
  await inBatch('P1', 'D1', {
    ...through('link', {
      scan: ['op1', '2026-02-20T15:00:00.000Z', '2026-02-21T01:00:00.000Z'],
      process: ['op1', '2026-02-21T01:30:00.000Z', '2026-02-21T03:00:00.000Z'],
      link: ['op2', '2026-02-21T04:00:00.000Z', '2026-02-21T05:00:00.000Z'],
    }),
    check: ['done', null, '2026-02-21T06:00:00.000Z', '2026-02-21T06:10:00.000Z'],
    inspect: ['in_progress', null, '2026-02-21T06:10:00.000Z'],
  }, 'random');
  await pages('D1', 1, '2026-01-10T02:00:00.000Z', { user: 'op1' });
  await pages('D1', 4, '2026-02-20T15:30:00.000Z', { user: 'op1' }); // 23:30 on 02-20 in Beijing
  await pages('D1', 6, '2026-02-20T16:30:00.000Z', { user: 'op1' }); // 00:30 on 02-21 in Beijing
  await inspection('I1', 'P1', 'D1', '2026-02-21T08:00:00.000Z', 'fail', '2026-02-22T01:00:00.000Z', ['skew', 'skew', 'blur']);
  ids.R1 = newId();
  await db().insertInto('project_rework').values({
    id: ids.R1, batch_id: ids.P1!, dossier_id: ids.D1!, inspection_id: ids.I1!, assignee_id: ids.op1!, state: 'open', created_by: ids.qc1!,
    created_at: '2026-02-22T01:00:00.000Z',
  }).execute();
  await db().updateTable('project_defects').set({ rework_id: ids.R1 }).where('inspection_id', '=', ids.I1!).execute();

  await inBatch('P1', 'D2', {
    ...through('link', {
      process: ['op1', '2026-02-26T01:00:00.000Z', '2026-02-26T03:00:00.000Z'],
      link: ['op1', '2026-02-26T03:30:00.000Z', '2026-02-26T04:00:00.000Z'],
    }),
    check: ['done', null, '2026-02-27T23:00:00.000Z', '2026-02-28T01:00:00.000Z'],
    inspect: ['in_progress', null, '2026-02-28T01:00:00.000Z'],
  }, 'random');
  await pages('D2', 20, '2026-02-25T02:00:00.000Z', { station: 's1' });

  await inBatch('P1', 'D3', { arrange: ['done', 'mgr', '2026-02-12T03:00:00.000Z', '2026-02-13T03:00:00.000Z'], scan: ['in_progress', 'op2', '2026-02-22T01:00:00.000Z'] });

  await inBatch('P1', 'D6', {
    ...through('check', {
      process: ['op2', '2026-02-25T01:00:00.000Z', '2026-02-25T03:00:00.000Z'],
      link: ['op2', '2026-02-25T04:00:00.000Z', '2026-02-25T05:00:00.000Z'],
    }),
    inspect: ['done', null, '2026-02-26T00:00:00.000Z', '2026-03-01T16:30:00.000Z'],
  }, 'random');
  await pages('D6', 31, '2026-02-24T03:00:00.000Z', { user: 'op2' }, 1);
  await inspection('I2', 'P1', 'D6', '2026-03-01T15:00:00.000Z', 'pass', '2026-03-01T16:30:00.000Z', ['stain']);

  await batch('P2', 2, 'checkout_requested', unitA, '2026-02-26T02:00:00.000Z', {
    requested_by: ids.mgr, requested_at: '2026-02-27T02:00:00.000Z', request_note: '第二批出库',
  });
  await inBatch('P2', 'D4', {});

  await batch('P5', 5, 'in_progress', unitA, '2026-02-14T02:00:00.000Z', { sampled_at: '2026-02-20T02:00:00.000Z', sampled_by: ids.qc1 });
  await inBatch('P5', 'D7', {
    ...through('check', {
      process: ['op1', '2026-01-05T01:00:00.000Z', '2026-01-05T03:00:00.000Z'],
      link: ['op1', '2026-01-05T04:00:00.000Z', '2026-01-05T05:00:00.000Z'],
    }),
    inspect: ['done', null, '2026-02-21T00:00:00.000Z', '2026-02-27T06:00:00.000Z'],
  }, 'random');
  await inspection('I3', 'P5', 'D7', '2026-02-27T05:00:00.000Z', 'pass', '2026-02-27T06:00:00.000Z', []);

  await batch('P6', 6, 'approved', unitA, '2026-02-28T02:00:00.000Z');
  await inBatch('P6', 'D8', {});
  ids.H2 = newId();
  await db().insertInto('project_handovers').values({
    id: ids.H2, batch_id: ids.P6!, direction: 'out', giver_id: ids.mgr!, receiver_id: ids.op2!, created_by: ids.mgr!, created_at: '2026-03-01T02:00:00.000Z', note: '',
  }).execute();
  await db().insertInto('project_handover_items').values({
    handover_id: ids.H2, dossier_id: ids.D8!, materials: 3, pages: 12, expected_materials: 3, expected_pages: 12,
  }).execute();

  await batch('P3', 3, 'in_progress', unitB, '2026-02-20T02:00:00.000Z');
  await inBatch('P3', 'D5', { arrange: ['in_progress', 'other', '2026-03-01T02:00:00.000Z'] });
});
afterAll(async () => {
  await t?.close();
});

async function dashboard(who: string | Agent, query: Record<string, string | number> = {}): Promise<Dashboard> {
  const res = await (typeof who === 'string' ? agents[who]! : who).get('/api/dashboard', { query });
  expect(res.statusCode, res.body).toBe(200);
  return json<Dashboard>(res);
}

async function tasks(who: string): Promise<TaskList> {
  const res = await agents[who]!.get('/api/tasks');
  expect(res.statusCode, res.body).toBe(200);
  return json<TaskList>(res);
}

const stuckNos = (d: Dashboard) => d.stuck.items.map((s) => s.dossierNo);

describe('dashboard figures', () => {
  it('counts dossiers per stage and per batch, in the reader\'s scope only', async () => {
    const d = await dashboard('mgr');
    expect(d.progress.totals).toEqual({ batches: 4, dossiers: 7, inProgress: 3, waiting: 4, done: 0, stuck: 2 });
    const stage = (s: StageCode) => d.progress.stages.find((x) => x.stage === s)!;
    expect(stage('arrange')).toMatchObject({ label: '整理', done: 5, inProgress: 0, pending: 2, current: 2 });
    expect(stage('scan')).toMatchObject({ done: 4, inProgress: 1, pending: 2, current: 1 });
    expect(stage('link')).toMatchObject({ label: '著录/挂接', done: 4, inProgress: 0, pending: 3, current: 0 });
    expect(stage('inspect')).toMatchObject({ done: 2, inProgress: 2, pending: 3, current: 2 });
    expect(stage('accept')).toMatchObject({ done: 0, inProgress: 0, pending: 7, current: 2 });
    expect(d.progress.batches.map((b) => b.code)).toEqual(['PC-2026-006', 'PC-2026-002', 'PC-2026-005', 'PC-2026-001']);
    const p1 = d.progress.batches.find((b) => b.code === 'PC-2026-001')!;
    expect(p1).toMatchObject({ stateLabel: '加工中', dossiers: 4, inProgress: 3, done: 0, stuck: 2 });
    expect(p1.current).toMatchObject({ arrange: 0, scan: 1, inspect: 2, accept: 1 });

    const one = await dashboard('mgr', { batchId: ids.P1! });
    expect(one.progress.totals.dossiers).toBe(4);
    expect(one.progress.batches).toHaveLength(1);
  });

  it('counts pages per operator per Beijing day: uploads by uploader, 图像处理 and 挂接 by who finished them', async () => {
    const d = await dashboard('mgr');
    expect(d.operators.dates).toHaveLength(30);
    expect(d.operators.to).toBe('2026-03-02');
    const rows = d.operators.rows.map((r) => [r.date, r.operator.name, r.scannedPages, r.processedDossiers, r.processedPages, r.linkedDossiers, r.linkedPages]);
    expect(rows).toEqual(expect.arrayContaining([
      ['2026-02-20', '扫描员一', 4, 0, 0, 0, 0],
      ['2026-02-21', '扫描员一', 6, 1, 11, 0, 0],
      ['2026-02-21', '扫描员二', 0, 0, 0, 1, 11],
      ['2026-02-24', '扫描员二', 31, 0, 0, 0, 0],
      ['2026-02-25', '扫描工作站 s1', 20, 0, 0, 0, 0],
      ['2026-02-25', '扫描员二', 0, 1, 30, 1, 30],
      ['2026-02-26', '扫描员一', 0, 1, 20, 1, 20],
    ]));
    // The January page and D7's January finishes fall outside the 30 days.
    expect(rows).toHaveLength(7);
    expect(d.operators.rows[0]!.date).toBe('2026-02-26');
    const week = await dashboard('mgr', { days: 7 });
    expect(week.operators.rows.map((r) => r.date).sort()).toEqual(['2026-02-24', '2026-02-25', '2026-02-25', '2026-02-26']);
  });

  it('works out defect rates per week (Beijing weeks from Monday) and by type', async () => {
    const d = await dashboard('mgr');
    expect(d.defects.weeks).toHaveLength(12);
    expect(d.defects.weeks[0]!.week).toBe('2025-12-15');
    const week = (w: string) => d.defects.weeks.find((x) => x.week === w)!;
    // I1 failed on Sunday 02-22 in Beijing: 3 defects on D1's 11 live pages.
    expect(week('2026-02-16')).toMatchObject({ label: '2月16日—2月22日', inspections: 1, failed: 1, defects: 3, pages: 11, perDossier: 3, per1000Pages: 272.7273, failRate: 1 });
    expect(week('2026-02-16').byType).toMatchObject({ skew: 2, blur: 1, stain: 0 });
    // I3 passed with no defects on a dossier with no pages: no rate per thousand pages.
    expect(week('2026-02-23')).toMatchObject({ inspections: 1, failed: 0, defects: 0, pages: 0, perDossier: 0, per1000Pages: null, failRate: 0 });
    // I2 passed at 16:30 UTC on Sunday, which is Monday 00:30 in Beijing: this week.
    expect(week('2026-03-02')).toMatchObject({ inspections: 1, defects: 1, pages: 30, perDossier: 1, per1000Pages: 33.3333 });
    expect(week('2026-02-09')).toMatchObject({ inspections: 0, defects: 0, perDossier: null, per1000Pages: null, failRate: null });
    expect(d.defects.totals).toMatchObject({ inspections: 3, failed: 1, defects: 4, pages: 41, perDossier: 1.3333, per1000Pages: 97.561, failRate: 0.3333 });
    expect(d.defects.types.filter((x) => x.count > 0).map((x) => [x.label, x.count])).toEqual([['歪斜', 2], ['模糊', 1], ['污渍', 1]]);
  });

  it('lists dossiers whose stage has not moved for more than project.stuckDays days, as the clock moves', async () => {
    const d = await dashboard('mgr');
    expect(d.stuck.stuckDays).toBe(5);
    expect(d.stuck.items.map((s) => [s.dossierNo, s.stageLabel, s.status, s.days, s.startedBy?.name ?? null])).toEqual([
      ['DA-D1', '质检', 'in_progress', 8, null],
      ['DA-D3', '扫描', 'in_progress', 8, '扫描员二'],
    ]);
    t.clock.advance(4 * 86_400_000);
    try {
      // Four days on, the sessions have timed out: a new one.
      const mgr = new Agent(t, '10.9.1.1');
      await mgr.signIn('mgr', passwords.mgr!);
      const later = await dashboard(mgr);
      // D7 has waited for 验收 since 02-27, D2 for its inspection since 02-28; D6 only since 03-01.
      expect(stuckNos(later)).toEqual(['DA-D1', 'DA-D3', 'DA-D7', 'DA-D2']);
      expect(later.stuck.items.find((s) => s.dossierNo === 'DA-D7')).toMatchObject({ stage: 'accept', status: 'pending', days: 6 });
      expect(later.progress.batches.find((b) => b.code === 'PC-2026-001')!.stuck).toBe(3);
      const sys = new Agent(t);
      await sys.signIn('sysadmin', BOOT_PASSWORD);
      expect((await sys.put('/api/settings/project.stuckDays', { body: { value: 30 } })).statusCode).toBe(200);
      expect(stuckNos(await dashboard(mgr))).toEqual([]);
      expect((await sys.put('/api/settings/project.stuckDays', { body: { value: 5 } })).statusCode).toBe(200);
    } finally {
      t.clock.advance(-4 * 86_400_000);
    }
  });

  it('shows a user of another unit none of it, and refuses readers without the permissions', async () => {
    const d = await dashboard('other');
    expect(d.progress.totals).toMatchObject({ batches: 1, dossiers: 1, inProgress: 1, stuck: 0 });
    expect(d.progress.batches.map((b) => b.code)).toEqual(['PC-2026-003']);
    expect(d.operators.rows).toEqual([]);
    expect(d.defects.totals).toMatchObject({ inspections: 0, defects: 0 });
    expect(d.stuck.items).toEqual([]);
    expect((await agents.other!.get('/api/dashboard', { query: { batchId: ids.P1! } })).statusCode).toBe(404);
    expect((await agents.mgr!.get('/api/dashboard', { query: { batchId: ids.P3! } })).statusCode).toBe(404);
    expect((await agents.op1!.get('/api/dashboard')).statusCode).toBe(403);
    expect((await agents.op1!.get('/api/dashboard/stages.xlsx')).statusCode).toBe(403);
    // The leader (batch.approve, stats.read) and the inspector (qc.inspect) read it too.
    expect((await dashboard('boss')).progress.totals.dossiers).toBe(7);
    expect((await dashboard('qc1')).progress.totals.dossiers).toBe(7);
  });

  it('exports each table as a workbook with the figures, audited as an export', async () => {
    const res = await agents.mgr!.get('/api/dashboard/stages.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('加工统计-各环节进度-2026-03-02.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('各环节进度')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '环节', '已完成', '进行中', '未开始', '当前停在此环节']);
    expect(sheet.getRow(2).values).toEqual([undefined, '整理', 5, 0, 2, 2]);
    expect(sheet.getRow(3).values).toEqual([undefined, '扫描', 4, 1, 2, 1]);
    expect(sheet.rowCount).toBe(9);
    expect(wb.getWorksheet('说明')).toBeDefined();

    const defects = new ExcelJS.Workbook();
    await defects.xlsx.load((await agents.mgr!.get('/api/dashboard/defects.xlsx')).rawPayload as unknown as ArrayBuffer);
    const ds = defects.worksheets[0]!;
    const total = ds.getRow(ds.rowCount).values as unknown[];
    expect(total.slice(1, 10)).toEqual(['合计', null, 3, 1, 0.3333, 4, 41, 1.3333, 97.561].map((v) => v ?? undefined));

    const stuck = new ExcelJS.Workbook();
    await stuck.xlsx.load((await agents.mgr!.get('/api/dashboard/stuck.xlsx', { query: { batchId: ids.P1! } })).rawPayload as unknown as ArrayBuffer);
    expect((stuck.worksheets[0]!.getRow(2).values as unknown[]).slice(1, 8)).toEqual(['PC-2026-001', 'DA-D1', '张一', '质检', '进行中', '2026-02-21 14:10', 8]);

    for (const table of ['batches', 'operators']) {
      expect((await agents.boss!.get(`/api/dashboard/${table}.xlsx`)).statusCode).toBe(200);
    }
    const events = await db().selectFrom('audit_events').select(['username', 'object_label', 'detail']).where('action', '=', 'dashboard.export').orderBy('seq').execute();
    expect(events.map((e) => [e.username, e.object_label])).toEqual([
      ['mgr', '各环节进度'], ['mgr', '缺陷率'], ['mgr', '滞留档案'], ['boss', '各批次进度'], ['boss', '操作员日产量'],
    ]);
    expect(JSON.parse(events[2]!.detail!)).toMatchObject({ table: 'stuck', batch: 'PC-2026-001' });
  });
});

describe('task lists', () => {
  const brief = (l: TaskList) => l.items.map((i) => [i.kind, i.title, i.link, i.overdue]);

  it('gives the operator his rework, overdue after project.stuckDays', async () => {
    const l = await tasks('op1');
    expect(brief(l)).toEqual([['rework', '整改：PC-2026-001·DA-D1（张一）', `/rework/${ids.R1}`, true]]);
    expect(l.items[0]!.detail).toContain('共 3 项缺陷');
    expect(l.summary).toEqual({ total: 1, overdue: 1, byKind: { rework: 1, approval: 0, handover: 0, inspection: 0, overdue: 0 } });
  });

  it('gives the inspector the sampled dossiers waiting for inspection, not those in rework', async () => {
    expect(brief(await tasks('qc1'))).toEqual([['inspection', '质检：PC-2026-001·DA-D2（张二）', `/batches/${ids.P1}`, false]]);
  });

  it('gives the leader the check-out request and the batch ready for acceptance', async () => {
    const l = await tasks('boss');
    expect(brief(l)).toEqual([
      ['approval', '出库审批：PC-2026-002（第2批）', `/batches/${ids.P2}`, false],
      ['approval', '验收：PC-2026-005（第5批）', `/batches/${ids.P5}`, false],
    ]);
    expect(l.items[0]!.detail).toBe('管理员甲 申请出库 1 卷档案：第二批出库');
    expect(l.items[1]!.detail).toContain('合格率 100.0%（1/1）');
  });

  it('gives both parties of a hand-over the confirmation, and the manager what is overdue', async () => {
    expect(brief(await tasks('op2'))).toEqual([['handover', '出库交接待确认：PC-2026-006（第6批）', `/batches/${ids.P6}`, false]]);
    const l = await tasks('mgr');
    expect(brief(l)).toEqual([
      ['overdue', '滞留：PC-2026-001（第1批）', `/batches/${ids.P1}`, true],
      ['overdue', '整改逾期：PC-2026-001·DA-D1（张一）', `/rework/${ids.R1}`, true],
      ['handover', '出库交接待确认：PC-2026-006（第6批）', `/batches/${ids.P6}`, false],
    ]);
    expect(l.items[0]!.detail).toBe('2 卷档案停留超过 5 天；最久的 DA-D1（张一）在「质检」环节已 8 天');
    expect(l.items[2]!.detail).toBe('您是交出方；1 卷、12 页；对方 扫描员二 尚未确认');
    const summary = await agents.mgr!.get('/api/tasks/summary');
    expect(json<TaskSummary>(summary)).toEqual({ total: 3, overdue: 2, byKind: { rework: 0, approval: 0, handover: 1, inspection: 0, overdue: 2 } });
  });

  it('follows the tables: submitted rework goes to re-inspection, a confirmation leaves the list', async () => {
    await db().updateTable('project_rework').set({ state: 'submitted', submitted_at: '2026-03-02T00:00:00.000Z' }).where('id', '=', ids.R1!).execute();
    await db().updateTable('project_handovers').set({ receiver_confirmed_at: '2026-03-02T00:30:00.000Z' }).where('id', '=', ids.H2!).execute();
    try {
      expect((await tasks('op1')).items).toEqual([]);
      expect((await tasks('op2')).items).toEqual([]);
      expect(brief(await tasks('qc1'))).toEqual([
        ['inspection', '质检：PC-2026-001·DA-D2（张二）', `/batches/${ids.P1}`, false],
        ['inspection', '复检：PC-2026-001·DA-D1（张一）', `/batches/${ids.P1}`, false],
      ]);
      const mgr = await tasks('mgr');
      expect(mgr.items.map((i) => i.kind)).toEqual(['overdue', 'handover']);
      expect(mgr.items[1]!.detail).toContain('对方 扫描员二 已确认');
    } finally {
      await db().updateTable('project_rework').set({ state: 'open', submitted_at: null }).where('id', '=', ids.R1!).execute();
      await db().updateTable('project_handovers').set({ receiver_confirmed_at: null }).where('id', '=', ids.H2!).execute();
    }
  });

  it('shows a user of another unit none of them', async () => {
    const l = await tasks('other');
    expect(l.items).toEqual([]);
    expect(l.summary.total).toBe(0);
    // An officer with no project permission has no tasks either.
    expect(json<TaskList>(await sec.get('/api/tasks')).items).toEqual([]);
  });
});

describe('through the project service', () => {
  it('follows a batch the project API moves: approval, hand-over on both sides, a stage started and finished, then stuck', async () => {
    await createDossier('mgr', 'D9', '赵九', (await db().selectFrom('users').select('unit_id').where('id', '=', ids.mgr!).executeTakeFirstOrThrow()).unit_id);
    const created = await agents.mgr!.post('/api/batches', { body: { name: '接口批', dossierIds: [ids.D9!] } });
    expect(created.statusCode, created.body).toBe(200);
    const batchId = json<{ id: string; code: string }>(created).id;
    const code = json<{ code: string }>(created).code;
    const titles = async (who: string) => (await tasks(who)).items.map((i) => i.title).filter((x) => x.includes(code));

    expect((await agents.mgr!.post(`/api/batches/${batchId}/checkout-request`, { body: { note: '' } })).statusCode).toBe(200);
    expect(await titles('boss')).toEqual([`出库审批：${code}（接口批）`]);
    expect((await agents.boss!.post(`/api/batches/${batchId}/checkout-approval`, { body: { note: '' } })).statusCode).toBe(200);
    expect(await titles('boss')).toEqual([]);

    const handover = await agents.mgr!.post(`/api/batches/${batchId}/handover`, { body: { receiverId: ids.op2!, note: '' } });
    expect(handover.statusCode, handover.body).toBe(200);
    const handoverId = json<{ id: string }>(handover).id;
    expect(await titles('mgr')).toEqual([`出库交接待确认：${code}（接口批）`]);
    expect(await titles('op2')).toEqual([`出库交接待确认：${code}（接口批）`]);
    expect((await agents.op2!.post(`/api/handovers/${handoverId}/confirmation`)).statusCode).toBe(200);
    expect(await titles('op2')).toEqual([]);
    expect((await agents.mgr!.post(`/api/handovers/${handoverId}/confirmation`)).statusCode).toBe(200);
    expect(await titles('mgr')).toEqual([]);

    const stage = (d: Dashboard, s: StageCode) => d.progress.stages.find((x) => x.stage === s)!;
    expect(stage(await dashboard('mgr', { batchId }), 'arrange')).toMatchObject({ done: 0, inProgress: 0, pending: 1, current: 1 });
    expect((await agents.op2!.post(`/api/batches/${batchId}/dossiers/${ids.D9}/stages/arrange/start`)).statusCode).toBe(200);
    const started = await dashboard('mgr', { batchId });
    expect(stage(started, 'arrange')).toMatchObject({ done: 0, inProgress: 1, pending: 0 });
    expect(started.progress.totals).toMatchObject({ dossiers: 1, inProgress: 1, waiting: 0 });
    expect((await agents.op2!.post(`/api/batches/${batchId}/dossiers/${ids.D9}/stages/arrange/finish`, { body: { note: '' } })).statusCode).toBe(200);
    const arranged = await dashboard('mgr', { batchId });
    expect(stage(arranged, 'arrange')).toMatchObject({ done: 1, inProgress: 0, pending: 0 });
    expect(stage(arranged, 'scan')).toMatchObject({ current: 1, pending: 1 });
    expect(arranged.stuck.items).toEqual([]);

    t.clock.advance(6 * 86_400_000);
    try {
      const mgr = new Agent(t, '10.9.1.2');
      await mgr.signIn('mgr', passwords.mgr!);
      const later = await dashboard(mgr, { batchId });
      expect(later.stuck.items.map((s) => [s.dossierNo, s.stageLabel, s.status, s.days])).toEqual([['DA-D9', '扫描', 'pending', 6]]);
      expect(json<TaskList>(await mgr.get('/api/tasks')).items.map((i) => i.title)).toContain(`滞留：${code}（接口批）`);
    } finally {
      t.clock.advance(-6 * 86_400_000);
    }
  });
});
