import { type Alloc, int32 } from './buffers.js';

/**
 * Linear-pass raster helpers over typed arrays: histograms, thresholds, one-pass rotate+crop, and
 * connected components on run-length-encoded ink.
 */

export type Box = [number, number, number, number];

export function histogram(gray: Uint8Array, mask?: Uint8Array): Uint32Array {
  const h = new Uint32Array(256);
  if (mask) {
    for (let i = 0; i < gray.length; i++) if (mask[i] === 0) h[gray[i]!]!++;
  } else {
    for (let i = 0; i < gray.length; i++) h[gray[i]!]!++;
  }
  return h;
}

export function otsu(h: Uint32Array): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    total += h[i]!;
    sum += i * h[i]!;
  }
  let wB = 0;
  let sumB = 0;
  let best = -1;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += h[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * h[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      threshold = t + 1; // ink is value < threshold
    }
  }
  return threshold;
}

/** Median of the histogram restricted to [lo, hi]. */
export function histMedian(h: Uint32Array, lo = 0, hi = 255): number {
  let n = 0;
  for (let i = lo; i <= hi; i++) n += h[i]!;
  if (n === 0) return -1;
  let acc = 0;
  for (let i = lo; i <= hi; i++) {
    acc += h[i]!;
    if (acc * 2 >= n) return i;
  }
  return hi;
}

export function toGray(pixels: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  if (channels === 1) return pixels;
  const n = width * height;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    // ITU-R BT.601 luma, integer arithmetic.
    out[i] = (pixels[j]! * 299 + pixels[j + 1]! * 587 + pixels[j + 2]! * 114 + 500) / 1000;
  }
  return out;
}

export function rotatedSize(width: number, height: number, angleDeg: number): [number, number] {
  const a = (angleDeg * Math.PI) / 180;
  const c = Math.abs(Math.cos(a));
  const s = Math.abs(Math.sin(a));
  return [Math.round(width * c + height * s), Math.round(width * s + height * c)];
}

/**
 * The region of the source to keep (the paper): a convex polygon given as half-planes
 * `nx·x + ny·y ≥ c` in continuous source coordinates (pixel i covers [i, i + 1)).
 */
export type HalfPlanes = Array<[number, number, number]>;

/**
 * Rotates `src` clockwise by `angleDeg` about its centre onto a canvas of `rotatedSize` (the frame in
 * which crop boxes are given), and returns only the pixels of `crop` (in that frame). Pixels whose sample
 * point lies outside the source, or outside `keep` (the paper, in source coordinates) when given, get
 * `fill`. Bilinear sampling; one pass.
 */
