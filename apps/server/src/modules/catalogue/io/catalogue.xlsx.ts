import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { dictionarySeed } from '../../dictionary/dictionary.seed.js';
import {
  COLUMNS,
  IMPORT_LIMITS,
  SHEET_NAMES,
  fileProblem,
  guessKind,
  readTable,
  tooLarge,
  tooManyRows,
  type ColumnSpec,
  type ImportKind,
  type ImportLimits,
  type ParsedImport,
  type RawCadreRow,
  type RawMaterialRow,
  type SheetRow,
} from './catalogue.import.js';
import { addTotals, dossierTotals, type CataloguePrint, type CatalogueTotals } from './catalogue.print.js';

// ------------------------------------------------------------------------------------------------
// The import template

export interface TemplateVocabulary {
  /** The class tree (类号) in display order; a subclass names its parent. */
  classes: { code: string; label: string; parentCode?: string }[];
  personnelStatuses: string[];
}

function seedLabels(type: string) {
  return dictionarySeed.find((t) => t.type === type)?.entries ?? [];
}

/** The seeded dictionary; the service passes the current one, as provinces edit it. */
export function defaultVocabulary(): TemplateVocabulary {
  return {
    classes: seedLabels('archive_class').map(({ code, label, parentCode }) => ({ code, label, parentCode })),
    personnelStatuses: seedLabels('personnel_status').map((e) => e.label),
  };
}

/** Rows 2 to 10001 get the drop-down lists; more rows can still be typed or pasted. */
const VALIDATED_ROWS = 10_000;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
const RED = { argb: 'FFC00000' };

type DataValidations = { add(range: string, validation: ExcelJS.DataValidation): void };

function addList(ws: ExcelJS.Worksheet, column: number, values: string[], title: string, strict: boolean): void {
  const list = `"${values.join(',')}"`;
  // Excel refuses an inline list longer than 255 characters; the guide sheet still lists them all.
  if (list.length > 257) return;
  const letter = ws.getColumn(column).letter;
  (ws as unknown as { dataValidations: DataValidations }).dataValidations.add(`${letter}2:${letter}${VALIDATED_ROWS + 1}`, {
    type: 'list',
    allowBlank: true,
    formulae: [list],
    showErrorMessage: true,
    errorStyle: strict ? 'stop' : 'warning',
    errorTitle: `${title}不在列表中`,
    error: `请从下拉列表中选择${title}`,
  });
}

function addDataSheet<K extends string>(wb: ExcelJS.Workbook, name: string, columns: ColumnSpec<K>[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Text format, so Excel keeps leading zeros, all 18 digits of an ID and 4-1 as typed.
  ws.columns = columns.map((c) => ({ key: c.key, width: c.width, style: c.kind === 'count' ? {} : { numFmt: '@' } }));
  const header = ws.getRow(1);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.required ? { richText: [{ text: c.title, font: { bold: true } }, { text: '*', font: { bold: true, color: RED } }] } : c.title;
    cell.note = `${c.required ? '必填。' : ''}${c.help}`;
  });
  header.font = { bold: true };
  header.height = 20;
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.border = { bottom: { style: 'thin' } };
  });
  for (const i of [0, 1] as const) {
    ws.addRow(columns.map((c) => (c.examples[i] === '' ? null : c.kind === 'count' ? Number(c.examples[i]) : c.examples[i])));
  }
  return ws;
}

const GUIDE_NOTES = [
  '本模板有“干部”“材料”两张表，可以只填其中一张；请不要修改表名。',
  '每张表的第一行是列名，请勿删除或改名；列的先后顺序可以调整，多出的列导入时会被忽略。',
  '列名带“*”的为必填项。',
  '第 2、3 行是示例，导入前请删除，或改为实际数据。',
  '日期（出生日期、入党时间、参加工作时间、材料形成时间）按文本填写：年.月.日，如 2003.05.07；只知道年月的写 2003.05；只知道年份的写 2003。',
  '档案号、公民身份号码、日期、类号、份号等列已设为文本格式，请不要改成“常规”或“数值”：否则 Excel 会把身份号码的后几位变成 0、把档案号的前导零去掉、把 4-1 变成日期。',
  '类号见本页下方的类号表；第四类、第九类的材料须写到小类（4-1～4-4、9-1～9-4）。',
  '份号是材料在本类（小类）中的顺序号，可以不填：不填时由系统按该类的排序规则计算，序号为“类号-份号”（如 3-2、4-1-3）。',
  '重复导入同样的行不会改变任何数据：干部按档案号识别，材料按档案号、类号、份号识别。',
  '导入时先检查全部数据：有任何错误都不会写入，并列出出错的表、行、列和原因；改正后重新导入即可。',
  `也可以导入 CSV 文件（UTF-8 或 GB18030 编码，逗号或制表符分隔），干部、材料各一个文件，列名同上。`,
  `一个文件不超过 ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB、${IMPORT_LIMITS.maxRows.toLocaleString('en-US')} 行。`,
];

