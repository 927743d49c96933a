import PDFDocument from 'pdfkit';
import { catalogueFont } from '../catalogue/io/catalogue.font.js';

/*
 * A reader's print: A4 portrait, one watermarked page image per sheet, fitted between a header naming
 * the print serial number, the request, the reader and the time, and a footer 「第 n 页/共 N 页」. The
 * catalogue's embedded 思源宋体 is used, as a subset.
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
  sheets.forEach((sheet, i) => {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.font(FONT).fontSize(SIZE).fillColor('#333333');
    doc.text(header, MARGIN, MARGIN, { width, align: 'left', lineBreak: false });
    doc.moveTo(MARGIN, MARGIN + 14).lineTo(PAGE_W - MARGIN, MARGIN + 14).lineWidth(0.5).strokeColor('#999999').stroke();
    const top = MARGIN + HEAD;
    const height = PAGE_H - top - MARGIN - FOOT;
    doc.image(sheet.image, MARGIN, top, { fit: [width, height], align: 'center', valign: 'center' });
    doc.font(FONT).fontSize(SIZE).fillColor('#333333');
    doc.text(`${facts.serialNo}\u3000第 ${i + 1} 页/共 ${sheets.length} 页`, MARGIN, PAGE_H - MARGIN - 12, { width, align: 'center', lineBreak: false });
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
