import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImagingError, type ImagingErrorCode } from '../errors.js';
import { decodePage, inspectFile, sniffFormat, type FileLimits } from './index.js';

const limits: FileLimits = { maxBytes: 50 * 1024 * 1024, pixelLimit: 100_000_000 };
const W = 600;
const H = 400;

/** A page: white with a black block at a position that differs per `n`, so pages can be told apart. */
async function pageRgb(n: number, background = '#ffffff'): Promise<Buffer> {
  const x = 50 + n * 150;
  const svg = `<svg width="${W}" height="${H}"><rect x="${x}" y="100" width="100" height="100" fill="#000000"/></svg>`;
  return sharp({ create: { width: W, height: H, channels: 3, background } })
    .composite([{ input: Buffer.from(svg) }])
    .removeAlpha()
    .raw()
    .toBuffer();
}

const rawRgb = (pixels: Buffer) => sharp(pixels, { raw: { width: W, height: H, channels: 3 } });

function pixel(img: { pixels: Buffer; width: number; channels: number }, x: number, y: number): number[] {
  const at = (y * img.width + x) * img.channels;
  return [...img.pixels.subarray(at, at + img.channels)];
}

async function expectError(promise: Promise<unknown>, code: ImagingErrorCode): Promise<ImagingError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImagingError);
  const imaging = error as ImagingError;
  expect(imaging.code).toBe(code);
  expect(imaging.message).toMatch(/[\u4e00-\u9fff]/); // a Chinese message for the clerk
  return imaging;
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG whose header claims width × height greyscale pixels, with a few rows of real data. */
function craftedPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const rows = deflateSync(Buffer.alloc((width + 1) * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1-bit greyscale PNG (sharp only writes 1-bit PNGs as palettes), from 0/255 grey pixels. */
function oneBitPng(grey: Buffer, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8);
  const rowBytes = (width + 7) >> 3;
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x]! >= 128) raw[y * (rowBytes + 1) + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function makePdf(build: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  build(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

let pages: Buffer[] = [];
let jpeg: Buffer;
let png: Buffer;
beforeAll(async () => {
  pages = await Promise.all([0, 1, 2].map((n) => pageRgb(n)));
  jpeg = await rawRgb(pages[0]!).jpeg({ quality: 90 }).withMetadata({ density: 300 }).toBuffer();
  png = await rawRgb(pages[1]!).png().withMetadata({ density: 200 }).toBuffer();
});

describe('sniffFormat', () => {
  it('goes by content, not by name', async () => {
    expect(sniffFormat(jpeg)).toBe('jpeg');
    expect(sniffFormat(png)).toBe('png');
    expect(sniffFormat(await rawRgb(pages[0]!).tiff().toBuffer())).toBe('tiff');
    expect(sniffFormat(Buffer.from('%PDF-1.7\n...'))).toBe('pdf');
    expect(sniffFormat(Buffer.from('PK\x03\x04rest', 'latin1'))).toBeNull();
    expect(sniffFormat(Buffer.from('这不是图片'))).toBeNull();
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
  });
});

describe('JPEG and PNG', () => {
  it('decodes an RGB JPEG with its JFIF density', async () => {
    const info = await inspectFile(jpeg, limits);
    expect(info).toEqual({ format: 'jpeg', pageCount: 1, pages: [{ width: W, height: H, dpi: 300 }] });
    const img = await decodePage(jpeg, 0, limits);
    expect([img.width, img.height, img.channels, img.dpi]).toEqual([W, H, 3, 300]);
    expect(img.pixels.length).toBe(W * H * 3);
    expect(Math.max(...pixel(img, 100, 150))).toBeLessThan(40); // the black block
    expect(Math.min(...pixel(img, 10, 10))).toBeGreaterThan(215);
  });

  it('decodes a greyscale JPEG to one channel', async () => {
    const grey = await rawRgb(pages[0]!).toColourspace('b-w').jpeg().toBuffer();
    const img = await decodePage(grey, 0, limits);
    expect(img.channels).toBe(1);
    expect(img.pixels.length).toBe(W * H);
  });

  it('applies EXIF orientation 6 (rotate 90° clockwise)', async () => {
    const rotated = await rawRgb(pages[0]!).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const info = await inspectFile(rotated, limits);
    expect(info.pages[0]).toMatchObject({ width: H, height: W });
    const img = await decodePage(rotated, 0, limits);
    expect([img.width, img.height]).toEqual([H, W]);
    // Stored block at x 50..150, y 100..200; after 90° clockwise: x' = H-1-y, y' = x.
    expect(Math.max(...pixel(img, H - 1 - 150, 100))).toBeLessThan(40);
    expect(Math.min(...pixel(img, 150, 100))).toBeGreaterThan(215);
  });

  it('decodes PNG with pHYs density, greyscale PNG, and 16-bit PNG scaled to 8 bits', async () => {
    const img = await decodePage(png, 0, limits);
    expect([img.width, img.height, img.channels, img.dpi]).toEqual([W, H, 3, 200]);
    expect(pixel(img, 250, 150)).toEqual([0, 0, 0]);
    expect(pixel(img, 10, 10)).toEqual([255, 255, 255]);

    const grey = await rawRgb(pages[0]!).toColourspace('b-w').png().toBuffer();
    const g = await decodePage(grey, 0, limits);
    expect([g.channels, g.dpi, pixel(g, 100, 150)[0], pixel(g, 10, 10)[0]]).toEqual([1, null, 0, 255]);

    const rgb16 = await rawRgb(await pageRgb(0, '#808080')).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(rgb16).metadata()).depth).toBe('ushort');
    const d = await decodePage(rgb16, 0, limits);
    expect(d.channels).toBe(3);
    expect(d.pixels.length).toBe(W * H * 3);
    expect(pixel(d, 10, 10)).toEqual([128, 128, 128]);

    const grey16 = await rawRgb(await pageRgb(0, '#808080')).toColourspace('grey16').png().toBuffer();
    const g16 = await decodePage(grey16, 0, limits);
    expect([g16.channels, pixel(g16, 10, 10)[0], pixel(g16, 100, 150)[0]]).toEqual([1, 128, 0]);
  });

  it('flattens alpha onto white', async () => {
    const rgba = await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const img = await decodePage(rgba, 0, limits);
    expect(img.channels).toBe(3);
    expect(pixel(img, 5, 5)).toEqual([255, 255, 255]);
  });
});

describe('TIFF', () => {
  async function multiPage(compression: 'lzw' | 'deflate' | 'jpeg' | 'packbits'): Promise<Buffer> {
    return sharp(Buffer.concat(pages), { raw: { width: W, height: H * 3, channels: 3, pageHeight: H } })
      .tiff({ compression, xres: 300 / 25.4, yres: 300 / 25.4, resolutionUnit: 'cm' })
      .toBuffer();
  }

  for (const compression of ['lzw', 'deflate', 'jpeg', 'packbits'] as const) {
    it(`reads 3 different pages with ${compression} compression and resolution in cm`, async () => {
      const tiff = await multiPage(compression);
      const info = await inspectFile(tiff, limits);
      expect(info.format).toBe('tiff');
      expect(info.pageCount).toBe(3);
      expect(info.pages).toEqual([0, 1, 2].map(() => ({ width: W, height: H, dpi: 300 })));
      for (const n of [0, 1, 2]) {
        const img = await decodePage(tiff, n, limits);
        expect([img.width, img.height, img.channels, img.dpi]).toEqual([W, H, 3, 300]);
        // Each page has its block in a different place.
        for (const m of [0, 1, 2]) {
          const value = Math.max(...pixel(img, 100 + m * 150, 150));
          if (m === n) expect(value).toBeLessThan(40);
          else expect(value).toBeGreaterThan(215);
        }
      }
    });
  }

  it('reads bitonal CCITT G4 pages back as 0/255 grey with the right pixels', async () => {
    const bitonal = await rawRgb(pages[2]!).threshold(128).toColourspace('b-w').raw().toBuffer();
    const g4 = await sharp(bitonal, { raw: { width: W, height: H, channels: 1 } })
      .toColourspace('b-w')
      .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 300 / 25.4, yres: 300 / 25.4, resolutionUnit: 'inch' })
      .toBuffer();
    expect((await sharp(g4).metadata()).bitsPerSample).toBe(1);
    const info = await inspectFile(g4, limits);
    expect(info).toEqual({ format: 'tiff', pageCount: 1, pages: [{ width: W, height: H, dpi: 300 }] });
    const img = await decodePage(g4, 0, limits);
    expect([img.width, img.height, img.channels]).toEqual([W, H, 1]);
    expect(img.pixels.equals(bitonal)).toBe(true);
    expect(new Set(img.pixels)).toEqual(new Set([0, 255]));
  });

  it('rejects a page index past the end', async () => {
    await expect(decodePage(await multiPage('lzw'), 3, limits)).rejects.toThrow(RangeError);
  });
});

