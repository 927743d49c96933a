/**
 * Orientation (0 vs 90) and skew from a downscaled page (≈100 dpi): the ink pixels are projected onto the
 * vertical axis of the candidate rotation, and the angle whose projection profile has the greatest energy
 * (sum of squared bin counts) wins — text lines then fall into few, full bins. A coarse search over
 * ±12° around 0° and 90° (1° steps on 4×4-pooled points, then 0.25° on 2×2-pooled), then a fine search (0.1° then 0.025° steps, parabolic
 * interpolation of the peak) on all of them.
 */
import { type Alloc, zeroed } from './buffers.js';
import { findComponents, histMedian, histogram, otsu } from './raster.js';

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
  // The paper's histogram is the whole image's minus the border's (counted as the fill reaches it).
  const h = h0.slice();
  while (sp > 0) {
    const i = stack[--sp]!;
    borderPixels++;
    h[gray[i]!]!--;
    const x = i % width;
    const y = (i - x) / width;
    if (x > 0) push(i - 1);
    if (x < width - 1) push(i + 1);
    if (y > 0) push(i - width);
    if (y < height - 1) push(i + width);
  }
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

/**
 * Ink pixels as (x, y, weight) triples, from connected components of at least `minArea` pixels only, so
 * that dust and scanner noise (on a blank page, all there is) do not vote for an angle.
 */
function inkPoints(gray: Uint8Array, width: number, height: number, pa: PaperAnalysis, minArea: number, alloc?: Alloc): Float64Array {
  let masked = gray;
  if (pa.borderPixels > 0) {
    masked = alloc ? alloc(width * height) : new Uint8Array(width * height);
    for (let i = 0; i < masked.length; i++) masked[i] = pa.border[i] ? 255 : gray[i]!;
  }
  const c = findComponents(masked, width, height, pa.threshold, alloc);
  let n = 0;
  for (let r = 0; r < c.runCount; r++) if (c.area[c.runComp[r]!]! >= minArea) n += c.runX1[r]! - c.runX0[r]! + 1;
  const pts = alloc && n * 24 >= 1 << 20 ? new Float64Array(alloc(n * 24).buffer, 0, n * 3) : new Float64Array(n * 3);
  let k = 0;
  for (let r = 0; r < c.runCount; r++) {
    if (c.area[c.runComp[r]!]! < minArea) continue;
    const y = c.runY[r]!;
    // Integer coordinates: at 0° every row of pixels falls into one bin. (Pixel centres at +0.5 would be
    // split over two bins exactly at 0°, which lowers the energy there and biases a straight page off 0.)
    for (let x = c.runX0[r]!; x <= c.runX1[r]!; x++) {
      pts[k++] = x;
      pts[k++] = y;
      pts[k++] = 1;
    }
  }
  return pts;
}

/**
/**
 * Share of empty bins between the first and last non-empty bin of the projection profile. Text lines
 * leave wide empty gaps between them; the columns of a monospace CJK grid leave only narrow, often
 * bridged ones — so this, not the energy, tells 0° from 90° (the energy of a CJK grid is high both ways).
 */
function emptyShare(pts: Float64Array, angleDeg: number, bins: Float64Array, offset: number, binSize: number): { share: number; lines: number } {
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
  if (nz === 0) return { share: 0, lines: 0 };
  const low = (0.03 * sum) / nz;
  let empty = 0;
  let lines = 0;
  let run = 0;
  for (let i = first; i <= last + 1; i++) {
    if (i <= last && bins[i]! > low) {
      run++;
      continue;
    }
    if (i <= last) empty++;
    // A text line: at least 2 bins (≈1 mm at 50 dpi) of ink between empty bins.
    if (run >= 2) lines++;
    run = 0;
  }
  return { share: empty / (last - first + 1), lines };
}
/**

/** Pools (x, y, weight) points onto `pool`×`pool` cells. */
function poolPoints(pts: Float64Array, width: number, height: number, pool: number): Float64Array {
  const cw = Math.ceil(width / pool);
  const cells = new Float64Array(cw * Math.ceil(height / pool));
  let n = 0;
  for (let k = 0; k < pts.length; k += 3) {
    const c = ((pts[k + 1]! / pool) | 0) * cw + ((pts[k]! / pool) | 0);
    if (cells[c] === 0) n++;
    cells[c]! += pts[k + 2]!;
  }
  const out = new Float64Array(n * 3);
  let j = 0;
  for (let c = 0; c < cells.length; c++) {
    if (cells[c] === 0) continue;
    out[j++] = (c % cw) * pool;
    out[j++] = Math.floor(c / cw) * pool;
    out[j++] = cells[c]!;
  }
  return out;
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
  dpi = 100,
): SkewResult {
  // Components of ≥ 0.6 mm²: strokes and characters, not dust.
  const pts = inkPoints(gray, width, height, pa, Math.max(3, Math.round(0.6 * (dpi / 25.4) ** 2)), alloc);
  // The coarse search runs on pooled points: 4×4 (≈25 dpi, 4-px bins) in 1° steps, then 2×2 (≈50 dpi,
  // 2-px bins) in 0.25° steps around the best.
  const coarse = poolPoints(pts, width, height, 2);
  const coarser = poolPoints(pts, width, height, 4);
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
  let best = { base: 0 as 0 | 90, angle: 0, score: -1, lines: 0 };
  let scoreOther = 0;
  const bests: Array<{ base: 0 | 90; angle: number; score: number; lines: number }> = [];
  for (const base of families) {
    let fb: { angle: number; score: number } = { angle: base, score: -1 };
    if (fixed.skew !== undefined) {
      fb = { angle: base + fixed.skew, score: profileEnergy(coarse, base + fixed.skew, bins, offset / 2, 2) };
    } else {
      let a4 = base;
      let e4 = -1;
      for (let s = -12; s <= 12.0001; s += 1) {
        const score = profileEnergy(coarser, base + s, bins, offset / 4, 4);
        if (score > e4) {
          e4 = score;
          a4 = base + s;
        }
      }

      for (let d = -1; d <= 1.0001; d += 0.25) {
        const score = profileEnergy(coarse, a4 + d, bins, offset / 2, 2);
        if (score > fb.score) fb = { angle: a4 + d, score };
      }
    }
    const es = emptyShare(coarse, fb.angle, bins, offset / 2, 2);
    bests.push({ base, angle: fb.angle, score: es.share, lines: es.lines });
  }
  best = bests[0]!;
  if (bests.length === 2) {
    // Turn sideways only on the evidence of several text lines across the other axis, on a page with
    // real text on it (≥ 0.5 % ink): the characters of a single line also leave gaps between them.
    if (bests[1]!.score > best.score && bests[1]!.lines >= 3 && inkPixels >= 0.005 * paperPixels) best = bests[1]!;
    scoreOther = best === bests[0] ? bests[1]!.score : bests[0]!.score;
  }
  if (fixed.skew !== undefined) {
    return { base: best.base, skewDeg: fixed.skew, score: best.score, scoreOther, points: npts };
  }
  // A line or two (a page number, a signature; ≈ 0.05 % ink per line of 5 characters) is too little to
  // measure a skew by: leave the page as is. Three lines of text are ≈ 1 %.
  if (best.lines < 3 || inkPixels < 0.002 * paperPixels) return { base: best.base, skewDeg: 0, score: best.score, scoreOther, points: npts };
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
