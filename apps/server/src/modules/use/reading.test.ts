import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, Catalogue, PrintLogRow, ReaderCatalogue, ReadingGrant, ReadingLogRow, ReadingSession } from '@dangan/contracts';
import { newId } from '../../platform/ids.js';
import { blobPort } from '../scans/adapters.js';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';
import { scanPage } from '../../../test/scan-images.js';

const PASSWORD = 'Read-Passw0rd1';

let t: TestApp;
let clerk: Agent;
let farClerk: Agent;
let reader: Agent;
let other: Agent;
const ids: Record<string, string> = {};
/** Material key → its page ids, in order. */
const pages: Record<string, string[]> = {};
let master: Buffer;
let web: Buffer;
let requestSeq = 0;
let tmp: string;
/** The OCR lines of the résumé's first page, in master pixels: one near the top left, one near the bottom right. */
let resumeLines: { text: string; box: [number, number, number, number]; confidence: number }[];

const db = () => t.core.handle.db;

async function ok<T>(res: Promise<LightMyRequestResponse>): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return json<T>(r);
}

async function refused(res: Promise<LightMyRequestResponse>, status: number, code: string) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  const body = json<{ code: string; message: string }>(r);
  expect(body.code).toBe(code);
  return body;
}

/** Processed pages as the page job leaves them: original, master and web renditions in the blob store. */
async function addPages(key: string, dossierId: string, materialId: string, count: number) {
  const store = blobPort(t.core.blobs, async () => 'sm4');
  const now = t.clock.now().toISOString();
  const put = async (bytes: Buffer, kind: 'original' | 'master' | 'web') => {
    const { id } = await store.put(bytes, 'sha256');
    if (!(await db().selectFrom('blobs').select('id').where('id', '=', id).executeTakeFirst())) {
      await db().insertInto('blobs').values({ id, algorithm: 'sha256', hash: id.slice(7), size: bytes.length, kind, format: 'jpeg', created_at: now }).execute();
    }
    return id;
  };
  const original = await put(master, 'original');
  const masterId = await put(master, 'master');
  const webId = await put(web, 'web');
  const batch = newId();
  await db().insertInto('scan_batches').values({ id: batch, dossier_id: dossierId, source: 'upload', station: null, created_by: 'test', created_by_id: null, created_at: now }).execute();
  const file = newId();
  await db().insertInto('scan_files').values({
    id: file, batch_id: batch, dossier_id: dossierId, name: `${key}.jpg`, size: master.length, blob_id: original, format: 'jpeg', page_count: count,
    status: 'stored', created_at: now,
  }).execute();
  pages[key] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    await db().insertInto('pages').values({
      id, dossier_id: dossierId, material_id: materialId, page_no: i + 1, file_id: file, source_page: 1, original_blob_id: original,
      master_blob_id: masterId, web_blob_id: webId, thumb_blob_id: null, ops: '{}', status: 'processed', version: 1, created_at: now, updated_at: now,
    }).execute();
    pages[key].push(id);
  }
}

/** An approved, running request, written as the requests module stores it (it is built in parallel). */
async function grant(spec: {
  requester: string; dossierId: string; mode: 'read' | 'print' | 'excerpt' | 'lend'; classes?: string[]; materials?: string[];
  printLimit?: number; days?: number;
}): Promise<string> {
  const id = newId();
  const now = t.clock.now();
  const seq = ++requestSeq;
  const user = await db().selectFrom('users').select('unit_id').where('id', '=', ids[spec.requester]!).executeTakeFirstOrThrow();
  const cadre = await db().selectFrom('dossiers').innerJoin('cadres', 'cadres.id', 'dossiers.cadre_id')
    .select(['cadres.id', 'cadres.managing_unit_id']).where('dossiers.id', '=', spec.dossierId).executeTakeFirstOrThrow();
  const until = new Date(now.getTime() + (spec.days ?? 7) * 86_400_000).toISOString();
  await db().insertInto('access_requests').values({
    id, request_no: `CY2026-${String(seq).padStart(4, '0')}`, year: 2026, seq, requester_id: ids[spec.requester]!, requester_unit_id: user.unit_id,
    purpose: '01', purpose_note: '', mode: spec.mode, scope_kind: spec.materials ? 'materials' : spec.classes ? 'classes' : 'dossier',
    scope_classes: spec.classes ? JSON.stringify(spec.classes) : null, period_from: now.toISOString(), period_to: until,
    print_limit: spec.printLimit ?? 0, prints_used: 0, levels_required: 1, levels_done: 1, state: 'approved', created_at: now.toISOString(),
    updated_at: now.toISOString(), decided_at: now.toISOString(), granted_from: now.toISOString(), granted_until: until,
    revoked_by: null, revoked_at: null, revoke_reason: null, expired_at: null,
  }).execute();
  await db().insertInto('access_request_dossiers').values({ request_id: id, dossier_id: spec.dossierId, cadre_id: cadre.id, managing_unit_id: cadre.managing_unit_id }).execute();
  for (const m of spec.materials ?? []) await db().insertInto('access_request_materials').values({ request_id: id, material_id: m }).execute();
  return id;
}

