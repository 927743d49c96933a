import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Cadre, DossierPages, ScanBatch, ScanFile, ScanPage, ScanPageDetail } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';
import { blankPage, multiPageTiff, scanPage } from '../../../test/scan-images.js';

let t: TestApp;
let clerk: Agent;
let scanner: Agent;
let outsider: Agent;
let sec: Agent;
let dossierId: string;
let dossierNo: string;
const materials: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'B9', name: '九处' } })).id;
  const users: Array<[string, string, string, string]> = [
    ['clerk', 'archivist', root, 'unit_and_below'],
    ['scanop', 'scanner', root, 'unit_and_below'],
    ['farscan', 'scanner', branch, 'own_unit'],
  ];
  for (const [username, role, unitId, scope] of users) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: username, unitId, password: 'Scan-Passw0rd1', roleIds: [await roleId(sec, role)], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  clerk = new Agent(t);
  await clerk.signIn('clerk', 'Scan-Passw0rd1');
  scanner = new Agent(t);
  await scanner.signIn('scanop', 'Scan-Passw0rd1');
  outsider = new Agent(t);
  await outsider.signIn('farscan', 'Scan-Passw0rd1');

  const cadre = json<Cadre>(
    await clerk.post('/api/cadres', { body: { name: '王伟', managingUnitId: root, dossier: { dossierNo: 'S0001', custodianUnitId: root } } }),
  );
  dossierId = cadre.dossier!.id;
  dossierNo = cadre.dossier!.dossierNo;
  for (const [, body] of [
    ['resume', { classCode: '1', name: '干部履历表', formedOn: '1995-06', pages: 2 }],
    ['degree', { classCode: '4-1', name: '学历证明', formedOn: '1991-07', pages: 2 }],
  ] as const) {
    const res = await clerk.post(`/api/dossiers/${dossierId}/materials`, { body });
    expect(res.statusCode, res.body).toBe(200);
  }
  const catalogue = json<{ classes: { code: string; materials: { id: string; name: string }[] }[] }>(await clerk.get(`/api/dossiers/${dossierId}/catalogue`));
  materials.resume = catalogue.classes.find((c) => c.code === '1')!.materials[0]!.id;
  materials.degree = catalogue.classes.find((c) => c.code === '4-1')!.materials[0]!.id;
}, 120_000);

afterAll(async () => {
  await t.close();
});

async function newBatch(agent: Agent = scanner): Promise<ScanBatch> {
  const res = await agent.post('/api/scan-batches', { body: { dossierId } });
  expect(res.statusCode, res.body).toBe(200);
  return json<ScanBatch>(res);
}

async function send(batchId: string, name: string, bytes: Buffer, type = 'application/octet-stream', agent: Agent = scanner) {
  return agent.post(`/api/scan-batches/${batchId}/files`, { query: { name }, body: bytes, headers: { 'content-type': type } });
}

async function sendOk(batchId: string, name: string, bytes: Buffer): Promise<ScanFile> {
  const res = await send(batchId, name, bytes);
  expect(res.statusCode, res.body).toBe(200);
  return json<ScanFile>(res);
}

async function board(): Promise<DossierPages> {
  const res = await scanner.get(`/api/dossiers/${dossierId}/pages`);
  expect(res.statusCode, res.body).toBe(200);
  return json<DossierPages>(res);
}

const pageOf = (b: DossierPages, id: string): ScanPage => b.pages.find((p) => p.id === id)!;

