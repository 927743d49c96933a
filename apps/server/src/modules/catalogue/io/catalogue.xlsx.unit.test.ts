import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sampleCatalogue } from './catalogue.fixtures.js';
import { CADRE_COLUMNS, IMPORT_LIMITS, MATERIAL_COLUMNS, type ImportLimits, type ImportProblem } from './catalogue.import.js';
import { buildImportTemplate, exportCatalogueWorkbook, parseImportWorkbook } from './catalogue.xlsx.js';

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A workbook with one sheet whose rows are given as arrays of cell values. */
async function workbook(sheets: Record<string, ExcelJS.CellValue[][]>, formats: Record<string, string> = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r) => ws.addRow(r));
    for (const [address, numFmt] of Object.entries(formats)) {
      const [sheet, cell] = address.split('!') as [string, string];
      if (sheet === name) ws.getCell(cell).numFmt = numFmt;
    }
  }
  return save(wb);
}

const only = (problems: ImportProblem[]) => problems.map((p) => `${p.sheet}:${p.row}:${p.column}:${p.reason}`);

describe('import template', () => {
  it('has the three sheets, bold frozen headers, text columns, a 类号 list and the guide', async () => {
    const wb = await load(await buildImportTemplate());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['干部', '材料', '填写说明']);

    const cadres = wb.getWorksheet('干部')!;
    expect(cadres.getRow(1).getCell(1).text).toBe('档案号*');
    expect(cadres.getRow(1).getCell(2).text).toBe('姓名*');
    expect(cadres.getRow(1).font?.bold).toBe(true);
    expect(cadres.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const at = (key: string) => CADRE_COLUMNS.findIndex((c) => c.key === key) + 1;
    for (const key of ['dossierNo', 'idNumber', 'birthDate', 'partyJoinDate', 'workStartDate']) {
      expect(cadres.getColumn(at(key)).numFmt, key).toBe('@');
    }
    expect(cadres.getColumn(at('position')).width).toBeGreaterThan(20);

    const materials = wb.getWorksheet('材料')!;
    const classCol = materials.getColumn(MATERIAL_COLUMNS.findIndex((c) => c.key === 'classCode') + 1).letter;
    const validations = (materials as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    const list = validations[`${classCol}2`];
    expect(list?.type).toBe('list');
    expect(String(list?.formulae[0])).toContain('4-1');
    expect(String(list?.formulae[0])).toContain('9-4');
    expect(String(list?.formulae[0]).split(',')).not.toContain('4');

    const guide: string[] = [];
    wb.getWorksheet('填写说明')!.eachRow((r) => guide.push(r.values ? String((r.values as unknown[]).join(' ')) : ''));
    const text = guide.join('\n');
    expect(text).toContain('必填');
    expect(text).toContain('2003.05.07');
    expect(text).toContain('份号');
    expect(text).toContain('重复导入');
    expect(text).toContain('学历学位');
    expect(text).toContain('9-4');
  });

  it('comes back through the parser as its two example rows per sheet', async () => {
    const parsed = await parseImportWorkbook(await buildImportTemplate());
    expect(parsed.problems).toEqual([]);
    expect(parsed.cadres).toHaveLength(2);
    expect(parsed.cadres[0]).toEqual({
      row: 2,
      dossierNo: '0100123',
      name: '张明华',
      gender: '男',
      birthDate: '1975.03.12',
      idNumber: '110105197503120018',
      ethnicity: '汉族',
      nativePlace: '江苏南京',
      politicalStatus: '中共党员',
      partyJoinDate: '1998.07.01',
      workStartDate: '1996.08',
      education: '硕士研究生毕业',
      position: '某某市发展和改革委员会副主任',
      unitCode: 'A01',
      personnelStatus: '在职',
    });
    expect(parsed.cadres[1]!.idNumber).toBe('32010219801105002X');
    expect(parsed.materials).toEqual([
      { row: 2, dossierNo: '0100123', classCode: '1', pieceNo: '', name: '干部履历表', date: '1999.06.10', copies: '1', pages: '8', remark: '' },
      { row: 3, dossierNo: '0100123', classCode: '4-1', pieceNo: '3', name: '大学本科毕业生登记表', date: '1995.06', copies: '1', pages: '4', remark: '复印件' },
    ]);
  });
});

describe('reading an import workbook', () => {
  const cadreHeader = ['姓名*', ' 档案号 * ', '公民身份号码', '出生日期', '参加工作时间', '管理单位代码*', '现工作单位及职务'];

  it('turns date, number, rich-text, formula and hyperlink cells into what a clerk would type', async () => {
    const buf = await workbook(
      {
        干部: [
          cadreHeader,
          [
            { richText: [{ text: '王' }, { text: '建国', font: { bold: true } }] },
            123,
            110105750312123,
            new Date(Date.UTC(1975, 2, 12)),
            new Date(Date.UTC(1996, 7, 1)),
            { formula: 'CONCATENATE("A","01")', result: 'A01' },
            { text: '某某市财政局', hyperlink: 'http://example.invalid' },
          ],
        ],
      },
      { '干部!D2': 'yyyy-mm-dd', '干部!E2': 'yyyy"年"m"月"' },
    );
    const parsed = await parseImportWorkbook(buf);
    expect(parsed.problems).toEqual([]);
    expect(parsed.cadres).toEqual([
      expect.objectContaining({
        row: 2,
        name: '王建国',
        dossierNo: '123',
        idNumber: '110105750312123',
        birthDate: '1975.03.12',
        workStartDate: '1996.08',
        unitCode: 'A01',
        position: '某某市财政局',
        gender: '',
      }),
    ]);
  });

  it('refuses an 18-digit ID number that Excel stored as a number', async () => {
    const buf = await workbook({ 干部: [cadreHeader, ['张三', 'D1', 110105197503120000, '', '', 'A01', '']] });
    const parsed = await parseImportWorkbook(buf);
    expect(only(parsed.problems)).toEqual(['干部:2:公民身份号码:身份号码被 Excel 转成了数字，请将该列设为文本后重新填写']);
  });

  it('reads the material sheet: class codes Excel made dates, numbers in text columns, ambiguous dates', async () => {
    const header = ['档案号', '类号', '份号', '材料名称', '材料形成时间', '份数', '页数', '备注'];
    const buf = await workbook(
      {
        材料: [
          header,
          ['D1', new Date(Date.UTC(2024, 3, 1)), 2, '大学本科毕业生登记表', 2003.05, 1, 4, null],
          [null, null, null, null, null, null, null, null],
          ['D1', 3, null, '年度考核登记表', 2003, { formula: '1', result: 1 }, 2, '  复印件 '],
          ['D1', '9-2', null, '干部任免审批表', 2003.1, 1, 2, null],
          ['D1', '10', null, '体检表', { error: '#N/A' }, 1, 2, null],
        ],
      },
      { '材料!B2': 'm-d' },
    );
    const parsed = await parseImportWorkbook(buf);
    expect(parsed.materials.map((m) => [m.row, m.classCode, m.pieceNo, m.date, m.copies, m.pages, m.remark])).toEqual([
      [2, '4-1', '2', '2003.05', '1', '4', ''],
      [4, '3', '', '2003', '1', '2', '复印件'],
      [5, '9-2', '', '2003.1', '1', '2', ''],
      [6, '10', '', '', '1', '2', ''],
    ]);
    expect(only(parsed.problems)).toEqual([
      '材料:5:材料形成时间:“2003.1”被 Excel 当作数字保存，分不清是 1 月还是 10 月，请将该列设为文本后重新填写',
      '材料:6:材料形成时间:单元格是错误值 #N/A',
    ]);
  });

  it('matches columns by title in any order, below a title row, and ignores unknown columns', async () => {
    const buf = await workbook({
      材料: [
        ['某某单位干部档案目录'],
        ['备注', '自编号', '材料名称*', '页数', '类号*', '档案号*'],
        ['', 'x1', '自传', 6, '2', 'D9'],
      ],
    });
    const parsed = await parseImportWorkbook(buf);
    expect(parsed.problems).toEqual([]);
    expect(parsed.materials).toEqual([
      { row: 3, dossierNo: 'D9', classCode: '2', pieceNo: '', name: '自传', date: '', copies: '', pages: '6', remark: '' },
    ]);
  });

  it('names each missing required column and reads no rows of that sheet', async () => {
    const buf = await workbook({
      干部: [['档案号', '性别', '民族'], ['D1', '男', '汉族']],
      材料: [['档案号', '类号', '页数'], ['D1', '1', 3]],
    });
    const parsed = await parseImportWorkbook(buf);
    expect(parsed.cadres).toEqual([]);
    expect(parsed.materials).toEqual([]);
    expect(only(parsed.problems)).toEqual([
      '干部:1:姓名:缺少必填列“姓名”',
      '干部:1:管理单位代码:缺少必填列“管理单位代码”',
      '材料:1:材料名称:缺少必填列“材料名称”',
    ]);
  });

  it('reads a sheet with another name by its headers, and reports a workbook with no such sheet', async () => {
    const materials = await workbook({ Sheet1: [['档案号', '类号', '材料名称'], ['D1', '1', '干部履历表']] });
    expect((await parseImportWorkbook(materials)).materials).toHaveLength(1);
    const other = await workbook({ Sheet1: [['甲', '乙'], [1, 2]] });
    expect(only((await parseImportWorkbook(other)).problems)).toEqual(['文件:0::没有找到“干部”或“材料”工作表，请使用导入模板']);
  });

  it('answers a file it cannot read with one problem, never an exception', async () => {
    const template = await buildImportTemplate();
    const reasonOf = async (buf: Buffer, limits?: ImportLimits) => {
      const parsed = await parseImportWorkbook(buf, limits);
      expect(parsed.cadres).toEqual([]);
      expect(parsed.materials).toEqual([]);
      expect(parsed.problems).toHaveLength(1);
      expect(parsed.problems[0]!.sheet).toBe('文件');
      return parsed.problems[0]!.reason;
    };
    expect(await reasonOf(Buffer.from('档案号,姓名\n1,张三\n'))).toContain('不是 Excel 工作簿');
    expect(await reasonOf(Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(600)]))).toContain('.xls');
    expect(await reasonOf(template.subarray(0, template.length - 200))).toContain('损坏');
    expect(await reasonOf(Buffer.from(zipSync({ 'readme.txt': new TextEncoder().encode('hello') })))).toContain('不是 Excel 工作簿');
    expect(await reasonOf(Buffer.alloc(20 * 1024 * 1024 + 1))).toContain('20 MB');
    const rows = (n: number) => workbook({ 材料: [['档案号', '类号', '材料名称'], ...Array.from({ length: n }, () => ['D', '1', 'x'])] });
    const limits = { maxBytes: IMPORT_LIMITS.maxBytes, maxRows: 3 };
    expect((await parseImportWorkbook(await rows(3), limits)).materials).toHaveLength(3);
    expect(await reasonOf(await rows(4), limits)).toBe('数据超过 3 行，请分成几个文件导入');
  });
});

