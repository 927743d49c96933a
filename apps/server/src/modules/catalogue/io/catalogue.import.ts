/**
 * What an import file holds, column by column, and how its cells become the text a clerk would have
 * typed. Shared by the Excel and CSV readers and by the template. Nothing here validates the domain
 * meaning (dates, ID check digits, class codes): that happens after parsing, on these strings.
 */

export interface RawCadreRow {
  /** The row number as the spreadsheet shows it (the header is usually row 1). */
  row: number;
  dossierNo: string;
  name: string;
  gender: string;
  birthDate: string;
  idNumber: string;
  ethnicity: string;
  nativePlace: string;
  politicalStatus: string;
  partyJoinDate: string;
  workStartDate: string;
  education: string;
  position: string;
  unitCode: string;
  personnelStatus: string;
}

export interface RawMaterialRow {
  row: number;
  dossierNo: string;
  classCode: string;
  pieceNo: string;
  name: string;
  date: string;
  copies: string;
  pages: string;
  remark: string;
}

export interface ImportProblem {
  /** The worksheet's name (干部, 材料), or 文件 for a problem with the whole file. */
  sheet: string;
  /** Spreadsheet row number; 0 for the whole file or sheet. */
  row: number;
  /** The column title, or '' when the problem is not about one column. */
  column: string;
  reason: string;
}

export interface ParsedImport {
  cadres: RawCadreRow[];
  materials: RawMaterialRow[];
  problems: ImportProblem[];
}

export type ImportKind = 'cadres' | 'materials';

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
}

export const IMPORT_LIMITS: ImportLimits = { maxBytes: 20 * 1024 * 1024, maxRows: 200_000 };

export const SHEET_NAMES: Record<ImportKind, string> = { cadres: '干部', materials: '材料' };

export const FILE_SHEET = '文件';

/**
 * How a column's cells are read. `date`: a date cell becomes 2003.05.07 (or 2003.05 when the cell
 * shows no day). `id`: a number is refused when Excel has already lost digits. `classCode`: a cell
 * Excel turned into a date (it reads 「4-1」 as 1 April) is turned back into 4-1.
 */
export type CellKind = 'text' | 'code' | 'date' | 'id' | 'classCode' | 'count';

export interface ColumnSpec<K extends string> {
  key: K;
  title: string;
  required: boolean;
  kind: CellKind;
  /** Other titles clerks use for the same column. */
  aliases?: string[];
  width: number;
  help: string;
  examples: [string, string];
}

type CadreKey = Exclude<keyof RawCadreRow, 'row'>;
type MaterialKey = Exclude<keyof RawMaterialRow, 'row'>;

const DATE_HELP = '文本，写成 年.月.日（如 1975.03.12）；只知年月写 1975.03，只知年份写 1975';

export const CADRE_COLUMNS: ColumnSpec<CadreKey>[] = [
  { key: 'dossierNo', title: '档案号', required: true, kind: 'code', width: 16, help: '档案的编号，在本系统中唯一；按文本填写，前导零会保留', examples: ['0100123', '0100124'] },
  { key: 'name', title: '姓名', required: true, kind: 'text', width: 10, help: '干部姓名', examples: ['张明华', '李秀英'] },
  { key: 'gender', title: '性别', required: false, kind: 'text', width: 6, help: '男 或 女', examples: ['男', '女'] },
  { key: 'birthDate', title: '出生日期', required: false, kind: 'date', width: 12, help: DATE_HELP, examples: ['1975.03.12', '1980.11'] },
  { key: 'idNumber', title: '公民身份号码', required: false, kind: 'id', aliases: ['身份证号码', '身份证号', '公民身份证号码', '身份号码'], width: 21, help: '18 位公民身份号码，末位可以是 X；必须按文本填写，否则 Excel 会把后几位变成 0', examples: ['110105197503120018', '32010219801105002X'] },
  { key: 'ethnicity', title: '民族', required: false, kind: 'text', width: 8, help: '如 汉族、回族', examples: ['汉族', '回族'] },
  { key: 'nativePlace', title: '籍贯', required: false, kind: 'text', width: 14, help: '如 江苏南京', examples: ['江苏南京', '山东济南'] },
  { key: 'politicalStatus', title: '政治面貌', required: false, kind: 'text', width: 10, help: '如 中共党员、群众', examples: ['中共党员', '群众'] },
  { key: 'partyJoinDate', title: '入党时间', required: false, kind: 'date', width: 12, help: DATE_HELP, examples: ['1998.07.01', ''] },
  { key: 'workStartDate', title: '参加工作时间', required: false, kind: 'date', width: 13, help: DATE_HELP, examples: ['1996.08', '2003.07'] },
  { key: 'education', title: '学历', required: false, kind: 'text', width: 10, help: '最高学历，按学历代码表（GB/T 4658）填写，如 大学本科毕业、硕士研究生毕业', examples: ['硕士研究生毕业', '大学本科毕业'] },
  { key: 'position', title: '现工作单位及职务', required: false, kind: 'text', aliases: ['工作单位及职务', '现任职务'], width: 30, help: '如 某市发展和改革委员会副主任', examples: ['某某市发展和改革委员会副主任', '某某市财政局预算科科长'] },
  { key: 'unitCode', title: '管理单位代码', required: true, kind: 'code', width: 14, help: '干部所属管理单位在本系统中的代码（见“单位管理”）', examples: ['A01', 'A01'] },
  { key: 'personnelStatus', title: '人员状态', required: false, kind: 'text', width: 10, help: '如 在职、退休、调出、去世；不填视为在职', examples: ['在职', '在职'] },
];