function addGuideSheet(wb: ExcelJS.Workbook, vocabulary: TemplateVocabulary): void {
  const ws = wb.addWorksheet('填写说明');
  ws.columns = [{ width: 10 }, { width: 18 }, { width: 7 }, { width: 72 }, { width: 24 }];
  const title = ws.addRow(['干部档案目录导入模板\u3000填写说明']);
  title.font = { bold: true, size: 14 };
  ws.addRow([]);
  GUIDE_NOTES.forEach((note, i) => {
    const row = ws.addRow([`${i + 1}.`, note]);
    ws.mergeCells(row.number, 2, row.number, 5);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.height = note.length > 60 ? 32 : 18;
  });
  ws.addRow([]);
  const head = (values: string[]) => {
    const row = ws.addRow(values);
    row.font = { bold: true };
    row.eachCell((c) => (c.fill = HEADER_FILL));
  };
  head(['工作表', '列名', '必填', '填写说明', '示例']);
  for (const kind of ['cadres', 'materials'] as const) {
    for (const c of COLUMNS[kind] as ColumnSpec<string>[]) {
      const row = ws.addRow([SHEET_NAMES[kind], c.title, c.required ? '是' : '', c.help, c.examples.filter(Boolean).join('、')]);
      row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
    }
  }
  ws.addRow([]);
  head(['类号', '类别名称', '', '说明']);
  const parents = new Set(vocabulary.classes.map((c) => c.parentCode).filter(Boolean));
  for (const c of vocabulary.classes) {
    const note = parents.has(c.code) ? '须写到小类' : c.parentCode ? `第 ${c.parentCode} 类的小类` : '';
    ws.addRow([c.code, c.label, '', note]).getCell(1).numFmt = '@';
  }
}

/** The documented .xlsx import template: sheets 干部, 材料 and 填写说明, with two example rows each. */
export async function buildImportTemplate(vocabulary: TemplateVocabulary = defaultVocabulary()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '档案管理系统';
  const cadres = addDataSheet(wb, SHEET_NAMES.cadres, COLUMNS.cadres);
  const materials = addDataSheet(wb, SHEET_NAMES.materials, COLUMNS.materials);
  const col = (columns: ColumnSpec<string>[], key: string) => columns.findIndex((c) => c.key === key) + 1;
  addList(cadres, col(COLUMNS.cadres, 'gender'), ['男', '女'], '性别', false);
  addList(cadres, col(COLUMNS.cadres, 'personnelStatus'), vocabulary.personnelStatuses, '人员状态', false);
  const parents = new Set(vocabulary.classes.map((c) => c.parentCode).filter(Boolean));
  const leaves = vocabulary.classes.filter((c) => !parents.has(c.code)).map((c) => c.code);
  addList(materials, col(COLUMNS.materials, 'classCode'), leaves, '类号', true);
  addGuideSheet(wb, vocabulary);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ------------------------------------------------------------------------------------------------
// Reading an import workbook

/** What the zip may inflate to: a generous bound for 200,000 rows, and a stop for zip bombs. */
const MAX_UNZIPPED = 400 * 1024 * 1024;
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Refuses what exceljs should not be asked to open, with the reason a clerk can act on. */
function containerProblem(buf: Buffer): string | null {
  if (buf.subarray(0, 4).equals(OLE_MAGIC)) {
    return '这是旧版 Excel（.xls）文件或设置了打开密码的工作簿，请在 Excel 中另存为不加密的 .xlsx 文件后再导入';
  }
  const notXlsx = '文件不是 Excel 工作簿（.xlsx），请使用导入模板，或在 Excel 中另存为 .xlsx 后再导入';
  if (buf.subarray(0, 2).toString('latin1') !== 'PK') return notXlsx;
  let unzipped = 0;
  let hasWorkbook = false;
  try {
    unzipSync(buf, {
      filter: (f) => {
        unzipped += f.originalSize;
        if (f.name === 'xl/workbook.xml') hasWorkbook = true;
        return false;
      },
    });
  } catch {
    return '文件已损坏，无法打开（不是完整的 .xlsx 文件）';
  }
  if (unzipped > MAX_UNZIPPED) return '文件解压后过大，请删除多余的内容或分成几个文件导入';
  return hasWorkbook ? null : notXlsx;
}

function sheetRows(ws: ExcelJS.Worksheet): SheetRow[] {
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    rows.push({
      row: rowNumber,
      width: row.cellCount,
      cell: (i) => {
        const c = row.getCell(i + 1);
        return { value: c.value, numFmt: c.numFmt };
      },
    });
  });
  return rows;
}

/** The 干部 and 材料 sheets by name; a workbook with neither is read by what its headers say. */
function pickSheets(wb: ExcelJS.Workbook): Partial<Record<ImportKind, ExcelJS.Worksheet>> {
  const picked: Partial<Record<ImportKind, ExcelJS.Worksheet>> = {};
  for (const kind of ['cadres', 'materials'] as const) {
    const ws = wb.worksheets.find((w) => w.name.trim() === SHEET_NAMES[kind]);
    if (ws) picked[kind] = ws;
  }
  if (picked.cadres || picked.materials) return picked;
  for (const ws of wb.worksheets) {
    const kind = guessKind(sheetRows(ws));
    if (kind && !picked[kind]) picked[kind] = ws;
  }
  return picked;
}

