/**
 * Synthetic scanned pages with known truth, shared by the tests and the bench. Text is drawn as
 * glyph-like blobs in Chinese page layout: square characters in a monospace grid, 2-character paragraph
 * indents, short last lines, full-width punctuation (，。) sitting low and alone in its cell, a page
 * number at the bottom. The page is then "scanned": turned by a quarter turn, skewed, laid on a dark
 * scanner background, with dust specks — each step recorded.
 */
import type { RawImage } from '../types.js';

export interface SyntheticOptions {
  dpi?: number;
  /** Size of the scan (the canvas); default A4 210×297 mm. */
  widthMm?: number;
  heightMm?: number;
  /** Dark scanner border around the paper (mm on each side, before skew); 0 = paper fills the scan. */
  borderMm?: number;
  /** Correction angle the pipeline should find (clockwise degrees); the content is turned by −skew. */
  skewDeg?: number;
  /**
   * false: the paper lies straight on the scanner and only the content is turned by −skew (a crooked
   * photocopy), so after deskew the paper edges are no longer parallel to the text. Default true.
   */
  skewPaper?: boolean;
  /** Solid dark rectangles (a photo, a black header bar): [left, top, width, height] in mm on the paper. */
  darkBoxes?: Array<[number, number, number, number]>;
  /** Clockwise quarter turn that makes the scan upright. */
  rotation?: 0 | 90 | 180 | 270;
  /** 'text' = full page, 'oneLine' = one short line, 'blank' = paper only. */
  content?: 'text' | 'oneLine' | 'blank';
  /** Number of dust specks (radius 0.6–2.2 px at 300 dpi) on the paper. */
  speckles?: number;
  /** Colour scan (paper tone); with `seal`, a red round seal. */
  color?: boolean;
  seal?: boolean;
  /** Gaussian-like blur radius in pixels. */
  blurPx?: number;
  /** Text runs off this side of the paper. */
  cutEdge?: 'top' | 'right' | 'bottom' | 'left' | null;
  fontPt?: number;
  seed?: number;
}

export interface SyntheticTruth {
  skewDeg: number;
  rotation: 0 | 90 | 180 | 270;
  /**
   * Paper rectangle [left, top, width, height] in the upright, unskewed scan (null when no border); with
   * `skewPaper: false`, in the upright scan as it is (the paper is straight there).
   */
  paperBox: [number, number, number, number] | null;
  /** 1 = speck pixel that is not ink, in scan coordinates (as returned). */
  speckleMask: Uint8Array;
  /** 1 = ink pixel (text), in scan coordinates. */
  inkMask: Uint8Array;
  speckleCount: number;
}

