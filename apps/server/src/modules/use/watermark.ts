import { createRequire } from 'node:module';
import sharp from 'sharp';

/**
 * On-screen and printed watermarks: the reader's name, unit, the time, his client address and the
 * request number, as tiled, diagonal, semi-transparent Chinese text over the page. The text is set in
 * the 思源宋体 the project ships for its PDFs (catalogue.font.ts), handed to libvips by file, so the
 * glyphs never depend on fonts installed on the server (a reading room's machine usually has none).
 *
 * A tile is rendered once per text and size and kept (the text changes once a minute per reader), so a
 * page costs one decode, one composite and one encode. The composite is a plain loop over the decoded
 * pixels in the page's own channels: a greyscale scan stays one channel, and libvips' colour conversion
 * and floating-point compositing (three times the cost of decode and encode together) are avoided.
 */

const require = createRequire(import.meta.url);
const FONT_FILE = require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf');
const FONT_FAMILY = 'Noto Serif SC';

/** At a 1600-px page the text is 26 px high; smaller pages get proportionally smaller text. */
const BASE_WIDTH = 1600;
const BASE_FONT_PX = 26;
const ANGLE_DEG = -30;
const OPACITY = 0.3;
const INK = 0x3a;
const TILE_CACHE = 256;

export interface WatermarkFacts {
  reader: string;
  unit: string;
  /** Already formatted: YYYY-MM-DD HH:mm (北京时间). */
  time: string;
  address: string | null;
  requestNo: string;
}

/**
 * How strongly each pixel of a tile is inked, 0–255, already at the watermark's opacity; `inked` lists
 * the pixels with ink (most of a tile is clear), so a page visits only those.
 */
export interface Tile {
  mask: Uint8Array;
  width: number;
  height: number;
  inkX: Uint16Array;
  inkY: Uint16Array;
  inkWeight: Uint8Array;
}

export function watermarkText(f: WatermarkFacts): string {
  return [`${f.reader}\u3000${f.unit}`, `${f.time}\u3000${f.address ?? '地址不详'}`, `查阅申请 ${f.requestNo}`].join('\n');
}

/** YYYY-MM-DD HH:mm in Beijing time (UTC+8, no daylight saving). */
export function beijingMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function escapeMarkup(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The text set in the shipped font at `px` pixels, upright, as a PNG with transparency. */
export async function renderText(text: string, px: number): Promise<Buffer> {
  return sharp({
    text: {
      text: `<span foreground="#000000" font_desc="${FONT_FAMILY} ${px}px">${escapeMarkup(text)}</span>`,
      fontfile: FONT_FILE,
      font: FONT_FAMILY,
      rgba: true,
      align: 'centre',
      spacing: Math.round(px * 0.4),
      dpi: 72,
    },
  }).png().toBuffer();
}

/** A tile of the text turned diagonally, with room around it, as an ink mask at the watermark's opacity. */
export async function renderTile(text: string, pageWidth: number): Promise<Tile> {
  const px = Math.max(10, Math.round((BASE_FONT_PX * pageWidth) / BASE_WIDTH));
  const turned = await sharp(await renderText(text, px))
    .rotate(ANGLE_DEG, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .extend({ top: px * 2, bottom: px * 2, left: px * 3, right: px * 3, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const { data, info } = await sharp(turned).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) mask[i] = Math.round(data[i]! * OPACITY);
  const at: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) at.push(i);
  return {
    mask, width: info.width, height: info.height,
    inkX: Uint16Array.from(at, (i) => i % info.width),
    inkY: Uint16Array.from(at, (i) => Math.floor(i / info.width)),
    inkWeight: Uint8Array.from(at, (i) => mask[i]!),
  };
}

export class Watermarker {
  private readonly tiles = new Map<string, Promise<Tile>>();

  /** The tile for a text at a page width, rendered once; the least recently used are let go. */
  tile(text: string, pageWidth: number): Promise<Tile> {
    const key = `${pageWidth}\u0000${text}`;
    let tile = this.tiles.get(key);
    if (tile) {
      this.tiles.delete(key);
    } else {
      tile = renderTile(text, pageWidth);
      tile.catch(() => this.tiles.delete(key));
      if (this.tiles.size >= TILE_CACHE) this.tiles.delete(this.tiles.keys().next().value!);
    }
    this.tiles.set(key, tile);
    return tile;
  }

  /**
   * A page image scaled down to `width` (never enlarged: the web rendition is the most a reader gets),
   * the watermark tiled over it, as JPEG.
   */
  async page(image: Buffer, width: number, text: string): Promise<{ bytes: Buffer; width: number }> {
    let decoder = sharp(image).resize({ width, withoutEnlargement: true });
    // libvips hands out RGB unless told otherwise; a greyscale scan stays one channel, decoded and encoded.
    if ((await sharp(image).metadata()).channels === 1) decoder = decoder.toColourspace('b-w');
    const { data, info } = await decoder.raw().toBuffer({ resolveWithObject: true });
    inkOver(data, info.width, info.height, info.channels, await this.tile(text, info.width));
    let encoder = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    if (info.channels === 1) encoder = encoder.toColourspace('b-w');
    const bytes = await encoder.jpeg({ quality: 80, optimiseCoding: false }).toBuffer();
    return { bytes, width: info.width };
  }
}

/** Blends the pixels towards the ink's grey by the tile's mask, the tile repeated over the whole image, in place. */
export function inkOver(pixels: Buffer, width: number, height: number, channels: number, tile: Tile): void {
  const { inkX, inkY, inkWeight, width: tw, height: th } = tile;
  const n = inkWeight.length;
  for (let oy = 0; oy < height; oy += th) {
    for (let ox = 0; ox < width; ox += tw) {
      const whole = ox + tw <= width && oy + th <= height;
      for (let i = 0; i < n; i++) {
        const x = ox + inkX[i]!;
        const y = oy + inkY[i]!;
        if (!whole && (x >= width || y >= height)) continue;
        const m = inkWeight[i]!;
        const p = (y * width + x) * channels;
        for (let k = 0; k < channels; k++) {
          const v = pixels[p + k]!;
          pixels[p + k] = v + (((INK - v) * m + 127) / 255 | 0);
        }
      }
    }
  }
}
