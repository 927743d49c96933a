import PDFDocument from 'pdfkit';
import { catalogueFont } from './catalogue.font.js';
import {
  addTotals,
  chinaDateText,
  classHeading,
  classOrdinal,
  totalsOf,
  totalsText,
  twoDigits,
  type CataloguePrint,
  type CataloguePrintClass,
  type CatalogueTotals,
} from './catalogue.print.js';

/*
 * The customary 干部档案目录 on A4 portrait: title, the cadre's name and 档案号 on every page, a ruled
 * table 类号 | 序号 | 材料名称 | 材料形成时间(年 月 日) | 份数 | 页数 | 备注 whose header repeats on every
 * page, a heading row per class and subclass, a subtotal per class and a grand total, and
 * 「第 N 页 共 M 页」 in the footer. A row is never split across pages and a heading is never left
 * alone at the foot of a page. The font is embedded as a subset, so the file stays small.
 *
 * The document has zero margins on purpose: this module places every line itself, and pdfkit then
 * never starts a page on its own.
 */

type PDFDoc = InstanceType<typeof PDFDocument>;

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 56.7; // 2 cm: the binding side
const RIGHT = 42.5;
const TOP = 36;
const BOTTOM = PAGE_H - 52;
const TABLE_W = PAGE_W - LEFT - RIGHT;

const SIZE = 10.5; // 五号
const SMALL = 9;
const PAD_X = 3;
const PAD_Y = 4;
const LINE_GAP = 1;
const MIN_ROW = 20;
const HEAD_ROWS = [20, 18];

const REGULAR = 'song';
const BOLD = 'song-bold';

type ColumnKey = 'code' | 'seq' | 'name' | 'year' | 'month' | 'day' | 'copies' | 'pages' | 'remark';

const FIXED_WIDTHS: Record<Exclude<ColumnKey, 'name'>, number> = {
  code: 34,
  seq: 48,
  year: 34,
  month: 22,
  day: 22,
  copies: 28,
  pages: 28,
  remark: 66,
};
const ORDER: ColumnKey[] = ['code', 'seq', 'name', 'year', 'month', 'day', 'copies', 'pages', 'remark'];
const WIDTHS: Record<ColumnKey, number> = {
  ...FIXED_WIDTHS,
  name: TABLE_W - Object.values(FIXED_WIDTHS).reduce((a, b) => a + b, 0),
};
const X: Record<ColumnKey, number> = (() => {
  const x = {} as Record<ColumnKey, number>;
  let at = LEFT;
  for (const k of ORDER) {
    x[k] = at;
    at += WIDTHS[k];
  }
  return x;
})();

interface Cell {
  from: ColumnKey;
  to: ColumnKey;
  text: string;
  align: 'left' | 'center' | 'right';
  bold?: boolean;
  size?: number;
}

interface Row {
  cells: Cell[];
  heading: boolean;
  fill?: string;
}

function cellWidth(c: Cell): number {
  return X[c.to] + WIDTHS[c.to] - X[c.from];
}

function textOptions(c: Cell) {
  return { width: cellWidth(c) - 2 * PAD_X, align: c.align, lineGap: LINE_GAP };
}

function useFont(doc: PDFDoc, c: { bold?: boolean; size?: number }): void {
  doc.font(c.bold ? BOLD : REGULAR).fontSize(c.size ?? SIZE);
}

function cellTextHeight(doc: PDFDoc, c: Cell): number {
  if (c.text === '') return 0;
  useFont(doc, c);
  return doc.heightOfString(c.text, textOptions(c));
}

function rowHeight(doc: PDFDoc, row: Row): number {
  const text = Math.max(...row.cells.map((c) => cellTextHeight(doc, c)));
  return Math.max(MIN_ROW, Math.ceil(text + 2 * PAD_Y));
}

function center(text: string, from: ColumnKey, to: ColumnKey = from): Cell {
  return { from, to, text, align: 'center' };
}

function headingRow(cls: CataloguePrintClass): Row {
  return {
    heading: true,
    fill: '#eeeeee',
    cells: [
      { ...center(cls.code, 'code'), bold: true },
      { from: 'seq', to: 'remark', text: classHeading(cls.code, cls.label), align: 'left', bold: true },
    ],
  };
}

