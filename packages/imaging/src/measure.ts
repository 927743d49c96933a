/** Page measures: colour content, clarity, content at the edge, perceptual hash. */
import type { Components } from './raster.js';

/**
 * Colour content on the ≈100-dpi analysis copy: pixels whose chroma (max − min channel) exceeds the
 * paper's own chroma by more than 50, inside the paper. Paper tone and the colour fringes of black print
 * stay below that; a red seal (chroma ≈ 150) or a photo does not. Colour when such pixels cover
 * ≥ 0.03 % of the paper and at least ≈ 1.5 mm².
 */
export function colourContent(
  rgb: Uint8Array,
  width: number,
  height: number,
  border: Uint8Array,
  threshold: number,
  dpiA: number,
): { hasColor: boolean; colorPixels: number; paperChroma: number; paper: [number, number, number] } {
  const n = width * height;
  const chromaHist = new Uint32Array(256);
  const hr = new Uint32Array(256);
  const hg = new Uint32Array(256);
  const hb = new Uint32Array(256);
  let paperPixels = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    if (border[i]) continue;
    const r = rgb[j]!;
    const g = rgb[j + 1]!;
    const b = rgb[j + 2]!;
    const lum = (r * 299 + g * 587 + b * 114) / 1000;
    if (lum < threshold) continue;
    paperPixels++;
    chromaHist[Math.max(r, g, b) - Math.min(r, g, b)]!++;
    hr[r]!++;
    hg[g]!++;
    hb[b]!++;
  }
  const med = (h: Uint32Array): number => {
    let acc = 0;
    for (let i = 0; i < 256; i++) {
      acc += h[i]!;
      if (acc * 2 >= paperPixels) return i;
    }
    return 255;
  };
  const paperChroma = paperPixels ? med(chromaHist) : 0;
  let colorPixels = 0;
  let allPaper = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    if (border[i]) continue;
    allPaper++;
    const r = rgb[j]!;
    const g = rgb[j + 1]!;
    const b = rgb[j + 2]!;
    if (Math.max(r, g, b) - Math.min(r, g, b) - paperChroma > 50) colorPixels++;
  }
  const mm2 = (dpiA / 25.4) ** 2;
  const hasColor = colorPixels >= 0.0003 * allPaper && colorPixels >= 1.5 * mm2;
  return { hasColor, colorPixels, paperChroma, paper: paperPixels ? [med(hr), med(hg), med(hb)] : [255, 255, 255] };
}

/**
 * Clarity on a 150-dpi copy (so the score does not depend on the scan resolution): the 90th percentile
 * of the steepest one-pixel step (max of |dx|, |dy|) over the edge pixels (step > 15 % of the contrast),
 * as a percentage of the ink-to-paper contrast. See PageAnalysis.blurScore.
 */
export function blurScore(gray: Uint8Array, width: number, height: number, threshold: number): { score: number; edges: number; contrast: number } {
  // Rows 0, 4, 8, …: the same rows the edge loop below reads.
  const h = new Uint32Array(256);
  for (let y = 0; y < height - 1; y += 4) {
    const row = y * width;
    for (let x = 0; x < width; x++) h[gray[row + x]!]!++;
  }
  let nInk = 0;
  let nPaper = 0;
  for (let i = 0; i < 256; i++) {
    if (i < threshold) nInk += h[i]!;
    else nPaper += h[i]!;
  }
  if (nInk === 0 || nPaper === 0) return { score: 0, edges: 0, contrast: 0 };
  const pct = (lo: number, hi: number, n: number, q: number): number => {
    let acc = 0;
    for (let i = lo; i <= hi; i++) {
      acc += h[i]!;
      if (acc >= q * n) return i;
    }
    return hi;
  };
  // Paper: median of the light pixels; ink: 10th percentile of the dark ones (the cores of the strokes).
  const paper = pct(threshold, 255, nPaper, 0.5);
  const ink = pct(0, threshold - 1, nInk, 0.1);
  const contrast = paper - ink;
  if (contrast < 20) return { score: 0, edges: 0, contrast };
  const minStep = 0.15 * contrast;
  const steps = new Uint32Array(256);
  let edges = 0;
  // Every fourth row (≈ 0.7 mm apart at 150 dpi) is plenty for a percentile and quarters the cost.
  for (let y = 0; y < height - 1; y += 4) {
    const row = y * width;
    for (let x = 0; x < width - 1; x++) {
      const i = row + x;
      const v = gray[i]!;
      const dx = Math.abs(gray[i + 1]! - v);
      const dy = Math.abs(gray[i + width]! - v);
      const d = dx > dy ? dx : dy;
      if (d > minStep) {
        steps[d]!++;
        edges++;
      }
    }
  }
  if (edges < 50) return { score: 0, edges, contrast };
  let acc = 0;
  let p90 = 255;
  for (let i = 0; i < 256; i++) {
    acc += steps[i]!;
    if (acc >= 0.9 * edges) {
      p90 = i;
      break;
    }
  }
  return { score: Math.round(Math.min(100, (100 * p90) / contrast) * 10) / 10, edges, contrast };
}

/**
 * Content at the edge: ink (after despeckle) in a 1-mm band just inside each side of `paper`, projected
 * onto that side. Flagged when it covers ≥ 1.5 mm but not most of the side (a continuous dark line along
 * the whole side is a paper edge or a frame, not cut content).
 */
export function edgeContent(
  comps: Components,
  removed: Uint8Array,
  paper: [number, number, number, number],
  dpi: number,
): { top: boolean; right: boolean; bottom: boolean; left: boolean } {
  const mm = dpi / 25.4;
  const band = Math.max(2, Math.round(mm));
  const [pl, pt, pw, ph] = paper;
  const pr = pl + pw - 1;
  const pb = pt + ph - 1;
  const top = new Uint8Array(pw);
  const bottom = new Uint8Array(pw);
  const left = new Uint8Array(ph);
  const right = new Uint8Array(ph);
  for (let i = 0; i < comps.runCount; i++) {
    if (removed[comps.runComp[i]!]) continue;
    const y = comps.runY[i]!;
    if (y < pt || y > pb) continue;
    const x0 = Math.max(pl, comps.runX0[i]!);
    const x1 = Math.min(pr, comps.runX1[i]!);
    if (x0 > x1) continue;
    if (y < pt + band) top.fill(1, x0 - pl, x1 - pl + 1);
    if (y > pb - band) bottom.fill(1, x0 - pl, x1 - pl + 1);
    if (x0 < pl + band) left[y - pt] = 1;
    if (x1 > pr - band) right[y - pt] = 1;
  }
  const flag = (a: Uint8Array): boolean => {
    let n = 0;
    for (let i = 0; i < a.length; i++) n += a[i]!;
    return n >= 1.5 * mm && n <= 0.8 * a.length;
  };
  return { top: flag(top), right: flag(right), bottom: flag(bottom), left: flag(left) };
}

/** 64-bit difference hash of a 9×8 greyscale thumbnail, as 16 hex digits. */
export function dHash(tiny: Uint8Array): string {
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (tiny[y * 9 + x]! > tiny[y * 9 + x + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}
