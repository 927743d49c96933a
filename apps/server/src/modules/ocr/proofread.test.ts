import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, PageText, PageTextEdit, ScanBatch, ScanFile, SearchResult } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';
import { scanPage } from '../../../test/scan-images.js';

let t: TestApp;
let clerk: Agent;
let scanner: Agent;
let inspector: Agent;
let outsider: Agent;
let dossierId: string;
let pageId: string;

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'B8', name: '八处' } })).id;
  for (const [username, role, unitId, scope] of [
    ['clerk', 'archivist', root, 'unit_and_below'],
    ['scanop', 'scanner', root, 'unit_and_below'],
    ['qcop', 'inspector', root, 'unit_and_below'],
    ['farscan', 'scanner', branch, 'own_unit'],
  ] as const) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: `${username}用户`, unitId, password: 'Proof-Passw0rd1', roleIds: [await roleId(sec, role)], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  const agent = async (name: string) => {
    const a = new Agent(t);
    await a.signIn(name, 'Proof-Passw0rd1');
    return a;
  };
  clerk = await agent('clerk');
  scanner = await agent('scanop');
  inspector = await agent('qcop');
  outsider = await agent('farscan');

  const cadre = json<Cadre>(await clerk.post('/api/cadres', { body: { name: '王伟', managingUnitId: root, dossier: { dossierNo: 'P0001', custodianUnitId: root } } }));
  dossierId = cadre.dossier!.id;
  const batch = json<ScanBatch>(await scanner.post('/api/scan-batches', { body: { dossierId } }));
  const res = await scanner.post(`/api/scan-batches/${batch.id}/files`, {
    query: { name: 'proof-001.png' }, body: await scanPage({ format: 'png' }), headers: { 'content-type': 'image/png' },
  });
  expect(res.statusCode, res.body).toBe(200);
  const file = json<ScanFile>(res);
  pageId = (await t.core.handle.db.selectFrom('pages').select('id').where('file_id', '=', file.id).executeTakeFirstOrThrow()).id;
  await t.core.runner.runUntilIdle();
  await t.core.search.indexPending();
}, 180_000);

afterAll(async () => {
  await t?.close();
});

const textOf = async (agent: Agent = scanner) => json<PageText>(await agent.get(`/api/pages/${pageId}/text`));
const put = (agent: Agent, index: number | string, text: string) => agent.put(`/api/pages/${pageId}/text/lines/${index}`, { body: { text } });
const pageHits = async (q: string) => {
  const res = await clerk.get('/api/search', { query: { q } });
  expect(res.statusCode, res.body).toBe(200);
  return json<SearchResult>(res).items.filter((i) => i.kind === 'page' && i.page?.id === pageId).length;
};

describe('proofreading a page', () => {
  it('corrects a line: text, history, audit and search all follow', async () => {
    const before = await textOf();
    expect(before.edited).toBe(false);
    const index = before.lines.findIndex((l) => l.text.includes('南京'));
    expect(index, before.text).toBeGreaterThanOrEqual(0);
    expect(await pageHits('南京')).toBe(1);
    expect(await pageHits('镇江')).toBe(0);

    const corrected = before.lines[index]!.text.replace('南京', '镇江');
    const res = await put(scanner, index, `  ${corrected}  `);
    expect(res.statusCode, res.body).toBe(200);
    const after = json<PageText>(res);
    expect(after.edited).toBe(true);
    expect(after.lines[index]).toMatchObject({ text: corrected, edited: true, confidence: 1 });
    expect(after.lines[index]!.chars).toEqual(Array.from(corrected, () => 1));
    expect(after.text.split('\n')).toEqual(after.lines.map((l) => l.text));
    expect(after.text).toContain('镇江');
    expect(after.text).not.toContain('南京');
    expect(await textOf()).toEqual(after);

    const history = json<PageTextEdit[]>(await scanner.get(`/api/pages/${pageId}/text/edits`));
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ lineIndex: index, before: before.lines[index]!.text, after: corrected, editedBy: { name: 'scanop用户' } });

    const events = await t.core.handle.db.selectFrom('audit_events').selectAll().where('action', '=', 'page.text.edit').where('object_id', '=', pageId).execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.detail!)).toEqual({ line: index, before: before.lines[index]!.text, after: corrected });
    expect(events[0]!.username).toBe('scanop');

    // Search follows at once (same transaction): the corrected word is found, the replaced one not.
    expect(await pageHits('镇江')).toBe(1);
    expect(await pageHits('南京')).toBe(0);

    // The same text again changes nothing.
    expect(json<PageText>(await put(scanner, index, corrected))).toEqual(after);
    expect(json<PageTextEdit[]>(await scanner.get(`/api/pages/${pageId}/text/edits`))).toHaveLength(1);
  });

  it('lets an inspector (质检员) proofread too, and lists the newest edit first', async () => {
    const res = await put(inspector, 0, '干部履历表（校）');
    expect(res.statusCode, res.body).toBe(200);
    const history = json<PageTextEdit[]>(await inspector.get(`/api/pages/${pageId}/text/edits`));
    expect(history.map((h) => h.lineIndex)).toEqual([0, expect.any(Number)]);
    expect(history[0]!.editedBy.name).toBe('qcop用户');
  });

  it('keeps the corrections when the page is read again after a hand correction of the image', async () => {
    const corrected = await textOf();
    expect(corrected.text).toContain('镇江');
    const edit = await scanner.put(`/api/pages/${pageId}/ops`, { body: { ops: { despeckle: false } } });
    expect(edit.statusCode, edit.body).toBe(200);
    await t.core.runner.runUntilIdle();
    const reread = await textOf();
    expect(reread.version).toBe(corrected.version + 1);
    expect(reread.edited).toBe(true);
    expect(reread.text).toContain('镇江');
    expect(reread.text).not.toContain('南京');
    expect(reread.lines.find((l) => l.text.includes('镇江'))).toMatchObject({ edited: true, confidence: 1 });
    expect(await pageHits('镇江')).toBe(1);
  });

  it('refuses bad input with stable codes', async () => {
    const n = (await textOf()).lines.length;
    for (const [index, text, status, code] of [
      [n, 'x', 422, 'LINE_INDEX_OUT_OF_RANGE'],
      [-1, 'x', 422, 'LINE_INDEX_OUT_OF_RANGE'],
      [0, '字'.repeat(501), 422, 'LINE_TEXT_TOO_LONG'],
      [0, '甲\t乙', 422, 'LINE_TEXT_CONTROL_CHARS'],
      [0, '甲\n乙', 422, 'LINE_TEXT_CONTROL_CHARS'],
      [0, '甲\u0007乙', 422, 'LINE_TEXT_CONTROL_CHARS'],
    ] as const) {
      const res = await put(scanner, index, text);
      expect(res.statusCode, `${index} ${JSON.stringify(text)} ${res.body}`).toBe(status);
      expect(res.json()).toMatchObject({ code });
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await put(scanner, 'abc', 'x')).statusCode).toBe(400);
    // 500 characters after trimming are fine.
    expect((await put(scanner, 1, ` ${'字'.repeat(500)} `)).statusCode).toBe(200);
  });

  it('hides the page from users outside the data scope and refuses users without the permission', async () => {
    expect((await put(outsider, 0, '改')).statusCode).toBe(404);
    expect((await outsider.get(`/api/pages/${pageId}/text/edits`)).statusCode).toBe(404);
    expect((await put(clerk, 0, '改')).statusCode).toBe(403);
    expect((await scanner.put('/api/pages/no-such-page/text/lines/0', { body: { text: '改' } })).statusCode).toBe(404);
  });
});
