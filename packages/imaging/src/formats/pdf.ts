import sharp from 'sharp';
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { ImagingError } from '../errors.js';
import { pageOutOfRange, problems } from './problems.js';
import { pdfHeaderOffset } from './sniff.js';
import type { FileLimits, Inspection, PageInfo, RawImage } from './types.js';

/**
 * PDF scans: each page's scanned image, taken at its native resolution from pdf.js' operator list (never
 * re-rendered). dpi = image pixels across / (width on the page in points / 72), from the transformation
 * matrix the image is painted with. Page /Rotate and images placed rotated or mirrored are turned upright.
 */

type PdfDoc = Awaited<ReturnType<typeof getDocumentProxy>>;
type PdfPage = Awaited<ReturnType<PdfDoc['getPage']>>;
type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
// pdf.js ImageKind
const GRAYSCALE_1BPP = 1;
const RGB_24BPP = 2;
const RGBA_32BPP = 3;

/** m1 applied first, then m2 (PDF row-vector convention: cm sets CTM' = M × CTM). */
function multiply(m: Matrix, ctm: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const [A, B, C, D, E, F] = ctm;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

/**
 * Decompression-bomb guard before pdf.js decodes anything: image XObjects are always top-level stream
 * objects whose dictionaries are never compressed (nor encrypted), so their /Width and /Height can be read
 * straight from the file. Returns the largest such image over the limit, if any.
 */
function oversizedImage(bytes: Buffer, limits: FileLimits): { width: number; height: number } | null {
  const text = bytes.toString('latin1');
  const subtype = /\/Subtype\s*\/Image\b/g;
  let worst: { width: number; height: number } | null = null;
  for (let match = subtype.exec(text); match; match = subtype.exec(text)) {
    const start = Math.max(text.lastIndexOf('obj', match.index), match.index - 4096, 0);
    const streamAt = text.indexOf('stream', match.index);
    const end = streamAt === -1 ? Math.min(text.length, match.index + 4096) : Math.min(streamAt, match.index + 4096);
    const dict = text.slice(start, end);
    const width = Number(/\/Width\s+(\d+)/.exec(dict)?.[1] ?? 0);
    const height = Number(/\/Height\s+(\d+)/.exec(dict)?.[1] ?? 0);
    if (width * height > limits.pixelLimit && (!worst || width * height > worst.width * worst.height)) worst = { width, height };
  }
  return worst;
}

function checkStructure(bytes: Buffer, limits: FileLimits): void {
  // Every complete PDF ends with %%EOF (possibly followed by a little whitespace or junk); a file cut short
  // during transfer does not, and pdf.js would silently "repair" it and lose pages.
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('latin1');
  if (!tail.includes('%%EOF') || pdfHeaderOffset(bytes) < 0) throw problems.corrupt(null, new Error('no %%EOF at the end of the PDF'));
  const bomb = oversizedImage(bytes, limits);
  if (bomb) throw problems.tooManyPixels(null, bomb.width, bomb.height, limits);
}

async function openPdf(bytes: Buffer, limits: FileLimits, strict: boolean): Promise<PdfDoc> {
  try {
    return await getDocumentProxy(new Uint8Array(bytes), {
      verbosity: 0,
      // Images over the limit (e.g. inline images the pre-scan cannot see) are dropped undecoded.
      maxImageSize: limits.pixelLimit,
      stopAtErrors: strict,
      isEvalSupported: false,
      disableFontFace: true,
    });
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === 'PasswordException') throw problems.encryptedPdf(error);
    throw problems.corrupt(null, error);
  }
}

interface Placed {
  objId: string | null;
  inline: { data: Uint8Array | Uint8ClampedArray; width: number; height: number; kind?: number } | null;
  mask: boolean;
  width: number;
  height: number;
  ctm: Matrix;
}

interface PageImage {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
  dpi: number | null;
}

let opsPromise: Promise<Record<string, number>> | null = null;
async function ops(): Promise<Record<string, number>> {
  opsPromise ??= getResolvedPDFJS().then((pdfjs) => pdfjs.OPS as unknown as Record<string, number>);
  return opsPromise;
}

