import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, PageText, ScanBatch, ScanFile, ScanPage } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';
import { scanPage } from '../../../test/scan-images.js';
import { PAGE_OCR_JOB } from './ocr.job.js';

let t: TestApp;
let clerk: Agent;
let scanner: Agent;
let outsider: Agent;
let dossierId: string;
let dossierNo: string;
let resumeId: string;
let tmp: string;

/** A page scanned at 300 dpi (the sample page drawn at 150 dpi, doubled): OCR reads it at half size. */
async function page300(turn: 0 | 180 = 0): Promise<Buffer> {
  const base = await scanPage({ format: 'png', ...(turn ? { turn } : {}) });
  const meta = await sharp(base).metadata();
  return sharp(base).resize(meta.width! * 2, meta.height! * 2).withMetadata({ density: 300 }).jpeg({ quality: 90 }).toBuffer();
}

beforeAll(async () => {
  t = await createTestApp();
  tmp = mkdtempSync(join(tmpdir(), 'dangan-ocr-'));
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'B7', name: '七处' } })).id;
  for (const [username, role, unitId, scope] of [
    ['clerk', 'archivist', root, 'unit_and_below'],
    ['scanop', 'scanner', root, 'unit_and_below'],
    ['farscan', 'scanner', branch, 'own_unit'],
  ] as const) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: username, unitId, password: 'Ocr-Passw0rd1', roleIds: [await roleId(sec, role)], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  clerk = new Agent(t);
  await clerk.signIn('clerk', 'Ocr-Passw0rd1');
  scanner = new Agent(t);
  await scanner.signIn('scanop', 'Ocr-Passw0rd1');
  outsider = new Agent(t);
  await outsider.signIn('farscan', 'Ocr-Passw0rd1');

  const cadre = json<Cadre>(await clerk.post('/api/cadres', { body: { name: '王伟', managingUnitId: root, dossier: { dossierNo: 'O0001', custodianUnitId: root } } }));
  dossierId = cadre.dossier!.id;
  dossierNo = cadre.dossier!.dossierNo;
  for (const body of [
    { classCode: '4-1', name: '学历证明', formedOn: '1991-07', pages: 1 },
    { classCode: '1', name: '干部履历表', formedOn: '1995-06', pages: 1 },
  ]) {
    const res = await clerk.post(`/api/dossiers/${dossierId}/materials`, { body });
    expect(res.statusCode, res.body).toBe(200);
  }
  const catalogue = json<{ classes: { code: string; materials: { id: string }[] }[] }>(await clerk.get(`/api/dossiers/${dossierId}/catalogue`));
  resumeId = catalogue.classes.find((c) => c.code === '1')!.materials[0]!.id;
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function upload(name: string, bytes: Buffer): Promise<string> {
  const batch = json<ScanBatch>(await scanner.post('/api/scan-batches', { body: { dossierId } }));
  const res = await scanner.post(`/api/scan-batches/${batch.id}/files`, { query: { name }, body: bytes, headers: { 'content-type': 'image/jpeg' } });
  expect(res.statusCode, res.body).toBe(200);
  const file = json<ScanFile>(res);
  expect(file.status).toBe('stored');
  const row = await t.core.handle.db.selectFrom('pages').select('id').where('file_id', '=', file.id).executeTakeFirstOrThrow();
  return row.id;
}

async function textOf(pageId: string): Promise<PageText> {
  const res = await scanner.get(`/api/pages/${pageId}/text`);
  expect(res.statusCode, res.body).toBe(200);
  return json<PageText>(res);
}

const status = (pageId: string) => t.core.handle.db.selectFrom('page_status').selectAll().where('page_id', '=', pageId).executeTakeFirstOrThrow();
const pageRow = (pageId: string) => t.core.handle.db.selectFrom('pages').selectAll().where('id', '=', pageId).executeTakeFirstOrThrow();
const autoTurns = (pageId: string) =>
  t.core.handle.db.selectFrom('audit_events').selectAll().where('action', '=', 'page.auto_rotate').where('object_id', '=', pageId).execute();

