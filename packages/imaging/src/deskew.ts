/**
 * Orientation (0 vs 90) and skew from a downscaled page (≈100 dpi): the ink pixels are projected onto the
 * vertical axis of the candidate rotation, and the angle whose projection profile has the greatest energy
 * (sum of squared bin counts) wins — text lines then fall into few, full bins. A coarse search over
 * ±12° around 0° and 90° in 0.5° steps on 2×2-pooled points, then a fine search (0.1° then 0.025° steps, parabolic
 * interpolation of the peak) on all of them.
 */
import { type Alloc, zeroed } from './buffers.js';
import { histMedian, histogram, otsu } from './raster.js';

export interface PaperAnalysis {
  /** Ink threshold (gray < threshold is ink). */
  threshold: number;
  paperLevel: number;
  /** 1 = dark scanner background connected to the image edge. */
  border: Uint8Array;
  borderPixels: number;
}

let scratch = new Int32Array(0);
/** A reusable buffer for synchronous work (no await while it is in use). */
function scratchInt32(n: number): Int32Array {
  if (scratch.length < n) scratch = new Int32Array(n);
  return scratch;
}

/** Finds the dark scanner border (dark pixels connected to the image edge) and the ink threshold. */
export function analysePaper(gray: Uint8Array, width: number, height: number, alloc?: Alloc): PaperAnalysis {
  const h0 = histogram(gray);
  const p0 = histMedian(h0, otsu(h0), 255);
  const t0 = Math.min(otsu(h0), p0 - 45);
  const border = zeroed(alloc, width * height);
  const stack = scratchInt32(width * height);
  let sp = 0;
  const push = (i: number): void => {
    if (border[i] === 0 && gray[i]! < t0) {
      border[i] = 1;
      stack[sp++] = i;
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  let borderPixels = 0;
  while (sp > 0) {
    const i = stack[--sp]!;
    borderPixels++;
    const x = i % width;
    const y = (i - x) / width;
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (y > 0) push(i - width);
    if (y < height - 1) push(i + width);
  }
  const h = histogram(gray, border);
  const t1 = otsu(h);
  const paperMedian = histMedian(h, t1, 255);
  const paperLevel = Math.max(paperMedian, 0);
  // A uniform page (no pixel above Otsu's split) has no ink at all.
  const threshold = paperMedian < 0 ? 0 : Math.max(1, Math.min(t1, paperLevel - 45));
  return { threshold, paperLevel, border, borderPixels };
}

export interface SkewResult {
  /** 0 or 90: the quarter turn (clockwise) that makes the text lines horizontal, up to 180°. */
  base: 0 | 90;
  skewDeg: number;
  score: number;
  scoreOther: number;
  points: number;
}

/** Ink pixels as (x, y, weight) triples; pooled over `pool`×`pool` cells (weight = ink pixels in the cell). */
function inkPoints(gray: Uint8Array, width: number, height: number, pa: PaperAnalysis, pool: number, alloc?: Alloc): Float64Array {
  const cw = Math.ceil(width / pool);
  const chh = Math.ceil(height / pool);
  const cells = alloc ? new Uint16Array(zeroed(alloc, cw * chh * 2).buffer, 0, cw * chh) : new Uint16Array(cw * chh);
  let n = 0;
  for (let y = 0; y < height; y++) {
    const row = ((y / pool) | 0) * cw;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (gray[i]! < pa.threshold && pa.border[i] === 0) {
        const c = row + ((x / pool) | 0);
        if (cells[c] === 0) n++;
        cells[c]!++;
      }
    }
  }
  const pts = alloc && n * 24 >= 1 << 20 ? new Float64Array(alloc(n * 24).buffer, 0, n * 3) : new Float64Array(n * 3);
  let k = 0;
  for (let cy = 0; cy < chh; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      const v = cells[cy * cw + cx]!;
      if (v === 0) continue;
      // Integer coordinates: at 0° every row of pixels falls into one bin. (Pixel centres at +0.5 would be
      // split over two bins exactly at 0°, which lowers the energy there and biases a straight page off 0.)
      pts[k++] = cx * pool;
      pts[k++] = cy * pool;
      pts[k++] = v;
    }
  }
  return pts;
}

/**
 * Share of empty bins between the first and last non-empty bin of the projection profile. Text lines
 * leave wide empty gaps between them; the columns of a monospace CJK grid leave only narrow, often
 * bridged ones — so this, not the energy, tells 0° from 90° (the energy of a CJK grid is high both ways).
 */
function emptyShare(pts: Float64Array, angleDeg: number, bins: Float64Array, offset: number, binSize: number): number {
  profileEnergy(pts, angleDeg, bins, offset, binSize);
  let first = -1;
  let last = -1;
  let sum = 0;
  let nz = 0;
  for (let i = 0; i < bins.length; i++) {
    if (bins[i]! > 0) {
      if (first < 0) first = i;
      last = i;
      sum += bins[i]!;
      nz++;
    }
  }
  if (nz === 0) return 0;
  const low = (0.03 * sum) / nz;
  let empty = 0;
  for (let i = first; i <= last; i++) if (bins[i]! <= low) empty++;
  return empty / (last - first + 1);
}

