import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, CheckFinding, CheckRun, DossierChecks, ScanBatch, ScanFile } from '@dangan/contracts';
import { DHASH_CANDIDATE_DISTANCE, hammingDistance } from '@dangan/domain';
import { Agent, createTestApp, json, roleId, rootUnitId, signInOfficers, type TestApp } from '../../../test/harness.js';
import { scanPage } from '../../../test/scan-images.js';
import type { DossierCheckSummary } from './checks.port.js';

let t: TestApp;
let clerk: Agent;
let scanner: Agent;
let inspector: Agent;
let reviewer: Agent;
let outsider: Agent;
let root: string;
let branch: string;
const finished: Array<DossierCheckSummary & { batchId: string | null }> = [];

/** Lines of the same length and layout as the sample page's, each page with text of its own. */
const POOL = [
  '一九八五年九月至一九八九年七月在某大学学习。', '一九八九年七月参加工作，任某厂技术员。', '一九九二年三月任某厂车间副主任。', '一九九四年五月加入中国共产党。',
  '一九九六年一月任某局办公室科员。', '一九九八年八月任某局办公室副主任。', '二〇〇一年四月任某局综合科科长。', '二〇〇四年十月任某局办公室主任。',
  '二〇〇八年六月任某县副县长。', '二〇一二年一月任某县县委常委。', '经研究，同意该同志的任职。', '考核结果为优秀等次。',
  '该同志政治立场坚定，工作认真负责。', '学历：大学本科，学位：工学学士。', '专业技术职务：高级工程师。', '培训内容：干部理论学习班。',
  '工资标准按有关规定执行。', '出国（境）任务：考察学习。', '表彰：年度先进工作者。', '党内职务：支部书记。',
  '审计结论：未发现问题。', '家庭主要成员情况如实填写。', '本人简历自高中起填写。', '组织审查意见：同意。',
  '任免理由：工作需要。', '民主推荐得票情况良好。', '考察组成员：张某、刘某。', '呈报单位：某某局党组。',
  '审批机关意见：同意任命。', '行政机关任免意见：同意。', '备注：无。', '填表时间：二〇一三年四月。',
]; // 32 lines, each page takes 9 of them from its own starting point

function pageLines(title: string, page: number): string[] {
  return [title, ...Array.from({ length: 9 }, (_, i) => POOL[(page * 5 + i * 3) % POOL.length]!)];
}

/** A colour scan of cream paper: the grey sample page tinted, as a colour scanner records it. */
async function colourScan(lines: string[]): Promise<Buffer> {
  return sharp(await scanPage({ lines })).tint({ r: 246, g: 236, b: 214 }).withMetadata({ density: 150 }).jpeg({ quality: 90 }).toBuffer();
}

async function createDossier(no: string, name: string, materials: Array<{ classCode: string; name: string; pages: number }>, facts: object = {}) {
  const cadre = json<Cadre>(
    await clerk.post('/api/cadres', { body: { name, managingUnitId: root, ...facts, dossier: { dossierNo: no, custodianUnitId: root } } }),
  );
  const dossierId = cadre.dossier!.id;
  for (const m of materials) {
    const res = await clerk.post(`/api/dossiers/${dossierId}/materials`, { body: { ...m, formedOn: '1995-06' } });
    expect(res.statusCode, res.body).toBe(200);
  }
  const catalogue = json<{ classes: { code: string; materials: { id: string }[] }[] }>(await clerk.get(`/api/dossiers/${dossierId}/catalogue`));
  const ids: Record<string, string> = {};
  for (const c of catalogue.classes) if (c.materials[0]) ids[c.code] = c.materials[0].id;
  return { id: dossierId, no, materials: ids };
}