describe('scans in: upload, linking by name, processing', () => {
  let batch: ScanBatch;

  it('takes a mixed batch, links pages by their names, and reports every bad file with a coded Chinese reason', async () => {
    batch = await newBatch();
    const skewed = await scanPage({ skewDeg: 3 });
    const first = await sendOk(batch.id, `${dossierNo}_01-001_001.jpg`, skewed);
    expect(first).toMatchObject({ status: 'stored', format: 'jpeg', pageCount: 1 });
    await sendOk(batch.id, `${dossierNo}_01-001_002.png`, await scanPage({ format: 'png', turn: 180 }));
    const tiff = await sendOk(batch.id, `扫描/${dossierNo}_04-1-001.tif`, await multiPageTiff(2));
    expect(tiff).toMatchObject({ status: 'stored', format: 'tiff', pageCount: 2 });
    const loose = await sendOk(batch.id, 'IMG_0007.jpg', await blankPage());
    expect(loose.status).toBe('stored');

    const truncated = skewed.subarray(0, Math.floor(skewed.length / 2));
    const corrupt = await sendOk(batch.id, `${dossierNo}_01-001_003.jpg`, truncated);
    expect(corrupt).toMatchObject({ status: 'rejected', errorCode: 'IMAGE_CORRUPT' });
    expect(corrupt.errorMessage).toMatch(/损坏|不完整/);

    const duplicate = await sendOk(batch.id, '再次上传.jpg', skewed);
    expect(duplicate).toMatchObject({ status: 'duplicate', errorCode: 'FILE_DUPLICATE' });
    expect(duplicate.duplicateOf).toMatchObject({ fileId: first.id, name: first.name, dossierNo });

    const tricks = await sendOk(batch.id, '../../etc/passwd.jpg', await scanPage());
    expect(tricks).toMatchObject({ status: 'rejected', errorCode: 'FILE_NAME_INVALID' });
    const nul = await sendOk(batch.id, 'a\u0000b.jpg', await scanPage());
    expect(nul).toMatchObject({ status: 'rejected', errorCode: 'FILE_NAME_INVALID' });
    expect(nul.name).not.toContain('\u0000');
    const text = await sendOk(batch.id, 'note.jpg', Buffer.from('这不是图像，而是一段文字。'.repeat(20)));
    expect(text).toMatchObject({ status: 'rejected', errorCode: 'IMAGE_UNSUPPORTED_TYPE' });
    const empty = await sendOk(batch.id, 'empty.jpg', Buffer.alloc(0));
    expect(empty.status).toBe('rejected');

    // Only the good files' bytes were stored: the duplicate shares its original's blob.
    const blobs = await t.core.handle.db.selectFrom('blobs').select(['id', 'kind']).execute();
    expect(blobs.filter((b) => b.kind === 'original')).toHaveLength(4);

    const view = json<ScanBatch>(await scanner.get(`/api/scan-batches/${batch.id}`));
    expect(view.files).toHaveLength(10);
    expect(view.pages).toMatchObject({ total: 5, pending: 5, processed: 0 });

    const b = await board();
    const resume = b.materials.find((m) => m.id === materials.resume)!;
    expect(resume.pageIds).toHaveLength(2);
    expect(resume.pageIds.map((id) => pageOf(b, id).fileName)).toEqual([`${dossierNo}_01-001_001.jpg`, `${dossierNo}_01-001_002.png`]);
    const degree = b.materials.find((m) => m.id === materials.degree)!;
    expect(degree.pageIds.map((id) => pageOf(b, id).sourcePage)).toEqual([1, 2]);
    expect(degree.pageIds.map((id) => pageOf(b, id).pageNo)).toEqual([1, 2]);
    expect(b.unlinkedPageIds).toHaveLength(1);
  });

  it('processes every page once on the worker threads and serves the clean images, never cached', async () => {
    await t.core.runner.runUntilIdle();
    const view = json<ScanBatch>(await scanner.get(`/api/scan-batches/${batch.id}`));
    expect(view.pages).toMatchObject({ total: 5, processed: 5, failed: 0 });
    const b = await board();
    const skewed = pageOf(b, b.materials.find((m) => m.id === materials.resume)!.pageIds[0]!);
    expect(Math.abs(skewed.analysis!.skewDeg)).toBeGreaterThan(2);
    const upside = pageOf(b, b.materials.find((m) => m.id === materials.resume)!.pageIds[1]!);
    expect(upside.analysis!.rotation).toBe(180);
    const blank = pageOf(b, b.unlinkedPageIds[0]!);
    expect(blank.analysis!.blank).toBe(true);
    expect(skewed.analysis!.blank).toBe(false);
    expect(skewed.analysis!.dpiLow).toBe(true); // 150 dpi under the 300-dpi setting

    const runs = await t.core.handle.db.selectFrom('page_status').select(['process_runs', 'processed_version']).execute();
    expect(runs.every((r) => r.process_runs === 1 && r.processed_version === 1)).toBe(true);

    const web = await scanner.get(`/api/pages/${skewed.id}/image`, { query: { variant: 'web' } });
    expect(web.statusCode).toBe(200);
    expect(web.headers['content-type']).toBe('image/jpeg');
    expect(web.headers['cache-control']).toBe('no-store');
    const meta = await sharp(web.rawPayload).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600);
    const original = await scanner.get(`/api/pages/${skewed.id}/image`, { query: { variant: 'original' } });
    expect(original.rawPayload.equals(await scanPage({ skewDeg: 3 }))).toBe(true);

    const detail = json<ScanPageDetail>(await scanner.get(`/api/pages/${skewed.id}`));
    expect(detail.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['deskew', 'crop', 'despeckle']));
    expect(detail.original.algorithm).toBe('sm3');
  });

  it('stores files encrypted, and refuses to serve one whose bytes were changed on disk', async () => {
    const root = join(t.database.dataDir, 'blobs');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThanOrEqual(4 + 5 * 3);
    const b = await board();
    const page = pageOf(b, b.unlinkedPageIds[0]!);
    const detail = json<ScanPageDetail>(await scanner.get(`/api/pages/${page.id}`));
    const path = files.find((f) => f.endsWith(detail.original.hash))!;
    const stored = readFileSync(path);
    expect(stored.includes((await blankPage()).subarray(0, 64))).toBe(false);
    const tampered = Buffer.from(stored);
    tampered[tampered.length - 40]! ^= 0xff;
    writeFileSync(path, tampered);
    const res = await scanner.get(`/api/pages/${page.id}/image`, { query: { variant: 'original' } });
    expect(res.statusCode).toBe(500);
    expect(json(res).code).toBe('BLOB_CORRUPT');
    const evidence = await t.core.handle.db.selectFrom('audit_events').select(['result', 'detail']).where('action', '=', 'page.image.view').where('result', '=', 'failure').execute();
    expect(evidence).toHaveLength(1);
    expect(JSON.parse(evidence[0]!.detail!)).toMatchObject({ code: 'BLOB_CORRUPT', variant: 'original' });
    writeFileSync(path, stored);
    expect((await scanner.get(`/api/pages/${page.id}/image`, { query: { variant: 'original' } })).statusCode).toBe(200);
    expect(stored.subarray(0, 6)).toEqual(Buffer.from([...Buffer.from('DGBO'), 1, 1])); // format 1, SM4

    // The security officer switches new files to AES-256-GCM; old files stay readable.
    const set = await sec.put('/api/settings/storage.cipher', { body: { value: 'aes-256-gcm' } });
    expect(set.statusCode, set.body).toBe(200);
    const batch = await newBatch();
    const file = await sendOk(batch.id, 'gcm.jpg', await scanPage({ lines: ['AES-256-GCM 加密'] }));
    const row = await t.core.handle.db.selectFrom('scan_files').select('blob_id').where('id', '=', file.id).executeTakeFirstOrThrow();
    const gcmPath = join(root, 'sm3', row.blob_id!.slice(4, 6), row.blob_id!.slice(6, 8), row.blob_id!.slice(4));
    expect(readFileSync(gcmPath)[5]).toBe(2);
    expect((await scanner.get(`/api/pages/${page.id}/image`, { query: { variant: 'original' } })).statusCode).toBe(200);
    await sec.put('/api/settings/storage.cipher', { body: { value: 'sm4' } });
    const gcmPage = (await board()).pages.find((p) => p.fileId === file.id)!;
    expect((await scanner.post(`/api/pages/${gcmPage.id}/deletion`, { body: { reason: '测试完毕' } })).statusCode).toBe(200);
  });
});