export interface SyntheticPage {
  image: RawImage;
  truth: SyntheticTruth;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws the clean page: 1 = ink. */
function drawPage(w: number, h: number, dpi: number, o: Required<Pick<SyntheticOptions, 'content' | 'fontPt' | 'cutEdge'>>, rnd: () => number): Uint8Array {
  const ink = new Uint8Array(w * h);
  const mm = dpi / 25.4;
  const rect = (x0: number, y0: number, x1: number, y1: number): void => {
    const a = Math.max(0, Math.round(x0));
    const b = Math.min(w, Math.round(x1));
    const c = Math.max(0, Math.round(y0));
    const d = Math.min(h, Math.round(y1));
    for (let y = c; y < d; y++) ink.fill(1, y * w + a, y * w + b);
  };
  const disc = (cx: number, cy: number, r: number, hole = 0): void => {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
        if (d2 <= r * r && d2 >= hole * hole) ink[y * w + x] = 1;
      }
    }
  };
  const em = (o.fontPt / 72) * dpi;
  const sw = Math.max(1.5, 0.09 * em);
  const glyph = (x: number, y: number): void => {
    const m = 0.08 * em;
    const s = em - 2 * m;
    const nh = 2 + Math.floor(rnd() * 3);
    for (let i = 0; i < nh; i++) {
      const yy = y + m + (s - sw) * (nh === 1 ? 0.5 : i / (nh - 1)) * (0.85 + 0.15 * rnd());
      const a = rnd() * 0.3;
      const b = 0.7 + rnd() * 0.3;
      rect(x + m + a * s, yy, x + m + b * s, yy + sw);
    }
    const nv = 1 + Math.floor(rnd() * 2);
    for (let i = 0; i < nv; i++) {
      const xx = x + m + (s - sw) * (0.2 + 0.6 * rnd());
      rect(xx, y + m + rnd() * 0.2 * s, xx + sw, y + m + (0.8 + 0.2 * rnd()) * s);
    }
    if (rnd() < 0.3) {
      // A separate dot stroke (、) at the top, as in 文 主 六.
      const xx = x + m + s * (0.3 + 0.3 * rnd());
      rect(xx, y + m - 0.05 * em, xx + 1.5 * sw, y + m + 0.1 * em);
    }
  };
  const punct = (x: number, y: number, kind: number): void => {
    // Full-width ， or 。: low and left in its cell.
    const cx = x + 0.28 * em;
    const cy = y + 0.78 * em;
    if (kind === 0) {
      disc(cx, cy, 0.1 * em);
      rect(cx, cy, cx + 0.06 * em, cy + 0.16 * em);
    } else {
      disc(cx, cy, 0.13 * em, 0.13 * em - sw * 0.9);
    }
  };
  if (o.content === 'blank') return ink;
  const left = 25 * mm;
  const right = w - 20 * mm;
  const top = 28 * mm;
  const bottom = h - 30 * mm;
  const pitch = 1.75 * em;
  const perLine = Math.floor((right - left) / em);
  if (o.content === 'oneLine') {
    const y = top + 10 * mm;
    for (let i = 0; i < 5; i++) glyph(left + 4 * em + i * em, y);
    return ink;
  }
  let y = top;
  let paraLeft = 0;
  let sincePunct = 0;
  while (y + em < bottom) {
    let indent = 0;
    let count = perLine;
    if (paraLeft === 0) {
      paraLeft = 2 + Math.floor(rnd() * 5);
      indent = 2;
    }
    paraLeft--;
    if (paraLeft === 0) count = Math.max(3, Math.floor(perLine * (0.2 + 0.7 * rnd())));
    const cut = o.cutEdge === 'right' ? perLine + 6 : count;
    for (let i = indent; i < Math.max(count, cut); i++) {
      const x = left + i * em;
      sincePunct++;
      if (sincePunct > 6 && rnd() < 0.18 && i < count - 1) {
        punct(x, y, rnd() < 0.6 ? 0 : 1);
        sincePunct = 0;
      } else glyph(x, y);
    }
    y += pitch;
  }
  if (o.cutEdge === 'left') for (let yy = top; yy + em < bottom; yy += pitch) glyph(-0.4 * em, yy);
  if (o.cutEdge === 'top') for (let i = 0; i < 6; i++) glyph(left + i * em * 2, -0.45 * em);
  if (o.cutEdge === 'bottom') for (let i = 0; i < 6; i++) glyph(left + i * em * 2, h - 0.55 * em);
  // Page number "- 3 -" centred at the bottom.
  const pnY = h - 18 * mm;
  const pe = 0.7 * em;
  rect(w / 2 - 1.6 * pe, pnY + pe * 0.45, w / 2 - 0.9 * pe, pnY + pe * 0.45 + sw);
  glyph(w / 2 - em / 2, pnY - 0.15 * em);
  rect(w / 2 + 0.9 * pe, pnY + pe * 0.45, w / 2 + 1.6 * pe, pnY + pe * 0.45 + sw);
  return ink;
}