describe('OCR as a pipeline step', () => {
  let pageId: string;

  it('reads a processed page at about 150 dpi and stores its lines with boxes in master pixels', async () => {
    pageId = await upload(`${dossierNo}_01-001_001.jpg`, await page300());
    const early = await scanner.get(`/api/pages/${pageId}/text`);
    expect(early.statusCode).toBe(404);
    expect(early.json()).toMatchObject({ code: 'PAGE_TEXT_NOT_READY' });
    expect(early.json().message).toMatch(/尚未识别/);

    await t.core.runner.runUntilIdle();
    const page = await pageRow(pageId);
    expect(page.status).toBe('processed');
    expect(page.dpi).toBe(300);

    const text = await textOf(pageId);
    expect(text.version).toBe(1);
    expect(text.text).toContain('王伟');
    expect(text.text).toContain('1970年5月');
    expect(text.text.split('\n')).toEqual(text.lines.map((l) => l.text));
    expect(text.meanConfidence).toBeGreaterThan(0.9);
    expect(text.lowConfidenceChars).toBeLessThan(10);
    expect(text.edited).toBe(false);

    // Boxes are in master pixels: the 34-px type of the 150-dpi drawing is about 68 px high at 300 dpi.
    const analysis = JSON.parse(page.analysis!) as { width: number; height: number };
    const birth = text.lines.find((l) => l.text.includes('1970年5月'))!;
    expect(birth.box[3]).toBeGreaterThan(50);
    expect(birth.box[3]).toBeLessThan(110);
    expect(birth.box[2]).toBeGreaterThan(900);
    for (const l of text.lines) {
      expect(l.box[0]).toBeGreaterThanOrEqual(0);
      expect(l.box[1]).toBeGreaterThanOrEqual(0);
      expect(l.box[0] + l.box[2]).toBeLessThanOrEqual(analysis.width + 2);
      expect(l.box[1] + l.box[3]).toBeLessThanOrEqual(analysis.height + 2);
      expect(l.chars?.length).toBe(l.text.length);
    }
    const ys = text.lines.map((l) => l.box[1]);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));

    const s = await status(pageId);
    expect([s.ocr_version, s.ocr_runs, s.processed_version]).toEqual([1, 1, 1]);
    expect(s.ocr_at).toBeTruthy();
    const row = await t.core.handle.db.selectFrom('page_text').selectAll().where('page_id', '=', pageId).executeTakeFirstOrThrow();
    expect(row.engine).toMatch(/PP-OCR/);

    // Out of scope: the page does not exist for the user.
    expect((await outsider.get(`/api/pages/${pageId}/text`)).statusCode).toBe(404);
  });

  it('never repeats a finished step: a done OCR job queued again does not run the engine', async () => {
    const db = t.core.handle.db;
    const done = await db.selectFrom('jobs').select(['id', 'state']).where('kind', '=', PAGE_OCR_JOB).where('dedupe_key', '=', `${PAGE_OCR_JOB}:${pageId}:1`).executeTakeFirstOrThrow();
    expect(done.state).toBe('done');
    await db.updateTable('jobs').set({ state: 'queued', finished_at: null }).where('id', '=', done.id).execute();
    await t.core.runner.runUntilIdle();
    expect((await status(pageId)).ocr_runs).toBe(1);
    expect((await db.selectFrom('jobs').select('state').where('id', '=', done.id).executeTakeFirstOrThrow()).state).toBe('done');
  });

  it('respects a hand-set rotation: an upside-down page kept upside down by hand is not turned', async () => {
    const id = await upload('倒置页.jpg', await scanPage({ turn: 180 }));
    await t.core.runner.runUntilIdle();
    expect((await pageRow(id)).rotation).toBe(180);
    const edited = await scanner.put(`/api/pages/${id}/ops`, { body: { ops: { rotation: 0 } } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json<ScanPage>(edited).version).toBe(2);
    await t.core.runner.runUntilIdle();

    const page = await pageRow(id);
    expect([page.version, page.rotation, JSON.parse(page.ops)]).toEqual([2, 0, { rotation: 0 }]);
    const text = await textOf(id);
    expect(text.version).toBe(2);
    expect(text.text).not.toContain('1970年5月');
    expect((await status(id)).ocr_version).toBe(2);
    expect(await autoTurns(id)).toHaveLength(0);
  });

  it('turns a page the image step left upside down when the turned page reads clearly better, and audits it', async () => {
    // The image step "missed" the turn: the master is upside down and nobody set the rotation by hand.
    const id = await upload('漏判页.jpg', await scanPage({ turn: 180, lines: ['干部任免审批表', '姓名：李明，出生年月：1968年3月。', '籍贯：浙江杭州，参加工作时间：1989年8月。', '现任职务：某某局副局长。'] }));
    await t.core.runner.runUntilIdle();
    expect((await scanner.put(`/api/pages/${id}/ops`, { body: { ops: { rotation: 0 } } })).statusCode).toBe(200);
    await t.core.runner.runUntilIdle();
    // Version 2 was read upside down (hand-set, so left alone). Now take the hand mark away, as if the
    // image step had chosen 0° itself, and let the OCR step read version 2 again.
    const db = t.core.handle.db;
    await db.updateTable('pages').set({ ops: '{}' }).where('id', '=', id).execute();
    await db.updateTable('page_status').set({ ocr_version: 1 }).where('page_id', '=', id).execute();
    await db.updateTable('jobs').set({ state: 'queued', finished_at: null }).where('dedupe_key', '=', `${PAGE_OCR_JOB}:${id}:2`).execute();
    await t.core.runner.runUntilIdle();

    const page = await pageRow(id);
    expect(page.version).toBe(3);
    expect(JSON.parse(page.ops)).toEqual({ rotation: 180 });
    expect(page.rotation).toBe(180);
    const text = await textOf(id);
    expect(text.version).toBe(3);
    expect(text.text).toContain('李明');
    expect(text.text).toContain('1968年3月');
    const s = await status(id);
    expect([s.processed_version, s.ocr_version]).toEqual([3, 3]);
    const events = await autoTurns(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ username: 'system', result: 'success' });
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({ before: {}, after: { rotation: 180 }, version: 3, reason: 'ocr' });
  });

  it('turns a page left lying on its side by a quarter turn', async () => {
    const id = await upload('横置页.jpg', await scanPage({ turn: 90, lines: ['干部考察材料', '姓名：张华，出生年月：1975年9月。', '该同志政治立场坚定，工作认真负责。'] }));
    await t.core.runner.runUntilIdle();
    expect((await scanner.put(`/api/pages/${id}/ops`, { body: { ops: { rotation: 0 } } })).statusCode).toBe(200);
    await t.core.runner.runUntilIdle();
    expect((await textOf(id)).text).not.toContain('1975年9月');
    const db = t.core.handle.db;
    await db.updateTable('pages').set({ ops: '{}' }).where('id', '=', id).execute();
    await db.updateTable('page_status').set({ ocr_version: 1 }).where('page_id', '=', id).execute();
    await db.updateTable('jobs').set({ state: 'queued', finished_at: null }).where('dedupe_key', '=', `${PAGE_OCR_JOB}:${id}:2`).execute();
    await t.core.runner.runUntilIdle();

    const page = await pageRow(id);
    // Drawn turned 90° clockwise, so it is put upright by turning it 270° clockwise.
    expect([page.version, JSON.parse(page.ops), page.rotation]).toEqual([3, { rotation: 270 }, 270]);
    const text = await textOf(id);
    expect(text.text).toContain('张华');
    expect(text.text).toContain('1975年9月');
    expect(await autoTurns(id)).toHaveLength(1);
  });
});