function profileEnergy(pts: Float64Array, angleDeg: number, bins: Float64Array, offset: number, binSize: number): number {
  const a = (angleDeg * Math.PI) / 180;
  const sin = Math.sin(a) / binSize;
  const cos = Math.cos(a) / binSize;
  bins.fill(0);
  for (let k = 0; k < pts.length; k += 3) {
    const yr = pts[k]! * sin + pts[k + 1]! * cos + offset;
    const b = Math.floor(yr);
    const f = yr - b;
    const w = pts[k + 2]!;
    bins[b]! += w * (1 - f);
    bins[b + 1]! += w * f;
  }
  let e = 0;
  for (let i = 0; i < bins.length; i++) e += bins[i]! * bins[i]!;
  return e;
}

/**
 * `base`/`skew` restrict the search (manual overrides): when `base` is given only that family is searched;
 * when `skew` is given it is returned as is.
 */
export function findSkew(
  gray: Uint8Array,
  width: number,
  height: number,
  pa: PaperAnalysis,
  fixed: { base?: 0 | 90; skew?: number } = {},
  alloc?: Alloc,
): SkewResult {
  const pts = inkPoints(gray, width, height, pa, 1, alloc);
  // The coarse search runs on 2×2-pooled points (≈50 dpi) with 2-px bins.
  const coarse = inkPoints(gray, width, height, pa, 2, alloc);
  const offset = width + height + 2;
  const bins = new Float64Array(2 * offset + 4);
  const npts = pts.length / 3;
  // Too little ink to see lines, or so much (a black or photographic page) that there are none.
  let inkPixels = 0;
  for (let k = 2; k < pts.length; k += 3) inkPixels += pts[k]!;
  const paperPixels = width * height - pa.borderPixels;
  if (npts < 20 || inkPixels < 1e-4 * paperPixels || inkPixels > 0.5 * paperPixels) {
    return { base: fixed.base ?? 0, skewDeg: fixed.skew ?? 0, score: 0, scoreOther: 0, points: npts };
  }
  const families: Array<0 | 90> = fixed.base !== undefined ? [fixed.base] : [0, 90];
  let best = { base: 0 as 0 | 90, angle: 0, score: -1 };
  let scoreOther = 0;
  const bests: Array<{ base: 0 | 90; angle: number; score: number }> = [];
  for (const base of families) {
    let fb: { angle: number; score: number } = { angle: base, score: -1 };
    if (fixed.skew !== undefined) {
      fb = { angle: base + fixed.skew, score: profileEnergy(coarse, base + fixed.skew, bins, offset / 2, 2) };
    } else {
      for (let s = -12; s <= 12.0001; s += 0.5) {
        const score = profileEnergy(coarse, base + s, bins, offset / 2, 2);
        if (score > fb.score) fb = { angle: base + s, score };
      }
    }
    bests.push({ base, angle: fb.angle, score: emptyShare(coarse, fb.angle, bins, offset / 2, 2) });
  }
  best = bests[0]!;
  if (bests.length === 2) {
    if (bests[1]!.score > best.score) best = bests[1]!;
    scoreOther = best === bests[0] ? bests[1]!.score : bests[0]!.score;
  }
  if (fixed.skew !== undefined) {
    return { base: best.base, skewDeg: fixed.skew, score: best.score, scoreOther, points: npts };
  }
  // Fine search around the coarse peak on all points: 0.1° steps over ±0.4°, then 0.025° steps over
  // ±0.1° around the best of those, then a parabola through the peak and its neighbours.
  const memo = new Map<number, number>();
  const energy = (a: number): number => {
    const key = Math.round(a * 1000);
    let e = memo.get(key);
    if (e === undefined) {
      e = profileEnergy(pts, key / 1000, bins, offset, 1);
      memo.set(key, e);
    }
    return e;
  };
  let mid = best.angle;
  let bestE = -1;
  for (let d = -0.4; d <= 0.40001; d += 0.1) {
    const e = energy(best.angle + d);
    if (e > bestE) {
      bestE = e;
      mid = best.angle + d;
    }
  }
  const step = 0.025;
  let angle = mid;
  for (let d = -0.1; d <= 0.10001; d += step) {
    const e = energy(mid + d);
    if (e > bestE) {
      bestE = e;
      angle = mid + d;
    }
  }
  {
    const y0 = energy(angle - step);
    const y1 = energy(angle);
    const y2 = energy(angle + step);
    const den = y0 - 2 * y1 + y2;
    if (den < 0 && y1 >= y0 && y1 >= y2) angle += (step * 0.5 * (y0 - y2)) / den;
  }
  let skew = Math.round((angle - best.base) * 100) / 100;
  // A straight page stays untouched: estimates this close to zero are noise.
  if (Math.abs(skew) < 0.04) skew = 0;
  return { base: best.base, skewDeg: skew, score: best.score, scoreOther, points: npts };
}
