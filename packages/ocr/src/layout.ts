/**
 * Reading order: recognised boxes grouped into lines (boxes whose vertical extents overlap by at
 * least half the smaller height), lines top to bottom, boxes in a line left to right and merged into
 * one line (a space between boxes that are apart by more than half the line's height).
 */

export interface Piece {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  chars: number[];
}

export interface OcrLine {
  text: string;
  /** [x, y, width, height] in input pixels, rounded. */
  box: [number, number, number, number];
  /** Mean of the characters' confidences (0–1). */
  confidence: number;
  /** One confidence per character of `text`. */
  chars?: number[];
}

export function readingOrder(pieces: Piece[]): OcrLine[] {
  const sorted = [...pieces].sort((a, b) => a.y + a.h / 2 - (b.y + b.h / 2));
  const groups: { top: number; bottom: number; items: Piece[] }[] = [];
  for (const p of sorted) {
    let target: (typeof groups)[number] | undefined;
    let bestOverlap = 0;
    // Only recent groups can overlap vertically (sorted by centre).
    for (let i = groups.length - 1; i >= 0 && i >= groups.length - 4; i--) {
      const g = groups[i]!;
      const overlap = Math.min(g.bottom, p.y + p.h) - Math.max(g.top, p.y);
      const need = 0.5 * Math.min(g.bottom - g.top, p.h);
      const clash = g.items.some((q) => Math.min(q.x + q.w, p.x + p.w) - Math.max(q.x, p.x) > 0.3 * Math.min(q.w, p.w));
      if (overlap >= need && overlap > bestOverlap && !clash) {
        bestOverlap = overlap;
        target = g;
      }
    }
    if (target) {
      target.items.push(p);
      target.top = Math.min(target.top, p.y);
      target.bottom = Math.max(target.bottom, p.y + p.h);
    } else groups.push({ top: p.y, bottom: p.y + p.h, items: [p] });
  }
  groups.sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
  return groups.map((g) => {
    const items = g.items.sort((a, b) => a.x - b.x);
    const lineH = g.bottom - g.top;
    let text = '';
    const chars: number[] = [];
    let prevRight = -Infinity;
    for (const it of items) {
      if (text && it.x - prevRight > 0.5 * lineH) {
        text += ' ';
        chars.push(1);
      }
      text += it.text;
      chars.push(...it.chars);
      prevRight = it.x + it.w;
    }
    const x0 = Math.min(...items.map((i) => i.x));
    const x1 = Math.max(...items.map((i) => i.x + i.w));
    const real = items.flatMap((i) => i.chars);
    const confidence = real.length ? real.reduce((a, b) => a + b, 0) / real.length : 0;
    return {
      text,
      box: [Math.round(x0), Math.round(g.top), Math.round(x1 - x0), Math.round(lineH)] as [number, number, number, number],
      confidence,
      chars,
    };
  });
}
