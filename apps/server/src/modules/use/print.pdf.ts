import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { catalogueFont } from '../catalogue/io/catalogue.font.js';
import type { StoredLine } from '../ocr/ocr.job.js';
import { drawTextLayer } from '../ocr/ocr.pdf.js';

/*
 * A reader's print: A4 portrait, one watermarked page image per sheet, fitted between a header naming
 * the print serial number, the request, the reader and the time, and a footer 「第 n 页/共 N 页」. The
 * catalogue's embedded 思源宋体 is used, as a subset. A searchable export (an excerpt grant) lays the
 * page's OCR lines over the image as invisible text, mapped from master pixels to the fitted image.
 */

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 28;
const HEAD = 30;
const FOOT = 26;
const SIZE = 8.5;
const FONT = 'song';

export interface PrintSheet {
  image: Buffer;
  /** The page's OCR lines, in master pixels, and the master's width; absent on a plain print. */
  text?: { lines: StoredLine[]; masterWidth: number };
}

export interface PrintFacts {
  serialNo: string;
  requestNo: string;
  reader: string;
  /** YYYY-MM-DD HH:mm (北京时间). */
  time: string;
  dossierNo: string;
}

export async function printPdf(facts: PrintFacts, sheets: PrintSheet[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', margin: 0, autoFirstPage: false,
    info: { Title: `查阅打印 ${facts.serialNo}`, Author: facts.reader, Subject: `查阅申请 ${facts.requestNo}`, Creator: 'dangan' },
  });
  doc.registerFont(FONT, catalogueFont('regular'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const header = `打印流水号 ${facts.serialNo}\u3000查阅申请 ${facts.requestNo}\u3000档案号 ${facts.dossierNo}\u3000查阅人 ${facts.reader}\u3000打印时间 ${facts.time}`;
  const width = PAGE_W - 2 * MARGIN;
  const top = MARGIN + HEAD;
  const box = { x: MARGIN, y: top, w: width, h: PAGE_H - top - MARGIN - FOOT };
  for (const [i, sheet] of sheets.entries()) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.font(FONT).fontSize(SIZE).fillColor('#333333');
    doc.text(header, MARGIN, MARGIN, { width, align: 'left', lineBreak: false });
    doc.moveTo(MARGIN, MARGIN + 14).lineTo(PAGE_W - MARGIN, MARGIN + 14).lineWidth(0.5).strokeColor('#999999').stroke();
    const { width: px = 1, height: py = 1 } = await sharp(sheet.image).metadata();
    const image = fitted(px, py, box);
    doc.image(sheet.image, image.x, image.y, { width: image.w, height: image.h });
    if (sheet.text) drawTextLayer(doc, FONT, sheet.text.lines, { x: image.x, y: image.y, scale: image.w / sheet.text.masterWidth });
    doc.font(FONT).fontSize(SIZE).fillColor('#333333');
    doc.text(`${facts.serialNo}\u3000第 ${i + 1} 页/共 ${sheets.length} 页`, MARGIN, PAGE_H - MARGIN - 12, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An image of `px` × `py` pixels scaled to fit the box, keeping its proportions, centred in it. */
function fitted(px: number, py: number, box: Rect): Rect {
  const k = Math.min(box.w / px, box.h / py);
  const w = px * k;
  const h = py * k;
  return { x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h };
}