export function rotateCrop(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  angleDeg: number,
  crop: Box,
  fill: number[],
  keep: HalfPlanes | null,
  target?: Uint8Array,
): Uint8Array {
  const [W2, H2] = rotatedSize(width, height, angleDeg);
  const [cl, ct, cw, ch] = crop;
  const out = target ?? new Uint8Array(cw * ch * channels);
  const a = (angleDeg * Math.PI) / 180;
  let cos = Math.cos(a);
  let sin = Math.sin(a);
  if (Math.abs(cos) < 1e-12) cos = 0;
  if (Math.abs(sin) < 1e-12) sin = 0;
  // Fast path: no rotation, just a crop.
  if (angleDeg === 0 && !keep && cl >= 0 && ct >= 0 && cl + cw <= width && ct + ch <= height) {
    for (let y = 0; y < ch; y++) {
      const s = ((ct + y) * width + cl) * channels;
      out.set(src.subarray(s, s + cw * channels), y * cw * channels);
    }
    return out;
  }
  const xMaxF = width - 1;
  const yMaxF = height - 1;
  const x0c = (cl + 0.5 - W2 / 2) * cos + width / 2 - 0.5;
  const y0c = -(cl + 0.5 - W2 / 2) * sin + height / 2 - 0.5;
  const slow = (sx: number, sy: number, o: number): void => {
    // Only rounding error may put a sample past the last pixel centre; anything further out is fill
    // (clamping would smear the scan's outermost row, often scanner background, into the page).
    const eps = 1e-6;
    if (sx < -eps || sy < -eps || sx > xMaxF + eps || sy > yMaxF + eps) {
      for (let c = 0; c < channels; c++) out[o + c] = fill[c]!;
      return;
    }
    const cx = Math.min(xMaxF, Math.max(0, sx));
    const cy = Math.min(yMaxF, Math.max(0, sy));
    const ix = Math.max(0, Math.min(width - 2, Math.floor(cx)));
    const iy = Math.max(0, Math.min(height - 2, Math.floor(cy)));
    const fx = width > 1 ? cx - ix : 0;
    const fy = height > 1 ? cy - iy : 0;
    const p = (iy * width + ix) * channels;
    const px = width > 1 ? channels : 0;
    const py = height > 1 ? width * channels : 0;
    for (let c = 0; c < channels; c++) {
      const q = p + c;
      const top = src[q]! + (src[q + px]! - src[q]!) * fx;
      const bot = src[q + py]! + (src[q + py + px]! - src[q + py]!) * fx;
      out[o + c] = top + (bot - top) * fy + 0.5;
    }
  };
  const rowLen = width * channels;
  // Grey: each row's interpolated stretch is recorded here and sampled after the loop.
  const spanA = channels === 1 ? new Int32Array(ch) : null;
  const spanN = channels === 1 ? new Int32Array(ch) : null;
  const spanX = channels === 1 ? new Int32Array(ch) : null;
  const spanY = channels === 1 ? new Int32Array(ch) : null;
  const cosF = Math.round(cos * 65536);
  const sinF = Math.round(sin * 65536);
  for (let v = 0; v < ch; v++) {
    const oy = ct + v;
    const rowOut = v * cw * channels;
    const dy = oy + 0.5 - H2 / 2;
    const sxRow = x0c + dy * sin;
    const syRow = y0c + dy * cos;
    // Span of the row whose sample points lie inside `keep`; the rest is fill.
    let u0 = 0;
    let u1 = cw;
    if (keep) {
      let lo = 0;
      let hi = cw;
      for (const [nx, ny, c] of keep) {
        // g(u) = nx·(sx(u) + 0.5) + ny·(sy(u) + 0.5) − c ≥ 0, with sx(u) = sxRow + u·cos, sy(u) = syRow − u·sin.
        const g0 = nx * (sxRow + 0.5) + ny * (syRow + 0.5) - c;
        const gd = nx * cos - ny * sin;
        if (Math.abs(gd) < 1e-12) {
          if (g0 < 0) hi = lo;
        } else if (gd > 0) lo = Math.max(lo, Math.ceil(-g0 / gd));
        else hi = Math.min(hi, Math.floor(-g0 / gd) + 1);
      }
      u0 = Math.max(0, Math.min(cw, lo));
      u1 = Math.max(u0, Math.min(cw, hi));
    }
    if (channels === 1) {
      out.fill(fill[0]!, rowOut, rowOut + u0);
      out.fill(fill[0]!, rowOut + u1, rowOut + cw);
    } else {
      for (let u = 0; u < cw; u = u === u0 - 1 ? u1 : u + 1) {
        if (u >= u0 && u < u1) continue;
        for (let c = 0; c < channels; c++) out[rowOut + u * channels + c] = fill[c]!;
      }
    }
    if (u0 >= u1) continue;
    if (spanA && spanN && spanX && spanY) {
      // 16.16 fixed point with 8-bit interpolation weights (drift over a row < 0.03 px).
      const sxF = Math.round((sxRow + u0 * cos) * 65536);
      const syF = Math.round((syRow - u0 * sin) * 65536);
      const xLim = xMaxF * 65536;
      const yLim = yMaxF * 65536;
      const inside = (u: number): boolean => {
        const x = sxF + (u - u0) * cosF;
        const y = syF - (u - u0) * sinF;
        return x >= 0 && y >= 0 && x < xLim && y < yLim;
      };
      // The stretch of the row that samples inside the source, found analytically, then checked.
      let a0 = u0;
      let a1 = u1;
      const clampRange = (f0: number, df: number, lim: number): void => {
        // f(u) = f0 + (u - u0) * df must lie in [0, lim).
        if (df === 0) {
          if (f0 < 0 || f0 >= lim) a1 = a0;
          return;
        }
        const r0 = u0 + (0 - f0) / df;
        const r1 = u0 + (lim - f0) / df;
        const lo = Math.min(r0, r1);
        const hi = Math.max(r0, r1);
        a0 = Math.max(a0, Math.ceil(lo) - 1);
        a1 = Math.min(a1, Math.floor(hi) + 2);
      };
      clampRange(sxF, cosF, xLim);
      clampRange(syF, -sinF, yLim);
      a0 = Math.max(u0, a0);
      a1 = Math.min(u1, Math.max(a0, a1));
      while (a0 < a1 && !inside(a0)) a0++;
      while (a1 > a0 && !inside(a1 - 1)) a1--;
      // Samples more than 2 px outside the source are fill (the corners of an uncropped rotated page):
      // only those in between go through the careful path.
      let b0 = u0;
      let b1 = u1;
      const nearRange = (f0: number, df: number, lim: number): void => {
        const M = 2 * 65536;
        if (df === 0) {
          if (f0 < -M || f0 > lim + M) [b0, b1] = [u1, u0];
          return;
        }
        const r0 = u0 + (-M - f0) / df;
        const r1 = u0 + (lim + M - f0) / df;
        b0 = Math.max(b0, Math.floor(Math.min(r0, r1)));
        b1 = Math.min(b1, Math.ceil(Math.max(r0, r1)) + 1);
      };
      nearRange(sxF, cosF, xLim);
      nearRange(syF, -sinF, yLim);
      const fillTo = Math.min(a0, Math.max(u0, b0));
      const fillFrom = Math.max(a1, Math.min(u1, b1));
      out.fill(fill[0]!, rowOut + u0, rowOut + fillTo);
      out.fill(fill[0]!, rowOut + fillFrom, rowOut + u1);
      for (let u = fillTo; u < a0; u++) slow((sxF + (u - u0) * cosF) / 65536, (syF - (u - u0) * sinF) / 65536, rowOut + u);
      for (let u = a1; u < fillFrom; u++) slow((sxF + (u - u0) * cosF) / 65536, (syF - (u - u0) * sinF) / 65536, rowOut + u);
      spanA[v] = a0;
      spanN[v] = a1 - a0;
      spanX[v] = sxF + (a0 - u0) * cosF;
      spanY[v] = syF - (a0 - u0) * sinF;
    } else {
      for (let u = u0; u < u1; u++) {
        const sx = sxRow + u * cos;
        const sy = syRow - u * sin;
        const o = rowOut + u * channels;
        if (sx >= 0 && sy >= 0 && sx < xMaxF && sy < yMaxF) {
          const ix = sx | 0;
          const iy = sy | 0;
          const fx = sx - ix;
          const fy = sy - iy;
          const p = iy * rowLen + ix * channels;
          for (let c = 0; c < channels; c++) {
            const q = p + c;
            const top = src[q]! + (src[q + channels]! - src[q]!) * fx;
            const bot = src[q + rowLen]! + (src[q + rowLen + channels]! - src[q + rowLen]!) * fx;
            out[o + c] = top + (bot - top) * fy + 0.5;
          }
        } else slow(sx, sy, o);
      }
    }
  }
  if (spanA && spanN && spanX && spanY) {
    if (Math.abs(sin) < 0.5) {
      // Near 0°: an output row reads one or two source rows at a time (cache-friendly as it is).
      for (let v = 0; v < ch; v++) if (spanN[v]! > 0) bilinearSpan(src, width, out, v * cw + spanA[v]!, spanN[v]!, spanX[v]!, spanY[v]!, cosF, -sinF);
    } else {
      // Near 90°: an output row walks down source columns. Tiles of 16 rows × 256 columns keep the
      // source lines they read in the cache.
      const TR = 16;
      const TC = 256;
      for (let v0 = 0; v0 < ch; v0 += TR) {
        const v1 = Math.min(ch, v0 + TR);
        for (let c0 = 0; c0 < cw; c0 += TC) {
          for (let v = v0; v < v1; v++) {
            const a = spanA[v]!;
            const lo = Math.max(a, c0);
            const hi = Math.min(a + spanN[v]!, c0 + TC);
            if (lo >= hi) continue;
            bilinearSpan(src, width, out, v * cw + lo, hi - lo, spanX[v]! + (lo - a) * cosF, spanY[v]! - (lo - a) * sinF, cosF, -sinF);
          }
        }
      }
    }
  }
  return out;
}

