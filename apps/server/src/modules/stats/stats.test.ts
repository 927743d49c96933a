import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveStats, Cadre, CadreStats, Figure, UseStats } from '@dangan/contracts';
import type { AccessRequestState } from '../../platform/db/schema.use.js';
import { newId } from '../../platform/ids.js';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

/*
 * A small archive, the clock at 2026-03-02T01:00Z (2 March 2026 in Beijing).
 * Unit 甲: a1 born 1996-03-02 (30 today), male, 汉族, 大学本科毕业, 中共党员 since 2020-07, R12;
 *          a2 born 1990-03-03 (35 today, 36 tomorrow), female, 回族, 硕士研究生毕业, 群众, R10;
 *          a3 born 1965 (61), male, 汉族, 大学专科毕业, 中共党员 since 2023-05, L08, dossier out for digitization;
 *          a4 retired (not counted among cadres).
 * Unit 乙: b1 born 1980-05-07 (45), female, 汉族, 大学本科毕业, 中共党员 since 2010, L07; b2 no birth date, male, 群众.
 * Materials: a1 class 1 (2 pp, 2 processed) and 4-1 (3 pp, 1 processed); a2 9-2 (1 p, 1 processed); b1 class 1 (4 pp, none).
 * Requests: Q1 a1 干部考察 approved 2026-01-15, Q2 b1 干部任免 refused 2026-02-10, Q3 a2 干部考察 pending 2026-02-20,
 *           Q4 a1 2025-12-01 (before the default range). Reading of a1: 3 views of 2 pages, 60 s each. One print of a1, 2 pages.
 */

let t: TestApp;
let sec: Agent;
const agents: Record<string, Agent> = {};
const ids: Record<string, string> = {};
const PASSWORD = 'Stat-Passw0rd!';
const db = () => t.core.handle.db;
const NOW = '2026-03-02T01:00:00.000Z';

async function createUnit(code: string, name: string, parentId: string): Promise<string> {
  const res = await sec.post('/api/units', { body: { parentId, code, name } });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ id: string }>(res).id;
}

async function createUser(username: string, unitId: string, role: string, scope?: { kind: string; unitIds: string[] }): Promise<void> {
  const res = await sec.post('/api/users', {
    body: { username, displayName: username, unitId, password: PASSWORD, roleIds: [await roleId(sec, role)], ...(scope ? { scope } : {}) },
  });
  expect(res.statusCode, res.body).toBe(200);
  ids[username] = json<{ id: string }>(res).id;
  agents[username] = new Agent(t, `10.7.0.${Object.keys(agents).length + 1}`);
  await agents[username].signIn(username, PASSWORD);
}

async function cadre(key: string, unit: string, fields: Record<string, unknown>): Promise<void> {
  const res = await agents[unit === 'A' ? 'mgrA' : 'mgrB']!.post('/api/cadres', {
    body: { managingUnitId: ids[unit], personnelStatus: '1', ...fields, dossier: { dossierNo: `TJ-${key}`, custodianUnitId: ids[unit] } },
  });
  expect(res.statusCode, res.body).toBe(200);
  const c = json<Cadre>(res);
  ids[key] = c.dossier!.id;
  ids[`cadre${key}`] = c.id;
}

