import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BatchDetail, BatchDossier, Cadre, Handover, InspectionDetail, ReworkDetail, ReworkSummary, ScanRegister } from '@dangan/contracts';
import { newId } from '../../platform/ids.js';
import type { ModuleDeps } from './project.deps.js';
import { ProjectSupport } from './project.support.js';
import { ProjectViews } from './project.views.js';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';
import { scanPage } from '../../../test/scan-images.js';

const PASSWORD = 'Proj-Passw0rd1';

let t: TestApp;
let clerk: Agent;
let leader: Agent;
let scanner: Agent;
let inspector: Agent;
let farClerk: Agent;
let nearScanner: Agent;
const ids: Record<string, string> = {};
const dossiers: { id: string; no: string; material: string }[] = [];
let spare: { id: string; no: string };
let batchId: string;
let mixedId: string;

async function ok<T>(res: Promise<import('fastify').LightMyRequestResponse>): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return json<T>(r);
}

async function refused(res: Promise<import('fastify').LightMyRequestResponse>, status: number, code: string) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  const body = json<{ code: string; message: string; fields?: Record<string, string> }>(r);
  expect(body.code).toBe(code);
  return body;
}

const stagePath = (d: string, stage: string, move: string) => `/api/batches/${batchId}/dossiers/${d}/stages/${stage}/${move}`;

async function batch(agent: Agent = clerk): Promise<BatchDetail> {
  return ok<BatchDetail>(agent.get(`/api/batches/${batchId}`));
}

async function dossierState(id: string): Promise<string> {
  return (await t.core.handle.db.selectFrom('dossiers').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
}

/** The checks module runs in parallel work: its run ends here as its job would end it. */
async function finishCheck(dossierId: string, failures: number) {
  const row = (await batch()).dossiers.find((d) => d.dossierId === dossierId)!;
  expect(row.check.runId).toBeTruthy();
  await t.core.handle.db.transaction().execute((trx) =>
    t.core.project.checksFinished(trx, {
      dossierId, runId: row.check.runId!, state: 'done', failures, warnings: 1, batchId,
      requestedAt: t.clock.now().toISOString(), finishedAt: t.clock.now().toISOString(),
    }),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'P9', name: '九处' } })).id;
  const users: [string, string, string, string][] = [
    ['pclerk', 'archivist', root, 'unit_and_below'],
    ['pleader', 'leader', root, 'unit_and_below'],
    ['pscan', 'scanner', root, 'unit_and_below'],
    ['pqc', 'inspector', root, 'unit_and_below'],
    ['pfar', 'archivist', branch, 'own_unit'],
    ['pnear', 'scanner', root, 'own_unit'],
  ];
  for (const [username, role, unitId, scope] of users) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: `${username}名`, unitId, password: PASSWORD, roleIds: [await roleId(sec, role)], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    ids[username] = json<{ id: string }>(res).id;
  }
  [clerk, leader, scanner, inspector, farClerk, nearScanner] = users.map(() => new Agent(t)) as [Agent, Agent, Agent, Agent, Agent, Agent];
  await clerk.signIn('pclerk', PASSWORD);
  await leader.signIn('pleader', PASSWORD);
  await scanner.signIn('pscan', PASSWORD);
  await inspector.signIn('pqc', PASSWORD);
  await farClerk.signIn('pfar', PASSWORD);
  await nearScanner.signIn('pnear', PASSWORD);
  ids.branch = branch;

  for (const [name, no] of [['赵一', 'PJ001'], ['钱二', 'PJ002'], ['孙三', 'PJ003'], ['李四', 'PJ004']] as const) {
    const cadre = await ok<Cadre>(clerk.post('/api/cadres', { body: { name, managingUnitId: root, dossier: { dossierNo: no, custodianUnitId: root } } }));
    await ok(clerk.post(`/api/dossiers/${cadre.dossier!.id}/materials`, { body: { classCode: '1', name: '干部履历表', formedOn: '1995-06', pages: 2 } }));
    const catalogue = await ok<{ classes: { code: string; materials: { id: string }[] }[] }>(clerk.get(`/api/dossiers/${cadre.dossier!.id}/catalogue`));
    const material = catalogue.classes.find((c) => c.code === '1')!.materials[0]!.id;
    if (no === 'PJ004') spare = { id: cadre.dossier!.id, no };
    else dossiers.push({ id: cadre.dossier!.id, no, material });
  }
  // The checks module is built in parallel: its request is stood in for, its finish simulated.
  vi.spyOn(t.core.checks, 'request').mockImplementation(async () => newId());
}, 180_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