/**
 * Bilinear samples of a grey image along a line, in 16.16 fixed point with 8-bit weights: `n` pixels
 * from (x, y), stepping (dx, dy). Every sample and its right and lower neighbours must lie inside.
 */
function bilinearSpan(src: Uint8Array, width: number, out: Uint8Array, o: number, n: number, x: number, y: number, dx: number, dy: number): void {
  if (((x | y | dx | dy) & 0xffff) === 0) {
    // Every sample on a pixel centre (0° or a quarter turn, no skew): a strided copy.
    let p = (y >> 16) * width + (x >> 16);
    const step = (dy >> 16) * width + (dx >> 16);
    if (step === 1) out.set(src.subarray(p, p + n), o);
    else for (const end = o + n; o < end; o++, p += step) out[o] = src[p]!;
    return;
  }
  for (const end = o + n; o < end; o++, x += dx, y += dy) {
    const p = (y >> 16) * width + (x >> 16);
    const fx = (x >> 8) & 255;
    const fy = (y >> 8) & 255;
    const a = src[p]!;
    const c = src[p + width]!;
    const top = (a << 8) + (src[p + 1]! - a) * fx;
    const bot = (c << 8) + (src[p + width + 1]! - c) * fx;
    out[o] = ((top << 8) + (bot - top) * fy + 32768) >> 16;
  }
}