let pieceNo = 0;
async function material(dossier: string, classCode: string, pages: number, processed: number): Promise<void> {
  const id = newId();
  pieceNo += 1;
  await db().insertInto('materials').values({
    id, dossier_id: ids[dossier]!, class_code: classCode, piece_no: pieceNo, seq: String(pieceNo), name: `材料${pieceNo}`, formed_on: '2020',
    copies: 1, pages, remark: '', importance: null, manual_position: null, created_seq: pieceNo, source_piece_no: null,
    deleted_at: null, deleted_by: null, delete_reason: null, created_at: NOW, updated_at: NOW,
  }).execute();
  ids[`m${pieceNo}`] = id;
  if (processed === 0) return;
  const blobId = newId();
  await db().insertInto('blobs').values({ id: blobId, algorithm: 'sha256', hash: blobId, size: 1, kind: 'original', format: 'jpeg', created_at: NOW }).execute();
  const scanBatch = newId();
  await db().insertInto('scan_batches').values({ id: scanBatch, dossier_id: ids[dossier]!, source: 'upload', station: null, created_by: 'mgrA', created_by_id: ids.mgrA!, created_at: NOW }).execute();
  const fileId = newId();
  await db().insertInto('scan_files').values({
    id: fileId, batch_id: scanBatch, dossier_id: ids[dossier]!, name: 'scan.pdf', size: 1, blob_id: blobId, format: 'pdf', page_count: processed, status: 'stored', created_at: NOW,
  }).execute();
  for (let i = 0; i < processed; i++) {
    const pageId = newId();
    ids[`page${pieceNo}_${i}`] = pageId;
    await db().insertInto('pages').values({
      id: pageId, dossier_id: ids[dossier]!, material_id: id, page_no: i + 1, file_id: fileId, source_page: i + 1, original_blob_id: blobId, ops: '{}',
      status: 'processed', version: 1, created_at: NOW, updated_at: NOW,
    }).execute();
  }
}

let seq = 0;
async function request(key: string, dossier: string, purpose: string, state: AccessRequestState, createdAt: string): Promise<void> {
  ids[key] = newId();
  seq += 1;
  await db().insertInto('access_requests').values({
    id: ids[key], request_no: `CY2026-${String(seq).padStart(4, '0')}`, year: 2026, seq, requester_id: ids.reader1!, requester_unit_id: ids.A!,
    purpose, purpose_note: '', mode: 'read', scope_kind: 'dossier', scope_classes: null, period_from: createdAt, period_to: '2026-04-01T00:00:00.000Z',
    print_limit: 1, prints_used: 0, levels_required: 1, levels_done: state === 'pending' ? 0 : 1, state, created_at: createdAt, updated_at: createdAt,
    decided_at: state === 'pending' ? null : createdAt, granted_from: state === 'approved' ? createdAt : null, granted_until: state === 'approved' ? '2026-04-01T00:00:00.000Z' : null,
  }).execute();
  await db().insertInto('access_request_dossiers').values({
    request_id: ids[key], dossier_id: ids[dossier]!, cadre_id: ids[`cadre${dossier}`]!, managing_unit_id: dossier.startsWith('a') ? ids.A! : ids.B!,
  }).execute();
}

const figure = (report: { figures: Figure[] }, key: string): Figure => {
  const f = report.figures.find((x) => x.key === key);
  if (!f) throw new Error(`no figure ${key}`);
  return f;
};
/** Row label → values. */
const table = (f: Figure): Record<string, (number | null)[]> => Object.fromEntries([...f.rows, ...(f.total ? [f.total] : [])].map((r) => [r.label, r.values]));
const rowsByKey = (f: Figure): Record<string, (number | null)[]> => Object.fromEntries(f.rows.map((r) => [r.key, r.values]));
const views = async () => Number((await db().selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'stats.view').executeTakeFirst())?.n ?? 0);

