import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, Catalogue, SearchResult } from '@dangan/contracts';
import { SearchService } from './search.service.js';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let clerk: Agent;
let root: string;
let branch: string;
const pageIds: Record<string, string> = {};
const cadres: Record<string, Cadre> = {};

async function register(name: string, dossierNo: string, unit: string, extra: Record<string, unknown> = {}): Promise<Cadre> {
  const res = await clerk.post('/api/cadres', {
    body: { name, managingUnitId: unit, ...extra, dossier: { dossierNo, custodianUnitId: unit, location: '一号库房' } },
  });
  expect(res.statusCode, res.body).toBe(200);
  return json<Cadre>(res);
}

async function addMaterial(dossierId: string, classCode: string, name: string, formedOn: string): Promise<string> {
  const res = await clerk.post(`/api/dossiers/${dossierId}/materials`, { body: { classCode, name, formedOn, pages: 1 } });
  expect(res.statusCode, res.body).toBe(200);
  const c = json<Catalogue>(res);
  return c.classes.flatMap((k) => k.materials).find((m) => m.name === name)!.id;
}

/** A page with OCR text, written directly as the OCR job would (scan file, blob, page, ledger, text). */
async function addPage(key: string, dossierId: string, materialId: string | null, lines: string[]): Promise<string> {
  const db = t.core.handle.db;
  const now = t.clock.now().toISOString();
  const id = `pg-${key}`;
  await db.insertInto('blobs').values({ id: `sha256:${key}`, algorithm: 'sha256', hash: key, size: 1, kind: 'original', format: 'jpeg', created_at: now }).execute();
  await db.insertInto('scan_batches').values({ id: `b-${key}`, dossier_id: dossierId, source: 'upload', station: null, created_by: 'test', created_by_id: null, created_at: now }).execute();
  await db.insertInto('scan_files').values({
    id: `f-${key}`, batch_id: `b-${key}`, dossier_id: dossierId, name: `${key}.jpg`, size: 1, blob_id: `sha256:${key}`, format: 'jpeg', page_count: 1,
    status: 'stored', error_code: null, error_message: null, duplicate_of: null, created_at: now,
  }).execute();
  await db.insertInto('pages').values({
    id, dossier_id: dossierId, material_id: materialId, page_no: materialId ? 1 : null, unlinked_order: null, file_id: `f-${key}`, source_page: 1,
    original_blob_id: `sha256:${key}`, master_blob_id: null, web_blob_id: null, thumb_blob_id: null, ops: '{}', analysis: null, steps: null,
    status: 'processed', error_code: null, error_message: null, version: 1, skew_deg: null, rotation: null, blank: null, blurry: null,
    blur_score: null, dpi: null, dpi_low: null, color_mode: null, edge_cut: null, phash: null, processed_at: now, replaces_page_id: null,
    deleted_at: null, deleted_by: null, delete_reason: null, created_at: now, updated_at: now,
  }).execute();
  await db.insertInto('page_status').values({
    page_id: id, stored_at: now, processed_version: 1, processed_at: now, process_runs: 1, ocr_version: 1, ocr_at: now, ocr_runs: 1,
    indexed_version: 0, indexed_at: null,
  }).execute();
  const ocr = lines.map((text, i) => ({ text, box: [10, 20 + i * 40, 20 * text.length, 30], confidence: 0.98 }));
  await db.insertInto('page_text').values({
    page_id: id, version: 1, engine: 'test', lines: JSON.stringify(ocr), text: lines.join('\n'), mean_confidence: 0.98, low_confidence_chars: 0,
    edited: 0, created_at: now, updated_at: now,
  }).execute();
  pageIds[key] = id;
  return id;
}