describe('PDF', () => {
  // Two scans at 300 dpi: a 1200 × 1650 colour JPEG on 288 × 396 pt and a 900 × 1200 greyscale PNG on 216 × 288 pt.
  let pdf: Buffer;
  let scanJpeg: Buffer;
  beforeAll(async () => {
    const svg = `<svg width="1200" height="1650"><rect x="100" y="100" width="200" height="200" fill="#000"/></svg>`;
    scanJpeg = await sharp({ create: { width: 1200, height: 1650, channels: 3, background: '#fff8f0' } })
      .composite([{ input: Buffer.from(svg) }])
      .removeAlpha()
      .jpeg({ quality: 92 })
      .toBuffer();
    const svg2 = `<svg width="900" height="1200"><rect x="700" y="1000" width="100" height="100" fill="#000"/></svg>`;
    const scanPng = await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#ffffff' } })
      .composite([{ input: Buffer.from(svg2) }])
      .removeAlpha()
      .toColourspace('b-w')
      .png()
      .toBuffer();
    pdf = await makePdf((doc) => {
      doc.addPage({ size: [288, 396], margin: 0 });
      doc.image(scanJpeg, 0, 0, { width: 288, height: 396 });
      doc.addPage({ size: [216, 288], margin: 0 });
      doc.image(scanPng, 0, 0, { width: 216, height: 288 });
      doc.addPage({ size: 'A4', margin: 50 });
      doc.text('This page has only text.');
    });
  });

  it('inspects every page: native image size and dpi from its size on the page', async () => {
    const scans = await makePdf((doc) => {
      doc.addPage({ size: [288, 396], margin: 0 });
      doc.image(scanJpeg, 0, 0, { width: 288, height: 396 });
      doc.addPage({ size: [576, 792], margin: 0 }); // the same scan drawn twice as large: 150 dpi
      doc.image(scanJpeg, 0, 0, { width: 576, height: 792 });
    });
    const info = await inspectFile(scans, limits);
    expect(info).toEqual({
      format: 'pdf',
      pageCount: 2,
      pages: [
        { width: 1200, height: 1650, dpi: 300 },
        { width: 1200, height: 1650, dpi: 150 },
      ],
    });
  });

  it('decodes each scan at its native resolution, not re-rendered', async () => {
    const one = await decodePage(pdf, 0, limits);
    expect([one.width, one.height, one.channels, one.dpi]).toEqual([1200, 1650, 3, 300]);
    expect(Math.max(...pixel(one, 200, 200))).toBeLessThan(40);
    expect(Math.min(...pixel(one, 600, 800))).toBeGreaterThan(215);
    const two = await decodePage(pdf, 1, limits);
    expect([two.width, two.height, two.channels, two.dpi]).toEqual([900, 1200, 1, 300]);
    expect(pixel(two, 750, 1050)[0]).toBeLessThan(40);
    expect(pixel(two, 100, 100)[0]).toBeGreaterThan(215);
  });

  it('reports a page with only text as having no scanned image', async () => {
    const error = await expectError(decodePage(pdf, 2, limits), 'PDF_PAGE_NO_IMAGE');
    expect(error.message).toContain('第 3 页');
    expect(error.message).toContain('没有扫描图像');
    await expectError(inspectFile(pdf, limits), 'PDF_PAGE_NO_IMAGE');
  });

  it('expands a 1-bit (bitonal) scan in a PDF to 0/255 grey', async () => {
    const bitonal = await rawRgb(pages[0]!).threshold(128).toColourspace('b-w').raw().toBuffer();
    const onebit = oneBitPng(bitonal, W, H);
    expect((await sharp(onebit).metadata()).bitsPerSample).toBe(1);
    const doc = await makePdf((d) => {
      d.addPage({ size: [(W * 72) / 400, (H * 72) / 400], margin: 0 });
      d.image(onebit, 0, 0, { width: (W * 72) / 400, height: (H * 72) / 400 });
    });
    const img = await decodePage(doc, 0, limits);
    expect([img.width, img.height, img.channels, img.dpi]).toEqual([W, H, 1, 400]);
    expect(img.pixels.equals(bitonal)).toBe(true);
  });

  it('turns an image placed rotated upright', async () => {
    const rotated = await makePdf((doc) => {
      doc.addPage({ size: [396, 288], margin: 0 });
      // Rotate 90° clockwise about the top-left corner, then shift right by the image's height.
      doc.save().translate(396, 0).rotate(90).image(scanJpeg, 0, 0, { width: 288, height: 396 }).restore();
    });
    const img = await decodePage(rotated, 0, limits);
    expect([img.width, img.height, img.dpi]).toEqual([1650, 1200, 300]);
    // Block at x 100..300, y 100..300 of the image; after 90° clockwise: x' = 1650-1-y, y' = x.
    expect(Math.max(...pixel(img, 1650 - 1 - 200, 200))).toBeLessThan(40);
    expect(Math.min(...pixel(img, 200, 200))).toBeGreaterThan(215);
  });

  it('rejects a truncated PDF as corrupt', async () => {
    await expectError(inspectFile(pdf.subarray(0, Math.floor(pdf.length * 0.7)), limits), 'IMAGE_CORRUPT');
    await expectError(decodePage(Buffer.from('%PDF-1.4\n%%EOF\n'), 0, limits), 'IMAGE_CORRUPT');
  });

  it('rejects an image over the pixel limit before pdf.js decodes it', async () => {
    const error = await expectError(decodePage(pdf, 0, { ...limits, pixelLimit: 1_000_000 }), 'IMAGE_TOO_MANY_PIXELS');
    expect(error.message).toContain('1200×1650');
  });
});