beforeAll(async () => {
  t = await createTestApp();
  sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  ids.A = await createUnit('JIA', '甲局', root);
  ids.B = await createUnit('YI', '乙局', root);
  await createUser('mgrA', ids.A, 'archivist');
  await createUser('mgrB', ids.B, 'archivist');
  await createUser('chief', ids.A, 'leader', { kind: 'all', unitIds: [] });
  await createUser('reader1', ids.A, 'reader');

  await cadre('a1', 'A', { name: '甲一', birthDate: '1996-03-02', gender: '1', ethnicity: '01', education: '21', politicalStatus: '01', partyJoinDate: '2020-07-01', rank: 'R12' });
  await cadre('a2', 'A', { name: '甲二', birthDate: '1990-03-03', gender: '2', ethnicity: '03', education: '14', politicalStatus: '13', rank: 'R10' });
  await cadre('a3', 'A', { name: '甲三', birthDate: '1965', gender: '1', ethnicity: '01', education: '31', politicalStatus: '01', partyJoinDate: '2023-05', rank: 'L08' });
  await cadre('a4', 'A', { name: '甲四', birthDate: '1960-01-01', gender: '1', ethnicity: '01', politicalStatus: '01', personnelStatus: '3' });
  await cadre('b1', 'B', { name: '乙一', birthDate: '1980-05-07', gender: '2', ethnicity: '01', education: '21', politicalStatus: '01', partyJoinDate: '2010', rank: 'L07' });
  await cadre('b2', 'B', { name: '乙二', gender: '1', politicalStatus: '13' });
  await db().updateTable('dossiers').set({ state: 'out_for_digitization' }).where('id', '=', ids.a3!).execute();

  await material('a1', '1', 2, 2);
  await material('a1', '4-1', 3, 1);
  await material('a2', '9-2', 1, 1);
  await material('b1', '1', 4, 0);

  await request('Q1', 'a1', '01', 'approved', '2026-01-15T02:00:00.000Z');
  await request('Q2', 'b1', '02', 'refused', '2026-02-10T02:00:00.000Z');
  await request('Q3', 'a2', '01', 'pending', '2026-02-20T02:00:00.000Z');
  await request('Q4', 'a1', '03', 'expired', '2025-12-01T02:00:00.000Z');
  const session = newId();
  await db().insertInto('reading_sessions').values({
    id: session, request_id: ids.Q1!, dossier_id: ids.a1!, user_id: ids.reader1!, login_session_id: 'x', client_ip: null,
    opened_at: '2026-01-16T02:00:00.000Z', last_seen_at: '2026-01-16T02:05:00.000Z', closed_at: null, close_reason: null,
  }).execute();
  for (const page of ['page1_0', 'page1_1', 'page1_0']) {
    await db().insertInto('reading_log').values({
      id: newId(), reading_session_id: session, request_id: ids.Q1!, user_id: ids.reader1!, dossier_id: ids.a1!, material_id: ids.m1!,
      page_id: ids[page]!, viewed_at: '2026-01-16T02:01:00.000Z', duration_ms: 60_000, client_ip: null,
    }).execute();
  }
  await db().insertInto('access_prints').values({
    id: newId(), serial_no: 'DY2026-000001', year: 2026, seq: 1, request_id: ids.Q1!, user_id: ids.reader1!, dossier_id: ids.a1!,
    material_ids: JSON.stringify([ids.m1]), page_count: 2, sha256: 'x', client_ip: null, created_at: '2026-01-16T03:00:00.000Z',
  }).execute();
});

afterAll(async () => {
  await t?.close();
});

describe('archive statistics', () => {
  it('counts dossiers and pages by unit, class and state, and digitization coverage, for all units', async () => {
    const before = await views();
    const report = json<ArchiveStats>(await agents.chief!.get('/api/stats/archive'));
    expect(await views()).toBe(before + 1);
    expect(report.scope).toBe('全部单位');
    expect(table(figure(report, 'byUnit'))).toEqual({ 甲局: [4, 3, 6, 4], 乙局: [2, 1, 4, 0], 合计: [6, 4, 10, 4] });
    const byClass = rowsByKey(figure(report, 'byClass'));
    expect(byClass['1']).toEqual([2, 6]);
    expect(byClass['4']).toEqual([1, 3]);
    expect(byClass['9']).toEqual([1, 1]);
    expect(byClass['2']).toEqual([0, 0]);
    const byState = rowsByKey(figure(report, 'byState'));
    expect(byState.in_store).toEqual([5, 83.3]);
    expect(byState.out_for_digitization).toEqual([1, 16.7]);
    expect(rowsByKey(figure(report, 'coverage'))).toEqual({ dossiers: [1, 6, 16.7], pages: [4, 10, 40] });
  });

  it('shows a scoped user only his unit, totals included', async () => {
    const report = json<ArchiveStats>(await agents.mgrA!.get('/api/stats/archive'));
    expect(report.scope).toContain('甲局');
    expect(table(figure(report, 'byUnit'))).toEqual({ 甲局: [4, 3, 6, 4], 合计: [4, 3, 6, 4] });
    expect(figure(report, 'byState').total!.values[0]).toBe(4);
    expect(rowsByKey(figure(report, 'coverage'))).toEqual({ dossiers: [1, 4, 25], pages: [4, 6, 66.7] });
    expect((await agents.reader1!.get('/api/stats/archive')).statusCode).toBe(403);
  });
});