/** The largest image painted on the page, with the matrix it is painted with. */
async function largestImage(page: PdfPage): Promise<Placed | null> {
  const OPS = await ops();
  const list = await page.getOperatorList();
  const stack: Matrix[] = [];
  let ctm: Matrix = IDENTITY;
  let best: Placed | null = null;
  const consider = (placed: Placed) => {
    if (!best || placed.width * placed.height > best.width * best.height) best = placed;
  };
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i];
    const args = (list.argsArray[i] ?? []) as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? IDENTITY;
    else if (fn === OPS.transform) ctm = multiply(args as Matrix, ctm);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const m = args[0] as ArrayLike<number> | null | undefined;
      if (m && m.length === 6) ctm = multiply(Array.from(m) as Matrix, ctm);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? IDENTITY;
    else if (fn === OPS.paintImageXObject) {
      consider({ objId: String(args[0]), inline: null, mask: false, width: Number(args[1]), height: Number(args[2]), ctm });
    } else if (fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject) {
      const img = args[0] as Placed['inline'];
      if (img && img.data && img.width && img.height) {
        consider({ objId: null, inline: img, mask: fn === OPS.paintImageMaskXObject, width: img.width, height: img.height, ctm });
      }
    }
  }
  return best;
}

async function imageData(page: PdfPage, objId: string): Promise<Placed['inline']> {
  const store = objId.startsWith('g_') ? page.commonObjs : page.objs;
  return await new Promise((resolve) => store.get(objId, resolve as (data: unknown) => void));
}