function materialRows(cls: CataloguePrintClass): Row[] {
  return cls.materials.map((m) => ({
    heading: false,
    cells: [
      center(cls.code, 'code'),
      center(m.seq, 'seq'),
      { from: 'name', to: 'name', text: m.name, align: 'left' },
      center(m.year === null ? '' : String(m.year), 'year'),
      center(twoDigits(m.month), 'month'),
      center(twoDigits(m.day), 'day'),
      center(String(m.copies), 'copies'),
      center(String(m.pages), 'pages'),
      { from: 'remark', to: 'remark', text: m.remark, align: 'left', size: SMALL },
    ],
  }));
}

function totalRow(label: string, t: CatalogueTotals, strong: boolean): Row {
  return {
    heading: false,
    cells: [
      center('', 'code'),
      { from: 'seq', to: 'day', text: `${label}\u3000${totalsText(t)}`, align: 'right', bold: strong },
      { ...center(String(t.copies), 'copies'), bold: strong },
      { ...center(String(t.pages), 'pages'), bold: strong },
      center('', 'remark'),
    ],
  };
}

/** A class's materials and its 小计, or one row saying it has none. */
function classBody(cls: CataloguePrintClass, t: CatalogueTotals): Row[] {
  if (cls.materials.length === 0) {
    return [{ heading: false, cells: [center('', 'code'), center('（本类无材料）', 'seq', 'remark')] }];
  }
  return [...materialRows(cls), totalRow('小计', t, false)];
}

/** A top-level class with the subclasses that follow it. */
function families(classes: readonly CataloguePrintClass[]): CataloguePrintClass[][] {
  const out: CataloguePrintClass[][] = [];
  for (const cls of classes) {
    const last = out.at(-1);
    if (cls.isSubclass && last) last.push(cls);
    else out.push([cls]);
  }
  return out;
}

/**
 * The table body in print order: per class a heading, its materials and a 小计; a class with
 * subclasses gets a 小计 per subclass and a 「第四类合计」 after them; a 总计 closes the table.
 */
function catalogueRows(print: CataloguePrint): Row[] {
  const rows: Row[] = [];
  const grand: CatalogueTotals = { materials: 0, copies: 0, pages: 0 };
  for (const [parent, ...subclasses] of families(print.classes)) {
    const own = totalsOf(parent!.materials);
    rows.push(headingRow(parent!));
    if (subclasses.length === 0 || own.materials > 0) rows.push(...classBody(parent!, own));
    const family = { ...own };
    for (const sub of subclasses) {
      const t = totalsOf(sub.materials);
      rows.push(headingRow(sub), ...classBody(sub, t));
      addTotals(family, t);
    }
    if (subclasses.length > 0) rows.push(totalRow(`${classOrdinal(parent!.code)}合计`, family, true));
    addTotals(grand, family);
  }
  rows.push({ ...totalRow('总计', grand, true), fill: '#eeeeee' });
  return rows;
}

function hLine(doc: PDFDoc, y: number, x1 = LEFT, x2 = LEFT + TABLE_W): void {
  doc.moveTo(x1, y).lineTo(x2, y).stroke();
}

function vLine(doc: PDFDoc, x: number, y1: number, y2: number): void {
  doc.moveTo(x, y1).lineTo(x, y2).stroke();
}

function drawCellText(doc: PDFDoc, c: Cell, top: number, height: number): void {
  if (c.text === '') return;
  const textHeight = Math.min(cellTextHeight(doc, c), height - 2 * PAD_Y);
  useFont(doc, c);
  doc.text(c.text, X[c.from] + PAD_X, top + (height - textHeight) / 2, {
    ...textOptions(c),
    height: height - 2 * PAD_Y + 1,
    ellipsis: true,
  });
}

/*
 * Each rule is stroked once (a row draws its top rule and its cells' left rules; the page draws the
 * last bottom rule and a heavier frame), so shared edges do not print darker than the others.
 */
function drawRow(doc: PDFDoc, row: Row, top: number, height: number): void {
  if (row.fill) doc.rect(LEFT, top, TABLE_W, height).fill(row.fill).fillColor('black');
  hLine(doc, top);
  for (const c of row.cells) {
    vLine(doc, X[c.from], top, top + height);
    drawCellText(doc, c, top, height);
  }
}

function drawFrame(doc: PDFDoc, top: number, bottom: number): void {
  hLine(doc, bottom);
  doc.save().lineWidth(1.2).rect(LEFT, top, TABLE_W, bottom - top).stroke().restore();
}