describe('use statistics', () => {
  it('counts requests by purpose, unit, requester, month and decision, the most-read dossiers, prints', async () => {
    const report = json<UseStats>(await agents.chief!.get('/api/stats/use'));
    expect([report.from, report.to]).toEqual(['2026-01-01', '2026-03-02']);
    expect(table(figure(report, 'byPurpose'))).toEqual({ 干部考察: [2, 66.7], 干部任免: [1, 33.3], 合计: [3, 100] });
    expect(table(figure(report, 'byUnit'))).toEqual({ 甲局: [3, 100], 合计: [3, 100] });
    expect(table(figure(report, 'byRequester'))).toEqual({ reader1: [3, 100], 合计: [3, 100] });
    expect(rowsByKey(figure(report, 'byMonth'))).toEqual({ '2026-01': [1, 1, 0], '2026-02': [2, 0, 1], '2026-03': [0, 0, 0] });
    const decisions = rowsByKey(figure(report, 'decisions'));
    expect([decisions.approved![0], decisions.refused![0], decisions.pending![0], decisions.withdrawn![0], decisions.expired![0]]).toEqual([1, 1, 1, 0, 0]);
    expect(table(figure(report, 'topDossiers'))).toEqual({ 'TJ-a1 甲一': [3, 2, 3] });
    expect(rowsByKey(figure(report, 'prints'))).toMatchObject({ prints: [1], printPages: [2], open: [0], overdue: [0] });

    const wide = json<UseStats>(await agents.chief!.get('/api/stats/use', { query: { from: '2025-12-01', to: '2026-03-02' } }));
    expect(figure(wide, 'byPurpose').total!.values[0]).toBe(4);
    const bad = await agents.chief!.get('/api/stats/use', { query: { from: '2026-03-05', to: '2026-03-01' } });
    expect(json(bad).code).toBe('STATS_RANGE_INVALID');
  });

  it('counts for a scoped user only requests about his unit\'s dossiers', async () => {
    const a = json<UseStats>(await agents.mgrA!.get('/api/stats/use'));
    expect(figure(a, 'byPurpose').total!.values[0]).toBe(2);
    expect(rowsByKey(figure(a, 'decisions')).refused![0]).toBe(0);
    const b = json<UseStats>(await agents.mgrB!.get('/api/stats/use'));
    expect(table(figure(b, 'byPurpose'))).toEqual({ 干部任免: [1, 100], 合计: [1, 100] });
    expect(figure(b, 'topDossiers').rows).toEqual([]);
    expect(rowsByKey(figure(b, 'prints')).prints).toEqual([0]);
  });
});

