/**
 * The page pipeline: orient → deskew → crop → despeckle → measure → encode. Deterministic: the same
 * original and the same manual operations give the same analysis (timings aside) and the same pixels,
 * so derivatives can always be rebuilt from the original plus the recorded operations.
 *
 * Geometry: the detected (or manual) rotation and skew are one clockwise rotation of the original by
 * `rotation + skewDeg` about its centre, onto a canvas just large enough to hold it (the "upright,
 * deskewed frame" in which crop boxes are given). Analysis runs on a ≈100-dpi copy; the full image is
 * resampled once (bilinear, in JS, only inside the crop box).
 */
import sharp from 'sharp';
import { analysePaper, findSkew } from './deskew.js';
import { acquire, release } from './buffers.js';
import { despeckle, punctuationVotes, speckleParams } from './despeckle.js';
import { blurScore, colourContent, dHash, edgeContent } from './measure.js';
import { type Box, boxReduce, findComponents, gridMean, type HalfPlanes, rotateCrop, rotatedSize, rotatePoint, toGray, turnComponents180 } from './raster.js';
import type { PageAnalysis, ProcessOptions, ProcessedPage, RawImage } from './types.js';

/** blurScore below this is `blurry` (calibrated on synthetic pages: sharp ≈ 58–63, 0.17-mm blur ≈ 32). */
export const BLURRY_BELOW = 45;
/** Margin kept outside the paper edge when cropping a scanner border. */
export const CROP_MARGIN_MM = 2.5;
/** The paper edge is filled this far in (the analysis copy places it to ≈ 0.25 mm; edge shadows). */
const KEEP_INSET_MM = 0.5;
/** Rows of the analysis copy whose non-border run is shorter than this do not shape the paper (bright specks, streaks). */
const MIN_PAPER_RUN_MM = 5;

type Step = PageAnalysis['steps'][number];

export async function processPage(image: RawImage, options: ProcessOptions): Promise<ProcessedPage> {
  const held: Uint8Array[] = [];
  try {
    return await run(image, options, (size) => {
      const b = acquire(size);
      held.push(b);
      return b;
    });
  } finally {
    release(...held);
  }
}