describe('by hand: corrections, linking, order, delete, rescan', () => {
  it('records a hand correction as operations and processes the original again', async () => {
    const b = await board();
    const id = b.materials.find((m) => m.id === materials.resume)!.pageIds[0]!;
    const before = (await scanner.get(`/api/pages/${id}/image`, { query: { variant: 'thumb' } })).rawPayload;
    const res = await scanner.put(`/api/pages/${id}/ops`, { body: { ops: { rotation: 90, skewDeg: 0, despeckle: false } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<ScanPage>(res)).toMatchObject({ status: 'pending', version: 2, ops: { rotation: 90, skewDeg: 0, despeckle: false } });
    await t.core.runner.runUntilIdle();
    const after = pageOf(await board(), id);
    expect(after).toMatchObject({ status: 'processed', version: 2 });
    expect(after.analysis).toMatchObject({ rotation: 90, skewDeg: 0 });
    const thumb = (await scanner.get(`/api/pages/${id}/image`, { query: { variant: 'thumb', v: 2 } })).rawPayload;
    expect(thumb.equals(before)).toBe(false);
    const meta = await sharp(thumb).metadata();
    expect(meta.width!).toBeGreaterThan(meta.height!); // turned a quarter: landscape now

    const bad = await scanner.put(`/api/pages/${id}/ops`, { body: { ops: { rotation: 45 } } });
    expect(bad.statusCode).toBe(400);
  });

  it('links an unlinked page by hand, moves pages between materials, reorders, and renumbers', async () => {
    let b = await board();
    const loose = b.unlinkedPageIds[0]!;
    const res = await scanner.post(`/api/pages/${loose}/link`, { body: { materialId: materials.resume, position: 1 } });
    expect(res.statusCode, res.body).toBe(200);
    b = json<DossierPages>(res);
    const resume = b.materials.find((m) => m.id === materials.resume)!;
    expect(resume.pageIds[0]).toBe(loose);
    expect(resume.pageIds.map((id) => pageOf(b, id).pageNo)).toEqual([1, 2, 3]);
    expect(b.unlinkedPageIds).toEqual([]);

    const reversed = [...resume.pageIds].reverse();
    b = json<DossierPages>(await scanner.put(`/api/materials/${materials.resume}/page-order`, { body: { pageIds: reversed } }));
    expect(b.materials.find((m) => m.id === materials.resume)!.pageIds).toEqual(reversed);
    const partial = await scanner.put(`/api/materials/${materials.resume}/page-order`, { body: { pageIds: reversed.slice(1) } });
    expect(json(partial).code).toBe('PAGE_ORDER_MISMATCH');

    b = json<DossierPages>(await scanner.post(`/api/pages/${loose}/link`, { body: { materialId: materials.degree } }));
    expect(b.materials.find((m) => m.id === materials.degree)!.pageIds.at(-1)).toBe(loose);
    expect(b.materials.find((m) => m.id === materials.resume)!.pageIds.map((id) => pageOf(b, id).pageNo)).toEqual([1, 2]);

    b = json<DossierPages>(await scanner.post(`/api/pages/${loose}/link`, { body: { materialId: null } }));
    expect(b.unlinkedPageIds).toEqual([loose]);
  });

  it('deletes softly with a reason and replaces a page with a rescan in the same place', async () => {
    let b = await board();
    const [firstDegree, secondDegree] = b.materials.find((m) => m.id === materials.degree)!.pageIds;
    const noReason = await scanner.post(`/api/pages/${firstDegree}/deletion`, { body: { reason: '' } });
    expect(noReason.statusCode).toBe(400);
    expect((await scanner.post(`/api/pages/${firstDegree}/deletion`, { body: { reason: '重复扫描' } })).statusCode).toBe(200);
    b = await board();
    expect(b.materials.find((m) => m.id === materials.degree)!.pageIds).toEqual([secondDegree]);
    expect(pageOf(b, secondDegree!).pageNo).toBe(1);
    const row = await t.core.handle.db.selectFrom('pages').select(['deleted_at', 'delete_reason', 'original_blob_id']).where('id', '=', firstDegree!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ delete_reason: '重复扫描' });

    const rescan = await scanPage({ lines: ['重扫的页面', '学历证明'] });
    const res = await scanner.post(`/api/pages/${secondDegree}/replacement`, { query: { name: 'rescan.jpg' }, body: rescan, headers: { 'content-type': 'image/jpeg' } });
    expect(res.statusCode, res.body).toBe(200);
    const fresh = json<ScanPage>(res);
    expect(fresh).toMatchObject({ materialId: materials.degree, pageNo: 1, status: 'pending' });
    b = await board();
    expect(b.materials.find((m) => m.id === materials.degree)!.pageIds).toEqual([fresh.id]);

    const multi = await scanner.post(`/api/pages/${fresh.id}/replacement`, { query: { name: 'two.tif' }, body: await multiPageTiff(2), headers: { 'content-type': 'image/tiff' } });
    expect(json(multi).code).toBe('REPLACEMENT_NOT_SINGLE_PAGE');
  });

  it('audits every change, and keeps other units out', async () => {
    const events = await t.core.handle.db.selectFrom('audit_events').select(['action', 'result']).execute();
    const actions = new Set(events.map((e) => e.action));
    for (const a of ['scan.batch.create', 'scan.file.ingest', 'scan.file.reject', 'page.edit', 'page.link', 'page.reorder', 'page.delete', 'page.replace', 'scan.pages.view', 'page.image.view']) {
      expect(actions, a).toContain(a);
    }
    expect((await outsider.get(`/api/dossiers/${dossierId}/pages`)).statusCode).toBe(404);
    expect((await outsider.post('/api/scan-batches', { body: { dossierId } })).statusCode).toBe(404);
    const b = await board();
    expect((await outsider.get(`/api/pages/${b.pages[0]!.id}/image`)).statusCode).toBe(404);
  });
});

describe('crash and resume', () => {
  it('takes back jobs a dead run left running and processes each page once, never repeating a finished one', async () => {
    await t.core.runner.runUntilIdle();
    const batch = await newBatch();
    for (let i = 1; i <= 3; i++) await sendOk(batch.id, `resume-${i}.jpg`, await scanPage({ lines: [`第${i}页`, '恢复测试'], skewDeg: i }));
    // A run that died: it had claimed every job and processed nothing.
    const claimed = await t.core.queue.claim(10);
    expect(claimed).toHaveLength(3);
    expect(await t.core.queue.claim(10)).toHaveLength(0);
    if (t.core.handle.kind === 'sqlite') {
      expect(await t.core.queue.recoverAbandoned()).toBe(3);
    } else {
      t.clock.advance(61_000); // leases expire
    }
    await t.core.runner.runUntilIdle();
    const view = json<ScanBatch>(await scanner.get(`/api/scan-batches/${batch.id}`));
    expect(view.pages).toMatchObject({ total: 3, processed: 3 });
    const ids = (await t.core.handle.db.selectFrom('pages').innerJoin('scan_files', 'scan_files.id', 'pages.file_id').select('pages.id').where('scan_files.batch_id', '=', batch.id).execute()).map((r) => r.id);
    const runs = await t.core.handle.db.selectFrom('page_status').select('process_runs').where('page_id', 'in', ids).execute();
    expect(runs.map((r) => r.process_runs)).toEqual([1, 1, 1]);

    // A finished job run again (its worker died after the work, before marking it done) does nothing.
    const doneJob = await t.core.handle.db.selectFrom('jobs').select(['id', 'payload']).where('dedupe_key', '=', `page.process:${ids[0]}:1`).executeTakeFirstOrThrow();
    expect(doneJob).toBeTruthy();
    await t.core.handle.db.updateTable('jobs').set({ state: 'queued' }).where('id', '=', doneJob.id).execute();
    await t.core.runner.runUntilIdle();
    const pageId = (JSON.parse(doneJob.payload) as { pageId: string }).pageId;
    const status = await t.core.handle.db.selectFrom('page_status').select('process_runs').where('page_id', '=', pageId).executeTakeFirstOrThrow();
    expect(status.process_runs).toBe(1);
  });
});