describe('a batch of three dossiers, from check-out to check-in', () => {
  it('creates a numbered draft batch; a dossier cannot be in two open batches', async () => {
    const created = await ok<BatchDetail>(clerk.post('/api/batches', { body: { name: '第一批', notes: '试点', dossierIds: dossiers.map((d) => d.id) } }));
    batchId = created.id;
    expect(created).toMatchObject({ code: 'PC-2026-001', state: 'draft', stateLabel: '草稿', dossierCount: 3, materialCount: 3, pageCount: 6 });
    expect(created.dossiers.every((d) => d.currentStage === 'arrange' && d.stages.length === 8)).toBe(true);

    const clash = await refused(clerk.post('/api/batches', { body: { name: '第二批', dossierIds: [dossiers[0]!.id] } }), 409, 'DOSSIER_IN_OPEN_BATCH');
    expect(clash.message).toContain('PC-2026-001');
    const second = await ok<BatchDetail>(clerk.post('/api/batches', { body: { name: '第二批' } }));
    expect(second.code).toBe('PC-2026-002');
    await refused(clerk.post(`/api/batches/${second.id}/dossiers`, { body: { dossierIds: [dossiers[1]!.id] } }), 409, 'DOSSIER_IN_OPEN_BATCH');
    // The database refuses it too, whatever the application does.
    await expect(
      t.core.handle.db.insertInto('project_batch_dossiers').values({
        batch_id: second.id, dossier_id: dossiers[0]!.id, open_dossier_id: dossiers[0]!.id, added_by: ids.pclerk!, added_at: t.clock.now().toISOString(),
        sample_reason: null, check_run_id: null, check_state: null, check_failures: null, check_warnings: null, check_finished_at: null,
      }).execute(),
    ).rejects.toThrow();
    await ok(clerk.post(`/api/batches/${second.id}/cancellation`, { body: { reason: '重复建立' } }));

    const list = await ok<{ items: { code: string }[]; total: number }>(clerk.get('/api/batches', { query: { state: 'draft' } }));
    expect(list.items.map((b) => b.code)).toEqual(['PC-2026-001']);
    const count = async (q: string) => (await ok<{ total: number }>(clerk.get('/api/batches', { query: { q } }))).total;
    expect(await count('pc-2026')).toBe(2);
    expect(await count('第一')).toBe(1);
    expect(await count('%')).toBe(0);
  });

  it('keeps batches to the data scope and each action to its permission', async () => {
    await refused(farClerk.get(`/api/batches/${batchId}`), 404, 'BATCH_NOT_FOUND');
    expect((await ok<{ total: number }>(farClerk.get('/api/batches'))).total).toBe(0);
    await refused(farClerk.post('/api/batches', { body: { name: '越权', dossierIds: [spare.id] } }), 404, 'DOSSIER_NOT_FOUND');
    await refused(inspector.post('/api/batches', { body: { name: '质检员建批' } }), 403, 'FORBIDDEN');
    await refused(clerk.post(`/api/batches/${batchId}/checkout-approval`, { body: {} }), 403, 'FORBIDDEN');
    await refused(scanner.post(`/api/batches/${batchId}/checkout-request`, { body: {} }), 403, 'FORBIDDEN');
  });

  it('asks for check-out; the leader refuses with a reason, then approves the request made again', async () => {
    await ok(clerk.post(`/api/batches/${batchId}/checkout-request`, { body: { note: '请审批' } }));
    const blank = await refused(leader.post(`/api/batches/${batchId}/checkout-refusal`, { body: { reason: ' ' } }), 400, 'VALIDATION_FAILED');
    expect(Object.keys(blank.fields ?? {})).toEqual(['reason']);
    const refusedBatch = await ok<BatchDetail>(leader.post(`/api/batches/${batchId}/checkout-refusal`, { body: { reason: '缺少交接清单' } }));
    expect(refusedBatch.state).toBe('draft');
    expect(refusedBatch.checkout.refused).toMatchObject({ by: { id: ids.pleader }, reason: '缺少交接清单' });
    await ok(clerk.post(`/api/batches/${batchId}/checkout-request`, { body: { note: '已补清单' } }));
    const approved = await ok<BatchDetail>(leader.post(`/api/batches/${batchId}/checkout-approval`, { body: { note: '同意' } }));
    expect(approved.state).toBe('approved');
    expect(await dossierState(dossiers[0]!.id)).toBe('in_store');
  });

  it('hands over with catalogue counts; the paper leaves only when both sides have confirmed', async () => {
    await refused(clerk.post(`/api/batches/${batchId}/handover`, { body: { receiverId: ids.pclerk } }), 422, 'HANDOVER_SAME_PERSON');
    await refused(clerk.post(`/api/batches/${batchId}/handover`, { body: { receiverId: ids.pqc } }), 409, 'USER_NOT_WORKER');
    const h = await ok<Handover>(clerk.post(`/api/batches/${batchId}/handover`, { body: { receiverId: ids.pscan, note: '三卷' } }));
    expect(h).toMatchObject({ direction: 'out', giver: { id: ids.pclerk }, receiver: { id: ids.pscan }, totals: { dossiers: 3, materials: 3, pages: 6 } });
    expect(h.items.map((i) => i.dossierNo)).toEqual(['PJ001', 'PJ002', 'PJ003']);

    await refused(inspector.post(`/api/handovers/${h.id}/confirmation`), 403, 'NOT_HANDOVER_PARTY');
    const half = await ok<Handover>(clerk.post(`/api/handovers/${h.id}/confirmation`));
    expect(half.giverConfirmedAt).not.toBeNull();
    expect(half.completedAt).toBeNull();
    expect(await dossierState(dossiers[0]!.id)).toBe('in_store');
    await refused(clerk.post(`/api/handovers/${h.id}/confirmation`), 409, 'HANDOVER_CONFIRMED');

    const done = await ok<Handover>(scanner.post(`/api/handovers/${h.id}/confirmation`));
    expect(done.completedAt).not.toBeNull();
    for (const d of dossiers) expect(await dossierState(d.id)).toBe('out_for_digitization');
    const b = await batch();
    expect(b.state).toBe('in_progress');
    expect(b.dossiers.every((d) => d.stateLabel === '出库加工')).toBe(true);
    const moves = await t.core.handle.db.selectFrom('audit_events').select('detail').where('action', '=', 'dossier.transition').execute();
    expect(moves.filter((m) => m.detail!.includes('出库加工') && m.detail!.includes('PC-2026-001'))).toHaveLength(3);
  });

  it('moves dossiers out for digitization and back only through a batch, never by a plain state change', async () => {
    const back = await refused(clerk.post(`/api/dossiers/${dossiers[0]!.id}/transitions`, { body: { event: 'return_from_digitization', reason: '手工归还' } }), 409, 'DOSSIER_EVENT_BY_BATCH');
    expect(back.message).toContain('加工批次');
    expect(await dossierState(dossiers[0]!.id)).toBe('out_for_digitization');
    await refused(clerk.post(`/api/dossiers/${spare.id}/transitions`, { body: { event: 'check_out_for_digitization', reason: '手工出库' } }), 409, 'DOSSIER_EVENT_BY_BATCH');
    expect(await dossierState(spare.id)).toBe('in_store');
  });

  it('runs the stages in order only', async () => {
    const [d1] = dossiers;
    const early = await refused(scanner.post(stagePath(d1!.id, 'scan', 'start')), 409, 'STAGE_ORDER');
    expect(early.message).toBe('不能开始「扫描」：上一环节「整理」尚未完成');
    await refused(scanner.post(stagePath(d1!.id, 'arrange', 'finish'), { body: {} }), 409, 'STAGE_ORDER');
    await refused(scanner.post(stagePath(d1!.id, 'inspect', 'start')), 409, 'STAGE_SYSTEM_DRIVEN');
    await refused(inspector.post(stagePath(d1!.id, 'arrange', 'start')), 403, 'FORBIDDEN');
    for (const d of dossiers) {
      await ok(clerk.post(stagePath(d.id, 'arrange', 'start')));
      await ok(clerk.post(stagePath(d.id, 'arrange', 'finish'), { body: { note: '拆钉、修复' } }));
      const started = await ok<BatchDossier>(scanner.post(stagePath(d.id, 'scan', 'start')));
      expect(started.currentStage).toBe('scan');
      expect(started.stages.find((s) => s.stage === 'scan')).toMatchObject({ status: 'in_progress', startedBy: { id: ids.pscan } });
    }
  });

  it('blocks finishing 扫描 while scanned pages differ from the catalogue unexplained', async () => {
    const upload = async (no: string, piece: number, page: number) => {
      const sb = await ok<{ id: string }>(scanner.post('/api/scan-batches', { body: { dossierId: dossiers.find((d) => d.no === no)!.id } }));
      const res = await scanner.post(`/api/scan-batches/${sb.id}/files`, {
        query: { name: `${no}_01-${String(piece).padStart(3, '0')}_${String(page).padStart(3, '0')}.jpg` },
        body: await scanPage({ lines: [`${no} 第 ${page} 页`] }), headers: { 'content-type': 'application/octet-stream' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(json<{ status: string }>(res).status).toBe('stored');
    };
    await upload('PJ001', 1, 1);
    for (const no of ['PJ002', 'PJ003']) {
      await upload(no, 1, 1);
      await upload(no, 1, 2);
    }
    const [d1, d2] = dossiers;
    const register = await ok<ScanRegister>(scanner.get(`/api/batches/${batchId}/dossiers/${d1!.id}/scan-register`));
    expect(register.rows).toEqual([expect.objectContaining({ expectedPages: 2, scannedPages: 1, difference: -1, explained: false, explanation: null })]);
    expect(register.unexplained).toBe(1);

    const blocked = await refused(scanner.post(stagePath(d1!.id, 'scan', 'finish'), { body: {} }), 409, 'SCAN_DIFFERENCE_UNEXPLAINED');
    expect(blocked.message).toContain('目录 2 页、已扫 1 页');
    await refused(scanner.put(`/api/batches/${batchId}/materials/${d2!.material}/scan-explanation`, { body: { note: '无差异' } }), 409, 'SCAN_NO_DIFFERENCE');
    const explained = await ok<ScanRegister>(
      scanner.put(`/api/batches/${batchId}/materials/${d1!.material}/scan-explanation`, { body: { note: '原件第 2 页为空白背页，未扫描' } }),
    );
    expect(explained.rows[0]).toMatchObject({ explained: true, explanation: { note: '原件第 2 页为空白背页，未扫描', by: { id: ids.pscan }, expectedPages: 2, scannedPages: 1 } });
    for (const d of dossiers) await ok(scanner.post(stagePath(d.id, 'scan', 'finish'), { body: {} }));
  });

  it('finishes 图像处理 only when every page is processed, then links and starts the checks', async () => {
    const [d1] = dossiers;
    await ok(scanner.post(stagePath(d1!.id, 'process', 'start')));
    const waiting = await refused(scanner.post(stagePath(d1!.id, 'process', 'finish'), { body: {} }), 409, 'PAGES_NOT_PROCESSED');
    expect(waiting.message).toBe('尚有 1 页未处理完成（待处理 1 页、处理中 0 页、处理失败 0 页），不能完成图像处理环节');
    await t.core.runner.runUntilIdle();
    for (const d of dossiers) {
      if (d !== d1) await ok(scanner.post(stagePath(d.id, 'process', 'start')));
      await ok(scanner.post(stagePath(d.id, 'process', 'finish'), { body: {} }));
      await ok(scanner.post(stagePath(d.id, 'link', 'start')));
      await ok(scanner.post(stagePath(d.id, 'link', 'finish'), { body: {} }));
      const checking = await ok<BatchDossier>(scanner.post(stagePath(d.id, 'check', 'start')));
      expect(checking.check.state).toBe('queued');
      expect(checking.stages.find((s) => s.stage === 'check')!.status).toBe('in_progress');
    }
    expect(t.core.checks.request).toHaveBeenCalledTimes(3);
    expect(vi.mocked(t.core.checks.request).mock.calls[0]![2]).toMatchObject({
      batchId, requestedBy: ids.pscan, siblingDossierIds: [dossiers[1]!.id, dossiers[2]!.id], audit: { userId: ids.pscan },
    });
    await refused(scanner.post(stagePath(d1!.id, 'check', 'finish'), { body: {} }), 409, 'STAGE_SYSTEM_DRIVEN');
  });

  it('records rework with its reason and does the stages again', async () => {
    const [, d2] = dossiers;
    const back = await ok<BatchDossier>(scanner.post(stagePath(d2!.id, 'link', 'rework'), { body: { reason: '挂接顺序需复核' } }));
    expect(back.currentStage).toBe('link');
    expect(back.stages.find((s) => s.stage === 'check')!.status).toBe('pending');
    expect(back.check.runId).toBeNull();
    const b = await batch();
    expect(b.events.find((e) => e.event === 'rework')).toMatchObject({ dossierId: d2!.id, stage: 'link', note: '挂接顺序需复核', by: { id: ids.pscan } });
    await ok(scanner.post(stagePath(d2!.id, 'link', 'start')));
    await ok(scanner.post(stagePath(d2!.id, 'link', 'finish'), { body: {} }));
    await ok(scanner.post(stagePath(d2!.id, 'check', 'start')));
  });

  it('refuses the sample before the checks are done, then draws it reproducibly', async () => {
    await refused(inspector.post(`/api/batches/${batchId}/sample`), 409, 'CHECKS_NOT_DONE');
    const [d1, d2, d3] = dossiers;
    await finishCheck(d1!.id, 0);
    await finishCheck(d2!.id, 0);
    await finishCheck(d3!.id, 2);
    const checked = await batch();
    expect(checked.dossiers.find((d) => d.dossierId === d3!.id)!.stages.find((s) => s.stage === 'check')).toMatchObject({
      status: 'done', finishedBy: null, note: '发现 2 项不合格、1 项提示',
    });
    expect(checked.dossiers.every((d) => d.currentStage === 'inspect')).toBe(true);

    const drawn = await ok<BatchDetail>(inspector.post(`/api/batches/${batchId}/sample`));
    const s = drawn.sampling!;
    expect(s.percent).toBe(5);
    expect(s.randomCount).toBe(1);
    expect(s.selected).toHaveLength(2);
    expect(s.selected.find((x) => x.dossierId === d3!.id)).toMatchObject({ reason: 'check_failed', label: '自动校验不通过，全检' });
    const { drawSample } = await import('@dangan/domain');
    const redo = drawSample({ dossierIds: dossiers.map((d) => d.id), checkFailedIds: new Set([d3!.id]), percent: 5, seed: s.seed });
    expect(redo.selected).toEqual(s.selected.map((x) => ({ dossierId: x.dossierId, reason: x.reason })));
    await refused(inspector.post(`/api/batches/${batchId}/sample`), 409, 'SAMPLE_ALREADY_DRAWN');

    const unpicked = drawn.dossiers.filter((d) => !d.sample);
    expect(unpicked).toHaveLength(1);
    expect(unpicked[0]!.stages.find((x) => x.stage === 'inspect')).toMatchObject({ status: 'done', note: '未抽中，免检' });
    const audit = await t.core.handle.db.selectFrom('audit_events').select('detail').where('action', '=', 'batch.sample').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ seed: s.seed, percent: 5, batchSize: 3, randomCount: 1 });
  });

  it('lets inspectors see the pages of the dossiers they inspect', async () => {
    const d3 = dossiers[2]!;
    const pages = await ok<{ pages: { id: string }[] }>(inspector.get(`/api/dossiers/${d3.id}/pages`));
    expect(pages.pages).toHaveLength(2);
    const image = await inspector.get(`/api/pages/${pages.pages[0]!.id}/image`, { query: { variant: 'web' } });
    expect(image.statusCode, image.body).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    await refused(inspector.put(`/api/pages/${pages.pages[0]!.id}/ops`, { body: { ops: { rotation: 90 } } }), 403, 'FORBIDDEN');
  });

  let failedRound: InspectionDetail;
  let rework: ReworkDetail;

  it('inspects: defects on pages, a failing verdict sends rework to the operator', async () => {
    const d3 = dossiers[2]!;
    await refused(inspector.post('/api/inspections', { body: { batchId, dossierId: (await batch()).dossiers.find((d) => !d.sample)!.dossierId } }), 409, 'NOT_IN_SAMPLE');
    const round = await ok<InspectionDetail>(inspector.post('/api/inspections', { body: { batchId, dossierId: d3.id } }));
    expect(round).toMatchObject({ round: 1, verdict: null, inspector: { id: ids.pqc }, defects: [] });
    await refused(inspector.post('/api/inspections', { body: { batchId, dossierId: d3.id } }), 409, 'INSPECTION_OPEN');

    const pages = await ok<{ pages: { id: string }[] }>(inspector.get(`/api/dossiers/${d3.id}/pages`));
    await refused(inspector.post(`/api/inspections/${round.id}/verdict`, { body: { verdict: 'fail' } }), 422, 'VERDICT_NEEDS_DEFECTS');
    await refused(
      inspector.post(`/api/inspections/${round.id}/defects`, { body: { pageId: pages.pages[0]!.id, type: 'skew', box: [0, 0, 99999, 10] } }),
      422, 'DEFECT_BOX_OUTSIDE',
    );
    await refused(inspector.post(`/api/inspections/${round.id}/defects`, { body: { pageId: dossiers[0]!.id, type: 'skew' } }), 422, 'DEFECT_PAGE_INVALID');
    await ok(inspector.post(`/api/inspections/${round.id}/defects`, { body: { pageId: pages.pages[0]!.id, type: 'skew', box: [10, 20, 300, 200], note: '右上角歪斜' } }));
    await ok(inspector.post(`/api/inspections/${round.id}/defects`, { body: { pageId: pages.pages[1]!.id, type: 'blur', note: '字迹模糊' } }));
    const withThird = await ok<InspectionDetail>(inspector.post(`/api/inspections/${round.id}/defects`, { body: { materialId: d3.material, type: 'missing_scan' } }));
    expect(withThird.defects.map((d) => d.typeLabel)).toEqual(['歪斜', '模糊', '漏扫']);
    expect(withThird.defects[0]).toMatchObject({ box: [10, 20, 300, 200] });
    expect(withThird.defects[0]!.pageLabel).toContain('第 1 页');
    const removed = await ok<InspectionDetail>(inspector.delete(`/api/inspections/${round.id}/defects/${withThird.defects[2]!.id}`));
    expect(removed.defects).toHaveLength(2);

    failedRound = await ok<InspectionDetail>(inspector.post(`/api/inspections/${round.id}/verdict`, { body: { verdict: 'fail', note: '两处缺陷' } }));
    expect(failedRound).toMatchObject({ verdict: 'fail', rework: { state: 'open', assignee: { id: ids.pscan }, defectCount: 2, fixedCount: 0 } });
    await refused(inspector.post(`/api/inspections/${round.id}/defects`, { body: { type: 'other' } }), 409, 'INSPECTION_CLOSED');
    await refused(inspector.post('/api/inspections', { body: { batchId, dossierId: d3.id } }), 409, 'REWORK_NOT_SUBMITTED');

    const mine = await ok<ReworkSummary[]>(scanner.get('/api/rework', { query: { mine: 'true' } }));
    expect(mine.map((r) => r.id)).toEqual([failedRound.rework!.id]);
    expect(await ok<ReworkSummary[]>(inspector.get('/api/rework', { query: { mine: 'true' } }))).toEqual([]);
    rework = await ok<ReworkDetail>(scanner.get(`/api/rework/${failedRound.rework!.id}`));
    expect(rework.defects.map((d) => d.type)).toEqual(['skew', 'blur']);
  });

  it('refuses acceptance below the pass rate, naming the rate', async () => {
    // Inspect the other sampled dossier: it passes.
    const other = (await batch()).dossiers.find((d) => d.sample?.reason === 'random')!;
    const round = await ok<InspectionDetail>(inspector.post('/api/inspections', { body: { batchId, dossierId: other.dossierId } }));
    await ok(inspector.post(`/api/inspections/${round.id}/verdict`, { body: { verdict: 'pass' } }));
    const r = await refused(leader.post(`/api/batches/${batchId}/acceptance`, { body: {} }), 409, 'PASS_RATE_BELOW_THRESHOLD');
    expect(r.message).toBe('抽检合格率 50.0%（1/2）低于验收标准 95%，不能验收');
    const b = await batch(leader);
    expect(b.state).toBe('in_progress');
    expect(b.passRate).toMatchObject({ inspected: 2, passed: 1, rate: 0.5 });
    const attempt = await t.core.handle.db.selectFrom('audit_events').select(['result', 'detail']).where('action', '=', 'batch.accept').executeTakeFirstOrThrow();
    expect(attempt.result).toBe('failure');
    const noted = await ok<BatchDetail>(leader.post(`/api/batches/${batchId}/acceptance-refusal`, { body: { reason: '合格率不足，整改后复检' } }));
    expect(noted.acceptance.refused).toMatchObject({ reason: '合格率不足，整改后复检', by: { id: ids.pleader } });
  });

  it('takes the rework: defects fixed, submitted, inspected again in a new round that passes', async () => {
    await refused(scanner.post(`/api/rework/${rework.id}/submission`, { body: {} }), 409, 'DEFECTS_NOT_FIXED');
    await refused(clerk.post(`/api/rework/${rework.id}/defects/${rework.defects[0]!.id}/fix`, { body: {} }), 403, 'NOT_ASSIGNEE');
    await refused(inspector.post(`/api/rework/${rework.id}/submission`, { body: {} }), 403, 'FORBIDDEN');
    for (const d of rework.defects) await ok(scanner.post(`/api/rework/${rework.id}/defects/${d.id}/fix`, { body: { note: '已重扫替换' } }));
    const submitted = await ok<ReworkDetail>(scanner.post(`/api/rework/${rework.id}/submission`, { body: { note: '整改完毕' } }));
    expect(submitted).toMatchObject({ state: 'submitted', fixedCount: 2, note: '整改完毕' });

    const d3 = dossiers[2]!;
    const again = await ok<InspectionDetail>(inspector.post('/api/inspections', { body: { batchId, dossierId: d3.id } }));
    expect(again.round).toBe(2);
    expect(again.earlier.map((e) => e.verdict)).toEqual(['fail']);
    // Sent back to 著录/挂接 while the round is open: no verdict until the dossier is back in 质检.
    await ok(scanner.post(stagePath(d3.id, 'link', 'rework'), { body: { reason: '挂接顺序有误' } }));
    const early = await refused(inspector.post(`/api/inspections/${again.id}/verdict`, { body: { verdict: 'pass' } }), 409, 'STAGE_ORDER');
    expect(early.message).toContain('著录/挂接');
    await refused(inspector.post(`/api/inspections/${again.id}/defects`, { body: { type: 'other', note: '返工中' } }), 409, 'STAGE_ORDER');
    expect((await batch()).dossiers.find((d) => d.dossierId === d3.id)!.stages.find((s) => s.stage === 'inspect')!.status).toBe('pending');
    await ok(scanner.post(stagePath(d3.id, 'link', 'start')));
    await ok(scanner.post(stagePath(d3.id, 'link', 'finish'), { body: {} }));
    await ok(scanner.post(stagePath(d3.id, 'check', 'start')));
    await finishCheck(d3.id, 0);
    await ok(inspector.post(`/api/inspections/${again.id}/verdict`, { body: { verdict: 'pass', note: '复检合格' } }));
    const closed = await ok<ReworkDetail>(scanner.get(`/api/rework/${rework.id}`));
    expect(closed.state).toBe('closed');
    const b = await batch();
    expect(b.passRate).toMatchObject({ inspected: 2, passed: 2, rate: 1, firstPassed: 1, firstRate: 0.5 });
    expect(b.dossiers.every((d) => d.currentStage === 'accept')).toBe(true);
  });

  it('accepts the batch, then checks it in: counts compared, differences explained, dossiers back 在库', async () => {
    await refused(clerk.post(`/api/batches/${batchId}/check-in`, { body: { giverId: ids.pscan, items: dossiers.map((d) => ({ dossierId: d.id, materials: 1, pages: 2 })) } }), 409, 'BATCH_STATE_REFUSED');
    const accepted = await ok<BatchDetail>(leader.post(`/api/batches/${batchId}/acceptance`, { body: { note: '同意验收' } }));
    expect(accepted.state).toBe('accepted');
    expect(accepted.acceptance.accepted).toMatchObject({ by: { id: ids.pleader }, reason: '同意验收' });
    expect(accepted.dossiers.every((d) => d.currentStage === 'return')).toBe(true);

    const items = dossiers.map((d) => ({ dossierId: d.id, materials: 1, pages: 2, note: '' }));
    await refused(clerk.post(`/api/batches/${batchId}/check-in`, { body: { giverId: ids.pscan, items: items.slice(0, 2) } }), 422, 'CHECKIN_INCOMPLETE');
    items[1] = { ...items[1]!, pages: 1 };
    const diff = await refused(clerk.post(`/api/batches/${batchId}/check-in`, { body: { giverId: ids.pscan, items } }), 422, 'CHECKIN_DIFFERENCE_UNEXPLAINED');
    expect(diff.fields).toEqual({ 'items.1.note': '数量不符，须说明' });
    items[1] = { ...items[1]!, note: '一页夹在 PJ001 中，已归位' };
    const back = await ok<Handover>(clerk.post(`/api/batches/${batchId}/check-in`, { body: { giverId: ids.pscan, items } }));
    expect(back).toMatchObject({ direction: 'in', giver: { id: ids.pscan }, receiver: { id: ids.pclerk } });
    expect(back.items.find((i) => i.dossierId === dossiers[1]!.id)).toMatchObject({ pages: 1, expectedPages: 2, difference: true });

    await ok(scanner.post(`/api/handovers/${back.id}/confirmation`));
    expect(await dossierState(dossiers[0]!.id)).toBe('out_for_digitization');
    await ok(clerk.post(`/api/handovers/${back.id}/confirmation`));
    for (const d of dossiers) expect(await dossierState(d.id)).toBe('in_store');
    const closed = await batch();
    expect(closed.state).toBe('closed');
    expect(closed.dossiers.every((d) => d.currentStage === null)).toBe(true);
    // Closed, the batch no longer holds its dossiers.
    const next = await ok<BatchDetail>(clerk.post('/api/batches', { body: { name: '第三批', dossierIds: [dossiers[0]!.id] } }));
    expect(next.code).toBe('PC-2026-003');
  });

  it('writes the acceptance report as PDF and Excel, audited', async () => {
    const pdf = await clerk.get(`/api/batches/${batchId}/report.pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const doc = await getDocumentProxy(new Uint8Array(pdf.rawPayload));
    expect(doc.numPages).toBeGreaterThanOrEqual(1);
    const text = ((await extractText(doc, { mergePages: true })).text as string).replace(/\s+/g, ' ');
    for (const expected of ['数字化加工验收报告', 'PC-2026-001', 'PJ003', '一次合格率 50.0%', '合格率 100.0%', '歪斜', '模糊', '加工方（签字）', '质检（签字）', '档案室（签字）', '审批领导（签字）']) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(`随机种子 ${(await batch()).sampling!.seed}`);

    const xlsx = await leader.get(`/api/batches/${batchId}/report.xlsx`);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['概况', '档案明细', '缺陷统计']);
    const summary = wb.getWorksheet('概况')!;
    expect(summary.getCell('A1').value).toBe('数字化加工验收报告');
    const rowOf = (sheet: ExcelJS.Worksheet, label: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === label) found = row;
      });
      return found!;
    };
    expect(rowOf(summary, '批次号').getCell(2).value).toBe('PC-2026-001');
    expect(rowOf(summary, '目录页数').getCell(2).value).toBe('6');
    expect(String(rowOf(summary, '审批领导（签字）').getCell(1).value)).toBe('审批领导（签字）');
    const detail = wb.getWorksheet('档案明细')!;
    expect(detail.getRow(1).getCell(1).value).toBe('档案号');
    expect(detail.rowCount).toBe(4);
    const defects = wb.getWorksheet('缺陷统计')!;
    expect(rowOf(defects, '歪斜').getCell(2).value).toBe(1);
    expect(rowOf(defects, '漏扫').getCell(2).value).toBe(0);
    expect(rowOf(defects, 'pscan名').getCell(2).value).toBe(2);

    await refused(scanner.get(`/api/batches/${batchId}/report.pdf`), 403, 'FORBIDDEN');
    const exports = await t.core.handle.db.selectFrom('audit_events').select('detail').where('action', '=', 'batch.report.export').orderBy('seq').execute();
    expect(exports.map((e) => JSON.parse(e.detail!).format)).toEqual(['pdf', 'xlsx']);
  });

  it('lists rework and defects in a fixed number of queries, however many rows', async () => {
    const db = t.core.handle.db;
    let queries = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const deps = { db, kind: t.core.handle.kind, clock: t.clock, audit: t.core.audit, access: t.core.access, settings: t.core.settings } as unknown as ModuleDeps;
    const views = new ProjectViews(new ProjectSupport(deps));
    const times = <T extends { id: string }>(rows: T[], n: number): T[] => Array.from({ length: n }, (_, i) => rows.map((r) => ({ ...r, id: `${r.id}-${i}` }))).flat();
    const rework = times(await db.selectFrom('project_rework').selectAll().where('batch_id', '=', batchId).execute(), 40);
    const defects = times(await db.selectFrom('project_defects').selectAll().where('batch_id', '=', batchId).execute(), 40);

    queries = 0;
    const summaries = await views.reworkSummaries(counted, rework);
    expect(summaries).toHaveLength(40);
    expect(summaries.every((r) => r.round === 1 && r.batchCode === 'PC-2026-001' && r.dossierNo === 'PJ003')).toBe(true);
    expect(queries).toBeLessThanOrEqual(6);

    queries = 0;
    const listed = await views.defects(counted, defects);
    expect(listed).toHaveLength(80);
    expect(listed.every((d) => d.pageLabel?.includes('第'))).toBe(true);
    expect(queries).toBeLessThanOrEqual(4);
  });

  it('audits every step', async () => {
    const actions = new Set((await t.core.handle.db.selectFrom('audit_events').select('action').execute()).map((a) => a.action));
    for (const a of [
      'batch.create', 'batch.cancel', 'batch.checkout.request', 'batch.checkout.refuse', 'batch.checkout.approve', 'batch.handover.create',
      'batch.handover.confirm', 'batch.stage.start', 'batch.stage.finish', 'batch.stage.rework', 'batch.scan.explain', 'batch.sample',
      'inspection.open', 'inspection.defect.add', 'inspection.defect.remove', 'inspection.verdict', 'rework.fix', 'rework.submit',
      'batch.accept', 'batch.acceptance.refuse', 'batch.close', 'batch.report.export',
    ]) {
      expect(actions, a).toContain(a);
    }
  });
});

describe('data scope inside a batch', () => {
  it('shows a user only the dossiers of his scope, in the batch and its hand-over', async () => {
    const far = await ok<Cadre>(clerk.post('/api/cadres', { body: { name: '周五', managingUnitId: ids.branch, dossier: { dossierNo: 'PJ005', custodianUnitId: ids.branch } } }));
    const mixed = await ok<BatchDetail>(clerk.post('/api/batches', { body: { name: '跨单位', dossierIds: [spare.id, far.dossier!.id] } }));
    await ok(clerk.post(`/api/batches/${mixed.id}/checkout-request`, { body: {} }));
    await ok(leader.post(`/api/batches/${mixed.id}/checkout-approval`, { body: {} }));
    const h = await ok<Handover>(clerk.post(`/api/batches/${mixed.id}/handover`, { body: { receiverId: ids.pnear } }));
    expect(h.items).toHaveLength(2);

    const seen = await ok<BatchDetail>(nearScanner.get(`/api/batches/${mixed.id}`));
    expect(seen.dossiers.map((d) => d.dossierNo)).toEqual(['PJ004']);
    expect(seen.hiddenDossiers).toBe(1);
    expect(seen.handovers[0]!.items.map((i) => i.dossierNo)).toEqual(['PJ004']);
    await ok(clerk.post(`/api/handovers/${h.id}/confirmation`));
    const confirmed = await ok<Handover>(nearScanner.post(`/api/handovers/${h.id}/confirmation`));
    expect(confirmed.items.map((i) => i.dossierNo)).toEqual(['PJ004']);
    expect(await dossierState(far.dossier!.id)).toBe('out_for_digitization');

    await ok(clerk.post(`/api/batches/${mixed.id}/dossiers/${far.dossier!.id}/stages/arrange/start`));
    await ok(clerk.post(`/api/batches/${mixed.id}/dossiers/${far.dossier!.id}/stages/arrange/finish`, { body: {} }));
    await refused(nearScanner.post(`/api/batches/${mixed.id}/dossiers/${far.dossier!.id}/stages/scan/start`), 404, 'BATCH_DOSSIER_NOT_FOUND');
    await refused(nearScanner.get(`/api/batches/${mixed.id}/dossiers/${far.dossier!.id}/scan-register`), 404, 'BATCH_DOSSIER_NOT_FOUND');
    mixedId = mixed.id;
  });

  it('lets a clerk who sees only part of a batch neither cancel nor rename it', async () => {
    const far = await ok<Cadre>(clerk.post('/api/cadres', { body: { name: '吴六', managingUnitId: ids.branch, dossier: { dossierNo: 'PJ006', custodianUnitId: ids.branch } } }));
    const mixed = await ok<BatchDetail>(clerk.post('/api/batches', { body: { name: '跨单位草稿', dossierIds: [dossiers[1]!.id, far.dossier!.id] } }));
    expect((await ok<BatchDetail>(farClerk.get(`/api/batches/${mixed.id}`))).hiddenDossiers).toBe(1);
    await refused(farClerk.post(`/api/batches/${mixed.id}/cancellation`, { body: { reason: '不要了' } }), 403, 'OUT_OF_SCOPE');
    await refused(farClerk.patch(`/api/batches/${mixed.id}`, { body: { name: '改名' } }), 403, 'OUT_OF_SCOPE');
    const after = await ok<BatchDetail>(clerk.get(`/api/batches/${mixed.id}`));
    expect(after).toMatchObject({ state: 'draft', name: '跨单位草稿', dossierCount: 2 });
    await ok(clerk.post(`/api/batches/${mixed.id}/cancellation`, { body: { reason: '测试完毕' } }));
  });

  it('finishes 自动校验 when the real check run ends (the checks module reports to the project)', async () => {
    vi.mocked(t.core.checks.request).mockRestore();
    const path = (stage: string, move: string) => `/api/batches/${mixedId}/dossiers/${spare.id}/stages/${stage}/${move}`;
    await ok(clerk.post(path('arrange', 'start')));
    await ok(clerk.post(path('arrange', 'finish'), { body: {} }));
    await ok(nearScanner.post(path('scan', 'start')));
    const sb = await ok<{ id: string }>(nearScanner.post('/api/scan-batches', { body: { dossierId: spare.id } }));
    for (const page of [1, 2]) {
      const res = await nearScanner.post(`/api/scan-batches/${sb.id}/files`, {
        query: { name: `PJ004_01-001_00${page}.jpg` }, body: await scanPage({ lines: [`PJ004 第 ${page} 页`] }), headers: { 'content-type': 'application/octet-stream' },
      });
      expect(json<{ status: string }>(res).status).toBe('stored');
    }
    await t.core.runner.runUntilIdle();
    await ok(nearScanner.post(path('scan', 'finish'), { body: {} }));
    for (const stage of ['process', 'link']) {
      await ok(nearScanner.post(path(stage, 'start')));
      await ok(nearScanner.post(path(stage, 'finish'), { body: {} }));
    }
    const started = await ok<BatchDossier>(nearScanner.post(path('check', 'start')));
    expect(started.check.state).toBe('queued');
    await t.core.runner.runUntilIdle();
    const after = (await ok<BatchDetail>(clerk.get(`/api/batches/${mixedId}`))).dossiers.find((d) => d.dossierId === spare.id)!;
    const latest = (await t.core.checks.latest(t.core.handle.db, [spare.id])).get(spare.id)!;
    expect(latest).toMatchObject({ runId: started.check.runId, state: 'done' });
    expect(after.check).toMatchObject({ runId: started.check.runId, state: 'done', failures: latest.failures, warnings: latest.warnings });
    expect(after.stages.find((s) => s.stage === 'check')).toMatchObject({ status: 'done', finishedBy: null });
    expect(after.currentStage).toBe('inspect');
  });

  it('lets 自动校验 be asked for again after a run that failed, even one whose failure the project never heard of', async () => {
    const path = (stage: string, move: string) => `/api/batches/${mixedId}/dossiers/${spare.id}/stages/${stage}/${move}`;
    const db = t.core.handle.db;
    await ok(nearScanner.post(path('check', 'rework'), { body: { reason: '重新校验' } }));
    // A stored hash that is not one: the evaluation throws on it.
    const hashes = await db.selectFrom('pages').select(['id', 'phash']).where('dossier_id', '=', spare.id).execute();
    await db.updateTable('pages').set({ phash: 'not a dhash here' }).where('dossier_id', '=', spare.id).execute();
    const lastAttempt = { attempts: 3, max_attempts: 3 };

    const first = await ok<BatchDossier>(nearScanner.post(path('check', 'start')));
    await expect(t.core.checks.execute(first.check.runId!, lastAttempt)).rejects.toThrow();
    const heard = (await ok<BatchDetail>(clerk.get(`/api/batches/${mixedId}`))).dossiers.find((d) => d.dossierId === spare.id)!;
    expect(heard.check).toMatchObject({ runId: first.check.runId, state: 'failed' });
    expect(heard.stages.find((s) => s.stage === 'check')!.status).toBe('in_progress');
    const second = await ok<BatchDossier>(nearScanner.post(path('check', 'start')));
    expect(second.check).toMatchObject({ state: 'queued' });
    expect(second.check.runId).not.toBe(first.check.runId);

    // The project's part of recording the failure fails: the run is closed as failed all the same.
    const stop = t.core.checks.onFinished(async (_executor, summary) => {
      if (summary.runId === second.check.runId) throw new Error('记录失败');
    });
    try {
      await expect(t.core.checks.execute(second.check.runId!, lastAttempt)).rejects.toThrow();
    } finally {
      stop();
    }
    expect((await t.core.checks.latest(db, [spare.id])).get(spare.id)).toMatchObject({ runId: second.check.runId, state: 'failed' });
    const third = await ok<BatchDossier>(nearScanner.post(path('check', 'start')));
    expect(third.check).toMatchObject({ state: 'queued' });
    expect(third.check.runId).not.toBe(second.check.runId);

    for (const h of hashes) await db.updateTable('pages').set({ phash: h.phash }).where('id', '=', h.id).execute();
    await t.core.runner.runUntilIdle();
    const done = (await ok<BatchDetail>(clerk.get(`/api/batches/${mixedId}`))).dossiers.find((d) => d.dossierId === spare.id)!;
    expect(done.check).toMatchObject({ runId: third.check.runId, state: 'done' });
    expect(done.stages.find((s) => s.stage === 'check')!.status).toBe('done');
  });
});