async function run(image: RawImage, options: ProcessOptions, buffer: (size: number) => Uint8Array): Promise<ProcessedPage> {
  const started = performance.now();
  const steps: Step[] = [];
  const ops = options.ops ?? {};
  const assumed = options.assumedDpi ?? 300;
  // A recorded 72 or 96 dpi that would make the page more than 600 mm long is a software default, not
  // the scan's resolution (a 300-dpi A4 scan saved with "72 dpi" would be 1.2 m tall): use the assumed one.
  const recorded = image.dpi && image.dpi > 0 ? image.dpi : null;
  const implausible = recorded !== null && recorded <= 96 && (Math.max(image.width, image.height) / recorded) * 25.4 > 600;
  const dpi = recorded !== null && !implausible ? recorded : assumed;
  const dpiSource = recorded === null ? 'assumed' : implausible ? 'assumed (recorded value implausible)' : 'file';
  const mm = dpi / 25.4;
  const { width: W, height: H } = image;
  if (!(W > 0 && H > 0) || image.pixels.length < W * H * image.channels) throw new Error('RawImage: pixel buffer too small');
  let src = new Uint8Array(image.pixels.buffer, image.pixels.byteOffset, W * H * image.channels);
  let ch: 1 | 3 = image.channels === 1 ? 1 : 3;
  if (image.channels === 4) {
    const rgb = new Uint8Array(W * H * 3);
    for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
      rgb[j] = src[i]!;
      rgb[j + 1] = src[i + 1]!;
      rgb[j + 2] = src[i + 2]!;
    }
    src = rgb;
    ch = 3;
  }

  // ---- orient + deskew (on a ≈100-dpi copy) ----
  let t = performance.now();
  const f = Math.min(1, 100 / dpi);
  const wA = Math.max(1, Math.round(W * f));
  const hA = Math.max(1, Math.round(H * f));
  const small = new Uint8Array(
    await img(src, W, H, ch)
      .resize(wA, hA, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer(),
  );
  const grayA = toGray(small, wA, hA, ch);
  const pa = analysePaper(grayA, wA, hA, buffer);
  const colour = ch === 3 ? colourContent(small, wA, hA, pa.border, pa.threshold, dpi * (wA / W)) : null;
  const colorMode: 'color' | 'gray' = colour?.hasColor ? 'color' : 'gray';
  const fixedBase = ops.rotation !== undefined ? ((ops.rotation % 180) as 0 | 90) : undefined;
  const sk = findSkew(grayA, wA, hA, pa, { base: fixedBase, skew: ops.skewDeg }, buffer, dpi * (wA / W));
  const orientMs = performance.now() - t;
  const skewDeg = sk.skewDeg;
  const angle = sk.base + skewDeg;
  const [W2, H2] = rotatedSize(W, H, angle);

  // ---- crop box in the rotated frame (before any 180° turn) ----
  t = performance.now();
  const hasBorder = pa.borderPixels > 0.005 * wA * hA;
  let crop: Box;
  let keep: HalfPlanes | null = null;
  let hull: Array<[number, number]> | null = null;
  let paper: Box;
  const manualCrop = ops.cropBox !== undefined;
  if (manualCrop) {
    crop = [0, 0, W2, H2];
    paper = crop;
  } else if (hasBorder && (hull = paperHull(pa.border, wA, hA, W / wA, H / hA, Math.max(4, Math.round(MIN_PAPER_RUN_MM * mm * (wA / W)))))) {
    // The paper is the convex hull of what is not scanner border: everything outside it becomes paper
    // colour while rotating, whatever the angle between the paper edges and the text; the crop is the
    // paper's bounding box in the rotated frame plus the margin.
    paper = rotatedBounds(hull, W, H, angle, W2, H2);
    const m = Math.round(CROP_MARGIN_MM * mm);
    const l = Math.max(0, paper[0] - m);
    const tp = Math.max(0, paper[1] - m);
    const r = Math.min(W2, paper[0] + paper[2] + m);
    const b = Math.min(H2, paper[1] + paper[3] + m);
    crop = [l, tp, r - l, b - tp];
    keep = halfPlanes(hull, KEEP_INSET_MM * mm);
    const e = Math.round(KEEP_INSET_MM * mm);
    paper = [paper[0] + e, paper[1] + e, Math.max(1, paper[2] - 2 * e), Math.max(1, paper[3] - 2 * e)];
  } else {
    const bw = sk.base === 90 ? H : W;
    const bh = sk.base === 90 ? W : H;
    crop = [Math.max(0, Math.round((W2 - bw) / 2)), Math.max(0, Math.round((H2 - bh) / 2)), Math.min(bw, W2), Math.min(bh, H2)];
    paper = crop;
  }
  const fillGray = pa.paperLevel;
  const fillColor = colour ? colour.paper : [fillGray, fillGray, fillGray];
  let color: Uint8Array | null = null;
  let gray: Uint8Array;
  if (colorMode === 'color') {
    color = rotateCrop(src, W, H, 3, angle, crop, fillColor, keep, buffer(crop[2] * crop[3] * 3));
    gray = toGray(color, crop[2], crop[3], 3);
  } else {
    const g = ch === 3 ? toGray(src, W, H, 3) : src;
    gray = rotateCrop(g, W, H, 1, angle, crop, [fillGray], keep, buffer(crop[2] * crop[3]));
  }
  let cw = crop[2];
  let chh = crop[3];
  // Paper box relative to the crop.
  let paperIn: Box = [paper[0] - crop[0], paper[1] - crop[1], paper[2], paper[3]];
  paperIn = clipBox(paperIn, cw, chh);
  const cropMs = performance.now() - t;

  // ---- components, orientation 180 ----
  t = performance.now();
  const threshold = pa.threshold;
  let flip: boolean;
  let votes = { bottom: 0, top: 0, lines: 0 };
  // With a manual crop and rotation nothing is needed from the uncut page.
  const skipFirst = manualCrop && ops.rotation !== undefined;
  let comps = findComponents(gray, skipFirst ? 0 : cw, skipFirst ? 0 : chh, threshold, buffer);
  let dsp = despeckle(comps, gray, color, threshold, dpi, ops.despeckle !== false && !manualCrop, buffer);
  if (ops.rotation !== undefined) {
    flip = ops.rotation >= 180;
  } else {
    votes = punctuationVotes(comps, dsp.removed, dpi);
    // Turn only on clear evidence from text lines (a photo or a form without punctuation stays as is).
    flip = votes.lines >= 2 && votes.top >= 3 && votes.top > 2 * votes.bottom;
  }
  let despeckleMs = performance.now() - t;
  const rotation = ((sk.base + (flip ? 180 : 0)) % 360) as 0 | 90 | 180 | 270;
  let cropR: Box = flip ? [W2 - crop[0] - cw, H2 - crop[1] - chh, cw, chh] : crop;
  if (flip) {
    gray.reverse();
    if (color) reverseRgb(color);
    paperIn = [cw - paperIn[0] - paperIn[2], chh - paperIn[1] - paperIn[3], paperIn[2], paperIn[3]];
  }
  if (manualCrop) {
    // The box is given in the upright frame; cut it out, then despeckle the cut.
    t = performance.now();
    const box = ops.cropBox ? clipBox(ops.cropBox.map((v) => Math.round(v)) as Box, cw, chh) : ([0, 0, cw, chh] as Box);
    gray = cut(gray, cw, 1, box);
    if (color) color = cut(color, cw, 3, box);
    cropR = box;
    cw = box[2];
    chh = box[3];
    paperIn = [0, 0, cw, chh];
    comps = findComponents(gray, cw, chh, threshold, buffer);
    dsp = despeckle(comps, gray, color, threshold, dpi, ops.despeckle !== false, buffer);
    despeckleMs += performance.now() - t;
  } else if (flip) {
    // The measures below read the components: mirror them into the turned frame.
    comps = turnComponents180(comps);
  }
  steps.push({
    name: 'orient',
    params: { manual: ops.rotation ?? null },
    result: { rotation, projectionScore: sk.score, otherAxisScore: sk.scoreOther, punctuationBottom: votes.bottom, punctuationTop: votes.top, lines: votes.lines },
    // One projection search serves orientation and deskew; its time is split between the two steps.
    ms: round(orientMs / 2),
  });
  steps.push({
    name: 'deskew',
    params: { manual: ops.skewDeg ?? null, analysisDpi: round(dpi * f) },
    result: { skewDeg, inkPoints: sk.points },
    ms: round(orientMs / 2),
  });
  steps.push({
    name: 'crop',
    params: { manual: ops.cropBox === undefined ? undefined : ops.cropBox, marginMm: CROP_MARGIN_MM },
    result: { cropBox: cropR, scannerBorder: hasBorder, fill: fillColor },
    ms: round(cropMs),
  });
  steps.push({
    name: 'despeckle',
    params: { enabled: ops.despeckle !== false, ...dsp.params },
    result: { removed: dsp.removedCount, removedPixels: dsp.removedPixels, threshold },
    ms: round(despeckleMs),
  });

  // ---- measures ----
  t = performance.now();
  const sp = speckleParams(dpi);
  let ink = 0;
  let sigInk = 0;
  for (let c = 0; c < comps.count; c++) {
    if (dsp.removed[c]) continue;
    ink += comps.area[c]!;
    if (comps.area[c]! > sp.smallArea) sigInk += comps.area[c]!;
  }
  const blank = sigInk < 2.5 * mm * mm;
  const edges = edgeContent(comps, dsp.removed, paperIn, dpi);
  // A ≈150-dpi copy: the clarity measure and the hash use it, and so do the web and thumb derivatives
  // when it is at least as large as they are. At 300 (600, …) dpi it is an exact 2×2 (4×4) box average.
  const outCh = color ? 3 : 1;
  const out = color ?? gray;
  const k150 = Math.round(dpi / 150);
  const exact = k150 >= 2 && Math.abs(dpi / 150 - k150) < 0.05;
  let c150: Uint8Array;
  let w150: number;
  let h150: number;
  if (exact) {
    const r = boxReduce(out, cw, chh, outCh, k150, buffer);
    c150 = r.data;
    w150 = r.width;
    h150 = r.height;
  } else if (dpi > 150) {
    const f150 = 150 / dpi;
    w150 = Math.max(1, Math.round(cw * f150));
    h150 = Math.max(1, Math.round(chh * f150));
    c150 = new Uint8Array(await img(out, cw, chh, outCh).resize(w150, h150, { fit: 'fill', kernel: 'linear' }).raw().toBuffer());
  } else {
    c150 = out;
    w150 = cw;
    h150 = chh;
  }
  const g150 = outCh === 3 ? toGray(c150, w150, h150, 3) : c150;
  const blur = blurScore(g150, w150, h150, threshold);
  const tiny = gridMean(g150, w150, h150, 9, 8, 3);
  const perceptualHash = dHash(tiny);
  const blurry = !blank && blur.score < BLURRY_BELOW;
  const inkRatio = ink / (cw * chh);
  steps.push({
    name: 'measure',
    params: { blurryBelow: BLURRY_BELOW, minDpi: options.minDpi, recordedDpi: recorded, dpiSource },
    result: { sigInkPixels: sigInk, blurEdges: blur.edges, contrast: blur.contrast, colorPixels: colour?.colorPixels ?? 0, paperChroma: colour?.paperChroma ?? null },
    ms: round(performance.now() - t),
  });

  // ---- encode ----
  t = performance.now();
  const q = options.masterQuality ?? 92;
  const webSize = options.webSize ?? 1600;
  const thumbSize = options.thumbSize ?? 240;
  const [ww, wh] = fit(cw, chh, webSize);
  const [tw, th] = fit(ww, wh, thumbSize);
  const fromSmall = Math.max(w150, h150) >= Math.max(ww, wh);
  // The three encodes run side by side on libvips threads (the worker's own thread has nothing else to do).
  // Huffman optimisation off for the master: it triples the encode time for ≈ 5 % in size.
  const masterP = img(out, cw, chh, outCh).jpeg({ quality: q, chromaSubsampling: '4:4:4', optimiseCoding: false }).toBuffer();
  const derivativesP = (async () => {
    const webRaw =
      ww === cw && wh === chh
        ? out
        : fromSmall
          ? ww === w150 && wh === h150
            ? c150
            : await img(c150, w150, h150, outCh).resize(ww, wh, { fit: 'fill' }).raw().toBuffer()
          : await img(out, cw, chh, outCh).resize(ww, wh, { fit: 'fill' }).raw().toBuffer();
    return Promise.all([
      img(webRaw, ww, wh, outCh).jpeg({ quality: 82, optimiseCoding: false }).toBuffer(),
      img(webRaw, ww, wh, outCh).resize(tw, th, { fit: 'fill' }).jpeg({ quality: 75 }).toBuffer(),
    ]);
  })();
  const [masterJpeg, [web, thumb]] = await Promise.all([masterP, derivativesP]);
  const master = setJfifDensity(masterJpeg, dpi);
  steps.push({
    name: 'encode',
    params: { masterQuality: q, webSize, thumbSize },
    result: { masterBytes: master.length, webBytes: web.length, thumbBytes: thumb.length, channels: outCh },
    ms: round(performance.now() - t),
  });

  const analysis: PageAnalysis = {
    skewDeg,
    rotation,
    cropBox: cropR,
    blank,
    blurScore: blur.score,
    blurry,
    dpi,
    dpiLow: dpi < (options.minDpi ?? 300),
    colorMode,
    hasColorContent: colour?.hasColor ?? false,
    edgeContent: edges,
    specklesRemoved: dsp.removedCount,
    inkRatio: Math.round(inkRatio * 1e6) / 1e6,
    width: cw,
    height: chh,
    perceptualHash,
    steps,
    ms: round(performance.now() - started),
  };
  return { analysis, master, web, thumb };
}