describe('catalogue export', () => {
  it('writes a row per material in catalogue order and the totals per dossier', async () => {
    const a = sampleCatalogue(120);
    const b = { ...sampleCatalogue(30), dossierNo: '0100124', cadreName: '李秀英' };
    const wb = await load(await exportCatalogueWorkbook([a, b]));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['目录', '汇总']);

    const list = wb.getWorksheet('目录')!;
    expect(list.getRow(1).values).toEqual([undefined, '档案号', '姓名', '类号', '序号', '材料名称', '年', '月', '日', '份数', '页数', '备注']);
    expect(list.actualRowCount).toBe(1 + 150);
    expect(list.getRow(2).values).toEqual([undefined, 'GB-2024-000123', '张明华', '1', '1-1', '干部履历表', 1988, 6, 12, 1, 8]);
    const seqs: string[] = [];
    list.eachRow((r, n) => n > 1 && n <= 121 && seqs.push(String(r.getCell(4).value)));
    expect(seqs).toEqual(a.classes.flatMap((c) => c.materials.map((m) => m.seq)));
    const partial = a.classes.flatMap((c) => c.materials).findIndex((m) => m.day === null);
    expect(list.getRow(partial + 2).getCell(8).value).toBeNull();
    expect(list.getRow(122).getCell(1).value).toBe('0100124');

    const summary = wb.getWorksheet('汇总')!;
    const pagesOf = (d: typeof a) => d.classes.flatMap((c) => c.materials).reduce((s, m) => s + m.pages, 0);
    expect(summary.getRow(2).values).toEqual([undefined, 'GB-2024-000123', '张明华', '某某市发展和改革委员会', 120, 120, pagesOf(a)]);
    expect(summary.getRow(3).values).toEqual([undefined, '0100124', '李秀英', '某某市发展和改革委员会', 30, 30, pagesOf(b)]);
    const total = summary.getRow(4);
    expect([1, 4, 5, 6].map((c) => total.getCell(c).value)).toEqual(['合计（2 卷）', 150, 150, pagesOf(a) + pagesOf(b)]);
    expect(total.font?.bold).toBe(true);
    expect(list.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});
