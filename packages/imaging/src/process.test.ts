import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeSimple, ImagingError, processPage, type PageAnalysis, type RawImage } from './index.js';
import { setJfifDensity } from './process.js';
import { syntheticPage, type SyntheticOptions } from './testing/synthetic.js';

// 150 dpi keeps the pages small; the analysis runs at ≈100 dpi whatever the scan resolution.
const DPI = 150;
const MM = DPI / 25.4;
const OPTS = { minDpi: 300 };

function page(o: SyntheticOptions) {
  return syntheticPage({ dpi: DPI, ...o });
}

function copy(img: RawImage): RawImage {
  return { ...img, pixels: Buffer.from(img.pixels) };
}

async function gray(jpeg: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(jpeg).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function withoutTimes(a: PageAnalysis): unknown {
  return { ...a, ms: 0, steps: a.steps.map((s) => ({ ...s, ms: 0 })) };
}

describe('deskew and orientation', { timeout: 30_000 }, () => {
  it('finds the skew of skewed scans within 0.3° each and 0.1° on average', async () => {
    const angles = [-9.5, -6.2, -3.3, -0.7, 0.6, 1.6, 4.4, 8];
    const errs: number[] = [];
    for (const [i, skewDeg] of angles.entries()) {
      const p = page({ skewDeg, borderMm: i % 2 ? 6 : 0, speckles: 150, seed: 10 + i });
      const { analysis } = await processPage(p.image, OPTS);
      expect(analysis.rotation).toBe(0);
      errs.push(Math.abs(analysis.skewDeg - skewDeg));
    }
    expect(Math.max(...errs)).toBeLessThanOrEqual(0.3);
    expect(errs.reduce((s, e) => s + e, 0) / errs.length).toBeLessThanOrEqual(0.1);
  });

  it('leaves a straight page within 0.05°', async () => {
    for (const seed of [1, 2, 3]) {
      const { analysis } = await processPage(page({ seed, speckles: 100 }).image, OPTS);
      expect(Math.abs(analysis.skewDeg)).toBeLessThanOrEqual(0.05);
    }
  });

  it('turns pages scanned at 90°, 180° and 270° upright', async () => {
    for (const rotation of [90, 180, 270] as const) {
      const p = page({ rotation, skewDeg: 1.2, seed: rotation });
      const { analysis } = await processPage(p.image, OPTS);
      expect(analysis.rotation).toBe(rotation);
      expect(Math.abs(analysis.skewDeg - 1.2)).toBeLessThanOrEqual(0.3);
      // Upright A4: portrait master.
      expect(analysis.height).toBeGreaterThan(analysis.width);
    }
  });
});

describe('border crop', { timeout: 30_000 }, () => {
  it('removes the dark scanner border and keeps 2–3 mm outside the paper edge', async () => {
    const p = page({ borderMm: 8, seed: 5 });
    const { analysis, master } = await processPage(p.image, OPTS);
    const [pl, pt, pw, ph] = p.truth.paperBox!;
    const [cl, ct, cw, ch] = analysis.cropBox;
    for (const margin of [pl - cl, pt - ct, cl + cw - (pl + pw), ct + ch - (pt + ph)]) {
      expect(margin / MM).toBeGreaterThanOrEqual(2);
      expect(margin / MM).toBeLessThanOrEqual(3);
    }
    const g = await gray(master);
    let dark = 0;
    for (let y = 0; y < g.height; y++) {
      for (let x = 0; x < g.width; x++) {
        const inMargin = x < 3.5 * MM || y < 3.5 * MM || x >= g.width - 3.5 * MM || y >= g.height - 3.5 * MM;
        if (inMargin && g.data[y * g.width + x]! < 128) dark++;
      }
    }
    expect(dark).toBe(0);
  });

  it('removes the border of a skewed scan completely', async () => {
    const p = page({ borderMm: 8, skewDeg: 4, seed: 6 });
    const { analysis, master } = await processPage(p.image, OPTS);
    expect(Math.abs(analysis.skewDeg - 4)).toBeLessThanOrEqual(0.3);
    const g = await gray(master);
    // Paper size ± the margins.
    expect(g.width / MM).toBeGreaterThan(210 - 16 + 4 - 1);
    expect(g.width / MM).toBeLessThan(210 - 16 + 6 + 1);
    let dark = 0;
    for (let y = 0; y < g.height; y++) {
      for (let x = 0; x < g.width; x++) {
        const inMargin = x < 3.5 * MM || y < 3.5 * MM || x >= g.width - 3.5 * MM || y >= g.height - 3.5 * MM;
        if (inMargin && g.data[y * g.width + x]! < 128) dark++;
      }
    }
    expect(dark).toBe(0);
  });
});

describe('border crop at any angle between paper and text', { timeout: 60_000 }, () => {
  function darkInBand(g: { data: Buffer; width: number; height: number }, bandMm: number): number {
    let dark = 0;
    const band = bandMm * MM;
    for (let y = 0; y < g.height; y++) {
      for (let x = 0; x < g.width; x++) {
        const inBand = x < band || y < band || x >= g.width - band || y >= g.height - band;
        if (inBand && g.data[y * g.width + x]! < 128) dark++;
      }
    }
    return dark;
  }

  it('leaves no scanner border when the paper is skewed with its content, or straight under crooked content', async () => {
    const cases: Array<[number, boolean]> = [
      [-6.5, true], [-2.5, true], [1.2, true], [4, true],
      [-4, false], [-1.5, false], [2.2, false], [4, false],
    ];
    for (const [i, [skewDeg, skewPaper]] of cases.entries()) {
      const p = page({ borderMm: 8, skewDeg, skewPaper, seed: 100 + i });
      const { analysis, master } = await processPage(p.image, OPTS);
      expect(Math.abs(analysis.skewDeg - skewDeg)).toBeLessThanOrEqual(0.3);
      const g = await gray(master);
      expect({ skewDeg, skewPaper, dark: darkInBand(g, 3.5) }).toEqual({ skewDeg, skewPaper, dark: 0 });
      // No more than the paper's bounding box in the deskewed frame, plus the margins.
      const a = (Math.abs(skewDeg) * Math.PI) / 180;
      const [pw, ph] = skewPaper ? [194, 281] : [194 * Math.cos(a) + 281 * Math.sin(a), 194 * Math.sin(a) + 281 * Math.cos(a)];
      expect(g.width / MM).toBeLessThan(pw + 6 + 1);
      expect(g.height / MM).toBeLessThan(ph + 6 + 1);
      expect(g.width / MM).toBeGreaterThan(194 - 2);
    }
  });

  it('is not widened by a bright streak across the scanner background', async () => {
    const p = page({ borderMm: 8, skewDeg: 2, seed: 110 });
    const { width } = p.image;
    for (let y = Math.round(0.5 * MM); y < Math.round(1.5 * MM); y++) p.image.pixels.fill(225, y * width, (y + 1) * width);
    const { analysis, master } = await processPage(p.image, OPTS);
    expect(analysis.cropBox[1] / MM).toBeGreaterThan(2);
    expect(darkInBand(await gray(master), 3.5)).toBe(0);
  });

  it('keeps dark content: a photo, a bar near the paper edge and a bar touching it', async () => {
    const boxes: Array<[number, number, number, number]> = [
      [0, 40, 70, 12], // header bar from the paper edge (joins the scanner border)
      [10, 5, 150, 10], // black bar 5 mm below the top edge
      [130, 200, 45, 55], // dark photo
    ];
    const ones = (m: Uint8Array): number => m.reduce((n, v) => n + v, 0);
    for (const [i, skewDeg] of [0, 3].entries()) {
      const o = { borderMm: 8, skewDeg, seed: 120 + i };
      const p0 = page(o);
      const p1 = page({ ...o, darkBoxes: boxes });
      // The boxes' pixels that are not text anyway.
      const area = ones(p1.truth.inkMask) - ones(p0.truth.inkMask);
      expect(area).toBeGreaterThan(3000 * MM * MM);
      const plain = await gray((await processPage(p0.image, OPTS)).master);
      const r = await processPage(p1.image, OPTS);
      expect(Math.abs(r.analysis.skewDeg - skewDeg)).toBeLessThanOrEqual(0.3);
      const withBoxes = await gray(r.master);
      const count = (g: { data: Buffer }): number => g.data.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);
      expect(count(withBoxes) - count(plain)).toBeGreaterThan(0.97 * area);
      expect(Math.abs(withBoxes.width - plain.width)).toBeLessThanOrEqual(2);
    }
  });
});