/** A sharp pipeline over raw pixels that stays single-channel for grey (sharp would otherwise output sRGB). */
function img(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): sharp.Sharp {
  const s = sharp(pixels, { raw: { width, height, channels } });
  return channels === 1 ? s.toColourspace('b-w') : s;
}

/**
 * Writes the resolution into the JFIF APP0 header (sharp's withMetadata would also convert grey to sRGB).
 * Inserts an APP0 segment when the encoder wrote none.
 */
export function setJfifDensity(jpeg: Buffer, dpi: number): Buffer {
  const d = Math.max(1, Math.min(65535, Math.round(dpi)));
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0 && jpeg.toString('latin1', 6, 11) === 'JFIF\0') {
    jpeg[13] = 1;
    jpeg.writeUInt16BE(d, 14);
    jpeg.writeUInt16BE(d, 16);
    return jpeg;
  }
  const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 1, d >> 8, d & 255, d >> 8, d & 255, 0, 0]);
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function fit(w: number, h: number, size: number): [number, number] {
  const s = Math.min(1, size / Math.max(w, h));
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
}

function clipBox(b: Box, w: number, h: number): Box {
  const l = Math.min(Math.max(0, b[0]), w - 1);
  const t = Math.min(Math.max(0, b[1]), h - 1);
  const r = Math.min(w, Math.max(l + 1, b[0] + b[2]));
  const bt = Math.min(h, Math.max(t + 1, b[1] + b[3]));
  return [l, t, r - l, bt - t];
}