/** Maps a point of the source to the rotated frame of `rotateCrop`. */
export function rotatePoint(x: number, y: number, width: number, height: number, angleDeg: number): [number, number] {
  const [W2, H2] = rotatedSize(width, height, angleDeg);
  const a = (angleDeg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const dx = x - width / 2;
  const dy = y - height / 2;
  return [dx * cos - dy * sin + W2 / 2, dx * sin + dy * cos + H2 / 2];
}

/**
 * Connected components (8-connected) of the pixels with gray < threshold, found on horizontal runs:
 * one pass over the pixels to find the runs, union-find over runs, then per-component stats.
 */
export interface Components {
  width: number;
  height: number;
  /** Run i covers row runY[i], columns runX0[i]..runX1[i] inclusive, and belongs to component runComp[i]. */
  runY: Int32Array;
  runX0: Int32Array;
  runX1: Int32Array;
  runComp: Int32Array;
  runCount: number;
  count: number;
  area: Int32Array;
  minX: Int32Array;
  minY: Int32Array;
  maxX: Int32Array;
  maxY: Int32Array;
  /** Runs of component c are compRuns[compStart[c] .. compStart[c+1]). */
  compStart: Int32Array;
  compRuns: Int32Array;
}

/** Runs per row of the last image (about the same for a page's analysis copy and the page itself). */
let lastRunsPerRow = 0;

export function findComponents(gray: Uint8Array, width: number, height: number, threshold: number, alloc?: Alloc): Components {
  // Start from the size the last page needed, so that the run arrays rarely grow.
  let cap = Math.max(1 << 16, Math.ceil(lastRunsPerRow * height * 1.25));
  let runY = int32(alloc, cap);
  let runX0 = int32(alloc, cap);
  let runX1 = int32(alloc, cap);
  let n = 0;
  const rowStart = new Int32Array(height + 1);
  // Paper is mostly ≥ 192: skip four such pixels at a time (valid while the threshold is ≤ 192).
  const words = threshold <= 192 && gray.byteOffset % 4 === 0 ? new Int32Array(gray.buffer, gray.byteOffset, gray.byteLength >> 2) : null;
  const BRIGHT = 0xc0c0c0c0 | 0;
  for (let y = 0; y < height; y++) {
    rowStart[y] = n;
    const base = y * width;
    let x = 0;
    while (x < width) {
      if (words !== null && ((base + x) & 3) === 0) {
        let wi = (base + x) >> 2;
        const wEnd = (base + width) >> 2;
        while (wi < wEnd && (words[wi]! & BRIGHT) === BRIGHT) wi++;
        x = (wi << 2) - base;
        if (x >= width) break;
      }
      if (gray[base + x]! >= threshold) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < width && gray[base + x]! < threshold) x++;
      if (n === cap) {
        cap *= 2;
        const a = int32(alloc, cap); a.set(runY); runY = a;
        const b = int32(alloc, cap); b.set(runX0); runX0 = b;
        const c = int32(alloc, cap); c.set(runX1); runX1 = c;
      }
      runY[n] = y;
      runX0[n] = x0;
      runX1[n] = x - 1;
      n++;
    }
  }
  rowStart[height] = n;
  if (height > 0) lastRunsPerRow = n / height;
  const parent = int32(alloc, n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let y = 1; y < height; y++) {
    let p = rowStart[y - 1]!;
    const pEnd = rowStart[y]!;
    const end = rowStart[y + 1]!;
    for (let i = rowStart[y]!; i < end; i++) {
      const a0 = runX0[i]! - 1;
      const a1 = runX1[i]! + 1;
      while (p < pEnd && runX1[p]! < a0) p++;
      for (let q = p; q < pEnd && runX0[q]! <= a1; q++) {
        const ra = find(i);
        const rb = find(q);
        if (ra !== rb) {
          if (ra < rb) parent[rb] = ra;
          else parent[ra] = rb;
        }
      }
    }
  }
  const runComp = int32(alloc, n);
  const label = int32(alloc, n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (label[r] === -1) label[r] = count++;
    runComp[i] = label[r]!;
  }
  const area = new Int32Array(count);
  const minX = new Int32Array(count).fill(0x7fffffff);
  const minY = new Int32Array(count).fill(0x7fffffff);
  const maxX = new Int32Array(count).fill(-1);
  const maxY = new Int32Array(count).fill(-1);
  const compStart = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const c = runComp[i]!;
    area[c]! += runX1[i]! - runX0[i]! + 1;
    if (runX0[i]! < minX[c]!) minX[c] = runX0[i]!;
    if (runX1[i]! > maxX[c]!) maxX[c] = runX1[i]!;
    if (runY[i]! < minY[c]!) minY[c] = runY[i]!;
    if (runY[i]! > maxY[c]!) maxY[c] = runY[i]!;
    compStart[c + 1]!++;
  }
  for (let c = 0; c < count; c++) compStart[c + 1]! += compStart[c]!;
  const fillPos = compStart.slice(0, count);
  const compRuns = int32(alloc, n);
  for (let i = 0; i < n; i++) compRuns[fillPos[runComp[i]!]!++] = i;
  return {
    width, height, runY: runY.subarray(0, n), runX0: runX0.subarray(0, n), runX1: runX1.subarray(0, n), runComp, runCount: n,
    count, area, minX, minY, maxX, maxY, compStart, compRuns,
  };
}