async function search(agent: Agent, q: string, extra: Record<string, string | number> = {}): Promise<SearchResult> {
  const res = await agent.get('/api/search', { query: { q, ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  return json<SearchResult>(res);
}

const labels = (r: SearchResult) =>
  r.items.map((i) => (i.kind === 'cadre' ? `cadre:${i.cadre.name}` : i.kind === 'material' ? `material:${i.material!.name}` : `page:${i.page!.id}`)).sort();

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  root = await rootUnitId(sec);
  branch = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'B1', name: '一处' } })).id;
  const other = json<{ id: string }>(await sec.post('/api/units', { body: { parentId: root, code: 'B2', name: '二处' } })).id;
  const archivist = await roleId(sec, 'archivist');
  for (const [username, unitId, scope] of [['filer', root, 'unit_and_below'], ['brancher', branch, 'own_unit'], ['stranger', other, 'own_unit']] as const) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: username, unitId, password: 'Search-Passw0rd', roleIds: [archivist], scope: { kind: scope, unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  clerk = new Agent(t);
  await clerk.signIn('filer', 'Search-Passw0rd');

  cadres.wangwei = await register('王伟', 'A0001', root, { idNumber: '11010519700512012X' });
  cadres.wangdawei = await register('王大伟', 'A0002', root);
  cadres.lina = await register('李娜', 'A0003', root);
  cadres.zhangqiang = await register('张强', 'B0001', branch);
  const resume = await addMaterial(cadres.wangwei.dossier!.id, '1', '干部履历表', '1990.03');
  const review = await addMaterial(cadres.wangwei.dossier!.id, '3', '2003年度考核登记表', '2003.12');
  await addPage('p1', cadres.wangwei.dossier!.id, resume, ['姓名 王伟 性别 男', '1988年7月参加工作，任科员', '中国共产党党员']);
  await addPage('p2', cadres.wangwei.dossier!.id, review, ['王大伟同志2003年度考核优秀', '伟王不是名字']);
  await addPage('p4', cadres.lina.dossier!.id, null, ['李娜同志1995年5月入党', '工作认真负责']);
  await addPage('p5', cadres.zhangqiang.dossier!.id, null, ['张强 王伟 会议记录']);
  // Every bigram of 参加工作 is here, but not the phrase.
  await addPage('p6', cadres.zhangqiang.dossier!.id, null, ['参加过培训，加工厂，工作']);
  await addPage('p7', cadres.zhangqiang.dossier!.id, null, ['民主推荐会议一次']);
  await addPage('p8', cadres.zhangqiang.dossier!.id, null, ['民主推荐会议', '再次民主推荐会议', '第三次民主推荐会议']);
  // Both triples of 推荐会议 are here, but not the phrase.
  await addPage('p9', cadres.zhangqiang.dossier!.id, null, ['推荐会开始，举荐会议召开']);
  await t.core.handle.db.updateTable('dossiers').set({ state: 'lent' }).where('dossier_no', '=', 'A0003').execute();
  await t.core.search.indexPending();
});
afterAll(async () => {
  await t.close();
});

