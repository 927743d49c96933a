import PDFDocument from 'pdfkit';
import { catalogueFont } from '../catalogue/io/catalogue.font.js';
import { chinaDateText } from '../catalogue/io/catalogue.print.js';
import type { AcceptanceReport } from './report.model.js';

/*
 * The 验收报告 on A4 portrait with the catalogue's embedded 思源宋体: title, the batch's facts, scope,
 * per-dossier table (its header repeated on each page), sampling, pass rates, defects by type and by
 * operator, outstanding items, and a signature block for the four parties. The module places every
 * line itself (zero margins), as the catalogue print does.
 */

type PDFDoc = InstanceType<typeof PDFDocument>;

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 56.7;
const RIGHT = 42.5;
const TOP = 48;
const BOTTOM = PAGE_H - 60;
const WIDTH = PAGE_W - LEFT - RIGHT;
const SIZE = 10.5;
const SMALL = 9;
const PAD = 4;
const REGULAR = 'song';
const BOLD = 'song-bold';

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

class Flow {
  y = TOP;
  constructor(readonly doc: PDFDoc) {}

  room(height: number): void {
    if (this.y + height > BOTTOM) {
      this.doc.addPage();
      this.y = TOP;
    }
  }

  heading(text: string): void {
    this.room(40);
    this.y += 8;
    this.doc.font(BOLD).fontSize(12).text(text, LEFT, this.y, { width: WIDTH, lineBreak: false });
    this.y += 20;
  }

  paragraph(text: string, size = SIZE): void {
    this.doc.font(REGULAR).fontSize(size);
    const h = this.doc.heightOfString(text, { width: WIDTH });
    this.room(h + 4);
    this.doc.text(text, LEFT, this.y, { width: WIDTH });
    this.y += h + 4;
  }

  /** A ruled table; rows never split across pages and the header repeats after a break. */
  table(columns: Column[], rows: string[][]): void {
    const widths = scale(columns.map((c) => c.width));
    const heightOf = (cells: string[], bold: boolean) => {
      this.doc.font(bold ? BOLD : REGULAR).fontSize(SMALL);
      return Math.max(18, ...cells.map((t, i) => this.doc.heightOfString(t || ' ', { width: widths[i]! - 2 * PAD }) + 2 * PAD));
    };
    const header = columns.map((c) => c.title);
    const draw = (cells: string[], bold: boolean, fill?: string) => {
      const h = heightOf(cells, bold);
      let x = LEFT;
      if (fill) this.doc.rect(LEFT, this.y, WIDTH, h).fill(fill).fillColor('black');
      cells.forEach((t, i) => {
        const w = widths[i]!;
        this.doc.rect(x, this.y, w, h).stroke();
        this.doc.font(bold ? BOLD : REGULAR).fontSize(SMALL).text(t, x + PAD, this.y + PAD, { width: w - 2 * PAD, align: bold ? 'center' : (columns[i]!.align ?? 'left') });
        x += w;
      });
      this.y += h;
    };
    this.room(heightOf(header, true) + (rows[0] ? heightOf(rows[0], false) : 0));
    draw(header, true, '#eeeeee');
    for (const r of rows) {
      const h = heightOf(r, false);
      if (this.y + h > BOTTOM) {
        this.doc.addPage();
        this.y = TOP;
        draw(header, true, '#eeeeee');
      }
      draw(r, false);
    }
    this.y += 6;
  }

  pairs(pairs: [string, string][]): void {
    this.table([{ title: '项目', width: 1 }, { title: '内容', width: 3.2 }], pairs.map(([k, v]) => [k, v]));
  }
}

function scale(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (w / total) * WIDTH);
}

function signatures(flow: Flow, parties: string[]): void {
  flow.heading('签字');
  const boxH = 70;
  flow.room(boxH * 2 + 10);
  const w = WIDTH / 2;
  parties.forEach((party, i) => {
    const x = LEFT + (i % 2) * w;
    const y = flow.y + Math.floor(i / 2) * boxH;
    flow.doc.rect(x, y, w, boxH).stroke();
    flow.doc.font(BOLD).fontSize(SIZE).text(`${party}（签字）：`, x + 8, y + 10, { width: w - 16, lineBreak: false });
    flow.doc.font(REGULAR).fontSize(SIZE).text('日期：　　　年　　月　　日', x + 8, y + boxH - 24, { width: w - 16, lineBreak: false });
  });
  flow.y += boxH * Math.ceil(parties.length / 2) + 6;
}

function footers(doc: PDFDoc, report: AcceptanceReport): void {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.font(REGULAR).fontSize(SMALL);
    const opts = { lineBreak: false, width: WIDTH / 3 } as const;
    const y = PAGE_H - 40;
    doc.text(report.organizationName, LEFT, y, { ...opts, ellipsis: true });
    doc.text(`第 ${i + 1} 页 共 ${range.count} 页`, LEFT + WIDTH / 3, y, { ...opts, align: 'center' });
    doc.text(`生成日期：${chinaDateText(report.generatedAt)}`, LEFT + (2 * WIDTH) / 3, y, { ...opts, align: 'right' });
  }
}

export async function renderAcceptancePdf(report: AcceptanceReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', layout: 'portrait', margin: 0, bufferPages: true,
    info: { Title: `${report.title}（${report.facts[0]![1]}）`, Author: report.organizationName, Subject: report.title, Creator: '档案管理系统', CreationDate: report.generatedAt },
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
  const flow = new Flow(doc);
  doc.font(BOLD).fontSize(20).text(report.title, LEFT, flow.y, { width: WIDTH, align: 'center', lineBreak: false });
  flow.y += 40;

  flow.heading('一、批次概况');
  flow.pairs(report.facts);
  flow.heading('二、加工范围');
  const s = report.scope;
  flow.paragraph(`档案 ${s.dossiers} 卷，目录材料 ${s.materials} 份、${s.pages} 页；已扫描 ${s.scannedPages} 页。`);
  flow.table(
    [
      { title: '档案号', width: 1.3 }, { title: '姓名', width: 0.9 }, { title: '份数', width: 0.6, align: 'right' },
      { title: '目录页数', width: 0.8, align: 'right' }, { title: '扫描页数', width: 0.8, align: 'right' }, { title: '当前环节', width: 1.2 },
      { title: '自动校验', width: 0.9 }, { title: '抽检', width: 1.1 }, { title: '质检结论', width: 1.4 },
    ],
    report.dossiers.map((d) => [d.dossierNo, d.cadreName, String(d.materials), String(d.pages), String(d.scannedPages), d.stage, d.check, d.sample, d.verdicts]),
  );
  flow.heading('三、质量抽检');
  flow.pairs(report.sampling);
  flow.heading('四、合格率');
  flow.pairs(report.passRates);
  flow.heading('五、缺陷统计');
  flow.table([{ title: '缺陷类型', width: 2 }, { title: '处数', width: 1, align: 'right' }], report.defectsByType.map(([k, n]) => [k, String(n)]));
  flow.table(
    [{ title: '加工人员', width: 2 }, { title: '缺陷处数', width: 1, align: 'right' }],
    report.defectsByOperator.length > 0 ? report.defectsByOperator.map(([k, n]) => [k, String(n)]) : [['（无缺陷）', '0']],
  );
  flow.heading('六、未完成事项');
  if (report.outstanding.length === 0) flow.paragraph('无。');
  report.outstanding.forEach((t, i) => flow.paragraph(`${i + 1}. ${t}`));
  signatures(flow, report.signatures);
  footers(doc, report);
  doc.end();
  return done;
}