function cut(buf: Uint8Array, width: number, channels: number, box: Box): Uint8Array {
  const [l, t, w, h] = box;
  const out = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    const s = ((t + y) * width + l) * channels;
    out.set(buf.subarray(s, s + w * channels), y * w * channels);
  }
  return out;
}

function reverseRgb(rgb: Uint8Array): void {
  rgb.reverse();
  for (let i = 0; i < rgb.length; i += 3) {
    const r = rgb[i + 2]!;
    rgb[i + 2] = rgb[i]!;
    rgb[i] = r;
  }
}

/**
 * The paper as a convex polygon in source pixels: the hull of the rows' non-border stretches (of at least
 * `minRun` analysis pixels) of the analysis copy, over the largest band of joined rows. Dark content that touches the paper edge (and so joined
 * the border's flood fill) lies inside the hull when paper continues on both sides of it along the edge.
 * Null when no row has paper.
 */
function paperHull(border: Uint8Array, wA: number, hA: number, sx: number, sy: number, minRun: number): Array<[number, number]> | null {
  const lefts = new Int32Array(hA).fill(-1);
  const rights = new Int32Array(hA).fill(-1);
  for (let y = 0; y < hA; y++) {
    const row = y * wA;
    for (let x = 0; x < wA; ) {
      if (border[row + x]) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < wA && !border[row + x]) x++;
      if (x - x0 >= minRun) {
        if (lefts[y]! < 0) lefts[y] = x0;
        rights[y] = x;
      }
    }
  }
  // Bands of rows, each row's stretch overlapping the next; the paper is the band of largest area (a
  // bright streak across the scanner background, away from the paper, is a band of its own).
  let y0 = -1;
  let y1 = -1;
  let bestArea = 0;
  for (let y = 0, start = -1, area = 0; y <= hA; y++) {
    const joined = y < hA && lefts[y]! >= 0 && (start < 0 || (lefts[y]! < rights[y - 1]! && rights[y]! > lefts[y - 1]!));
    if (joined) {
      if (start < 0) start = y;
      area += rights[y]! - lefts[y]!;
      continue;
    }
    if (start >= 0 && area > bestArea) {
      bestArea = area;
      y0 = start;
      y1 = y - 1;
    }
    // A row with paper that does not join the band above starts a new one.
    start = y < hA && lefts[y]! >= 0 ? y : -1;
    area = start >= 0 ? rights[y]! - lefts[y]! : 0;
  }
  if (y0 < 0) return null;
  const pts: Array<[number, number]> = [];
  for (let y = y0; y <= y1; y++) {
    const left = lefts[y]!;
    const right = rights[y]!;
    pts.push([left * sx, y * sy], [left * sx, (y + 1) * sy], [right * sx, y * sy], [right * sx, (y + 1) * sy]);
  }
  // Andrew's monotone chain (the points come sorted by y; sort by x, then y).
  pts.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  return hull.length >= 3 ? hull : null;
}