export const MATERIAL_COLUMNS: ColumnSpec<MaterialKey>[] = [
  { key: 'dossierNo', title: '档案号', required: true, kind: 'code', width: 16, help: '材料所属档案的档案号，须与“干部”表或系统中已有的档案一致', examples: ['0100123', '0100123'] },
  { key: 'classCode', title: '类号', required: true, kind: 'classCode', aliases: ['类别号', '类别'], width: 8, help: '从下拉列表选择：1～10，第四类、第九类写到小类（4-1～4-4、9-1～9-4）', examples: ['1', '4-1'] },
  { key: 'pieceNo', title: '份号', required: false, kind: 'code', width: 8, help: '材料在本类（小类）中的顺序号；可以不填，不填时由系统按排序规则计算', examples: ['', '3'] },
  { key: 'name', title: '材料名称', required: true, kind: 'text', width: 40, help: '材料的规范名称', examples: ['干部履历表', '大学本科毕业生登记表'] },
  { key: 'date', title: '材料形成时间', required: false, kind: 'date', aliases: ['形成时间', '材料制成时间', '制成时间'], width: 14, help: DATE_HELP, examples: ['1999.06.10', '1995.06'] },
  { key: 'copies', title: '份数', required: false, kind: 'count', width: 6, help: '整数，不填视为 1', examples: ['1', '1'] },
  { key: 'pages', title: '页数', required: false, kind: 'count', width: 6, help: '整数，不含封面、封底和衬纸', examples: ['8', '4'] },
  { key: 'remark', title: '备注', required: false, kind: 'text', width: 20, help: '如 复印件', examples: ['', '复印件'] },
];

export const COLUMNS = { cadres: CADRE_COLUMNS, materials: MATERIAL_COLUMNS } as const;

/** A header as it may be typed: with the required mark, spaces, or a hint in brackets. */
export function normalizeTitle(title: string): string {
  return title
    .replace(/[\s\u3000*＊]/g, '')
    .replace(/[（(][^）)]*[）)]$/, '');
}

/** A cell as the readers see it: the value and, for spreadsheets, the number format it shows with. */
export interface SheetCell {
  value: unknown;
  numFmt?: string;
}

export interface SheetRow {
  row: number;
  width: number;
  cell(index: number): SheetCell;
}

interface CellText {
  text: string;
  reason?: string;
}

const ID_AS_NUMBER = '身份号码被 Excel 转成了数字，请将该列设为文本后重新填写';
const SCIENTIFIC = /^\d+(?:\.\d+)?E\+?\d+$/i;