describe('bad input', () => {
  it('rejects truncated JPEG, PNG and TIFF as corrupt', async () => {
    const cut = (b: Buffer, f = 0.5) => b.subarray(0, Math.floor(b.length * f));
    for (const broken of [cut(jpeg), cut(jpeg, 0.9), cut(png)]) {
      const error = await expectError(inspectFile(broken, limits), 'IMAGE_CORRUPT');
      expect(error.message).toContain('文件已损坏或不完整');
      await expectError(decodePage(broken, 0, limits), 'IMAGE_CORRUPT');
    }
    const tiff = await rawRgb(pages[0]!).tiff({ compression: 'lzw' }).toBuffer();
    await expectError(inspectFile(cut(tiff), limits), 'IMAGE_CORRUPT');
    // Strip data corrupted but directory intact.
    const garbled = Buffer.from(tiff);
    garbled.fill(0xff, 16, Math.min(garbled.length - 400, 4000));
    await expectError(decodePage(garbled, 0, limits), 'IMAGE_CORRUPT');
  });

  it('rejects files that are not scans, whatever they are called', async () => {
    let seed = 42;
    const random = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff));
    await expectError(inspectFile(random, limits), 'IMAGE_UNSUPPORTED_TYPE');
    const text = await expectError(inspectFile(Buffer.from('张三 干部履历表\n出生年月：1970.01\n'), limits), 'IMAGE_UNSUPPORTED_TYPE'); // "照片.jpg"
    expect(text.message).toContain('文本文件');
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'), Buffer.alloc(100)]);
    const zipError = await expectError(decodePage(zip, 0, limits), 'IMAGE_UNSUPPORTED_TYPE');
    expect(zipError.message).toContain('ZIP');
  });

  it('rejects an empty file', async () => {
    const error = await expectError(inspectFile(Buffer.alloc(0), limits), 'IMAGE_EMPTY');
    expect(error.message).toContain('文件为空');
    await expectError(decodePage(Buffer.alloc(0), 0, limits), 'IMAGE_EMPTY');
  });

  it('rejects an oversized file before looking inside', async () => {
    const error = await expectError(inspectFile(jpeg, { ...limits, maxBytes: 1000 }), 'IMAGE_TOO_LARGE');
    expect(error.message).toContain('文件过大');
  });

  it('rejects a decompression bomb from its header, before decoding', async () => {
    const bomb = craftedPng(100_000, 100_000);
    expect(bomb.length).toBeLessThan(2000);
    const error = await expectError(inspectFile(bomb, limits), 'IMAGE_TOO_MANY_PIXELS');
    expect(error.message).toContain('100000×100000');
    await expectError(decodePage(bomb, 0, limits), 'IMAGE_TOO_MANY_PIXELS');
    // A real, tiny, highly compressed image that is too large for a tight limit.
    const big = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
    await expectError(decodePage(big, 0, { ...limits, pixelLimit: 10_000_000 }), 'IMAGE_TOO_MANY_PIXELS');
  });
});
