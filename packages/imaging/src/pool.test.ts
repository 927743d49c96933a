import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImagingError, ImagingPool, processPage } from './index.js';
import { syntheticPage } from './testing/synthetic.js';

describe('ImagingPool', () => {
  const pool = new ImagingPool({ threads: 2 });
  afterAll(() => pool.destroy());

  it('runs the pipeline in worker threads from bytes and from transferred pixels, same result as in-process', async () => {
    const p = syntheticPage({ dpi: 150, skewDeg: -2, borderMm: 5, speckles: 100, seed: 7 });
    const { width, height } = p.image;
    const png = await sharp(p.image.pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().withMetadata({ density: 150 }).toBuffer();
    const local = await processPage({ ...p.image, pixels: Buffer.from(p.image.pixels) }, { minDpi: 300 });
    const pixels = Buffer.from(p.image.pixels);
    const [fromBytes, fromPixels] = await Promise.all([
      pool.process({ bytes: png, page: 0 }, { minDpi: 300 }),
      pool.process({ ...p.image, pixels }, { minDpi: 300 }),
    ]);
    expect(pixels.byteLength).toBe(0); // transferred, not copied
    for (const r of [fromBytes, fromPixels]) {
      expect(Buffer.isBuffer(r.master)).toBe(true);
      expect(r.analysis.skewDeg).toBe(local.analysis.skewDeg);
      expect(r.analysis.cropBox).toEqual(local.analysis.cropBox);
      expect(r.analysis.perceptualHash).toBe(local.analysis.perceptualHash);
    }
    expect(pool.workerMemory().length).toBeGreaterThan(0);
  }, 60_000);

  it('rejects corrupt files with an ImagingError carrying its code', async () => {
    const err = await pool.process({ bytes: Buffer.from('not an image at all'), page: 0 }, { minDpi: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagingError);
    expect((err as ImagingError).code).toBe('IMAGE_CORRUPT');
  }, 60_000);
});