describe('search: Chinese-aware matching', () => {
  it('finds a two-character name exactly where it occurs, not in longer names or reversed', async () => {
    const r = await search(clerk, '王伟');
    expect(labels(r)).toEqual(['cadre:王伟', 'page:pg-p1', 'page:pg-p5']);
    expect(r.total).toBe(3);
    expect(r.counts).toEqual({ cadre: 1, material: 0, page: 2 });
    expect(r.items[0]!.kind).toBe('cadre');
  });

  it('finds a single character wherever it occurs', async () => {
    expect(labels(await search(clerk, '伟'))).toEqual(['cadre:王伟', 'cadre:王大伟', 'page:pg-p1', 'page:pg-p2', 'page:pg-p5']);
    expect(labels(await search(clerk, '娜'))).toEqual(['cadre:李娜', 'page:pg-p4']);
  });

  it('matches phrases, with digits and characters mixed', async () => {
    expect(labels(await search(clerk, '"参加工作"'))).toEqual(['page:pg-p1']);
    expect(labels(await search(clerk, '1988年7月'))).toEqual(['page:pg-p1']);
    expect(labels(await search(clerk, '"1995年5月入党"'))).toEqual(['page:pg-p4']);
    expect((await search(clerk, '"参加 党员"')).total).toBe(0);
    // 科员 ends one OCR line and 中国 starts the next: not adjacent.
    expect((await search(clerk, '员中')).total).toBe(0);
    expect(labels(await search(clerk, '"科员 中国"'))).toEqual(['page:pg-p1']);
  });

  it('matches a long phrase only as the whole sequence, also when every pair of it occurs elsewhere on the page', async () => {
    expect(labels(await search(clerk, '参加工作'))).toEqual(['page:pg-p1']);
    expect(labels(await search(clerk, '"参加工作" OR "1995年5月入党"'))).toEqual(['page:pg-p1', 'page:pg-p4']);
    expect(labels(await search(clerk, '加工厂'))).toEqual(['page:pg-p6']);
    expect(labels(await search(clerk, '张强 -会议记录'))).toEqual(['cadre:张强']);
    expect(labels(await search(clerk, '张强 -记录会议'))).toEqual(['cadre:张强', 'page:pg-p5']);
    expect(labels(await search(clerk, '民主推荐 -第三次民主推荐'))).toEqual(['page:pg-p7']);
    expect(labels(await search(clerk, '召开 -推荐会议'))).toEqual(['page:pg-p9']);
    expect((await search(clerk, '召开 -举荐会议')).total).toBe(0);
    expect(labels(await search(clerk, '会议 -推荐会议'))).toEqual(['page:pg-p5', 'page:pg-p9']);
  });

  it('ranks a page by how often it says the words', async () => {
    const r = await search(clerk, '民主推荐');
    expect(r.items.map((i) => i.page?.id)).toEqual(['pg-p8', 'pg-p7']);
    const names = await search(clerk, '王伟 OR 王大伟');
    expect(names.items[0]!.cadre.name).toBe('王伟');
  });

  it('combines terms with AND, OR and NOT', async () => {
    expect(labels(await search(clerk, '王伟 党员'))).toEqual(['page:pg-p1']);
    expect(labels(await search(clerk, '李娜 OR 张强'))).toEqual(['cadre:李娜', 'cadre:张强', 'page:pg-p4', 'page:pg-p5'].sort());
    expect(labels(await search(clerk, '王伟 -张强'))).toEqual(['cadre:王伟', 'page:pg-p1']);
    expect(labels(await search(clerk, 'NOT 张强 王伟'))).toEqual(['cadre:王伟', 'page:pg-p1']);
    expect((await search(clerk, '-王伟')).total).toBe(0);
  });

  it('finds pinyin initials, ID numbers, dossier numbers, material names and dates', async () => {
    expect(labels(await search(clerk, 'WW'))).toEqual(['cadre:王伟']);
    expect(labels(await search(clerk, '11010519700512012x'))).toEqual(['cadre:王伟']);
    expect(labels(await search(clerk, 'A0002'))).toEqual(['cadre:王大伟']);
    expect(labels(await search(clerk, '履历表'))).toEqual(['material:干部履历表']);
    expect(labels(await search(clerk, '1990年3月'))).toEqual(['material:干部履历表']);
    expect(labels(await search(clerk, '1990-03'))).toEqual(['material:干部履历表']);
  });
});