/** Unpacks 1-bit rows (1 = white, pdf.js' convention for both grey images and masks) to 0/255. */
function unpackBits(data: Uint8Array | Uint8ClampedArray, width: number, height: number): Buffer {
  const out = Buffer.allocUnsafe(width * height);
  const rowBytes = (width + 7) >> 3;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    const o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = (data[row + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
  }
  return out;
}

/** RGB where every pixel is grey (pdf.js widens DeviceGray JPEGs to RGB) back to one channel. */
function greyIfNeutral(rgb: Buffer): Buffer | null {
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return null;
  const grey = Buffer.allocUnsafe(rgb.length / 3);
  for (let i = 0, j = 0; j < grey.length; i += 3, j++) grey[j] = rgb[i]!;
  return grey;
}

type Fix = { rotate: 0 | 90 | 180 | 270; flop: boolean };

/**
 * How to turn the image's pixels so that they appear as on the displayed page: the image's column and row
 * directions on the page (from the CTM; row 0 is the top of the unit square), in display space (y down),
 * turned by the page's /Rotate.
 */
function orientation(ctm: Matrix, pageRotate: number): Fix {
  let u: [number, number] = [ctm[0], -ctm[1]];
  let v: [number, number] = [-ctm[2], ctm[3]];
  const turns = (((Math.round(pageRotate / 90) % 4) + 4) % 4);
  for (let t = 0; t < turns; t++) {
    u = [-u[1], u[0]];
    v = [-v[1], v[0]];
  }
  const horizontal = Math.abs(u[0]) >= Math.abs(u[1]);
  if (horizontal) {
    const right = u[0] > 0;
    const down = v[1] > 0;
    if (right && down) return { rotate: 0, flop: false };
    if (!right && down) return { rotate: 0, flop: true };
    if (right && !down) return { rotate: 180, flop: true }; // vertical mirror
    return { rotate: 180, flop: false };
  }
  const colsDown = u[1] > 0;
  const rowsRight = v[0] > 0;
  if (colsDown && !rowsRight) return { rotate: 90, flop: false };
  if (!colsDown && rowsRight) return { rotate: 270, flop: false };
  if (colsDown && rowsRight) return { rotate: 90, flop: true }; // transpose
  return { rotate: 270, flop: true };
}

async function applyFix(image: PageImage, fix: Fix): Promise<PageImage> {
  if (fix.rotate === 0 && !fix.flop) return image;
  const raw = { width: image.width, height: image.height, channels: image.channels };
  let out = await sharp(image.pixels, { raw }).rotate(fix.rotate).raw().toBuffer({ resolveWithObject: true });
  if (fix.flop) {
    const raw2 = { width: out.info.width, height: out.info.height, channels: image.channels };
    out = await sharp(out.data, { raw: raw2 }).flop().raw().toBuffer({ resolveWithObject: true });
  }
  return { ...image, pixels: out.data, width: out.info.width, height: out.info.height };
}

function dpiOf(placed: Placed): number | null {
  const widthPt = Math.hypot(placed.ctm[0], placed.ctm[1]);
  if (!(widthPt > 0)) return null;
  return Math.round((placed.width / (widthPt / 72)) * 10) / 10;
}

function orientedSize(placed: Placed, pageRotate: number): { width: number; height: number } {
  const fix = orientation(placed.ctm, pageRotate);
  return fix.rotate === 90 || fix.rotate === 270 ? { width: placed.height, height: placed.width } : { width: placed.width, height: placed.height };
}

async function extract(page: PdfPage, placed: Placed, pageIndex: number): Promise<PageImage> {
  const img = placed.inline ?? (await imageData(page, placed.objId!));
  if (!img || !img.data) throw problems.corrupt(pageIndex, new Error('pdf.js returned no pixel data for the page image'));
  const { width, height } = img;
  const data = img.data;
  let pixels: Buffer;
  let channels: 1 | 3;
  if (placed.mask || img.kind === GRAYSCALE_1BPP) {
    pixels = unpackBits(data, width, height);
    channels = 1;
  } else if (img.kind === RGB_24BPP || data.length === width * height * 3) {
    const rgb = Buffer.from(data.buffer, data.byteOffset, width * height * 3);
    const grey = greyIfNeutral(rgb);
    pixels = grey ?? Buffer.from(rgb); // copy: pdf.js keeps its own array until page.cleanup()
    channels = grey ? 1 : 3;
  } else if (img.kind === RGBA_32BPP || data.length === width * height * 4) {
    const rgba = Buffer.from(data.buffer, data.byteOffset, width * height * 4);
    const rgb = await sharp(rgba, { raw: { width, height, channels: 4 } }).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer();
    const grey = greyIfNeutral(rgb);
    pixels = grey ?? rgb;
    channels = grey ? 1 : 3;
  } else {
    throw problems.corrupt(pageIndex, new Error(`unexpected pdf.js image kind ${String(img.kind)}`));
  }
  return applyFix({ pixels, width, height, channels, dpi: dpiOf(placed) }, orientation(placed.ctm, page.rotate));
}

/**
 * The page's image, found strictly (pdf.js stops at errors) and, when that fails, leniently: an error in a
 * font of a text layer should not lose the scan, but an image that cannot be decoded is a corrupt file.
 */
async function withPage<T>(
  docs: { strict: PdfDoc; lenient: () => Promise<PdfDoc> },
  pageIndex: number,
  use: (page: PdfPage, placed: Placed) => Promise<T>,
): Promise<T> {
  let strictError: unknown = null;
  for (const which of ['strict', 'lenient'] as const) {
    const doc = which === 'strict' ? docs.strict : await docs.lenient();
    let page: PdfPage;
    try {
      page = await doc.getPage(pageIndex + 1);
    } catch (error) {
      throw problems.corrupt(pageIndex, error);
    }
    try {
      let placed: Placed | null;
      try {
        placed = await largestImage(page);
      } catch (error) {
        if (which === 'strict') {
          strictError = error;
          continue;
        }
        throw problems.corrupt(pageIndex, error);
      }
      if (!placed) {
        if (strictError) throw problems.corrupt(pageIndex, strictError);
        throw problems.pdfPageNoImage(pageIndex);
      }
      return await use(page, placed);
    } finally {
      page.cleanup();
    }
  }
  throw problems.corrupt(pageIndex, strictError);
}

async function withDocs<T>(bytes: Buffer, limits: FileLimits, use: (docs: { strict: PdfDoc; lenient: () => Promise<PdfDoc> }) => Promise<T>): Promise<T> {
  checkStructure(bytes, limits);
  const strict = await openPdf(bytes, limits, true);
  let lenient: PdfDoc | null = null;
  try {
    return await use({
      strict,
      lenient: async () => (lenient ??= await openPdf(bytes, limits, false)),
    });
  } catch (error) {
    if (error instanceof ImagingError || error instanceof RangeError) throw error;
    throw problems.corrupt(null, error);
  } finally {
    await strict.destroy();
    await (lenient as PdfDoc | null)?.destroy();
  }
}

export async function inspectPdf(bytes: Buffer, limits: FileLimits): Promise<Inspection> {
  return withDocs(bytes, limits, async (docs) => {
    const pageCount = docs.strict.numPages;
    if (pageCount < 1) throw problems.corrupt(null, new Error('PDF has no pages'));
    const pages: PageInfo[] = [];
    for (let i = 0; i < pageCount; i++) {
      pages.push(
        await withPage(docs, i, async (page, placed) => {
          // Make sure the pixels really arrived (pdf.js decodes them while building the operator list).
          if (!placed.inline) {
            const img = await imageData(page, placed.objId!);
            if (!img || !img.data) throw problems.corrupt(i, new Error('pdf.js returned no pixel data for the page image'));
          }
          return { ...orientedSize(placed, page.rotate), dpi: dpiOf(placed) };
        }),
      );
    }
    return { format: 'pdf', pageCount, pages };
  });
}

export async function decodePdfPage(bytes: Buffer, pageIndex: number, limits: FileLimits): Promise<RawImage> {
  return withDocs(bytes, limits, async (docs) => {
    const pageCount = docs.strict.numPages;
    if (pageIndex >= pageCount) throw pageOutOfRange(pageIndex, pageCount);
    return withPage(docs, pageIndex, async (page, placed) => {
      if (placed.width * placed.height > limits.pixelLimit) throw problems.tooManyPixels(pageIndex, placed.width, placed.height, limits);
      return extract(page, placed, pageIndex);
    });
  });
}
