/**
 * DB (differentiable binarisation) post-processing: the detector's probability map → text boxes.
 * Threshold the map, label 8-connected components, keep those whose mean probability is high enough
 * and that are not specks, grow each (the model predicts a shrunk text kernel) by PaddleOCR's unclip
 * distance, and map the rectangle back to input pixels. Boxes are axis-aligned: pages reach OCR
 * deskewed by the image step.
 */

export interface DbOptions {
  /** Pixel threshold on the probability map (PaddleOCR: 0.3). */
  threshold: number;
  /** Minimum mean probability of a component (PaddleOCR: box_thresh 0.6). */
  boxThreshold: number;
  /** Unclip ratio (PaddleOCR: 1.5). */
  unclipRatio: number;
  /** Components shorter than this on their short side (map pixels) are dropped. */
  minSize: number;
  /** Components with fewer pixels are dropped. */
  minArea: number;
}

export const DEFAULT_DB: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.6, minSize: 3, minArea: 10 };

/** x, y, width, height in input pixels, plus the component's mean probability. */
export interface DetBox {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/**
 * @param prob the map, `mapW × mapH`, row-major
 * @param scaleX input pixels per map pixel, horizontally (likewise `scaleY`)
 */
export function dbBoxes(
  prob: Float32Array,
  mapW: number,
  mapH: number,
  scaleX: number,
  scaleY: number,
  inputW: number,
  inputH: number,
  opts: DbOptions = DEFAULT_DB,
): DetBox[] {
  const n = mapW * mapH;
  // 0 = background or unvisited foreground is told apart by the threshold; labelled pixels get -1.
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const boxes: DetBox[] = [];
  const { threshold } = opts;
  for (let start = 0; start < n; start++) {
    if (seen[start] || prob[start]! <= threshold) continue;
    // Flood fill (8-connected) with an explicit stack.
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let minX = mapW, minY = mapH, maxX = -1, maxY = -1, sum = 0, count = 0;
    while (top > 0) {
      const p = stack[--top]!;
      const y = (p / mapW) | 0;
      const x = p - y * mapW;
      sum += prob[p]!;
      count++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const y0 = y > 0 ? y - 1 : y, y1 = y < mapH - 1 ? y + 1 : y;
      const x0 = x > 0 ? x - 1 : x, x1 = x < mapW - 1 ? x + 1 : x;
      for (let yy = y0; yy <= y1; yy++) {
        const row = yy * mapW;
        for (let xx = x0; xx <= x1; xx++) {
          const q = row + xx;
          if (!seen[q] && prob[q]! > threshold) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    if (Math.min(w, h) < opts.minSize || count < opts.minArea) continue;
    const score = sum / count;
    if (score < opts.boxThreshold) continue;
    // Unclip: offset a polygon of area A and perimeter L outward by A·r/L (PaddleOCR).
    const d = (w * h * opts.unclipRatio) / (2 * (w + h));
    const ux0 = Math.max(0, (minX - d) * scaleX);
    const uy0 = Math.max(0, (minY - d) * scaleY);
    const ux1 = Math.min(inputW, (maxX + 1 + d) * scaleX);
    const uy1 = Math.min(inputH, (maxY + 1 + d) * scaleY);
    if (ux1 - ux0 < 2 || uy1 - uy0 < 2) continue;
    boxes.push({ x: ux0, y: uy0, w: ux1 - ux0, h: uy1 - uy0, score });
  }
  return boxes;
}
