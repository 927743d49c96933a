import sharp from 'sharp';
import { LOOK_SIZE, type PageLook } from '@dangan/domain';
import type { BlobPort } from '../scans/scans.ports.js';

/** What the duplicate check needs of the image library: a page's look from its stored web image. */
export interface PageLookPort {
  /** Null when the page has too little ink to compare. */
  look(webBlobId: string): Promise<PageLook | null>;
}

/** Width the web image is decoded at (libjpeg shrinks while decoding, so this is cheap). */
const WORK_WIDTH = 400;
/** Ink mass trimmed off each side of the ink box, so a speck of dust does not move it. */
const BOX_TRIM = 0.01;
/** Paper and ink closer than this (grey levels) leave nothing to compare. */
const MIN_CONTRAST = 40;

export function pageLookPort(blobs: BlobPort): PageLookPort {
  return {
    async look(webBlobId) {
      const bytes = await blobs.get(webBlobId);
      const { data, info } = await sharp(bytes)
        .resize({ width: WORK_WIDTH, withoutEnlargement: true, kernel: 'linear' })
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return lookOf(data, info.width, info.height);
    },
  };
}

/**
 * Ink on a 0–255 scale from the page's own paper (median grey) and ink (0.5th percentile) levels, boxed
 * by where the ink mass lies, stretched to a `LOOK_SIZE`² grid.
 */
async function lookOf(grey: Buffer, width: number, height: number): Promise<PageLook | null> {
  const hist = new Uint32Array(256);
  for (const v of grey) hist[v]!++;
  let acc = 0;
  let inkLevel = -1;
  let paper = 255;
  for (let i = 0; i < 256; i++) {
    acc += hist[i]!;
    if (inkLevel < 0 && acc >= grey.length * 0.005) inkLevel = i;
    if (acc * 2 >= grey.length) {
      paper = i;
      break;
    }
  }
  const range = paper - inkLevel;
  if (range < MIN_CONTRAST) return null;
  const ink = Buffer.alloc(grey.length);
  const cols = new Float64Array(width);
  const rows = new Float64Array(height);
  let total = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = Math.min(255, Math.max(0, Math.round((255 * (paper - grey[i]!)) / range)));
      ink[i] = v;
      // Only clear ink places the box: paper grain and faint show-through do not.
      if (v > 64) {
        cols[x]! += v;
        rows[y]! += v;
        total += v;
      }
    }
  }
  if (total === 0) return null;
  const at = (mass: Float64Array, share: number) => {
    let s = 0;
    for (let i = 0; i < mass.length; i++) {
      s += mass[i]!;
      if (s >= share * total) return i;
    }
    return mass.length - 1;
  };
  const [x0, x1, y0, y1] = [at(cols, BOX_TRIM), at(cols, 1 - BOX_TRIM), at(rows, BOX_TRIM), at(rows, 1 - BOX_TRIM)];
  const box = { left: x0, top: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  const grid = await sharp(ink, { raw: { width, height, channels: 1 } })
    .extract(box)
    .resize(LOOK_SIZE, LOOK_SIZE, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { grid: new Uint8Array(grid.buffer, grid.byteOffset, grid.length), aspect: box.width / box.height };
}