describe('search: filters, sort, paging, scope', () => {
  it('filters by unit (with sub-units), class, formation date and dossier state', async () => {
    expect(labels(await search(clerk, '王伟', { unitId: branch }))).toEqual(['page:pg-p5']);
    expect((await search(clerk, '王伟', { unitId: root })).total).toBe(3);
    expect(labels(await search(clerk, '王伟', { classCode: '1' }))).toEqual(['page:pg-p1']);
    expect(labels(await search(clerk, '考核', { from: '2003', to: '2003' }))).toEqual(['material:2003年度考核登记表', 'page:pg-p2']);
    expect((await search(clerk, '考核', { from: '2004' })).total).toBe(0);
    expect((await search(clerk, '考核', { to: '2003-11' })).total).toBe(0);
    expect(labels(await search(clerk, '李娜', { state: 'lent' }))).toEqual(['cadre:李娜', 'page:pg-p4']);
    expect((await search(clerk, '李娜', { state: 'in_store' })).total).toBe(0);
  });

  it('sorts by date and pages through the results', async () => {
    const byDate = await search(clerk, '王伟 OR 考核', { sort: 'date' });
    expect(byDate.items[0]!.material!.formedOn).toBe('2003-12');
    expect(byDate.items.at(-1)!.material).toBeNull();
    const all = await search(clerk, '伟', { pageSize: 2 });
    const third = await search(clerk, '伟', { pageSize: 2, page: 3 });
    expect(all.items).toHaveLength(2);
    expect(third.total).toBe(5);
    expect(third.items).toHaveLength(1);
  });

  it('counts and ranks at most the cap in each part, says so, and still puts the cadre first', async () => {
    const small = new SearchService(t.core.handle.db, t.clock, t.core.audit, t.core.access, t.core.search.index, 1);
    const r = await small.run(null, { q: '伟', page: 1, pageSize: 20, sort: 'relevance' });
    // 伟 is in two cadres' names and on three pages: one of each part is taken.
    expect(r.capped).toBe(true);
    expect(r.counts).toEqual({ cadre: 1, material: 0, page: 1 });
    expect(r.items.map((i) => i.kind)).toEqual(['cadre', 'page']);
    const exact = await small.run(null, { q: '李娜', page: 1, pageSize: 20, sort: 'relevance' });
    expect(exact).toMatchObject({ capped: false, counts: { cadre: 1, material: 0, page: 1 } });
    const full = await search(clerk, '伟');
    expect(full).toMatchObject({ capped: false, counts: { cadre: 2, material: 0, page: 3 } });
    // A narrow scope is applied before the cap: the branch user's one page is found, not crowded out.
    const scoped = await small.run(new Set([branch]), { q: '王伟', page: 1, pageSize: 20, sort: 'relevance' });
    expect(scoped).toMatchObject({ capped: false, counts: { cadre: 0, material: 0, page: 1 } });
  });

  it('applies the data scope inside the query: counts and hits of other units never show', async () => {
    const stranger = new Agent(t);
    await stranger.signIn('stranger', 'Search-Passw0rd');
    const none = await search(stranger, '王伟');
    expect(none).toEqual({ total: 0, capped: false, counts: { cadre: 0, material: 0, page: 0 }, items: [] });
    const brancher = new Agent(t);
    await brancher.signIn('brancher', 'Search-Passw0rd');
    expect(labels(await search(brancher, '王伟'))).toEqual(['page:pg-p5']);
    expect((await search(brancher, '伟')).counts).toEqual({ cadre: 0, material: 0, page: 1 });
  });
});

