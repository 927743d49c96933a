import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { beijingMinute, renderText, renderTile, Watermarker, watermarkText } from './watermark.js';

const facts = { unit: '中共某某市委组织部', time: '2026-03-02 09:00', address: '10.1.2.3', requestNo: 'CY2026-0001' };

/** Pixels of a tile that carry ink. */
function inked(tile: { mask: Uint8Array }): number {
  return tile.mask.reduce((n, m) => n + (m > 0 ? 1 : 0), 0);
}

describe('watermark tile', () => {
  it('draws the text: ink on a clear tile, at most semi-opaque', async () => {
    const tile = await renderTile(watermarkText({ reader: '张三', ...facts }), 1600);
    expect(tile.width).toBeGreaterThan(200);
    expect(tile.mask.length).toBe(tile.width * tile.height);
    const ink = inked(tile);
    expect(ink).toBeGreaterThan(2000);
    expect(ink).toBeLessThan(tile.width * tile.height * 0.5);
    expect(tile.mask.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(Math.ceil(255 * 0.3));
  });

  it('sets Chinese in the shipped font, not as missing-glyph boxes', async () => {
    // 一 is one horizontal stroke: its ink is far wider than tall. A missing-glyph box is about square.
    const one = await sharp(await renderText('一', 100)).trim({ threshold: 1 }).toBuffer({ resolveWithObject: true });
    expect(one.info.width).toBeGreaterThan(one.info.height * 4);
    // 丨 is one vertical stroke: far taller than wide.
    const bar = await sharp(await renderText('丨', 100)).trim({ threshold: 1 }).toBuffer({ resolveWithObject: true });
    expect(bar.info.height).toBeGreaterThan(bar.info.width * 4);
  });

  it('differs for two names', async () => {
    const a = await renderTile(watermarkText({ reader: '张三', ...facts }), 1600);
    const b = await renderTile(watermarkText({ reader: '李四', ...facts }), 1600);
    const c = await renderTile(watermarkText({ reader: '王五', ...facts }), 1600);
    for (const [x, y] of [[a, b], [b, c], [a, c]] as const) {
      const same = x.width === y.width && x.height === y.height && Buffer.from(x.mask).equals(Buffer.from(y.mask));
      expect(same).toBe(false);
    }
  });

  it('scales the text with the page and keeps one tile per text and width', async () => {
    const w = new Watermarker();
    const text = watermarkText({ reader: '张三', ...facts });
    const big = await w.tile(text, 1600);
    const small = await w.tile(text, 800);
    expect(small.width).toBeLessThan(big.width);
    expect(await w.tile(text, 1600)).toBe(big);
    const page = await sharp({ create: { width: 1000, height: 1400, channels: 3, background: '#f4f1ea' } }).jpeg().toBuffer();
    const out = await w.page(page, 800, text);
    expect(out.width).toBe(800);
    const meta = await sharp(out.bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 800, height: 1120 });
    expect((await sharp(out.bytes).stats()).channels[0]!.min).toBeLessThan(200);
    // A greyscale page stays one channel.
    const grey = await sharp(Buffer.alloc(1000 * 1400, 0xf0), { raw: { width: 1000, height: 1400, channels: 1 } }).toColourspace('b-w').jpeg().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    expect((await sharp((await w.page(grey, 800, text)).bytes).metadata()).channels).toBe(1);
  });

  it('writes the time in Beijing and names every fact', () => {
    expect(beijingMinute(new Date('2026-03-02T16:05:59Z'))).toBe('2026-03-03 00:05');
    const text = watermarkText({ reader: '张三', ...facts });
    for (const part of ['张三', '中共某某市委组织部', '2026-03-02 09:00', '10.1.2.3', 'CY2026-0001']) expect(text).toContain(part);
  });
});