async function open(agent: Agent, requestId: string, dossierId: string): Promise<ReadingSession> {
  return ok<ReadingSession>(agent.post('/api/reading/sessions', { body: { requestId, dossierId } }));
}

const imageUrl = (session: string, page: string, w = 800) => `/api/reading/sessions/${session}/pages/${page}/image?w=${w}`;

/** Share of pixels at least `by` levels apart, over two images of one size. */
async function differing(a: Buffer, b: Buffer, width: number, by = 24): Promise<number> {
  const grey = (x: Buffer) => sharp(x).resize({ width }).greyscale().raw().toBuffer();
  const [pa, pb] = [await grey(a), await grey(b)];
  expect(pa.length).toBe(pb.length);
  let n = 0;
  for (let i = 0; i < pa.length; i++) if (Math.abs(pa[i]! - pb[i]!) >= by) n++;
  return n / pa.length;
}

async function closeAll(): Promise<void> {
  await db().updateTable('reading_sessions').set({ closed_at: t.clock.now().toISOString(), close_reason: 'closed' }).where('closed_at', 'is', null).execute();
}

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'R9', name: '九处' } })).id;
  const users: [string, string, string, string, string][] = [
    ['rclerk', '档案员甲', 'archivist', root, 'unit_and_below'],
    ['rfar', '档案员乙', 'archivist', branch, 'own_unit'],
    ['rreader', '张查阅', 'reader', root, 'own_unit'],
    ['rother', '李旁人', 'reader', root, 'own_unit'],
  ];
  for (const [username, displayName, role, unitId, scope] of users) {
    const res = await sec.post('/api/users', {
      body: { username, displayName, unitId, password: PASSWORD, roleIds: [await roleId(sec, role)], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    ids[username] = json<{ id: string }>(res).id;
  }
  [clerk, farClerk, reader, other] = [new Agent(t), new Agent(t), new Agent(t, '10.8.8.8'), new Agent(t)];
  await clerk.signIn('rclerk', PASSWORD);
  await farClerk.signIn('rfar', PASSWORD);
  await reader.signIn('rreader', PASSWORD);
  await other.signIn('rother', PASSWORD);

  master = await sharp(await scanPage()).resize({ width: 1240 }).jpeg({ quality: 90 }).toBuffer();
  web = await sharp(master).resize({ height: 1600 }).jpeg({ quality: 82 }).toBuffer();
  for (const [key, name, no] of [['d1', '王伟', 'R0001'], ['d2', '刘强', 'R0002']] as const) {
    const cadre = await ok<Cadre>(clerk.post('/api/cadres', { body: { name, managingUnitId: root, dossier: { dossierNo: no, custodianUnitId: root } } }));
    ids[key] = cadre.dossier!.id;
  }
  for (const [key, dossier, classCode, name, count] of [
    ['resume', 'd1', '1', '干部履历表', 2], ['degree', 'd1', '4-1', '学历学位证明材料', 1], ['party', 'd1', '9-1', '入党志愿书', 1], ['other', 'd2', '1', '干部履历表', 1],
  ] as const) {
    const c = await ok<Catalogue>(clerk.post(`/api/dossiers/${ids[dossier]}/materials`, { body: { classCode, name, formedOn: '1995-06', pages: count } }));
    ids[key] = c.classes.flatMap((k) => k.materials).find((m) => m.name === name)!.id;
    await addPages(key, ids[dossier]!, ids[key], count);
  }
  const { width: mw = 0, height: mh = 0 } = await sharp(master).metadata();
  resumeLines = [
    { text: '参加工作时间一九九一年七月', box: [Math.round(mw * 0.1), Math.round(mh * 0.15), Math.round(mw * 0.6), 56], confidence: 0.97 },
    { text: '以上情况属实', box: [Math.round(mw * 0.6), Math.round(mh * 0.88), Math.round(mw * 0.3), 48], confidence: 0.95 },
  ];
  const now = t.clock.now().toISOString();
  await db().insertInto('page_text').values({
    page_id: pages.resume![0]!, version: 1, engine: 'test', lines: JSON.stringify(resumeLines), text: resumeLines.map((l) => l.text).join('\n'),
    mean_confidence: 0.96, low_confidence_chars: 0, edited: 0, created_at: now, updated_at: now,
  }).execute();
  tmp = mkdtempSync(join(tmpdir(), 'dangan-reading-'));
  ids.readGrant = await grant({ requester: 'rreader', dossierId: ids.d1!, mode: 'read', classes: ['1', '9'] });
  ids.printGrant = await grant({ requester: 'rreader', dossierId: ids.d1!, mode: 'print', classes: ['1', '9'], printLimit: 2 });
  ids.otherGrant = await grant({ requester: 'rreader', dossierId: ids.d2!, mode: 'read' });
  ids.lendGrant = await grant({ requester: 'rreader', dossierId: ids.d2!, mode: 'lend' });
}, 180_000);

afterAll(async () => {
  await t?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('grants and reading windows', () => {
  it('lists the reader\'s running grants for on-screen use, and nobody else\'s', async () => {
    const grants = await ok<ReadingGrant[]>(reader.get('/api/reading/grants'));
    expect(grants.map((g) => g.requestId).sort()).toEqual([ids.readGrant, ids.printGrant, ids.otherGrant].sort());
    const print = grants.find((g) => g.requestId === ids.printGrant)!;
    expect(print).toMatchObject({ requestNo: 'CY2026-0002', dossierNo: 'R0001', cadreName: '王伟', mode: 'print', scopeSummary: '第 1、9 类', printLimit: 2, printsUsed: 0 });
    expect(grants.find((g) => g.requestId === ids.otherGrant)!.scopeSummary).toBe('整卷');
    expect(await ok<ReadingGrant[]>(other.get('/api/reading/grants'))).toEqual([]);
    await refused(clerk.get('/api/reading/grants'), 403, 'FORBIDDEN');
  });

  it('refuses a window without a grant of one\'s own', async () => {
    await refused(other.post('/api/reading/sessions', { body: { requestId: ids.readGrant, dossierId: ids.d1 } }), 403, 'NO_GRANT');
    await refused(reader.post('/api/reading/sessions', { body: { requestId: ids.readGrant, dossierId: ids.d2 } }), 403, 'NO_GRANT');
    await refused(reader.post('/api/reading/sessions', { body: { requestId: ids.lendGrant, dossierId: ids.d2 } }), 403, 'NO_GRANT');
    const w = await open(reader, ids.readGrant!, ids.d1!);
    await refused(other.get(`/api/reading/sessions/${w.id}/catalogue`), 404, 'READING_SESSION_NOT_FOUND');
    await refused(other.get(imageUrl(w.id, pages.resume![0]!)), 404, 'READING_SESSION_NOT_FOUND');
    await ok(reader.post(`/api/reading/sessions/${w.id}/close`));
  });

  it('bounds the open windows per reader; idle windows are given up first', async () => {
    const first = await open(reader, ids.readGrant!, ids.d1!);
    const limit = await refused(reader.post('/api/reading/sessions', { body: { requestId: ids.otherGrant, dossierId: ids.d2 } }), 409, 'READER_SESSIONS_LIMIT');
    expect(limit.message).toMatch(/阅读窗口/);
    // The same dossier opened again from the same login takes its old window's place.
    const again = await open(reader, ids.readGrant!, ids.d1!);
    expect((await db().selectFrom('reading_sessions').select('close_reason').where('id', '=', first.id).executeTakeFirstOrThrow()).close_reason).toBe('replaced');
    t.clock.advance(3 * 60_000);
    const second = await open(reader, ids.otherGrant!, ids.d2!);
    expect((await db().selectFrom('reading_sessions').select(['close_reason', 'closed_at']).where('id', '=', again.id).executeTakeFirstOrThrow()))
      .toMatchObject({ close_reason: 'idle', closed_at: again.lastSeenAt });
    await refused(reader.post(`/api/reading/sessions/${again.id}/heartbeat`), 409, 'READING_CLOSED');
    await ok(reader.post(`/api/reading/sessions/${second.id}/close`));
    const events = await db().selectFrom('audit_events').select('action').where('user_id', '=', ids.rreader!).where('action', 'in', ['reading.open', 'reading.close']).execute();
    expect(events.filter((e) => e.action === 'reading.open').length).toBeGreaterThanOrEqual(4);
    expect(events.filter((e) => e.action === 'reading.close').length).toBeGreaterThanOrEqual(4);
  });
});

describe('the granted catalogue and watermarked pages', () => {
  let session: ReadingSession;

  beforeAll(async () => {
    await closeAll();
    session = await open(reader, ids.readGrant!, ids.d1!);
  });

  it('lists only the granted materials; the rest is absent, not counted', async () => {
    const res = await reader.get(`/api/reading/sessions/${session.id}/catalogue`);
    const catalogue = await ok<ReaderCatalogue>(Promise.resolve(res));
    expect(catalogue).toMatchObject({ dossierNo: 'R0001', cadreName: '王伟', requestNo: 'CY2026-0001', mode: 'read' });
    expect(catalogue.classes.map((c) => c.code)).toEqual(['1', '9-1']);
    const resume = catalogue.classes[0]!.materials[0]!;
    expect(resume).toMatchObject({ id: ids.resume, name: '干部履历表', pageCount: 2, pageIds: pages.resume, formedOn: '1995-06' });
    expect(res.body).not.toContain('学历学位证明材料');
    expect(res.body).not.toContain(ids.degree);
    expect(res.body).not.toContain(pages.degree![0]);
    expect(res.body).not.toMatch(/"(hidden|total|materialCount)"/);
  });

  it('serves a watermarked JPEG of the asked width that is neither the web rendition nor the master, never cached', async () => {
    const res = await reader.get(imageUrl(session.id, pages.resume![0]!, 800));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store, private');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-disposition'])).toMatch(/^inline/);
    const image = res.rawPayload;
    expect(image.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    const meta = await sharp(image).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 800 });
    // A plain re-encode of the web rendition differs from it only by JPEG noise; the watermark far more.
    const plain = await sharp(web).resize({ width: 800 }).jpeg({ quality: 80 }).toBuffer();
    const noise = await differing(plain, await sharp(web).resize({ width: 800 }).png().toBuffer(), 800);
    expect(await differing(image, web, 800)).toBeGreaterThan(Math.max(0.005, noise * 5));
    expect(await differing(image, master, 800)).toBeGreaterThan(Math.max(0.005, noise * 5));
    // Never enlarged past the web rendition.
    const full = await reader.get(imageUrl(session.id, pages.resume![1]!, 1600));
    expect((await sharp(full.rawPayload).metadata()).width).toBe((await sharp(web).metadata()).width);
  });

  it('watermarks for the reader: another reader at another address gets other pixels', async () => {
    const otherGrant = await grant({ requester: 'rother', dossierId: ids.d1!, mode: 'read', classes: ['1'] });
    const w = await open(other, otherGrant, ids.d1!);
    const mine = (await reader.get(imageUrl(session.id, pages.resume![0]!))).rawPayload;
    const theirs = await other.get(imageUrl(w.id, pages.resume![0]!));
    expect(theirs.statusCode).toBe(200);
    expect(await differing(mine, theirs.rawPayload, 800)).toBeGreaterThan(0.005);
    await refused(other.get(imageUrl(w.id, pages.party![0]!)), 403, 'NOT_GRANTED');
    await ok(other.post(`/api/reading/sessions/${w.id}/close`));
  });

  it('refuses pages outside the grant and records the refusal', async () => {
    await refused(reader.get(imageUrl(session.id, pages.degree![0]!)), 403, 'NOT_GRANTED');
    await refused(reader.get(imageUrl(session.id, pages.other![0]!)), 403, 'NOT_GRANTED');
    await refused(reader.get(imageUrl(session.id, 'no-such-page')), 403, 'NOT_GRANTED');
    const denied = await db().selectFrom('audit_events').select(['object_id', 'result']).where('action', '=', 'reading.page.view').where('result', '=', 'denied')
      .where('user_id', '=', ids.rreader!).execute();
    expect(denied.map((d) => d.object_id)).toEqual(expect.arrayContaining([pages.degree![0], pages.other![0]]));
  });

  it('keeps the staff image endpoint closed to readers, master and web alike', async () => {
    for (const variant of ['master', 'web', 'original', 'thumb']) {
      await refused(reader.get(`/api/pages/${pages.resume![0]}/image`, { query: { variant } }), 403, 'FORBIDDEN');
    }
    await refused(reader.get(`/api/dossiers/${ids.d1}/pages`), 403, 'FORBIDDEN');
    await refused(reader.get(`/api/dossiers/${ids.d1}/catalogue`), 403, 'FORBIDDEN');
  });

  it('logs every page view with how long it was looked at, and audits each one', async () => {
    await closeAll();
    const w = await open(reader, ids.readGrant!, ids.d1!);
    const seqBefore = Number((await db().selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);
    expect((await reader.get(imageUrl(w.id, pages.resume![0]!))).statusCode).toBe(200);
    t.clock.advance(5_000);
    expect((await reader.get(imageUrl(w.id, pages.resume![1]!))).statusCode).toBe(200);
    t.clock.advance(3_000);
    await ok(reader.post(`/api/reading/sessions/${w.id}/heartbeat`));
    const rows = () => db().selectFrom('reading_log').select(['page_id', 'duration_ms', 'material_id', 'request_id', 'client_ip'])
      .where('reading_session_id', '=', w.id).orderBy('viewed_at').execute();
    expect((await rows()).map((r) => [r.page_id, r.duration_ms])).toEqual([[pages.resume![0], 5000], [pages.resume![1], 3000]]);
    t.clock.advance(2_000);
    await ok(reader.post(`/api/reading/sessions/${w.id}/close`));
    const final = await rows();
    expect(final.map((r) => r.duration_ms)).toEqual([5000, 5000]);
    expect(final[0]).toMatchObject({ material_id: ids.resume, request_id: ids.readGrant, client_ip: '10.8.8.8' });
    await refused(reader.get(imageUrl(w.id, pages.resume![0]!)), 409, 'READING_CLOSED');

    const events = await db().selectFrom('audit_events').select(['action', 'object_type', 'object_label', 'result']).where('seq', '>', seqBefore)
      .where('action', '=', 'reading.page.view').orderBy('seq').execute();
    expect(events.map((e) => [e.object_type, e.object_label, e.result])).toEqual([
      ['page', 'R0001·干部履历表·第1页', 'success'], ['page', 'R0001·干部履历表·第2页', 'success'],
    ]);
  });
});