function drawTableHeader(doc: PDFDoc, top: number): number {
  const [h1, h2] = HEAD_ROWS as [number, number];
  const bottom = top + h1 + h2;
  const bold = (c: Cell): Cell => ({ ...c, bold: true });
  for (const key of ['code', 'seq', 'name', 'copies', 'pages', 'remark'] as const) {
    vLine(doc, X[key], top, bottom);
    drawCellText(doc, bold(center(HEADER_LABELS[key], key)), top, h1 + h2);
  }
  drawCellText(doc, bold(center('材料形成时间', 'year', 'day')), top, h1);
  hLine(doc, top + h1, X.year, X.copies);
  for (const key of ['year', 'month', 'day'] as const) {
    if (key !== 'year') vLine(doc, X[key], top + h1, bottom);
    drawCellText(doc, bold(center(HEADER_LABELS[key], key)), top + h1, h2);
  }
  vLine(doc, X.year, top, bottom);
  return bottom;
}

const HEADER_LABELS: Record<ColumnKey, string> = {
  code: '类号',
  seq: '序号',
  name: '材料名称',
  year: '年',
  month: '月',
  day: '日',
  copies: '份数',
  pages: '页数',
  remark: '备注',
};

function drawPageHead(doc: PDFDoc, print: CataloguePrint): { tableTop: number; bodyTop: number } {
  doc.font(BOLD).fontSize(22).text('干部档案目录', LEFT, TOP, { width: TABLE_W, align: 'center', lineBreak: false });
  const y = TOP + 38;
  doc.font(REGULAR).fontSize(SIZE);
  const opts = { lineBreak: false, ellipsis: true } as const;
  doc.text(`姓名：${print.cadreName}`, LEFT, y, { ...opts, width: 130 });
  doc.text(`档案号：${print.dossierNo}`, LEFT + 134, y, { ...opts, width: 150 });
  doc.text(`单位：${print.unitName}`, LEFT + 288, y, { ...opts, width: TABLE_W - 288, align: 'right' });
  const tableTop = y + 20;
  return { tableTop, bodyTop: drawTableHeader(doc, tableTop) };
}

function drawFooters(doc: PDFDoc, print: CataloguePrint): void {
  const range = doc.bufferedPageRange();
  const y = PAGE_H - 38;
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.font(REGULAR).fontSize(SMALL);
    const opts = { lineBreak: false, width: TABLE_W / 3 } as const;
    doc.text(print.organizationName, LEFT, y, { ...opts, ellipsis: true });
    doc.text(`第 ${i + 1} 页 共 ${range.count} 页`, LEFT + TABLE_W / 3, y, { ...opts, align: 'center' });
    doc.text(`打印日期：${chinaDateText(print.printedAt)}`, LEFT + (2 * TABLE_W) / 3, y, { ...opts, align: 'right' });
  }
}

function layout(doc: PDFDoc, print: CataloguePrint): void {
  const rows = catalogueRows(print);
  const heights = rows.map((r) => rowHeight(doc, r));
  let { tableTop, bodyTop } = drawPageHead(doc, print);
  let y = bodyTop;
  const maxRow = BOTTOM - bodyTop;
  for (let i = 0; i < rows.length; i++) {
    const h = Math.min(heights[i]!, maxRow);
    // A heading keeps company with the rows under it down to the first non-heading row.
    let need = h;
    for (let j = i; rows[j]?.heading && j + 1 < rows.length; j++) need += Math.min(heights[j + 1]!, maxRow);
    if (y + need > BOTTOM && y > bodyTop) {
      drawFrame(doc, tableTop, y);
      doc.addPage();
      ({ tableTop, bodyTop } = drawPageHead(doc, print));
      y = bodyTop;
    }
    drawRow(doc, rows[i]!, y, h);
    y += h;
  }
  drawFrame(doc, tableTop, y);
}

/** Renders a dossier's catalogue (目录) as a PDF with the CJK font embedded as a subset. */
export async function renderCataloguePdf(input: CataloguePrint): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'portrait',
    margin: 0,
    bufferPages: true,
    info: {
      Title: `干部档案目录（${input.cadreName}，档案号 ${input.dossierNo}）`,
      Author: input.organizationName,
      Subject: '干部档案目录',
      Creator: '档案管理系统',
      CreationDate: input.printedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, catalogueFont('regular'));
  doc.registerFont(BOLD, catalogueFont('bold'));
  doc.lineWidth(0.6).strokeColor('black').fillColor('black');
  layout(doc, input);
  drawFooters(doc, input);
  doc.end();
  return done;
}
