import { describe, expect, it } from 'vitest';
import { ctcGreedy } from './ctc.js';
import { dbBoxes } from './db.js';
import { readingOrder } from './layout.js';

describe('DB post-processing', () => {
  it('turns components into unclipped boxes in input pixels and drops specks and weak blobs', () => {
    const W = 40, H = 20;
    const map = new Float32Array(W * H);
    const fill = (x0: number, y0: number, x1: number, y1: number, p: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) map[y * W + x] = p;
    };
    fill(5, 5, 25, 9, 0.9); // a text kernel 20 × 4
    fill(30, 2, 32, 4, 0.9); // speck
    fill(28, 12, 38, 18, 0.4); // weak
    const boxes = dbBoxes(map, W, H, 2, 2, 80, 40, { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3, minArea: 10 });
    expect(boxes).toHaveLength(1);
    const d = (20 * 4 * 1.5) / (2 * 24);
    expect(boxes[0]!.x).toBeCloseTo((5 - d) * 2);
    expect(boxes[0]!.y).toBeCloseTo((5 - d) * 2);
    expect(boxes[0]!.w).toBeCloseTo((20 + 2 * d) * 2);
    expect(boxes[0]!.score).toBeCloseTo(0.9);
  });
});

describe('CTC greedy decoding', () => {
  it('collapses repeats, drops blanks and keeps per-character confidences', () => {
    const alphabet = ['', '王', '伟', ' '];
    const steps = [1, 1, 0, 2, 2, 0, 0, 1];
    const probs = new Float32Array(steps.length * 4);
    steps.forEach((c, t) => {
      for (let k = 0; k < 4; k++) probs[t * 4 + k] = k === c ? 0.8 : 0.2 / 3;
    });
    probs[1 * 4 + 1] = 0.9;
    const d = ctcGreedy(probs, 0, steps.length, 4, alphabet);
    expect(d.text).toBe('王伟王');
    expect(d.chars.map((c) => Math.round(c * 100))).toEqual([80, 80, 80]);
    expect(d.confidence).toBeCloseTo(0.8);
  });
});

describe('reading order', () => {
  it('orders lines top to bottom and merges boxes on the same line left to right', () => {
    const p = (x: number, y: number, text: string) => ({ x, y, w: 100, h: 30, text, chars: [...text].map(() => 1) });
    const lines = readingOrder([p(400, 102, '男'), p(10, 200, '出生'), p(10, 100, '王伟'), p(150, 98, '汉族')]);
    expect(lines.map((l) => l.text)).toEqual(['王伟 汉族 男', '出生']);
    expect(lines[0]!.box).toEqual([10, 98, 490, 34]);
    expect(lines[0]!.chars).toHaveLength(7);
  });
});