async function upload(dossierId: string, files: Array<[string, Buffer]>): Promise<string[]> {
  const batch = json<ScanBatch>(await scanner.post('/api/scan-batches', { body: { dossierId } }));
  const pageIds: string[] = [];
  for (const [name, bytes] of files) {
    const res = await scanner.post(`/api/scan-batches/${batch.id}/files`, { query: { name }, body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.statusCode, res.body).toBe(200);
    const file = json<ScanFile>(res);
    expect(file.status, file.errorMessage ?? '').toBe('stored');
    pageIds.push((await t.core.handle.db.selectFrom('pages').select('id').where('file_id', '=', file.id).executeTakeFirstOrThrow()).id);
  }
  return pageIds;
}

async function checksOf(dossierId: string, agent: Agent = inspector): Promise<CheckRun> {
  const res = await agent.get(`/api/dossiers/${dossierId}/checks`);
  expect(res.statusCode, res.body).toBe(200);
  return json<DossierChecks>(res).run!;
}

const withCode = (run: CheckRun, code: CheckFinding['code']) => run.findings.filter((f) => f.code === code);

type Dossier = Awaited<ReturnType<typeof createDossier>>;
let a: Dossier;
let b: Dossier;
let c: Dossier;
let d: Dossier;
/** Pages of dossier A by role. */
const PAGE_ROLES = ['resume1', 'degree1', 'degree2', 'blurred', 'lowDpi', 'handLinked', 'unlinked'] as const;
const pa = {} as Record<(typeof PAGE_ROLES)[number], string>;

beforeAll(async () => {
  t = await createTestApp();
  t.core.checks.onFinished(async (_executor, summary) => {
    finished.push(summary);
  });
  const officers = await signInOfficers(t);
  // The synthetic pages are 150-dpi scans.
  const set = await officers.sysadmin.put('/api/settings/scan.minDpi', { body: { value: 150 } });
  expect(set.statusCode, set.body).toBe(200);
  const sec = officers.secadmin;
  root = await rootUnitId(sec);
  branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'B6', name: '六处' } })).id;
  const user = async (username: string, role: string, unitId: string, scope: 'unit_and_below' | 'own_unit'): Promise<Agent> => {
    const res = await sec.post('/api/users', {
      body: { username, displayName: username, unitId, password: 'Check-Passw0rd1', roleIds: [await roleId(sec, role)], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const agent = new Agent(t);
    await agent.signIn(username, 'Check-Passw0rd1');
    return agent;
  };
  clerk = await user('clerk', 'archivist', root, 'unit_and_below');
  scanner = await user('scanop', 'scanner', root, 'unit_and_below');
  inspector = await user('qcop', 'inspector', root, 'unit_and_below');
  reviewer = await user('revw', 'reviewer', root, 'unit_and_below');
  outsider = await user('farscan', 'scanner', branch, 'own_unit');

  a = await createDossier('K0001', '王伟', [
    { classCode: '1', name: '干部履历表', pages: 2 },
    { classCode: '4-1', name: '学历证明', pages: 2 },
    { classCode: '9-2', name: '任免审批表', pages: 3 },
  ]);
  b = await createDossier('K0002', '李强', [
    { classCode: '1', name: '干部履历表', pages: 2 },
    { classCode: '4-1', name: '学历证明', pages: 1 },
  ]);
  // A party member whose catalogue has no 入党志愿书: the completeness report names it.
  c = await createDossier('K0003', '赵敏', [{ classCode: '1', name: '干部履历表', pages: 1 }], { politicalStatus: '01', partyJoinDate: '1995.07' });

  const resume = await scanPage({ lines: pageLines('干部履历表', 0) });
  const degree = pageLines('学历证明书', 1);
  const blurred = await sharp(await scanPage({ lines: pageLines('干部任免审批表', 2) })).blur(1.5).withMetadata({ density: 150 }).jpeg().toBuffer();
  const low = await scanPage({ lines: pageLines('干部任免审批表（续）', 3) });
  const lowDpi = await sharp(low).resize(699, 992).withMetadata({ density: 120 }).jpeg({ quality: 90 }).toBuffer();
  const pagesOfA = await upload(a.id, [
    [`${a.no}_01-001_001.jpg`, resume],
    [`${a.no}_04-1-001_001.jpg`, await scanPage({ lines: degree })],
    // The same page again, uploaded as PNG: other bytes, the same image.
    [`${a.no}_04-1-001_002.png`, await scanPage({ lines: degree, format: 'png' })],
    [`${a.no}_09-2-001_001.jpg`, blurred],
    [`${a.no}_09-2-001_002.jpg`, lowDpi],
    ['IMG_2031.jpg', await scanPage({ lines: pageLines('任免通知', 4) })],
    ['IMG_2032.jpg', await scanPage({ lines: pageLines('其他材料', 5) })],
  ]);
  PAGE_ROLES.forEach((role, i) => (pa[role] = pagesOfA[i]!));
  const link = await scanner.post(`/api/pages/${pa.handLinked}/link`, { body: { materialId: a.materials['9-2'], position: 3 } });
  expect(link.statusCode, link.body).toBe(200);

  await upload(b.id, [
    [`${b.no}_01-001_001.jpg`, await colourScan(pageLines('干部履历表', 6))],
    [`${b.no}_01-001_002.jpg`, await colourScan(pageLines('干部履历表（续）', 7))],
    [`${b.no}_04-1-001_001.jpg`, await colourScan(pageLines('学历证明书', 8))],
  ]);
  // Dossier A's resume page, scanned again into dossier C.
  await upload(c.id, [[`${c.no}_01-001_001.jpg`, await sharp(resume).withMetadata({ density: 150 }).jpeg({ quality: 75 }).toBuffer()]]);
  await t.core.runner.runUntilIdle();
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('automatic checks of a dossier', () => {
  let runA: CheckRun;

  it('queues a run on request, audited, and stores its findings when the job has run', async () => {
    const res = await scanner.post(`/api/dossiers/${a.id}/checks`);
    expect(res.statusCode, res.body).toBe(200);
    const queued = json<CheckRun>(res);
    expect(queued).toMatchObject({ dossierId: a.id, dossierNo: a.no, state: 'queued', findings: [], batchId: null });
    // Asking again while it waits gives the same run.
    expect(json<CheckRun>(await clerk.post(`/api/dossiers/${a.id}/checks`)).id).toBe(queued.id);

    await t.core.runner.runUntilIdle();
    runA = await checksOf(a.id);
    expect(runA).toMatchObject({ id: queued.id, state: 'done' });
    expect(runA.finishedAt).not.toBeNull();
    expect(runA.failures).toBe(runA.findings.filter((f) => f.severity === 'failure').length);
    expect(runA.warnings).toBe(runA.findings.filter((f) => f.severity === 'warning').length);

    const events = await t.core.handle.db.selectFrom('audit_events').select(['action', 'result', 'username']).where('object_id', '=', a.id)
      .where('action', 'in', ['check.run.request', 'check.run.finish', 'check.view']).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['check.run.request', 'check.run.finish', 'check.view']);
    expect(events[0]!.username).toBe('scanop');
  });

  it('fails a material with one page fewer than the catalogue, naming it', () => {
    const [count, ...more] = withCode(runA, 'PAGE_COUNT_MISMATCH');
    expect(more).toEqual([]);
    expect(count).toMatchObject({ severity: 'failure', materialId: a.materials['1'], label: '页数与目录不符' });
    expect(count!.message).toBe('1-1「干部履历表」目录页数为 2，已挂接 1 页（少 1 页）');
  });

  it('finds the page uploaded twice, pointing at both pages, and not the other page of the same layout', async () => {
    const dups = withCode(runA, 'DUPLICATE_PAGE');
    expect(dups).toHaveLength(1);
    expect(dups[0]).toMatchObject({ severity: 'failure', pageId: pa.degree2 });
    expect(dups[0]!.related.map((r) => r.pageId)).toEqual([pa.degree1]);
    expect(dups[0]!.message).toBe('4-1-1「学历证明」第 2 页与4-1-1「学历证明」第 1 页是同一页的重复扫描');
    expect(dups[0]!.detail.similarity).toBeGreaterThanOrEqual(0.9);
    // Other pages of A share the layout and come close by hash: only their looks tell them apart.
    const rows = await t.core.handle.db.selectFrom('pages').select(['id', 'phash']).where('dossier_id', '=', a.id).execute();
    const alike = rows.flatMap((x, i) => rows.slice(i + 1).map((y) => [x, y] as const))
      .filter(([x, y]) => !(new Set([x.id, y.id]).has(pa.degree2) && new Set([x.id, y.id]).has(pa.degree1)))
      .filter(([x, y]) => hammingDistance(x.phash!, y.phash!) <= DHASH_CANDIDATE_DISTANCE);
    expect(alike.length).toBeGreaterThan(0);
  });

  it('fails a blurred page and a low-resolution page, each linked to its page', () => {
    const blur = withCode(runA, 'BLURRY');
    expect(blur.map((f) => f.pageId)).toEqual([pa.blurred]);
    expect(blur[0]!.page).toMatchObject({ materialId: a.materials['9-2'], pageNo: 1, materialSeq: '9-2-1', link: `/dossiers/${a.id}/scan?page=${pa.blurred}` });
    const dpi = withCode(runA, 'DPI_LOW');
    expect(dpi.map((f) => f.pageId)).toEqual([pa.lowDpi]);
    expect(dpi[0]!.message).toBe('9-2-1「任免审批表」第 2 页：分辨率 120 dpi，低于要求的 150 dpi');
  });

  it('fails the unlinked page and warns of the hand-linked free name', () => {
    expect(withCode(runA, 'PAGE_UNLINKED').map((f) => f.pageId)).toEqual([pa.unlinked]);
    expect(withCode(runA, 'PAGE_UNLINKED')[0]!.page).toMatchObject({ materialId: null, materialSeq: null, pageNo: null, fileName: 'IMG_2032.jpg' });
    const free = withCode(runA, 'FILE_NAME_FREE');
    expect(free.map((f) => [f.pageId, f.severity])).toEqual([[pa.handLinked, 'warning']]);
  });

  it('warns of greyscale scans once per material, and reports nothing else', () => {
    const grey = withCode(runA, 'COLOR_NOT_CAPTURED');
    expect(grey.map((f) => f.materialId)).toEqual([a.materials['1'], a.materials['4-1'], a.materials['9-2']]);
    expect(grey.every((f) => f.severity === 'warning')).toBe(true);
    const expected = new Set(['PAGE_COUNT_MISMATCH', 'DUPLICATE_PAGE', 'BLURRY', 'DPI_LOW', 'PAGE_UNLINKED', 'FILE_NAME_FREE', 'COLOR_NOT_CAPTURED', 'COMPLETENESS_MISSING']);
    expect(runA.findings.filter((f) => !expected.has(f.code))).toEqual([]);
    // Catalogue order: the resume's count, the degree's duplicate, the appointment's pages, the loose page.
    const order = runA.findings.filter((f) => f.code !== 'COLOR_NOT_CAPTURED' && f.code !== 'COMPLETENESS_MISSING').map((f) => f.code);
    expect(order).toEqual(['PAGE_COUNT_MISMATCH', 'DUPLICATE_PAGE', 'BLURRY', 'DPI_LOW', 'FILE_NAME_FREE', 'PAGE_UNLINKED']);
  });

  it('tells the listener of the finished run with its counts', () => {
    const heard = finished.filter((s) => s.runId === runA.id);
    expect(heard).toEqual([
      { dossierId: a.id, runId: runA.id, state: 'done', failures: runA.failures, warnings: runA.warnings, requestedAt: runA.requestedAt, finishedAt: runA.finishedAt, batchId: null },
    ]);
    expect(runA.failures).toBe(5);
  });

  it('passes a clean dossier, requested through the port with its batch', async () => {
    const runId = await t.core.handle.db.transaction().execute((trx) =>
      t.core.checks.request(trx, b.id, { batchId: 'batch-1', requestedBy: 'clerk', siblingDossierIds: [a.id, b.id] }),
    );
    await t.core.runner.runUntilIdle();
    const run = json<CheckRun>(await inspector.get(`/api/check-runs/${runId}`));
    expect(run).toMatchObject({ state: 'done', failures: 0, batchId: 'batch-1', siblingDossierIds: [a.id] });
    expect(run.findings.filter((f) => f.code !== 'COMPLETENESS_MISSING')).toEqual([]);
    expect(finished.find((s) => s.runId === runId)).toMatchObject({ state: 'done', failures: 0, warnings: run.warnings, batchId: 'batch-1' });
  });

  it('finds a page of the dossier scanned into another dossier of the batch, and attaches the completeness report', async () => {
    const runId = await t.core.handle.db.transaction().execute((trx) =>
      t.core.checks.request(trx, c.id, { batchId: 'batch-1', requestedBy: 'clerk', siblingDossierIds: [a.id, b.id] }),
    );
    await t.core.runner.runUntilIdle();
    const run = await checksOf(c.id);
    expect(run.id).toBe(runId);
    const [dup, ...more] = withCode(run, 'DUPLICATE_IN_BATCH');
    expect(more).toEqual([]);
    expect(dup!.related.map((r) => [r.pageId, r.dossierNo, r.link])).toEqual([[pa.resume1, a.no, `/dossiers/${a.id}/scan?page=${pa.resume1}`]]);
    expect(dup!.severity).toBe('warning');
    const [missing] = withCode(run, 'COMPLETENESS_MISSING');
    expect(missing).toMatchObject({ severity: 'warning', pageId: null, detail: { rule: 'party_application', classCode: '6' } });
    expect(missing!.message).toContain('入党志愿书');
    expect(run.findings.filter((f) => f.severity === 'failure').map((f) => f.message)).toEqual([]);
    expect(dup!.message).toMatch(new RegExp(`^1-1「干部履历表」第 1 页与档案 ${a.no} 1-1「干部履历表」第 1 页相同`));
  });

  it('gives the project module the latest run of each dossier', async () => {
    const latest = await t.core.checks.latest(t.core.handle.db, [a.id, b.id, c.id, 'no-such-dossier']);
    expect([...latest.keys()].sort()).toEqual([a.id, b.id, c.id].sort());
    expect(latest.get(a.id)).toMatchObject({ runId: runA.id, state: 'done', failures: runA.failures, warnings: runA.warnings });
  });

  it('replaces a run\'s findings when its job runs again', async () => {
    const before = await t.core.handle.db.selectFrom('check_findings').select('id').where('run_id', '=', runA.id).execute();
    await t.core.checks.execute(runA.id, { attempts: 1, max_attempts: 3 });
    const again = await checksOf(a.id);
    expect(again.findings.map((f) => [f.code, f.pageId])).toEqual(runA.findings.map((f) => [f.code, f.pageId]));
    expect(again.findings.some((f) => before.some((x) => x.id === f.id))).toBe(false);
    expect(finished.filter((s) => s.runId === runA.id)).toHaveLength(2);
  });

  it('fails a gap in a material\'s page numbers, pointing at the page past the end', async () => {
    d = await createDossier('K0005', '钱进', [{ classCode: '1', name: '干部履历表', pages: 2 }]);
    const [first, third] = await upload(d.id, [
      [`${d.no}_01-001_001.jpg`, await colourScan(pageLines('干部履历表', 9))],
      [`${d.no}_01-001_003.jpg`, await colourScan(pageLines('干部履历表（续）', 10))],
    ]);
    await t.core.runner.runUntilIdle();
    json<CheckRun>(await scanner.post(`/api/dossiers/${d.id}/checks`));
    await t.core.runner.runUntilIdle();
    const run = await checksOf(d.id);
    expect(run.findings.filter((f) => f.severity === 'failure').map((f) => [f.code, f.message, f.pageId])).toEqual([
      ['PAGE_SEQUENCE', '1-1「干部履历表」页号不连续：缺第 2 页；第 3 页超出范围', third],
    ]);
    expect(run.findings.map((f) => f.pageId)).not.toContain(first);
  });

  it('leaves a run that cannot finish failed, audited, and tells the listener', async () => {
    // A stored hash that is not one: the evaluation throws on it.
    await t.core.handle.db.updateTable('pages').set({ phash: 'not a dhash here' }).where('dossier_id', '=', d.id).execute();
    const runId = await t.core.handle.db.transaction().execute((trx) => t.core.checks.request(trx, d.id, { batchId: null, requestedBy: 'clerk' }));
    await expect(t.core.checks.execute(runId, { attempts: 3, max_attempts: 3 })).rejects.toThrow(/感知哈希/);
    const run = json<CheckRun>(await inspector.get(`/api/check-runs/${runId}`));
    expect(run).toMatchObject({ state: 'failed', failures: 0, warnings: 0, findings: [] });
    expect(run.error).toMatch(/感知哈希/);
    expect(finished.find((s) => s.runId === runId)).toMatchObject({ state: 'failed', failures: 0, warnings: 0 });
    const event = await t.core.handle.db.selectFrom('audit_events').select(['result', 'username']).where('action', '=', 'check.run.finish')
      .where('object_id', '=', d.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(event).toEqual({ result: 'failure', username: 'system' });
  });

  it('closes a run as failed even when telling the project of the failure fails', async () => {
    const runId = await t.core.handle.db.transaction().execute((trx) => t.core.checks.request(trx, d.id, { batchId: null, requestedBy: 'clerk' }));
    const stop = t.core.checks.onFinished(async (_executor, summary) => {
      if (summary.runId === runId) throw new Error('监听方出错');
    });
    try {
      await expect(t.core.checks.execute(runId, { attempts: 3, max_attempts: 3 })).rejects.toThrow(/感知哈希/);
    } finally {
      stop();
    }
    const run = json<CheckRun>(await inspector.get(`/api/check-runs/${runId}`));
    expect(run).toMatchObject({ state: 'failed', findings: [] });
    expect(run.finishedAt).not.toBeNull();
    expect(run.error).toMatch(/感知哈希/);
    expect(run.error).toMatch(/监听方出错/);
    const event = await t.core.handle.db.selectFrom('audit_events').select(['result', 'detail']).where('action', '=', 'check.run.finish')
      .where('object_id', '=', d.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(event.result).toBe('failure');
    expect(JSON.parse(event.detail!)).toMatchObject({ runId });
  });

  it('shows checks to those who work on the batch within their data scope only', async () => {
    expect((await reviewer.get(`/api/dossiers/${a.id}/checks`)).statusCode).toBe(403);
    expect((await reviewer.post(`/api/dossiers/${a.id}/checks`)).statusCode).toBe(403);
    expect((await outsider.get(`/api/dossiers/${a.id}/checks`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/check-runs/${runA.id}`)).statusCode).toBe(404);
    expect((await outsider.post(`/api/dossiers/${a.id}/checks`)).statusCode).toBe(404);
    expect((await clerk.get(`/api/check-runs/${runA.id}`)).statusCode).toBe(200);
    const never = await createDossier('K0004', '孙丽', []);
    expect(json<DossierChecks>(await scanner.get(`/api/dossiers/${never.id}/checks`))).toMatchObject({ dossierNo: 'K0004', cadreName: '孙丽', run: null });
  });

  it('does not name a dossier outside the reader\'s scope where a page was also found', async () => {
    const e = await createDossier('K0006', '周敏', [{ classCode: '1', name: '干部履历表', pages: 1 }], { managingUnitId: branch });
    const resume = await scanPage({ lines: pageLines('干部履历表', 0) });
    await upload(e.id, [[`${e.no}_01-001_001.jpg`, await sharp(resume).withMetadata({ density: 150 }).jpeg({ quality: 80 }).toBuffer()]]);
    await t.core.runner.runUntilIdle();
    const runId = await t.core.handle.db.transaction().execute((trx) =>
      t.core.checks.request(trx, e.id, { batchId: 'batch-2', requestedBy: 'clerk', siblingDossierIds: [a.id] }),
    );
    await t.core.runner.runUntilIdle();

    const full = await checksOf(e.id, inspector);
    expect(full.id).toBe(runId);
    const [seen] = withCode(full, 'DUPLICATE_IN_BATCH');
    expect(seen!.related.map((r) => r.pageId)).toEqual([pa.resume1]);
    expect(seen!.message).toContain(a.no);

    for (const run of [await checksOf(e.id, outsider), json<CheckRun>(await outsider.get(`/api/check-runs/${runId}`))]) {
      expect(run.siblingDossierIds).toEqual([]);
      const [dup, ...more] = withCode(run, 'DUPLICATE_IN_BATCH');
      expect(more).toEqual([]);
      expect(dup).toMatchObject({ severity: 'warning', pageId: seen!.pageId, related: [], detail: { hiddenPages: 1 } });
      expect(JSON.stringify(run)).not.toContain(a.no);
      expect(JSON.stringify(run)).not.toContain(a.id);
      expect(dup!.message).toBe('1-1「干部履历表」第 1 页与本批次中您数据范围以外的 1 页相同：如为分别归入各档案的同一份材料（如多人任免通知）可不处理，如误扫入本档案须移出');
    }
  });
});
