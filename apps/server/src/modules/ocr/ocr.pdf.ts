import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { catalogueFont } from '../catalogue/io/catalogue.font.js';
import type { StoredLine } from './ocr.job.js';

/*
 * A searchable PDF: every page is its master image at its real size (pixels and dpi), with the OCR
 * lines laid over it as invisible text (`drawTextLayer`, shared with the reader's searchable export).
 */

type PDFDoc = InstanceType<typeof PDFDocument>;

export interface PdfPage {
  /** Reads the processed master (JPEG) when its page is drawn, so one master at a time is in memory. */
  master: () => Promise<Buffer>;
  /** The master's resolution; page size = pixels / dpi. */
  dpi: number;
  lines: StoredLine[];
}

const FONT = 'text';
/** The CJK face's em box fills about this share of a recognised line's box height. */
const EM_OF_BOX = 0.92;

export async function renderSearchablePdf(pages: PdfPage[], info: { title: string }): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: info.title, Creator: 'Dangan' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, catalogueFont('regular'));
  for (const page of pages) await addPage(doc, page);
  doc.end();
  return done;
}

async function addPage(doc: PDFDoc, page: PdfPage): Promise<void> {
  const master = await page.master();
  const meta = await sharp(master).metadata();
  const px = { w: meta.width ?? 1, h: meta.height ?? 1 };
  const k = 72 / (page.dpi > 0 ? page.dpi : 300); // points per master pixel
  const w = px.w * k;
  const h = px.h * k;
  doc.addPage({ size: [w, h], margin: 0 });
  doc.image(master, 0, 0, { width: w, height: h });
  drawTextLayer(doc, FONT, page.lines, { x: 0, y: 0, scale: k });
}

/** Where an image is drawn: its top left corner in points, and points per master pixel. */
export interface TextPlacement {
  x: number;
  y: number;
  scale: number;
}

/**
 * Lays OCR lines (boxes in master pixels) over an image drawn at `at` as invisible text (rendering mode 3):
 * each line in its box and stretched horizontally to the box's width, so a viewer's selection and search
 * land where the words are. `font` is a CJK face registered on the document.
 */
export function drawTextLayer(doc: PDFDoc, font: string, lines: StoredLine[], at: TextPlacement): void {
  if (lines.length === 0) return;
  const k = at.scale;
  doc.save();
  doc.addContent('3 Tr'); // invisible: neither filled nor stroked, but selectable and searchable
  doc.font(font);
  for (const line of lines) {
    const text = line.text.trim();
    if (!text) continue;
    const [x, y, bw, bh] = line.box;
    const size = Math.max(1, bh * k * EM_OF_BOX);
    doc.fontSize(size);
    const natural = doc.widthOfString(text);
    const scaling = natural > 0 ? Math.max(1, Math.min(1000, ((bw * k) / natural) * 100)) : 100;
    // Baseline 'top' puts the font's ascender at y; centre the em box in the line's box instead.
    const top = at.y + y * k + (bh * k - size) / 2;
    // pdfkit supports horizontalScaling (the Tz operator); its type definitions do not list it yet.
    const options: PDFKit.Mixins.TextOptions & { horizontalScaling: number } = { lineBreak: false, horizontalScaling: scaling, baseline: 'top' };
    doc.text(text, at.x + x * k, top, options);
  }
  doc.restore();
}