describe('searchable PDF', () => {
  it('exports a material as its master images with an invisible text layer where the lines are', async () => {
    const pages = json<{ materials: { id: string; pageIds: string[] }[] }>(await scanner.get(`/api/dossiers/${dossierId}/pages`));
    const pageId = pages.materials.find((m) => m.id === resumeId)!.pageIds[0]!;
    const text = await textOf(pageId);
    const page = await pageRow(pageId);
    const analysis = JSON.parse(page.analysis!) as { width: number; height: number };

    const res = await clerk.get(`/api/materials/${resumeId}/pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/pdf/);
    const file = join(tmp, 'material.pdf');
    writeFileSync(file, res.rawPayload);

    const plain = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(plain).toContain('王伟');
    expect(plain).toContain('1970年5月');

    // The page is the master at its real size: 300 dpi pixels → points.
    const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const pageBox = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html)!;
    const [pw, ph] = [Number(pageBox[1]), Number(pageBox[2])];
    expect(pw).toBeCloseTo((analysis.width * 72) / 300, 0);
    expect(ph).toBeCloseTo((analysis.height * 72) / 300, 0);
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: m[5]!,
    }));
    const line = text.lines.find((l) => l.text.includes('1970年5月'))!;
    const word = words.find((w) => w.text.includes('1970年5月'))!;
    expect(word, JSON.stringify(words.slice(0, 5))).toBeTruthy();
    const k = 72 / 300;
    const near = (a: number, b: number, size: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(0.02 * size);
    const [x, y, w, h] = line.box;
    // The line's text is one word here; it starts and ends where the line does, at its height.
    expect(line.text.trim().split(/\s+/)).toHaveLength(1);
    near(word.x0, x * k, pw);
    near(word.x1, (x + w) * k, pw);
    near((word.y0 + word.y1) / 2, (y + h / 2) * k, ph);

    const audit = await t.core.handle.db.selectFrom('audit_events').selectAll().where('action', '=', 'material.pdf.export').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ username: 'clerk', object_id: resumeId });
  });

  it('exports a dossier in catalogue order, only within the data scope', async () => {
    const res = await clerk.get(`/api/dossiers/${dossierId}/pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const file = join(tmp, 'dossier.pdf');
    writeFileSync(file, res.rawPayload);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    // Only the résumé material has a page; the loose pages are not in any material.
    expect(info).toMatch(/Pages:\s+1\b/);
    expect(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).toContain('王伟');
    expect((await outsider.get(`/api/dossiers/${dossierId}/pdf`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/materials/${resumeId}/pdf`)).statusCode).toBe(404);
    const audit = await t.core.handle.db.selectFrom('audit_events').selectAll().where('action', '=', 'dossier.pdf.export').execute();
    expect(audit).toHaveLength(1);
  });
});