export function syntheticPage(options: SyntheticOptions = {}): SyntheticPage {
  const dpi = options.dpi ?? 300;
  const mm = dpi / 25.4;
  const rnd = mulberry32(options.seed ?? 1);
  const skew = options.skewDeg ?? 0;
  const rotation = options.rotation ?? 0;
  const borderMm = options.borderMm ?? 0;
  const Wc = Math.round((options.widthMm ?? 210) * mm);
  const Hc = Math.round((options.heightMm ?? 297) * mm);
  const b = Math.round(borderMm * mm);
  const Wp = Wc - 2 * b;
  const Hp = Hc - 2 * b;
  const color = options.color ?? false;
  const clean = drawPage(Wp, Hp, dpi, { content: options.content ?? 'text', fontPt: options.fontPt ?? 12, cutEdge: options.cutEdge ?? null }, rnd);
  for (const [l, t, w, h] of options.darkBoxes ?? []) {
    const x0 = Math.max(0, Math.round(l * mm));
    const x1 = Math.min(Wp, Math.round((l + w) * mm));
    for (let y = Math.max(0, Math.round(t * mm)); y < Math.min(Hp, Math.round((t + h) * mm)); y++) clean.fill(1, y * Wp + x0, y * Wp + x1);
  }
  const skewPaper = options.skewPaper ?? true;

  // Seal mask (red, multiplied over the page), on the paper.
  let seal: Uint8Array | null = null;
  if (color && options.seal) {
    seal = new Uint8Array(Wp * Hp);
    const cx = Wp * 0.68;
    const cy = Hp * 0.72;
    const R = 21 * mm;
    for (let y = Math.floor(cy - R); y <= cy + R; y++) {
      for (let x = Math.floor(cx - R); x <= cx + R; x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const ang = Math.atan2(y - cy, x - cx);
        const star = d < 5 * mm * (0.55 + 0.45 * Math.cos(5 * ang));
        if ((d <= R && d >= R - 1.2 * mm) || star || (d < R - 4 * mm && d > R - 9 * mm && Math.sin(ang * 14) > 0.2)) seal[y * Wp + x] = 1;
      }
    }
  }

  // "Scan": skewed paper on the dark scanner background (bilinear resampling of the ink coverage).
  const ch = color ? 3 : 1;
  const scanInk = new Float32Array(Wc * Hc);
  const scanSeal = seal ? new Float32Array(Wc * Hc) : null;
  const onPaper = new Uint8Array(Wc * Hc);
  const a = (skew * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  for (let y = 0; y < Hc; y++) {
    const dy = y + 0.5 - Hc / 2;
    for (let x = 0; x < Wc; x++) {
      const dx = x + 0.5 - Wc / 2;
      // Clockwise rotation by skew takes the scan back to the straight page.
      const sx = dx * cos - dy * sin + Wc / 2 - b - 0.5;
      const sy = dx * sin + dy * cos + Hc / 2 - b - 0.5;
      const i = y * Wc + x;
      // Without a border the paper is larger than the scanner glass: it covers the whole scan.
      const px0 = skewPaper ? sx : x - b;
      const py0 = skewPaper ? sy : y - b;
      if (b > 0 && (px0 < -0.5 || py0 < -0.5 || px0 > Wp - 0.5 || py0 > Hp - 0.5)) continue;
      onPaper[i] = 1;
      // Content turned off the straight paper: nothing is printed beyond the drawn page.
      if (sx < -0.5 || sy < -0.5 || sx > Wp - 0.5 || sy > Hp - 0.5) continue;
      const ix = Math.min(Wp - 2, Math.max(0, Math.floor(sx)));
      const iy = Math.min(Hp - 2, Math.max(0, Math.floor(sy)));
      const fx = Math.min(1, Math.max(0, sx - ix));
      const fy = Math.min(1, Math.max(0, sy - iy));
      const p = iy * Wp + ix;
      scanInk[i] = clean[p]! * (1 - fx) * (1 - fy) + clean[p + 1]! * fx * (1 - fy) + clean[p + Wp]! * (1 - fx) * fy + clean[p + Wp + 1]! * fx * fy;
      if (seal && scanSeal) scanSeal[i] = seal[p]! * (1 - fx) * (1 - fy) + seal[p + 1]! * fx * (1 - fy) + seal[p + Wp]! * (1 - fx) * fy + seal[p + Wp + 1]! * fx * fy;
    }
  }
  const inkMask = new Uint8Array(Wc * Hc);
  for (let i = 0; i < inkMask.length; i++) inkMask[i] = scanInk[i]! > 0.5 ? 1 : 0;

  // Specks on the paper.
  const speckleMask = new Uint8Array(Wc * Hc);
  const speck = new Uint8Array(Wc * Hc);
  const nSpeck = options.speckles ?? 0;
  let placed = 0;
  for (let k = 0; k < nSpeck * 4 && placed < nSpeck; k++) {
    const x = rnd() * Wc;
    const y = rnd() * Hc;
    if (!onPaper[Math.floor(y) * Wc + Math.floor(x)]) continue;
    placed++;
    const r = (0.6 + 1.6 * rnd()) * (dpi / 300);
    for (let yy = Math.floor(y - r); yy <= Math.ceil(y + r); yy++) {
      for (let xx = Math.floor(x - r); xx <= Math.ceil(x + r); xx++) {
        if (xx < 0 || yy < 0 || xx >= Wc || yy >= Hc) continue;
        if ((xx + 0.5 - x) ** 2 + (yy + 0.5 - y) ** 2 <= r * r || (r < 0.9 && xx === Math.floor(x) && yy === Math.floor(y))) {
          const i = yy * Wc + xx;
          speck[i] = 1;
          if (!inkMask[i]) speckleMask[i] = 1;
        }
      }
    }
  }

  // Pixels.
  const px = new Uint8Array(Wc * Hc * ch);
  const paperRGB = color ? [243, 234, 212] : [234];
  const inkRGB = color ? [34, 32, 38] : [30];
  const borderV = 38;
  for (let i = 0; i < Wc * Hc; i++) {
    const n1 = rnd() * 6 - 3;
    const o = i * ch;
    if (!onPaper[i]) {
      for (let c = 0; c < ch; c++) px[o + c] = borderV + n1 * 1.5;
      continue;
    }
    const k = speck[i] ? 1 : scanInk[i]!;
    const s = scanSeal ? scanSeal[i]! : 0;
    for (let c = 0; c < ch; c++) {
      let v = paperRGB[c]! * (1 - k) + inkRGB[c]! * k;
      if (s > 0) v *= 1 - s * (c === 0 ? 0.12 : 0.8);
      px[o + c] = Math.max(0, Math.min(255, Math.round(v + n1)));
    }
  }
  let out: Uint8Array = px;
  if (options.blurPx && options.blurPx > 0) out = boxBlur(px, Wc, Hc, ch, options.blurPx);

  // Quarter turn: the scan is the upright page turned counter-clockwise by `rotation`.
  const turn = (buf: Uint8Array, c: number): { data: Uint8Array; w: number; h: number } => turnCcw(buf, Wc, Hc, c, rotation);
  const img = turn(out, ch);
  const paperBox: [number, number, number, number] | null = b > 0 ? [b, b, Wp, Hp] : null;
  return {
    image: { pixels: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: img.w, height: img.h, channels: ch as 1 | 3, dpi },
    truth: { skewDeg: skew, rotation, paperBox, speckleMask: turn(speckleMask, 1).data, inkMask: turn(inkMask, 1).data, speckleCount: placed },
  };
}

function turnCcw(buf: Uint8Array, w: number, h: number, ch: number, deg: number): { data: Uint8Array; w: number; h: number } {
  if (deg === 0) return { data: buf, w, h };
  const out = new Uint8Array(buf.length);
  if (deg === 180) {
    for (let i = 0, n = w * h; i < n; i++) for (let c = 0; c < ch; c++) out[(n - 1 - i) * ch + c] = buf[i * ch + c]!;
    return { data: out, w, h };
  }
  // Counter-clockwise 90: (x, y) → (y, w-1-x) in a h×w image; 270 ccw = 90 cw: (x, y) → (h-1-y, x).
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [nx, ny] = deg === 90 ? [y, w - 1 - x] : [h - 1 - y, x];
      const s = (y * w + x) * ch;
      const d = (ny * h + nx) * ch;
      for (let c = 0; c < ch; c++) out[d + c] = buf[s + c]!;
    }
  }
  return { data: out, w: h, h: w };
}

/** Three passes of a box blur ≈ Gaussian with σ ≈ r. */
function boxBlur(src: Uint8Array, w: number, h: number, ch: number, r: number): Uint8Array {
  const rad = Math.max(1, Math.round(r * 0.9));
  let a = Float32Array.from(src);
  let b = new Float32Array(src.length);
  for (let pass = 0; pass < 3; pass++) {
    for (const horizontal of [true, false]) {
      const len = horizontal ? w : h;
      const lines = horizontal ? h : w;
      const step = (horizontal ? 1 : w) * ch;
      for (let l = 0; l < lines; l++) {
        for (let c = 0; c < ch; c++) {
          const base = (horizontal ? l * w : l) * ch + c;
          let acc = 0;
          for (let k = -rad; k <= rad; k++) acc += a[base + Math.min(len - 1, Math.max(0, k)) * step]!;
          for (let i = 0; i < len; i++) {
            b[base + i * step] = acc / (2 * rad + 1);
            acc += a[base + Math.min(len - 1, i + rad + 1) * step]! - a[base + Math.max(0, i - rad) * step]!;
          }
        }
      }
      [a, b] = [b, a];
    }
  }
  const out = new Uint8Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(a[i]!);
  return out;
}