function numberText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** What the number format shows of a date: a format without a day shows a month, and so on. */
function dateText(d: Date, numFmt: string | undefined): string {
  const shown = (numFmt ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').toLowerCase();
  const y = String(d.getUTCFullYear());
  const m = pad2(d.getUTCMonth() + 1);
  if (shown && !shown.includes('d') && shown.includes('m')) return `${y}.${m}`;
  if (shown && !shown.includes('d') && !shown.includes('m') && shown.includes('y')) return y;
  return `${y}.${m}.${pad2(d.getUTCDate())}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof Date);
}

function numberCellText(n: number, kind: CellKind): CellText {
  if (kind === 'id' && !(Number.isInteger(n) && n < 1e15)) return { text: numberText(n), reason: ID_AS_NUMBER };
  const text = numberText(n);
  if (kind === 'date' && /^\d{4}\.\d$/.test(text)) {
    const ambiguous = `“${text}”被 Excel 当作数字保存，分不清是 ${text.slice(-1)} 月还是 ${text.slice(-1)}0 月，请将该列设为文本后重新填写`;
    return { text, reason: ambiguous };
  }
  return { text };
}

function dateCellText(d: Date, kind: CellKind, numFmt: string | undefined): CellText {
  if (Number.isNaN(d.getTime())) return { text: '', reason: '日期无法识别' };
  if (kind === 'classCode') return { text: `${d.getUTCMonth() + 1}-${d.getUTCDate()}` };
  if (kind === 'date') return { text: dateText(d, numFmt) };
  return { text: dateText(d, numFmt), reason: '此列应为文本，单元格却是日期，请将该列设为文本后重新填写' };
}

/** The text a clerk would have typed for a cell value as exceljs (or a CSV reader) gives it. */
export function cellText(cell: SheetCell, kind: CellKind): CellText {
  const v = cell.value;
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') {
    const text = v.trim();
    return kind === 'id' && SCIENTIFIC.test(text) ? { text, reason: ID_AS_NUMBER } : { text };
  }
  if (typeof v === 'number') return numberCellText(v, kind);
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return dateCellText(v, kind, cell.numFmt);
  if (isRecord(v)) {
    if (Array.isArray(v.richText)) {
      return cellText({ value: v.richText.map((r: { text?: unknown }) => String(r.text ?? '')).join('') }, kind);
    }
    if ('formula' in v || 'sharedFormula' in v) {
      if (v.result === undefined) return { text: '', reason: '公式没有计算结果，请在 Excel 中打开、保存后重新导入' };
      return cellText({ value: v.result, numFmt: cell.numFmt }, kind);
    }
    if (typeof v.error === 'string') return { text: '', reason: `单元格是错误值 ${v.error}` };
    if ('text' in v) return cellText({ value: v.text, numFmt: cell.numFmt }, kind);
  }
  return { text: String(v).trim() };
}

const HEADER_SCAN_ROWS = 10;

interface HeaderMatch {
  row: number;
  indexOf: Map<string, number>;
}

function titleIndex<K extends string>(columns: ColumnSpec<K>[]): Map<string, ColumnSpec<K>> {
  const byTitle = new Map<string, ColumnSpec<K>>();
  for (const c of columns) for (const t of [c.title, ...(c.aliases ?? [])]) byTitle.set(normalizeTitle(t), c);
  return byTitle;
}

/** The header row among the first rows: the one naming the most known columns. */
function findHeader<K extends string>(rows: SheetRow[], columns: ColumnSpec<K>[], sheet: string, problems: ImportProblem[]): HeaderMatch | null {
  const byTitle = titleIndex(columns);
  let best: HeaderMatch | null = null;
  let bestDuplicates: string[] = [];
  for (const r of rows.slice(0, HEADER_SCAN_ROWS)) {
    const indexOf = new Map<string, number>();
    const duplicates: string[] = [];
    for (let i = 0; i < r.width; i++) {
      const spec = byTitle.get(normalizeTitle(cellText(r.cell(i), 'text').text));
      if (!spec) continue;
      if (indexOf.has(spec.key)) duplicates.push(spec.title);
      else indexOf.set(spec.key, i);
    }
    if (indexOf.size > (best?.indexOf.size ?? 1)) {
      best = { row: r.row, indexOf };
      bestDuplicates = duplicates;
    }
  }
  if (!best) {
    const reason = `没有找到列名行：第一行应为列名（如“${columns[0]!.title}”“${columns[1]!.title}”），请使用导入模板`;
    problems.push({ sheet, row: 0, column: '', reason });
    return null;
  }
  for (const title of bestDuplicates) problems.push({ sheet, row: best.row, column: title, reason: `列“${title}”出现了不止一次` });
  return best;
}

/**
 * Reads one table: finds the header by its titles (any order, `*` and spaces ignored), reports
 * missing required columns, and turns every non-empty row after it into trimmed strings.
 */
export function readTable<K extends string>(
  sheet: string,
  rows: SheetRow[],
  columns: ColumnSpec<K>[],
  problems: ImportProblem[],
): ({ row: number } & Record<K, string>)[] {
  const header = findHeader(rows, columns, sheet, problems);
  if (!header) return [];
  const missing = columns.filter((c) => c.required && !header.indexOf.has(c.key));
  for (const c of missing) problems.push({ sheet, row: header.row, column: c.title, reason: `缺少必填列“${c.title}”` });
  if (missing.length > 0) return [];
  const out: ({ row: number } & Record<K, string>)[] = [];
  for (const r of rows) {
    if (r.row <= header.row) continue;
    const record = { row: r.row } as { row: number } & Record<K, string>;
    let empty = true;
    for (const c of columns) {
      const index = header.indexOf.get(c.key);
      const { text, reason } = index === undefined ? { text: '' } : cellText(r.cell(index), c.kind);
      (record as Record<K, string>)[c.key] = text;
      if (text !== '' || reason) empty = false;
      if (reason) problems.push({ sheet, row: r.row, column: c.title, reason });
    }
    if (!empty) out.push(record);
  }
  return out;
}

/** For a sheet not named 干部 or 材料: what its header row says it holds. */
export function guessKind(rows: SheetRow[]): ImportKind | null {
  const titles = new Set<string>();
  for (const r of rows.slice(0, HEADER_SCAN_ROWS)) {
    for (let i = 0; i < r.width; i++) titles.add(normalizeTitle(cellText(r.cell(i), 'text').text));
  }
  if (titles.has('材料名称')) return 'materials';
  if (titles.has('姓名')) return 'cadres';
  return null;
}

export function fileProblem(reason: string): ImportProblem {
  return { sheet: FILE_SHEET, row: 0, column: '', reason };
}

export function tooLarge(limits: ImportLimits): ImportProblem {
  return fileProblem(`文件超过 ${Math.round(limits.maxBytes / 1024 / 1024)} MB，请分成几个文件导入`);
}

export function tooManyRows(limits: ImportLimits): ImportProblem {
  return fileProblem(`数据超过 ${limits.maxRows.toLocaleString('en-US')} 行，请分成几个文件导入`);
}