/** The same components in the image turned by 180° (runs and boxes mirrored; run order not kept). */
export function turnComponents180(c: Components): Components {
  const { width: W, height: H } = c;
  const n = c.runCount;
  const runY = new Int32Array(n);
  const runX0 = new Int32Array(n);
  const runX1 = new Int32Array(n);
  // Reverse the run order so that runs stay sorted by row.
  const runComp = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    runY[j] = H - 1 - c.runY[i]!;
    runX0[j] = W - 1 - c.runX1[i]!;
    runX1[j] = W - 1 - c.runX0[i]!;
    runComp[j] = c.runComp[i]!;
  }
  const compRuns = new Int32Array(n);
  for (let i = 0; i < n; i++) compRuns[i] = n - 1 - c.compRuns[i]!;
  const minX = new Int32Array(c.count);
  const maxX = new Int32Array(c.count);
  const minY = new Int32Array(c.count);
  const maxY = new Int32Array(c.count);
  for (let k = 0; k < c.count; k++) {
    minX[k] = W - 1 - c.maxX[k]!;
    maxX[k] = W - 1 - c.minX[k]!;
    minY[k] = H - 1 - c.maxY[k]!;
    maxY[k] = H - 1 - c.minY[k]!;
  }
  return { ...c, runY, runX0, runX1, runComp, compRuns, minX, maxX, minY, maxY };
}