describe('cadre structure', () => {
  it('counts serving cadres by age band, gender, ethnicity, education, party, rank — overall and by unit', async () => {
    const report = json<CadreStats>(await agents.chief!.get('/api/stats/cadres'));
    expect(report.asOf).toBe('2026-03-02');
    expect(table(figure(report, 'age'))).toEqual({
      '30岁及以下': [1, 20], '31—35岁': [1, 20], '41—45岁': [1, 20], '61岁及以上': [1, 20], 不详: [1, 20], 合计: [5, 100],
    });
    const ageByUnit = figure(report, 'ageByUnit');
    expect(ageByUnit.columns.map((c) => c.label)).toEqual(['30岁及以下', '31—35岁', '41—45岁', '61岁及以上', '不详', '合计']);
    expect(table(ageByUnit)).toEqual({ 甲局: [1, 1, 0, 1, 0, 3], 乙局: [0, 0, 1, 0, 1, 2], 合计: [1, 1, 1, 1, 1, 5] });
    expect(table(figure(report, 'gender'))).toEqual({ 男: [3, 60], 女: [2, 40], 合计: [5, 100] });
    expect(table(figure(report, 'ethnicity'))).toEqual({ 汉族: [3, 60], 少数民族: [1, 20], 不详: [1, 20], 合计: [5, 100] });
    expect(table(figure(report, 'ethnicityDetail'))).toEqual({ 回族: [1, 100], 合计: [1, 100] });
    expect(table(figure(report, 'education'))).toEqual({ 研究生教育: [1, 20], 大学本科教育: [2, 40], 大学专科教育: [1, 20], 不详: [1, 20], 合计: [5, 100] });
    expect(table(figure(report, 'political'))).toEqual({ 中共党员: [3, 60], 群众: [2, 40], 合计: [5, 100] });
    expect(rowsByKey(figure(report, 'rank'))).toMatchObject({ L07: [1, 20], L08: [1, 20], R10: [1, 20], R12: [1, 20], unknown: [1, 20] });
    expect(table(figure(report, 'partyTrend'))).toEqual({
      '2021年末': [5, 2, 40], '2022年末': [5, 2, 40], '2023年末': [5, 3, 60], '2024年末': [5, 3, 60], '2025年末': [5, 3, 60],
    });
    expect(rowsByKey(figure(report, 'ageTrend'))['2021-12-31']).toEqual([1, 1, 1, 1, 1, 5]);
    expect(figure(report, 'ageTrend').columns.map((c) => c.key)).toEqual(['le30', '31to35', '41to45', '56to60', 'unknown', 'total']);

    // The day before a2's 36th birthday she is 35; the next day 36.
    const tomorrow = json<CadreStats>(await agents.chief!.get('/api/stats/cadres', { query: { asOf: '2026-03-03' } }));
    expect(rowsByKey(figure(tomorrow, 'age'))['36to40']).toEqual([1, 20]);
  });

  it('a scoped user sees only his unit; a unit outside his scope is refused', async () => {
    const before = await views();
    const a = json<CadreStats>(await agents.mgrA!.get('/api/stats/cadres'));
    expect(await views()).toBe(before + 1);
    expect(figure(a, 'age').total!.values[0]).toBe(3);
    expect(Object.keys(table(figure(a, 'genderByUnit')))).toEqual(['甲局', '合计']);
    expect(table(figure(a, 'partyTrend'))['2025年末']).toEqual([3, 2, 66.7]);
    const refused = await agents.mgrA!.get('/api/stats/cadres', { query: { unitId: ids.B! } });
    expect(refused.statusCode).toBe(403);
    const b = json<CadreStats>(await agents.chief!.get('/api/stats/cadres', { query: { unitId: ids.B! } }));
    expect(figure(b, 'age').total!.values[0]).toBe(2);
  });
});

describe('Excel export', () => {
  it('exports exactly one figure\'s table, or all figures, with the same numbers, audited', async () => {
    const res = await agents.mgrA!.get('/api/stats/cadres/export', { query: { figure: 'age' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['年龄结构', '说明']);
    const rows = (wb.getWorksheet('年龄结构')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(rows).toEqual([['年龄结构', '人数', '占比（%）'], ['30岁及以下', 1, 33.3], ['31—35岁', 1, 33.3], ['61岁及以上', 1, 33.3], ['合计', 3, 100]]);
    const audit = await db().selectFrom('audit_events').selectAll().where('action', '=', 'stats.export').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.username).toBe('mgra');
    expect(JSON.parse(audit.detail!)).toMatchObject({ figure: 'age' });

    const all = await agents.chief!.get('/api/stats/archive/export');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(all.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['各单位档案数与页数', '各类材料份数与页数（十大类）', '档案状态', '数字化覆盖率', '说明']);
    const unitRows = (book.worksheets[0]!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(unitRows.at(-1)).toEqual(['合计', 6, 4, 10, 4]);

    const missing = await agents.chief!.get('/api/stats/use/export', { query: { figure: 'nothing' } });
    expect(json(missing).code).toBe('STATS_FIGURE_NOT_FOUND');
  });
});
