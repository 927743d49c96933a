import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fusePaddleModel } from './fuse.js';
import { defaultModelFiles } from './models.js';

describe('fusePaddleModel', () => {
  it('folds the affine and hard-swish chains of PP-OCRv4 rec without changing its output', async () => {
    const original = new Uint8Array(readFileSync(defaultModelFiles().recognition));
    const { bytes, stats } = fusePaddleModel(original);
    expect(stats.convAffine).toBeGreaterThan(20);
    expect(stats.hardSwish).toBeGreaterThan(20);
    const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' };
    const [a, b] = await Promise.all([ort.InferenceSession.create(original, opts), ort.InferenceSession.create(bytes, opts)]);
    const w = 200;
    const x = new Float32Array(3 * 48 * w).map((_, i) => Math.sin(i * 0.37) * Math.cos(i * 0.011));
    const run = async (s: ort.InferenceSession) =>
      (await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, [1, 3, 48, w]) }))[s.outputNames[0]!]!.data as Float32Array;
    const [pa, pb] = [await run(a), await run(b)];
    expect(pb.length).toBe(pa.length);
    let diff = 0;
    for (let i = 0; i < pa.length; i++) diff = Math.max(diff, Math.abs(pa[i]! - pb[i]!));
    expect(diff).toBeLessThan(1e-4);
    await Promise.all([a.release(), b.release()]);
  });

  it('also folds the detector (hard-swish with Clip bounds as inputs) without changing its map', async () => {
    const original = new Uint8Array(readFileSync(defaultModelFiles().detection));
    const { bytes, stats } = fusePaddleModel(original);
    expect(stats.convAffine).toBeGreaterThan(20);
    expect(stats.hardSwish).toBeGreaterThan(20);
    const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' };
    const [a, b] = await Promise.all([ort.InferenceSession.create(original, opts), ort.InferenceSession.create(bytes, opts)]);
    const [h, w] = [64, 96];
    // Dark strokes on light paper, normalised roughly as the detector's input.
    const x = new Float32Array(3 * h * w).map((_, i) => ((i % w) % 12 < 3 && ((i / w) | 0) % 32 > 12 && ((i / w) | 0) % 32 < 24 ? -1.8 : 1.8));
    const run = async (s: ort.InferenceSession) =>
      (await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, [1, 3, h, w]) }))[s.outputNames[0]!]!.data as Float32Array;
    const [pa, pb] = [await run(a), await run(b)];
    let diff = 0;
    for (let i = 0; i < pa.length; i++) diff = Math.max(diff, Math.abs(pa[i]! - pb[i]!));
    expect(diff).toBeLessThan(1e-3);
    await Promise.all([a.release(), b.release()]);
  });
});