describe('despeckle', { timeout: 30_000 }, () => {
  it('removes ≥ 85 % of speck pixels and loses ≤ 0.3 % of ink', async () => {
    let speckDark = 0;
    let speckGone = 0;
    let inkDark = 0;
    let inkGone = 0;
    for (const seed of [21, 22]) {
      const p = page({ speckles: 700, seed });
      const ops = { rotation: 0 as const, skewDeg: 0, cropBox: null };
      const off = await processPage(copy(p.image), { ...OPTS, masterQuality: 100, ops: { ...ops, despeckle: false } });
      const on = await processPage(copy(p.image), { ...OPTS, masterQuality: 100, ops });
      expect(on.analysis.specklesRemoved).toBeGreaterThan(0);
      const a = (await gray(off.master)).data;
      const b = (await gray(on.master)).data;
      for (let i = 0; i < a.length; i++) {
        if (p.truth.speckleMask[i] && a[i]! < 128) {
          speckDark++;
          if (b[i]! >= 128) speckGone++;
        }
        if (p.truth.inkMask[i] && a[i]! < 128) {
          inkDark++;
          if (b[i]! >= 128) inkGone++;
        }
      }
    }
    expect(speckGone / speckDark).toBeGreaterThanOrEqual(0.85);
    expect(inkGone / inkDark).toBeLessThanOrEqual(0.003);
  });
});

