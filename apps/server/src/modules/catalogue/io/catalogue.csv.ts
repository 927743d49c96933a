import { CsvError, parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import {
  COLUMNS,
  IMPORT_LIMITS,
  SHEET_NAMES,
  fileProblem,
  guessKind,
  readTable,
  tooLarge,
  tooManyRows,
  type ImportKind,
  type ImportLimits,
  type ParsedImport,
  type RawCadreRow,
  type RawMaterialRow,
  type SheetRow,
} from './catalogue.import.js';

/**
 * CSV as clerks produce it: Excel's "CSV UTF-8" (with a BOM), plain "CSV" on a Chinese Windows
 * (GB18030/GBK), "Unicode text" (UTF-16 with tabs), or a UTF-8 file from elsewhere. Text that is not
 * valid UTF-8 is read as GB18030, which covers GBK and GB2312.
 */
export function decodeCsv(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf-16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gb18030');
  }
}

/** Tab when the first line has more tabs than commas (Excel's text export), comma otherwise. */
function delimiterOf(text: string): ',' | '\t' {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => first.split(c).length - 1;
  return count('\t') > count(',') ? '\t' : ',';
}

function csvProblem(err: CsvError): string {
  const line = (err as CsvError & { lines?: number }).lines;
  const where = line ? `第 ${line} 行附近` : '';
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return `${where}的引号没有配对，请检查该行的英文双引号`;
  return `${where}的 CSV 格式有误，无法读取`;
}

/**
 * Reads one CSV file holding one table, cadres or materials, with the same columns as the template's
 * sheet of that name. Like the workbook reader it never throws for a bad file: the reason comes back
 * as a problem on sheet 文件. Row numbers count lines as Excel shows them (the header is row 1).
 */
export function parseImportCsv(buf: Buffer, kind: ImportKind, limits: ImportLimits = IMPORT_LIMITS): ParsedImport {
  const out: ParsedImport = { cadres: [], materials: [], problems: [] };
  if (buf.length > limits.maxBytes) return { ...out, problems: [tooLarge(limits)] };
  const text = decodeCsv(buf);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) return { ...out, problems: [fileProblem(csvProblem(err))] };
    throw err;
  }
  const dataRows = records.filter((r) => r.some((c) => c.trim() !== '')).length - 1;
  if (dataRows > limits.maxRows) return { ...out, problems: [tooManyRows(limits)] };
  const rows: SheetRow[] = records.map((r, i) => ({ row: i + 1, width: r.length, cell: (c) => ({ value: r[c] ?? '' }) }));
  const sheet = SHEET_NAMES[kind];
  const holds = guessKind(rows);
  if (holds && holds !== kind) {
    return { ...out, problems: [fileProblem(`文件里是“${SHEET_NAMES[holds]}”表，不是“${sheet}”表，请选择正确的导入类型`)] };
  }
  if (kind === 'cadres') out.cadres = readTable(sheet, rows, COLUMNS.cadres, out.problems) as RawCadreRow[];
  else out.materials = readTable(sheet, rows, COLUMNS.materials, out.problems) as RawMaterialRow[];
  return out;
}