/** Inward half-planes of a convex polygon, moved `inset` pixels inwards. */
function halfPlanes(poly: Array<[number, number]>, inset: number): HalfPlanes {
  let area = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i]!;
    const [x1, y1] = poly[(i + 1) % poly.length]!;
    area += x0 * y1 - x1 * y0;
  }
  const sign = area > 0 ? 1 : -1;
  const planes: HalfPlanes = [];
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i]!;
    const [x1, y1] = poly[(i + 1) % poly.length]!;
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len === 0) continue;
    // Left normal of the edge for a positive (counter-clockwise in y-up terms) orientation.
    const nx = (-(y1 - y0) / len) * sign;
    const ny = ((x1 - x0) / len) * sign;
    planes.push([nx, ny, nx * x0 + ny * y0 + inset]);
  }
  return planes;
}

/** Bounding box, in the rotated frame, of a polygon given in source pixels. */
function rotatedBounds(poly: Array<[number, number]>, W: number, H: number, angle: number, W2: number, H2: number): Box {
  let l = Infinity;
  let t = Infinity;
  let r = -Infinity;
  let b = -Infinity;
  for (const [x, y] of poly) {
    const [u, v] = rotatePoint(x, y, W, H, angle);
    l = Math.min(l, u);
    t = Math.min(t, v);
    r = Math.max(r, u);
    b = Math.max(b, v);
  }
  const L = Math.max(0, Math.round(l));
  const T = Math.max(0, Math.round(t));
  const R = Math.min(W2, Math.round(r));
  const B = Math.min(H2, Math.round(b));
  return [L, T, Math.max(1, R - L), Math.max(1, B - T)];
}
