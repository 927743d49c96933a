/**
 * Despeckle on connected components of the binarised page. Sizes at 300 dpi (scaled with the
 * resolution): a component of ≤ 18 px (≈ 0.13 mm², dust) is a speck unless it lies within 2 px of a
 * larger component (then it is likely part of a stroke); one of 19–40 px (up to ≈ 0.29 mm², the size of
 * a small dot stroke 、 or a period) is a speck only when no larger component (text) is within 0.6 mm;
 * anything larger, or longer than 1 mm, is kept. So a Chinese dot stroke or a period next to a
 * character stays, while dust in the margins, between lines and between strokes goes. Removed pixels, with a one-pixel halo, get the
 * mean of the non-ink pixels around the speck (the local paper), in the grey and the colour buffers.
 */
import { type Alloc, zeroed } from './buffers.js';
import type { Components } from './raster.js';

export interface SpeckleParams {
  tinyArea: number;
  smallArea: number;
  maxExtent: number;
  nearDist: number;
  touchDist: number;
}

export function speckleParams(dpi: number): SpeckleParams {
  const s = dpi / 300;
  const mm = dpi / 25.4;
  return {
    tinyArea: Math.max(2, Math.round(18 * s * s)),
    smallArea: Math.max(4, Math.round(40 * s * s)),
    maxExtent: Math.max(3, Math.round(1 * mm)),
    nearDist: Math.max(2, Math.round(0.6 * mm)),
    touchDist: Math.max(1, Math.round(2 * s)),
  };
}

export interface DespeckleResult {
  removed: Uint8Array;
  removedCount: number;
  removedPixels: number;
  params: SpeckleParams;
}

export function despeckle(
  comps: Components,
  gray: Uint8Array,
  color: Uint8Array | null,
  threshold: number,
  dpi: number,
  enabled: boolean,
  alloc?: Alloc,
): DespeckleResult {
  const params = speckleParams(dpi);
  const { width, height, count, area, minX, minY, maxX, maxY } = comps;
  const removed = new Uint8Array(count);
  if (!enabled || count === 0) return { removed, removedCount: 0, removedPixels: 0, params };
  // Occupancy grid (2×2 px cells) of the larger components.
  const g = 2;
  const gw = Math.ceil(width / g);
  const gh = Math.ceil(height / g);
  const grid = zeroed(alloc, gw * gh);
  for (let i = 0; i < comps.runCount; i++) {
    if (area[comps.runComp[i]!]! <= params.smallArea) continue;
    const row = ((comps.runY[i]! / g) | 0) * gw;
    const c1 = (comps.runX1[i]! / g) | 0;
    for (let c = (comps.runX0[i]! / g) | 0; c <= c1; c++) grid[row + c] = 1;
  }
  let removedCount = 0;
  let removedPixels = 0;
  for (let c = 0; c < count; c++) {
    const a = area[c]!;
    if (a > params.smallArea) continue;
    if (maxX[c]! - minX[c]! + 1 > params.maxExtent || maxY[c]! - minY[c]! + 1 > params.maxExtent) continue;
    const d = a <= params.tinyArea ? params.touchDist : params.nearDist;
    const gx0 = (Math.max(0, minX[c]! - d) / g) | 0;
    const gx1 = (Math.min(width - 1, maxX[c]! + d) / g) | 0;
    const gy0 = (Math.max(0, minY[c]! - d) / g) | 0;
    const gy1 = (Math.min(height - 1, maxY[c]! + d) / g) | 0;
    let near = false;
    for (let gy = gy0; gy <= gy1 && !near; gy++) {
      const row = gy * gw;
      for (let gx = gx0; gx <= gx1; gx++) {
        if (grid[row + gx] === 1) {
          near = true;
          break;
        }
      }
    }
    if (near) continue;
    removed[c] = 1;
    removedCount++;
    removedPixels += a;
    repaint(comps, c, gray, color, threshold);
  }
  return { removed, removedCount, removedPixels, params };
}