/** Downscale by an integer factor k with a k×k box average (interleaved channels). */
export function boxReduce(
  src: Uint8Array,
  width: number,
  height: number,
  channels: number,
  k: number,
  target?: (size: number) => Uint8Array,
): { data: Uint8Array; width: number; height: number } {
  const w = Math.floor(width / k);
  const h = Math.floor(height / k);
  const out = target ? target(w * h * channels) : new Uint8Array(w * h * channels);
  if (k === 2 && channels === 1 && width % 4 === 0 && src.byteOffset % 4 === 0 && w > 0) {
    // Two output pixels per pair of 32-bit reads: the bytes are summed pairwise in 16-bit lanes.
    const words = new Uint32Array(src.buffer, src.byteOffset, (width * height) >> 2);
    const half = w >> 1;
    for (let y = 0; y < h; y++) {
      let a = (y * width) >> 1;
      let b = a + (width >> 2);
      let o = y * w;
      for (let x = 0; x < half; x++, a++, b++, o += 2) {
        const wa = words[a]!;
        const wb = words[b]!;
        const s = (((wa & 0xff00ff) + ((wa >>> 8) & 0xff00ff) + (wb & 0xff00ff) + ((wb >>> 8) & 0xff00ff) + 0x20002) >>> 2) & 0xff00ff;
        out[o] = s;
        out[o + 1] = s >>> 16;
      }
      if (w & 1) {
        const p = 2 * y * width + 2 * (w - 1);
        out[o] = (src[p]! + src[p + 1]! + src[p + width]! + src[p + width + 1]! + 2) >> 2;
      }
    }
    return { data: out, width: w, height: h };
  }
  if (k === 2 && channels === 1) {
    for (let y = 0; y < h; y++) {
      let a = 2 * y * width;
      let b = a + width;
      let o = y * w;
      for (let x = 0; x < w; x++, a += 2, b += 2, o++) out[o] = (src[a]! + src[a + 1]! + src[b]! + src[b + 1]! + 2) >> 2;
    }
    return { data: out, width: w, height: h };
  }
  const acc = new Uint32Array(w * channels);
  const n = k * k;
  const half = n >> 1;
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    for (let r = 0; r < k; r++) {
      let p = ((y * k + r) * width) * channels;
      for (let x = 0; x < w; x++) {
        const o = x * channels;
        for (let j = 0; j < k; j++) {
          for (let c = 0; c < channels; c++) acc[o + c]! += src[p + c]!;
          p += channels;
        }
      }
    }
    const row = y * w * channels;
    for (let i = 0; i < w * channels; i++) out[row + i] = ((acc[i]! + half) / n) | 0;
  }
  return { data: out, width: w, height: h };
}

/** Mean onto a gw×gh grid, from every `step`-th pixel of every `step`-th row (for tiny hash thumbnails). */
export function gridMean(gray: Uint8Array, width: number, height: number, gw: number, gh: number, step = 1): Uint8Array {
  const sum = new Float64Array(gw * gh);
  const cnt = new Float64Array(gw * gh);
  const colCell = new Int32Array(width);
  for (let x = 0; x < width; x++) colCell[x] = Math.min(gw - 1, Math.floor((x * gw) / width));
  for (let y = 0; y < height; y += step) {
    const base = Math.min(gh - 1, Math.floor((y * gh) / height)) * gw;
    const row = y * width;
    for (let x = 0; x < width; x += step) {
      const c = base + colCell[x]!;
      sum[c]! += gray[row + x]!;
      cnt[c]!++;
    }
  }
  const out = new Uint8Array(gw * gh);
  for (let i = 0; i < out.length; i++) out[i] = cnt[i] ? Math.round(sum[i]! / cnt[i]!) : 0;
  return out;
}