describe('search: snippets, boxes, updates, hostile input', () => {
  it('returns snippets with highlight ranges and, for pages, the boxes of the hit', async () => {
    const r = await search(clerk, '王伟 OR 科员');
    const page = r.items.find((i) => i.page?.id === pageIds.p1)!;
    const { text, highlights } = page.snippet;
    expect(highlights.map(([s, e]) => text.slice(s, e))).toEqual(['王伟', '科员']);
    expect(page.boxes.map((b) => b.line)).toEqual([0, 1]);
    const first = page.boxes[0]!;
    expect(first.box).toEqual([10, 20, 200, 30]);
    // 王伟 is characters 3–5 of a 10-character line 200 px wide.
    expect(first.hitBox).toEqual([70, 20, 40, 30]);
    const cadre = r.items.find((i) => i.kind === 'cadre')!;
    expect(cadre.snippet.highlights.map(([s, e]) => cadre.snippet.text.slice(s, e))).toEqual(['王伟']);
    expect(cadre.dossier).toMatchObject({ dossierNo: 'A0001', state: 'in_store' });
  });

  it('indexes incrementally: corrected page text and changed catalogue rows', async () => {
    const db = t.core.handle.db;
    const status = await db.selectFrom('page_status').select(['indexed_version', 'indexed_at']).where('page_id', '=', pageIds.p4!).executeTakeFirstOrThrow();
    expect(status.indexed_version).toBe(1);
    t.clock.advance(60_000);
    await db.updateTable('page_text').set({ text: '李娜同志1995年5月入党\n工作踏实肯干', edited: 1, updated_at: t.clock.now().toISOString() })
      .where('page_id', '=', pageIds.p4!).execute();
    expect((await search(clerk, '踏实')).total).toBe(0);
    expect(await t.core.search.indexPending()).toMatchObject({ pages: 1 });
    expect(labels(await search(clerk, '踏实'))).toEqual(['page:pg-p4']);
    expect((await search(clerk, '认真负责')).total).toBe(0);

    await db.updateTable('page_text').set({ text: '李娜同志\n严谨细致' }).where('page_id', '=', pageIds.p4!).execute();
    await db.transaction().execute((trx) => t.core.search.indexPage(trx, pageIds.p4!));
    expect(labels(await search(clerk, '严谨'))).toEqual(['page:pg-p4']);

    await db.updateTable('page_text').set({ text: '李娜同志\n勤勉敬业' }).where('page_id', '=', pageIds.p4!).execute();
    await t.core.queue.enqueue(db, 'search.index', { pageId: pageIds.p4 });
    await t.core.runner.runUntilIdle();
    expect(labels(await search(clerk, '勤勉'))).toEqual(['page:pg-p4']);

    t.clock.advance(60_000);
    const res = await clerk.patch(`/api/cadres/${cadres.lina!.id}`, { body: { name: '李丽娜' } });
    expect(res.statusCode, res.body).toBe(200);
    // Catalogue writers index what they change in their own transaction: no catch-up needed.
    expect(labels(await search(clerk, '李丽娜'))).toEqual(['cadre:李丽娜']);
    expect(labels(await search(clerk, 'LLN'))).toEqual(['cadre:李丽娜']);
    expect(await t.core.search.indexPending()).toMatchObject({ pages: 0 });

    const fresh = await register('欧阳修远', 'S9001', root);
    expect(labels(await search(clerk, '欧阳修远'))).toEqual(['cadre:欧阳修远']);
    expect(labels(await search(clerk, 'S9001'))).toEqual(['cadre:欧阳修远']);
    const materialId = await addMaterial(fresh.dossier!.id, '2', '自传（一九九八年）', '1998');
    expect((await search(clerk, '自传')).items.some((i) => i.kind === 'material' && i.material?.id === materialId)).toBe(true);
    const removed = await clerk.post(`/api/materials/${materialId}/deletion`, { body: { reason: '重复著录' } });
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await search(clerk, '自传')).items.some((i) => i.kind === 'material' && i.material?.id === materialId)).toBe(false);
  });

  it('treats quotes, FTS5 and tsquery syntax and SQL as plain text', async () => {
    for (const q of ['"', "'", "'; drop table cadres; --", 'NEAR(王伟', '王伟*', '*', 'u:王伟', '"王伟', '王伟"', '\\', '!&|<->', '(王伟) AND', 'OR', '- NOT', "王伟' OR '1'='1"]) {
      const res = await clerk.get('/api/search', { query: { q } });
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
    }
    expect(labels(await search(clerk, 'NEAR(王伟'))).toEqual([]);
    // Read as the words 王伟 OR 1 1: an OR, never SQL.
    expect((await search(clerk, "王伟' OR '1'='1")).total).toBe(3);
    expect((await search(clerk, '王伟*')).total).toBe(3);
    expect((await search(clerk, '王伟')).total).toBe(3);
  });

  it('audits each search with its query, filters and total', async () => {
    const events = await t.core.handle.db.selectFrom('audit_events').select(['detail', 'username']).where('action', '=', 'search.query').execute();
    expect(events.length).toBeGreaterThan(10);
    const detail = JSON.parse(events.find((e) => e.detail?.includes('履历表'))!.detail!) as { q: string; total: number };
    expect(detail).toMatchObject({ q: '履历表', total: 1 });
  });
});