describe('measures', { timeout: 30_000 }, () => {
  it('a page with one short line is not blank; paper with noise and specks is', async () => {
    const one = await processPage(page({ content: 'oneLine', speckles: 200, seed: 31 }).image, OPTS);
    expect(one.analysis.blank).toBe(false);
    const blank = await processPage(page({ content: 'blank', speckles: 200, seed: 32 }).image, OPTS);
    expect(blank.analysis.blank).toBe(true);
    const tone = await processPage(page({ content: 'blank', color: true, speckles: 200, seed: 33 }).image, OPTS);
    expect(tone.analysis.blank).toBe(true);
    expect(tone.analysis.colorMode).toBe('gray');
  });

  it('flags a blurred page and not a sharp one', async () => {
    const sharpPage = await processPage(page({ seed: 41, skewDeg: 1 }).image, OPTS);
    expect(sharpPage.analysis.blurry).toBe(false);
    // ≈ 0.25 mm of blur.
    const blurred = await processPage(page({ seed: 41, skewDeg: 1, blurPx: 0.25 * MM }).image, OPTS);
    expect(blurred.analysis.blurry).toBe(true);
    expect(blurred.analysis.blurScore).toBeLessThan(sharpPage.analysis.blurScore);
  });

  it('keeps colour for a red seal and goes grey for black print scanned in colour', async () => {
    const seal = await processPage(page({ color: true, seal: true, seed: 51 }).image, OPTS);
    expect(seal.analysis.hasColorContent).toBe(true);
    expect(seal.analysis.colorMode).toBe('color');
    expect((await sharp(seal.master).metadata()).channels).toBe(3);
    const grey = await processPage(page({ color: true, seed: 52, skewDeg: 2 }).image, OPTS);
    expect(grey.analysis.hasColorContent).toBe(false);
    expect(grey.analysis.colorMode).toBe('gray');
    expect((await sharp(grey.master).metadata()).channels).toBe(1);
  });

  it('turns and deskews a colour page with a seal, and accepts RGBA', async () => {
    const p = page({ color: true, seal: true, rotation: 180, skewDeg: 2, borderMm: 5, seed: 53 });
    const r = await processPage(copy(p.image), OPTS);
    expect(r.analysis.colorMode).toBe('color');
    expect(r.analysis.rotation).toBe(180);
    expect(Math.abs(r.analysis.skewDeg - 2)).toBeLessThanOrEqual(0.3);
    const { width, height } = p.image;
    const rgba = Buffer.alloc(width * height * 4, 255);
    for (let i = 0; i < width * height; i++) p.image.pixels.copy(rgba, i * 4, i * 3, i * 3 + 3);
    const r4 = await processPage({ ...p.image, pixels: rgba, channels: 4 }, OPTS);
    expect(withoutTimes(r4.analysis)).toEqual(withoutTimes(r.analysis));
  });

  it('does not turn blank, one-line or uniformly dark pages (which are blank too)', async () => {
    for (const seed of [54, 55]) {
      const blank = await processPage(page({ content: 'blank', speckles: 300, seed, skewDeg: 1 }).image, OPTS);
      expect([blank.analysis.rotation, blank.analysis.skewDeg]).toEqual([0, 0]);
    }
    // One short line: too little to measure by, and its characters must not read as sideways lines.
    const one = await processPage(page({ content: 'oneLine', speckles: 300, seed: 56, skewDeg: 1 }).image, OPTS);
    expect([one.analysis.rotation, one.analysis.skewDeg]).toEqual([0, 0]);
    const dark = await processPage({ pixels: Buffer.alloc(300 * 400, 10), width: 300, height: 400, channels: 1, dpi: 150 }, OPTS);
    expect([dark.analysis.rotation, dark.analysis.skewDeg, dark.analysis.width, dark.analysis.height, dark.analysis.blank]).toEqual([0, 0, 300, 400, true]);
  });

  it('flags text cut at the edge, and only on that side', async () => {
    const cut = await processPage(page({ cutEdge: 'right', seed: 61 }).image, OPTS);
    expect(cut.analysis.edgeContent).toEqual({ top: false, right: true, bottom: false, left: false });
    const cutBorder = await processPage(page({ cutEdge: 'left', borderMm: 6, skewDeg: 2, seed: 62 }).image, OPTS);
    expect(cutBorder.analysis.edgeContent.left).toBe(true);
    expect(cutBorder.analysis.edgeContent.right).toBe(false);
    const whole = await processPage(page({ seed: 63, borderMm: 6 }).image, OPTS);
    expect(whole.analysis.edgeContent).toEqual({ top: false, right: false, bottom: false, left: false });
  });

  it('reports dpi, dpiLow and the master metadata', async () => {
    const p = page({ seed: 71 });
    const r = await processPage(p.image, OPTS);
    expect(r.analysis.dpi).toBe(150);
    expect(r.analysis.dpiLow).toBe(true);
    const meta = await sharp(r.master).metadata();
    expect(meta.density).toBe(150);
    expect(meta.width).toBe(r.analysis.width);
    expect(Math.max((await sharp(r.web).metadata()).width!, (await sharp(r.web).metadata()).height!)).toBeLessThanOrEqual(1600);
    expect(Math.max((await sharp(r.thumb).metadata()).width!, (await sharp(r.thumb).metadata()).height!)).toBeLessThanOrEqual(240);
    expect(r.analysis.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    const noDpi = await processPage({ ...p.image, dpi: null }, { minDpi: 300 });
    expect(noDpi.analysis.dpi).toBe(300);
    expect(noDpi.analysis.dpiLow).toBe(false);
    // "72 dpi" on a 1754-px page would make it 619 mm tall: a software default, so the assumed dpi applies.
    const bogus = await processPage({ ...p.image, dpi: 72 }, { minDpi: 300, assumedDpi: 150 });
    expect(bogus.analysis.dpi).toBe(150);
    // 96 dpi on a 600×800 image is a plausible (low) resolution and is kept.
    const low = await processPage({ pixels: Buffer.alloc(600 * 800, 230), width: 600, height: 800, channels: 1, dpi: 96 }, OPTS);
    expect([low.analysis.dpi, low.analysis.dpiLow]).toEqual([96, true]);
  });
});

describe('manual operations and determinism', { timeout: 30_000 }, () => {
  it('gives the same analysis and pixels for the same original and ops', async () => {
    const p = page({ skewDeg: 2.5, borderMm: 6, speckles: 200, rotation: 180, seed: 81 });
    const ops = { cropBox: [40, 50, 900, 1300] as [number, number, number, number], skewDeg: 2.4 };
    const a = await processPage(copy(p.image), { ...OPTS, ops });
    const b = await processPage(copy(p.image), { ...OPTS, ops });
    expect(withoutTimes(b.analysis)).toEqual(withoutTimes(a.analysis));
    expect(b.master.equals(a.master)).toBe(true);
    const c = await processPage(copy(p.image), OPTS);
    const d = await processPage(copy(p.image), OPTS);
    expect(withoutTimes(d.analysis)).toEqual(withoutTimes(c.analysis));
  });

  it('applies manual rotation, skew, crop and despeckle overrides', async () => {
    const p = page({ skewDeg: 3, speckles: 300, seed: 91 });
    const r = await processPage(p.image, { ...OPTS, ops: { rotation: 90, skewDeg: -1.5, cropBox: [10, 20, 500, 400], despeckle: false } });
    expect(r.analysis.rotation).toBe(90);
    expect(r.analysis.skewDeg).toBe(-1.5);
    expect(r.analysis.cropBox).toEqual([10, 20, 500, 400]);
    expect([r.analysis.width, r.analysis.height]).toEqual([500, 400]);
    expect(r.analysis.specklesRemoved).toBe(0);
    const none = await processPage(p.image, { ...OPTS, ops: { rotation: 0, skewDeg: 0, cropBox: null } });
    expect([none.analysis.width, none.analysis.height]).toEqual([p.image.width, p.image.height]);
  });
});

describe('decodeSimple', { timeout: 30_000 }, () => {
  it('decodes grey PNG and JPEG with its resolution, and rejects corrupt input', async () => {
    const p = page({ seed: 3, content: 'oneLine' });
    const raw = () => sharp(p.image.pixels, { raw: { width: p.image.width, height: p.image.height, channels: 1 } }).toColourspace('b-w');
    const png = await raw().png().toBuffer();
    const img = await decodeSimple(png);
    expect([img.width, img.height, img.channels, img.dpi]).toEqual([p.image.width, p.image.height, 1, null]);
    const jpeg = setJfifDensity(await raw().jpeg().toBuffer(), 150);
    const j = await decodeSimple(jpeg);
    expect([j.channels, j.dpi]).toEqual([1, 150]);
    const bad = Buffer.from(png.subarray(0, 200));
    await expect(decodeSimple(bad)).rejects.toBeInstanceOf(ImagingError);
    await expect(decodeSimple(Buffer.from('not an image'))).rejects.toMatchObject({ code: 'IMAGE_CORRUPT' });
  });
});
