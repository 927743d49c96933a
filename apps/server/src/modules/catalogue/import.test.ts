import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue, ImportReport } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let clerk: Agent;

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  const res = await sec.post('/api/users', {
    body: { username: 'importer', displayName: '导入员', unitId: root, password: 'Filing-Passw0rd', roleIds: [await roleId(sec, 'archivist')] },
  });
  expect(res.statusCode, res.body).toBe(200);
  clerk = new Agent(t);
  await clerk.signIn('importer', 'Filing-Passw0rd');
});
afterAll(async () => {
  await t.close();
});

const CADRES = [
  ['档案号', '姓名', '性别', '出生日期', '公民身份号码', '民族', '政治面貌', '参加工作时间', '管理单位代码', '人员状态'],
  ['D100', '周建国', '男', '1968.03', '110105196803150011', '汉族', '中共党员', '1988.07', 'ROOT', '在职'],
  ['D101', '吴秀英', '女', '1975.11.02', '', '回族', '群众', '1996.08', 'ROOT', ''],
];

function materials(badClass: boolean): string[][] {
  return [
    ['档案号', '类号', '份号', '材料名称', '材料形成时间', '份数', '页数', '备注'],
    ['D100', '1', '1', '干部履历表', '1999.05', '1', '8', ''],
    ['D100', '3', '', '2003年度考核登记表', '2004.01', '1', '2', ''],
    ['D100', badClass ? '4' : '4-1', '1', '大学毕业生登记表', '1988.07', '1', '4', ''],
    ['D101', '6', '', '入党申请书', '1995.03', '1', '3', '复印件'],
  ];
}

async function workbook(badClass: boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const add = (name: string, rows: string[][]) => {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
    ws.getColumn(1).numFmt = '@';
  };
  add('干部', CADRES);
  add('材料', materials(badClass));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(file: Buffer, query: Record<string, string> = {}, type = XLSX): Promise<ImportReport> {
  const res = await clerk.post('/api/catalogue/import', { body: file, headers: { 'content-type': type }, query });
  expect(res.statusCode, res.body).toBe(200);
  return json<ImportReport>(res);
}

async function cadreCount(): Promise<number> {
  return json<{ total: number }>(await clerk.get('/api/cadres')).total;
}

describe('catalogue import', () => {
  it('reports a bad row with its row, column and a Chinese reason, and writes nothing', async () => {
    const report = await upload(await workbook(true));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ sheet: '材料', row: 4, column: '类号', reason: expect.stringContaining('子类') }),
    ]);
    expect(await cadreCount()).toBe(0);
  });

  it('imports the corrected file in one go, ordered and numbered, then changes nothing when imported again', async () => {
    const file = await workbook(false);
    const dry = await upload(file, { dryRun: 'true' });
    expect(dry).toMatchObject({ ok: true, dryRun: true, summary: { cadresCreated: 2, materialsCreated: 4 } });
    expect(await cadreCount()).toBe(0);

    const first = await upload(file);
    expect(first).toMatchObject({ ok: true, summary: { cadresCreated: 2, materialsCreated: 4, materialsUnchanged: 0 } });
    expect(await cadreCount()).toBe(2);
    const list = json<{ items: { name: string; dossierId: string; materialCount: number; gender: string }[] }>(await clerk.get('/api/cadres', { query: { q: '周建国' } }));
    expect(list.items[0]).toMatchObject({ materialCount: 3, gender: '1' });
    const catalogue = json<Catalogue>(await clerk.get(`/api/dossiers/${list.items[0]!.dossierId}/catalogue`));
    expect(catalogue.classes.flatMap((c) => c.materials.map((m) => `${m.seq} ${m.name}`))).toEqual([
      '1-1 干部履历表', '3-1 2003年度考核登记表', '4-1-1 大学毕业生登记表',
    ]);

    const again = await upload(file);
    expect(again.summary).toEqual({ cadresCreated: 0, cadresUpdated: 0, cadresUnchanged: 2, materialsCreated: 0, materialsUpdated: 0, materialsUnchanged: 4 });
    expect(await cadreCount()).toBe(2);
  });

  it('imports materials from a CSV file and refuses one that names an unknown dossier', async () => {
    const csv = '\ufeff档案号,类号,材料名称,材料形成时间,页数\r\nD101,7,优秀共产党员证书,2001.07.01,1\r\nD999,7,嘉奖令,2002,1\r\n';
    const bad = await upload(Buffer.from(csv), { kind: 'materials' }, 'text/csv');
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([expect.objectContaining({ row: 3, column: '档案号' })]);
    const good = await upload(Buffer.from(csv.split('\r\n').slice(0, 2).join('\r\n')), { kind: 'materials' }, 'text/csv');
    expect(good).toMatchObject({ ok: true, summary: { materialsCreated: 1 } });
  });

  it('answers a file that is not a spreadsheet with a clear problem, and an empty body with 422', async () => {
    const junk = await upload(Buffer.from('PK\u0003\u0004 this is not really a zip'));
    expect(junk.ok).toBe(false);
    expect(junk.problems[0]!.sheet).toBe('文件');
    const empty = await clerk.post('/api/catalogue/import', { body: Buffer.alloc(0), headers: { 'content-type': XLSX } });
    expect([400, 422]).toContain(empty.statusCode);
  });

  it('offers the template and exports catalogues to Excel', async () => {
    const template = await clerk.get('/api/catalogue/template');
    expect(template.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['干部', '材料']));

    const ids = json<{ items: { dossierId: string }[] }>(await clerk.get('/api/cadres')).items.map((i) => i.dossierId);
    const res = await clerk.get('/api/catalogue/export', { query: { dossierIds: ids.join(',') } });
    expect(res.statusCode).toBe(200);
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = out.getWorksheet('目录')!;
    const texts = sheet.getSheetValues().flat().map(String);
    expect(texts).toEqual(expect.arrayContaining(['干部履历表', '优秀共产党员证书']));
  });
});
