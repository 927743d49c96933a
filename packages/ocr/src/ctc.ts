/** Recognition input (crop, resize to height 48, normalise) and CTC greedy decoding. */
import type { RawPixels } from './image.js';

export const REC_HEIGHT = 48;

/**
 * Width a crop is resized to at height 48, keeping its aspect ratio (at least 16, at most `maxWidth`:
 * very long lines are squeezed).
 */
export function recWidth(box: { w: number; h: number }, maxWidth: number): number {
  return Math.max(16, Math.min(maxWidth, Math.ceil((REC_HEIGHT * box.w) / box.h)));
}

/**
 * Samples the box out of the image into `out` (a [3, 48, batchWidth] slot, BGR, (v/255 − 0.5)/0.5),
 * `targetW` columns wide; columns past it stay 0 (padding, as PaddleOCR pads). Bilinear, with the
 * source pre-averaged over the footprint when shrinking by more than 2× (so thin strokes survive).
 */
export function sampleCrop(
  img: RawPixels,
  box: { x: number; y: number; w: number; h: number },
  out: Float32Array,
  offset: number,
  batchWidth: number,
  targetW: number,
): void {
  const { pixels, width, height, channels: ch } = img;
  const sx = box.w / targetW;
  const sy = box.h / REC_HEIGHT;
  const plane = REC_HEIGHT * batchWidth;
  // Sub-samples per axis when shrinking (a small box filter before the bilinear read).
  const nx = Math.max(1, Math.min(4, Math.round(sx)));
  const ny = Math.max(1, Math.min(4, Math.round(sy)));
  const inv = 1 / (nx * ny);
  const px = new Float64Array(3);
  for (let ty = 0; ty < REC_HEIGHT; ty++) {
    for (let tx = 0; tx < targetW; tx++) {
      px[0] = 0;
      px[1] = 0;
      px[2] = 0;
      for (let j = 0; j < ny; j++) {
        const fy = box.y + (ty + (j + 0.5) / ny) * sy - 0.5;
        const y0 = Math.min(height - 1, Math.max(0, Math.floor(fy)));
        const y1 = Math.min(height - 1, y0 + 1);
        const wy = Math.min(1, Math.max(0, fy - y0));
        for (let i = 0; i < nx; i++) {
          const fx = box.x + (tx + (i + 0.5) / nx) * sx - 0.5;
          const x0 = Math.min(width - 1, Math.max(0, Math.floor(fx)));
          const x1 = Math.min(width - 1, x0 + 1);
          const wx = Math.min(1, Math.max(0, fx - x0));
          const a = (y0 * width + x0) * ch, b = (y0 * width + x1) * ch;
          const c = (y1 * width + x0) * ch, d = (y1 * width + x1) * ch;
          const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
          if (ch === 1) {
            const v = pixels[a]! * w00 + pixels[b]! * w01 + pixels[c]! * w10 + pixels[d]! * w11;
            px[0] += v;
            px[1] += v;
            px[2] += v;
          } else {
            // px holds B, G, R.
            for (let k = 0; k < 3; k++) {
              px[2 - k]! += pixels[a + k]! * w00 + pixels[b + k]! * w01 + pixels[c + k]! * w10 + pixels[d + k]! * w11;
            }
          }
        }
      }
      const o = offset + ty * batchWidth + tx;
      out[o] = (px[0]! * inv) / 127.5 - 1;
      out[o + plane] = (px[1]! * inv) / 127.5 - 1;
      out[o + 2 * plane] = (px[2]! * inv) / 127.5 - 1;
    }
  }
}

export interface Decoded {
  text: string;
  chars: number[];
  confidence: number;
  /** For each character, its time step (→ x position: one step is `batchWidth / steps` columns). */
  steps: number[];
}

/**
 * Greedy CTC: the most probable class per time step, repeats collapsed, blanks (class 0) dropped.
 * Confidence: mean of the kept steps' maximum probabilities.
 */
export function ctcGreedy(probs: Float32Array, offset: number, steps: number, classes: number, alphabet: string[]): Decoded {
  let text = '';
  const chars: number[] = [];
  const at: number[] = [];
  let prev = 0;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[base + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== prev) {
      text += alphabet[best] ?? '';
      chars.push(bestP);
      at.push(t);
    }
    prev = best;
  }
  const confidence = chars.length ? chars.reduce((a, b) => a + b, 0) / chars.length : 0;
  return { text, chars, confidence, steps: at };
}