function repaint(comps: Components, c: number, gray: Uint8Array, color: Uint8Array | null, threshold: number): void {
  const { width, height } = comps;
  const x0 = Math.max(0, comps.minX[c]! - 2);
  const x1 = Math.min(width - 1, comps.maxX[c]! + 2);
  const y0 = Math.max(0, comps.minY[c]! - 2);
  const y1 = Math.min(height - 1, comps.maxY[c]! + 2);
  // Local paper: mean of the non-ink pixels on the ring two pixels out.
  let n = 0;
  let sg = 0;
  let sr = 0;
  let sgr = 0;
  let sb = 0;
  for (let y = y0; y <= y1; y++) {
    const edgeRow = y === y0 || y === y1;
    for (let x = x0; x <= x1; x += edgeRow ? 1 : Math.max(1, x1 - x0)) {
      const i = y * width + x;
      const v = gray[i]!;
      if (v < threshold) continue;
      n++;
      sg += v;
      if (color) {
        sr += color[i * 3]!;
        sgr += color[i * 3 + 1]!;
        sb += color[i * 3 + 2]!;
      }
    }
  }
  if (n === 0) return;
  const bg = Math.round(sg / n);
  const br = Math.round(sr / n);
  const bgc = Math.round(sgr / n);
  const bb = Math.round(sb / n);
  for (let y = y0 + 1; y < y1; y++) {
    for (let x = x0 + 1; x < x1; x++) {
      const i = y * width + x;
      if (gray[i]! >= bg) continue;
      gray[i] = bg;
      if (color) {
        color[i * 3] = br;
        color[i * 3 + 1] = bgc;
        color[i * 3 + 2] = bb;
      }
    }
  }
}

/** Row index of the first run of each row (length height + 1). */
export function runRowStarts(comps: Components): Int32Array {
  const rs = new Int32Array(comps.height + 1);
  let r = 0;
  for (let y = 0; y <= comps.height; y++) {
    while (r < comps.runCount && comps.runY[r]! < y) r++;
    rs[y] = r;
  }
  return rs;
}

/**
 * Upside-down test. It relies on punctuation: in Chinese (，。、；) and Latin (. ,) print the small marks
 * sit low in the text line, alone in their column of the line. Upright pages have such marks in the
 * bottom part of the line band; pages turned 180° have them at the top. (Dot strokes inside characters,
 * like the top dot of 文, have the rest of the character below them, so they are not alone in their
 * column.) Returns votes; the caller flips when the top votes clearly win.
 */
export function punctuationVotes(comps: Components, removed: Uint8Array, dpi: number): { bottom: number; top: number; lines: number } {
  const p = speckleParams(dpi);
  const mm = dpi / 25.4;
  const { width, height, area } = comps;
  const rowInk = new Int32Array(height);
  for (let i = 0; i < comps.runCount; i++) {
    const c = comps.runComp[i]!;
    if (removed[c] || area[c]! <= p.smallArea) continue;
    rowInk[comps.runY[i]!]! += comps.runX1[i]! - comps.runX0[i]! + 1;
  }
  const rs = runRowStarts(comps);
  const bandOf = new Int32Array(height).fill(-1);
  const bands: Array<[number, number]> = [];
  let y = 0;
  while (y < height) {
    if (rowInk[y]! === 0) {
      y++;
      continue;
    }
    const y0 = y;
    while (y < height && (rowInk[y]! > 0 || (y + 1 < height && rowInk[y + 1]! > 0))) y++;
    const y1 = y - 1;
    const h = y1 - y0 + 1;
    if (h >= 1.5 * mm && h <= 12 * mm) {
      for (let k = y0; k <= y1; k++) bandOf[k] = bands.length;
      bands.push([y0, y1]);
    }
  }
  // Column ink per band, as prefix sums.
  const prefix = bands.map(([y0, y1]) => {
    const diff = new Int32Array(width + 1);
    for (let r = rs[y0]!; r < rs[y1 + 1]!; r++) {
      if (removed[comps.runComp[r]!]) continue;
      diff[comps.runX0[r]!]!++;
      diff[comps.runX1[r]! + 1]!--;
    }
    // cov[x] = pixels of column x in the band; pre[x] = sum of cov[0..x-1].
    const pre = new Float64Array(width + 1);
    let cov = 0;
    for (let x = 0; x < width; x++) {
      cov += diff[x]!;
      pre[x + 1] = pre[x]! + cov;
    }
    return pre;
  });
  let bottom = 0;
  let top = 0;
  for (let c = 0; c < comps.count; c++) {
    if (removed[c] || area[c]! < p.tinyArea) continue;
    const b = bandOf[comps.minY[c]!]!;
    if (b < 0 || bandOf[comps.maxY[c]!] !== b) continue;
    const [y0, y1] = bands[b]!;
    const h = y1 - y0 + 1;
    if (comps.maxX[c]! - comps.minX[c]! + 1 > 0.45 * h || comps.maxY[c]! - comps.minY[c]! + 1 > 0.45 * h) continue;
    const pre = prefix[b]!;
    const xa = Math.max(0, comps.minX[c]! - 1);
    const xb = Math.min(width - 1, comps.maxX[c]! + 1);
    if (pre[xb + 1]! - pre[xa]! - area[c]! > 0) continue;
    const rel = ((comps.minY[c]! + comps.maxY[c]!) / 2 - y0) / (h - 1);
    if (rel > 0.6) bottom++;
    else if (rel < 0.4) top++;
  }
  return { bottom, top, lines: bands.length };
}