describe('printing', () => {
  let session: ReadingSession;

  beforeAll(async () => {
    await closeAll();
    session = await open(reader, ids.printGrant!, ids.d1!);
  });

  it('refuses printing where the grant is for reading only', async () => {
    await closeAll();
    const w = await open(reader, ids.readGrant!, ids.d1!);
    await refused(reader.post(`/api/reading/sessions/${w.id}/print`, { body: { materialIds: [ids.resume] } }), 403, 'PRINT_NOT_GRANTED');
    await closeAll();
    session = await open(reader, ids.printGrant!, ids.d1!);
    await refused(reader.post(`/api/reading/sessions/${session.id}/print`, { body: { materialIds: [ids.degree] } }), 403, 'NOT_GRANTED');
    await refused(reader.post(`/api/reading/sessions/${session.id}/print`, { body: { materialIds: [] } }), 400, 'VALIDATION_FAILED');
    expect(await db().selectFrom('access_prints').select('id').execute()).toEqual([]);
  });

  it('prints granted materials as a PDF with a serial number, counted and recorded', async () => {
    const res = await reader.post(`/api/reading/sessions/${session.id}/print`, { body: { materialIds: [ids.resume, ids.party] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store, private');
    expect(res.headers['x-print-serial']).toBe('DY2026-000001');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    expect(doc.numPages).toBe(3);
    const text = ((await extractText(doc, { mergePages: true })).text as string).replace(/\s+/g, ' ');
    expect(text).toContain('DY2026-000001');
    expect(text).toContain('CY2026-0002');
    expect(text).toContain('张查阅');
    expect(text).toMatch(/第 3 页\/共 3 页/);
    // A print-mode grant prints the images only: the page's OCR text is not in it.
    expect(text).not.toContain(resumeLines[0]!.text);
    const row = await db().selectFrom('access_prints').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ serial_no: 'DY2026-000001', year: 2026, seq: 1, request_id: ids.printGrant, user_id: ids.rreader, page_count: 3 });
    expect(row.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(JSON.parse(row.material_ids)).toEqual([ids.resume, ids.party]);
    const audit = await db().selectFrom('audit_events').select(['result', 'detail']).where('action', '=', 'reading.print').where('result', '=', 'success').execute();
    expect(audit).toHaveLength(1);
    const cat = await ok<ReaderCatalogue>(reader.get(`/api/reading/sessions/${session.id}/catalogue`));
    expect(cat).toMatchObject({ printLimit: 2, printsUsed: 1 });
  });

  it('never prints past the limit, even when asked at once', async () => {
    const all = await Promise.all(
      Array.from({ length: 4 }, () => reader.post(`/api/reading/sessions/${session.id}/print`, { body: { materialIds: [ids.resume] } })),
    );
    expect(all.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const limit = await refused(reader.post(`/api/reading/sessions/${session.id}/print`, { body: { materialIds: [ids.resume] } }), 409, 'PRINT_LIMIT');
    expect(limit.message).toBe('打印次数已用完（已打印 2 次，上限 2 次）');
    const prints = await db().selectFrom('access_prints').select(['serial_no']).orderBy('seq').execute();
    expect(prints.map((p) => p.serial_no)).toEqual(['DY2026-000001', 'DY2026-000002']);
    const request = await db().selectFrom('access_requests').select(['prints_used']).where('id', '=', ids.printGrant!).executeTakeFirstOrThrow();
    expect(request.prints_used).toBe(2);
  });

  it('keeps a print log for the archive staff, in their data scope', async () => {
    const log = await ok<{ items: PrintLogRow[]; total: number }>(clerk.get('/api/use/prints', { query: { requestId: ids.printGrant! } }));
    expect(log.total).toBe(2);
    expect(log.items[1]).toMatchObject({ serialNo: 'DY2026-000001', reader: { name: '张查阅' }, requestNo: 'CY2026-0002', dossierNo: 'R0001', cadreName: '王伟', materials: ['干部履历表', '入党志愿书'], pageCount: 3 });
    expect((await ok<{ total: number }>(clerk.get('/api/use/prints', { query: { userId: ids.rother! } }))).total).toBe(0);
    expect((await ok<{ total: number }>(farClerk.get('/api/use/prints'))).total).toBe(0);
    await refused(reader.get('/api/use/prints'), 403, 'FORBIDDEN');
  });
});

/** A word of `pdftotext -bbox`, in points from the sheet's top left. */
interface Word {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

function pdfWords(pdf: Buffer, name: string): { plain: string; pages: Word[][] } {
  const file = join(tmp, name);
  writeFileSync(file, pdf);
  const plain = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const pages = html.split('<page ').slice(1).map((page) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: m[5]!,
    })));
  return { plain, pages };
}

describe('searchable export (excerpt grants)', () => {
  let excerpt: string;

  beforeAll(async () => {
    excerpt = await grant({ requester: 'rreader', dossierId: ids.d1!, mode: 'excerpt', classes: ['1', '9'], printLimit: 1 });
  });

  it('refuses a searchable export where the grant is for printing or reading only, and counts nothing', async () => {
    await closeAll();
    const printOnly = await grant({ requester: 'rreader', dossierId: ids.d1!, mode: 'print', classes: ['1'], printLimit: 1 });
    const w = await open(reader, printOnly, ids.d1!);
    const printsBefore = (await db().selectFrom('access_prints').select('id').execute()).length;
    const refusal = await refused(reader.post(`/api/reading/sessions/${w.id}/export`, { body: { materialIds: [ids.resume] } }), 403, 'EXPORT_NOT_GRANTED');
    expect(refusal.message).toBe('本次查阅授权不允许导出可检索 PDF');
    expect((await db().selectFrom('access_requests').select('prints_used').where('id', '=', printOnly).executeTakeFirstOrThrow()).prints_used).toBe(0);
    expect((await db().selectFrom('access_prints').select('id').execute()).length).toBe(printsBefore);
    const denied = await db().selectFrom('audit_events').select('detail').where('action', '=', 'reading.print').where('result', '=', 'denied')
      .where('user_id', '=', ids.rreader!).execute();
    expect(denied.map((d) => JSON.parse(d.detail ?? '{}') as Record<string, unknown>)).toContainEqual(expect.objectContaining({ reason: 'mode', searchable: true }));
    // Its one print is still there to use, and it stays the image-only PDF.
    const print = await reader.post(`/api/reading/sessions/${w.id}/print`, { body: { materialIds: [ids.resume] } });
    expect(print.statusCode, print.body).toBe(200);
    expect(String(print.headers['content-disposition'])).toMatch(/^inline/);
    expect(pdfWords(print.rawPayload, 'print.pdf').plain).not.toContain(resumeLines[0]!.text);
    await closeAll();
    const r = await open(reader, ids.readGrant!, ids.d1!);
    await refused(reader.post(`/api/reading/sessions/${r.id}/export`, { body: { materialIds: [ids.resume] } }), 403, 'EXPORT_NOT_GRANTED');
    await closeAll();
  });

  it('downloads the granted materials as a watermarked PDF with the OCR words, invisible, where the lines are on the page', async () => {
    await closeAll();
    const w = await open(reader, excerpt, ids.d1!);
    const res = await reader.post(`/api/reading/sessions/${w.id}/export`, { body: { materialIds: [ids.resume] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store, private');
    const serial = String(res.headers['x-print-serial']);
    expect(serial).toMatch(/^DY2026-\d{6}$/);
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(new RegExp(`^attachment; filename="${serial}\\.pdf"; filename\\*=UTF-8''`));
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`王伟-R0001-${serial}.pdf`);

    const pdf = res.rawPayload;
    const { plain, pages: sheets } = pdfWords(pdf, 'export.pdf');
    expect(sheets).toHaveLength(2);
    for (const line of resumeLines) expect(plain).toContain(line.text);
    expect(plain).toContain(serial);
    expect(plain).toContain('CY2026-');
    expect(plain).toMatch(/第 2 页\/共 2 页/);

    // Where print.pdf.ts draws the page: the web rendition fitted, centred, between header and footer of an A4 sheet.
    const { width: ww = 0, height: wh = 0 } = await sharp(web).metadata();
    const { width: mw = 0 } = await sharp(master).metadata();
    const area = { x: 28, y: 58, w: 595.28 - 56, h: 841.89 - 58 - 28 - 26 };
    const fit = Math.min(area.w / ww, area.h / wh);
    const image = { x: area.x + (area.w - ww * fit) / 2, y: area.y + (area.h - wh * fit) / 2, w: ww * fit, h: wh * fit };
    const k = image.w / mw; // points per master pixel
    for (const line of resumeLines) {
      const word = sheets[0]!.find((wd) => wd.text === line.text);
      expect(word, JSON.stringify(sheets[0])).toBeTruthy();
      expect(word!.x0).toBeGreaterThanOrEqual(image.x);
      expect(word!.x1).toBeLessThanOrEqual(image.x + image.w);
      expect(word!.y0).toBeGreaterThanOrEqual(image.y);
      expect(word!.y1).toBeLessThanOrEqual(image.y + image.h);
      const [x, y, bw, bh] = line.box;
      expect(Math.abs(word!.x0 - (image.x + x * k))).toBeLessThan(3);
      expect(Math.abs(word!.x1 - (image.x + (x + bw) * k))).toBeLessThan(3);
      // pdftotext's box runs from the face's ascender to its descender: its top is the line's, its middle inside the line.
      expect(Math.abs(word!.y0 - (image.y + y * k))).toBeLessThan(2);
      expect((word!.y0 + word!.y1) / 2).toBeGreaterThan(image.y + y * k);
      expect((word!.y0 + word!.y1) / 2).toBeLessThan(image.y + (y + bh) * k);
    }
    // The second page has no recognised text: nothing but the header and footer.
    expect(sheets[1]!.some((wd) => resumeLines.some((l) => wd.text.includes(l.text)))).toBe(false);

    const row = await db().selectFrom('access_prints').selectAll().where('serial_no', '=', serial).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ request_id: excerpt, user_id: ids.rreader, page_count: 2, sha256: createHash('sha256').update(pdf).digest('hex') });
    const audit = await db().selectFrom('audit_events').select('detail').where('action', '=', 'reading.print').where('result', '=', 'success').execute();
    expect(audit.map((a) => JSON.parse(a.detail ?? '{}') as Record<string, unknown>)).toContainEqual(expect.objectContaining({ serialNo: serial, searchable: true }));
  });

  it('counts the export as one print: with a limit of one, neither another export nor a print is left', async () => {
    await closeAll();
    const w = await open(reader, excerpt, ids.d1!);
    const limit = await refused(reader.post(`/api/reading/sessions/${w.id}/export`, { body: { materialIds: [ids.resume] } }), 409, 'PRINT_LIMIT');
    expect(limit.message).toBe('打印次数已用完（已打印 1 次，上限 1 次）');
    await refused(reader.post(`/api/reading/sessions/${w.id}/print`, { body: { materialIds: [ids.party] } }), 409, 'PRINT_LIMIT');
    expect(await ok<ReaderCatalogue>(reader.get(`/api/reading/sessions/${w.id}/catalogue`))).toMatchObject({ mode: 'excerpt', printLimit: 1, printsUsed: 1 });
    expect((await db().selectFrom('access_prints').select('id').where('request_id', '=', excerpt).execute())).toHaveLength(1);
  });
});

describe('the reading log', () => {
  it('shows the archive staff every page view in their scope, with filters; a reader sees his own', async () => {
    const all = await ok<{ items: ReadingLogRow[]; total: number }>(clerk.get('/api/use/reading-log', { query: { userId: ids.rreader!, pageSize: 500 } }));
    expect(all.total).toBeGreaterThanOrEqual(5);
    const row = all.items.find((r) => r.durationMs === 5000)!;
    expect(row).toMatchObject({ reader: { name: '张查阅' }, requestNo: 'CY2026-0001', dossierNo: 'R0001', cadreName: '王伟', materialName: '干部履历表', clientIp: '10.8.8.8' });
    expect([1, 2]).toContain(row.pageNo);
    const byRequest = await ok<{ total: number }>(clerk.get('/api/use/reading-log', { query: { requestId: ids.printGrant! } }));
    expect(byRequest.total).toBe(0);
    const today = await ok<{ total: number }>(clerk.get('/api/use/reading-log', { query: { userId: ids.rreader!, from: '2026-03-02', to: '2026-03-02' } }));
    expect(today.total).toBe(all.total);
    expect((await ok<{ total: number }>(clerk.get('/api/use/reading-log', { query: { from: '2026-03-03' } }))).total).toBe(0);
    expect((await ok<{ total: number }>(farClerk.get('/api/use/reading-log'))).total).toBe(0);
    await refused(clerk.get('/api/use/reading-log', { query: { from: '2026/03/02' } }), 400, 'VALIDATION_FAILED');

    const own = await ok<{ items: ReadingLogRow[]; total: number }>(reader.get('/api/reading/log'));
    expect(own.total).toBe(all.total);
    expect((await ok<{ total: number }>(other.get('/api/reading/log'))).total).toBeGreaterThanOrEqual(1);
    await refused(reader.get('/api/use/reading-log'), 403, 'FORBIDDEN');
  });
});

describe('the end of a grant ends the reading', () => {
  it('closes the window when the grant is revoked', async () => {
    await closeAll();
    const w = await open(reader, ids.otherGrant!, ids.d2!);
    await db().updateTable('access_requests').set({ state: 'revoked', revoked_at: t.clock.now().toISOString() }).where('id', '=', ids.otherGrant!).execute();
    await refused(reader.get(imageUrl(w.id, pages.other![0]!)), 403, 'NO_GRANT');
    expect((await db().selectFrom('reading_sessions').select('close_reason').where('id', '=', w.id).executeTakeFirstOrThrow()).close_reason).toBe('revoked');
    await refused(reader.post(`/api/reading/sessions/${w.id}/heartbeat`), 409, 'READING_CLOSED');
  });

  it('closes the window when the grant runs out', async () => {
    await closeAll();
    const short = await grant({ requester: 'rreader', dossierId: ids.d1!, mode: 'read', classes: ['1'], days: 10 / 1440 });
    const w = await open(reader, short, ids.d1!);
    expect((await reader.get(imageUrl(w.id, pages.resume![0]!))).statusCode).toBe(200);
    t.clock.advance(60_000);
    await ok(reader.post(`/api/reading/sessions/${w.id}/heartbeat`));
    t.clock.advance(Date.parse(w.until) + 1000 - t.clock.now().getTime());
    await refused(reader.post(`/api/reading/sessions/${w.id}/heartbeat`), 403, 'NO_GRANT');
    expect((await db().selectFrom('reading_sessions').select('close_reason').where('id', '=', w.id).executeTakeFirstOrThrow()).close_reason).toBe('expired');
    await refused(reader.get(`/api/reading/sessions/${w.id}/catalogue`), 409, 'READING_CLOSED');
    await refused(reader.post('/api/reading/sessions', { body: { requestId: short, dossierId: ids.d1 } }), 403, 'NO_GRANT');
    expect((await ok<ReadingGrant[]>(reader.get('/api/reading/grants'))).map((g) => g.requestId)).not.toContain(short);
  });
});