/**
 * Reads an import workbook into trimmed strings. A file that cannot be read at all (not an xlsx, a
 * broken zip, over 20 MB or 200,000 data rows) does not throw: it comes back as one problem on sheet 文件
 * with no rows. The workbook is loaded in memory, which the 20 MB bound keeps reasonable.
 */
export async function parseImportWorkbook(buf: Buffer, limits: ImportLimits = IMPORT_LIMITS): Promise<ParsedImport> {
  const out: ParsedImport = { cadres: [], materials: [], problems: [] };
  if (buf.length > limits.maxBytes) return { ...out, problems: [tooLarge(limits)] };
  const refusal = containerProblem(buf);
  if (refusal) return { ...out, problems: [fileProblem(refusal)] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    return { ...out, problems: [fileProblem('无法读取该 Excel 文件，文件可能已损坏；请在 Excel 中打开并另存为 .xlsx 后重试')] };
  }
  const sheets = pickSheets(wb);
  if (!sheets.cadres && !sheets.materials) {
    return { ...out, problems: [fileProblem('没有找到“干部”或“材料”工作表，请使用导入模板')] };
  }
  const rowCount = (sheets.cadres?.actualRowCount ?? 0) + (sheets.materials?.actualRowCount ?? 0);
  // Header rows are not data: one per sheet.
  const headers = (sheets.cadres ? 1 : 0) + (sheets.materials ? 1 : 0);
  if (rowCount - headers > limits.maxRows) return { ...out, problems: [tooManyRows(limits)] };
  if (sheets.cadres) {
    out.cadres = readTable(sheets.cadres.name, sheetRows(sheets.cadres), COLUMNS.cadres, out.problems) as RawCadreRow[];
  }
  if (sheets.materials) {
    out.materials = readTable(sheets.materials.name, sheetRows(sheets.materials), COLUMNS.materials, out.problems) as RawMaterialRow[];
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Exporting catalogues

const CATALOGUE_COLUMNS = [
  { header: '档案号', width: 16, style: { numFmt: '@' } },
  { header: '姓名', width: 10 },
  { header: '类号', width: 6, style: { numFmt: '@' } },
  { header: '序号', width: 9, style: { numFmt: '@' } },
  { header: '材料名称', width: 48 },
  { header: '年', width: 6 },
  { header: '月', width: 4 },
  { header: '日', width: 4 },
  { header: '份数', width: 6 },
  { header: '页数', width: 6 },
  { header: '备注', width: 20 },
];

const SUMMARY_COLUMNS = [
  { header: '档案号', width: 16, style: { numFmt: '@' } },
  { header: '姓名', width: 10 },
  { header: '工作单位', width: 30 },
  { header: '材料份数', width: 9 },
  { header: '份数合计', width: 9 },
  { header: '页数合计', width: 9 },
];

type SheetWriter = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>;

function startSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: typeof CATALOGUE_COLUMNS): SheetWriter {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns;
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  return ws;
}

function writeCatalogueRows(ws: SheetWriter, d: CataloguePrint): void {
  for (const cls of d.classes) {
    for (const m of cls.materials) {
      ws.addRow([d.dossierNo, d.cadreName, cls.code, m.seq, m.name, m.year, m.month, m.day, m.copies, m.pages, m.remark || null]).commit();
    }
  }
}

/**
 * Streams the catalogues of many dossiers into a workbook: sheet 目录 (a row per material, in the
 * order given) and sheet 汇总 (totals per dossier). Dossiers may come from a database cursor as an
 * async iterable; each row is committed as it is written, and only one line of totals per dossier
 * is kept for 汇总, so thousands of dossiers do not sit in memory.
 */
export function catalogueWorkbookStream(dossiers: Iterable<CataloguePrint> | AsyncIterable<CataloguePrint>): Readable {
  const out = new PassThrough();
  (async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = '档案管理系统';
    const catalogue = startSheet(wb, '目录', CATALOGUE_COLUMNS);
    const totals: [string, string, string, CatalogueTotals][] = [];
    for await (const d of dossiers) {
      writeCatalogueRows(catalogue, d);
      totals.push([d.dossierNo, d.cadreName, d.unitName, dossierTotals(d)]);
    }
    catalogue.commit();
    const summary = startSheet(wb, '汇总', SUMMARY_COLUMNS);
    const all: CatalogueTotals = { materials: 0, copies: 0, pages: 0 };
    for (const [no, name, unit, t] of totals) {
      summary.addRow([no, name, unit, t.materials, t.copies, t.pages]).commit();
      addTotals(all, t);
    }
    const last = summary.addRow([`合计（${totals.length} 卷）`, null, null, all.materials, all.copies, all.pages]);
    last.font = { bold: true };
    last.commit();
    summary.commit();
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

/** The same workbook in one Buffer, for a response that is small enough to hold. */
export async function exportCatalogueWorkbook(dossiers: CataloguePrint[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of catalogueWorkbookStream(dossiers)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
