/**
 * The OCR engine: PaddleOCR PP-OCRv4 detection + recognition run by onnxruntime-node (CPU), with our
 * own pre-processing, DB post-processing, batching and CTC decoding.
 *
 * One engine holds one detection and one recognition session, loaded once, each on one intra-op
 * thread by default: to use several cores run several engines (one per worker thread).
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { type DbOptions, DEFAULT_DB, dbBoxes, type DetBox } from './db.js';
import { ctcGreedy, REC_HEIGHT, recWidth, sampleCrop } from './ctc.js';
import { fusePaddleModel } from './fuse.js';
import { detectionSize, detectionTensor, type OcrInput, toRaw } from './image.js';
import { type OcrLine, type Piece, readingOrder } from './layout.js';
import { defaultModelFiles, loadAlphabet, type ModelFiles } from './models.js';

export interface OcrEngineOptions {
  /** Intra-op threads per session (default 1). */
  threads?: number;
  models?: ModelFiles;
}

export interface RecognizeOptions {
  /** Longer side of the image the detector sees (default 1024 px; the image is never enlarged). */
  maxSide?: number;
  /** Lines whose mean confidence is below this are dropped (default 0.5, as PaddleOCR). */
  minConfidence?: number;
  db?: Partial<DbOptions>;
}

export interface OcrResult {
  lines: OcrLine[];
  /** Wall time of the whole call. */
  ms: number;
  /** Milliseconds per stage: decode, detPrep, det, detPost, recPrep, rec, recDecode, layout. */
  timings: Record<string, number>;
}

/** Recognition input widths are rounded up to this (the model's horizontal stride). */
const REC_STRIDE = 8;
const MAX_REC_WIDTH = 3200;

export class OcrEngine {
  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly rec: ort.InferenceSession,
    private readonly alphabet: string[],
  ) {}

  static async load(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
    const files = opts.models ?? defaultModelFiles();
    const session: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: Math.max(1, opts.threads ?? 1),
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    };
    // Both graphs are rewritten on load (fuse.ts: the backbone's affine + hard-swish chains folded,
    // exact algebra): recognition about 1.8×, detection about 1.4× less CPU.
    // A model the rewrite cannot parse is loaded as it is.
    const fused = async (path: string) => {
      const bytes = new Uint8Array(await readFile(path));
      try {
        return fusePaddleModel(bytes).bytes;
      } catch {
        return bytes;
      }
    };
    const [det, rec] = await Promise.all([
      fused(files.detection).then((bytes) => ort.InferenceSession.create(bytes, session)),
      fused(files.recognition).then((bytes) => ort.InferenceSession.create(bytes, session)),
    ]);
    return new OcrEngine(det, rec, loadAlphabet(files.dictionary));
  }

  async recognize(input: OcrInput, opts: RecognizeOptions = {}): Promise<OcrResult> {
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    let mark = t0;
    const lap = (name: string) => {
      const now = performance.now();
      timings[name] = (timings[name] ?? 0) + (now - mark);
      mark = now;
    };

    const img = await toRaw(input);
    lap('decode');

    // Detection.
    const size = detectionSize(img.width, img.height, opts.maxSide ?? 1024);
    const detInput = await detectionTensor(img, size);
    lap('detPrep');
    const detOut = await this.det.run({ [this.det.inputNames[0]!]: new ort.Tensor('float32', detInput, [1, 3, size.height, size.width]) });
    const probT = detOut[this.det.outputNames[0]!]!;
    lap('det');
    const [, , mapH, mapW] = probT.dims as [number, number, number, number];
    const boxes = dbBoxes(
      probT.data as Float32Array,
      mapW,
      mapH,
      img.width / mapW,
      img.height / mapH,
      img.width,
      img.height,
      { ...DEFAULT_DB, ...opts.db },
    );
    probT.dispose();
    lap('detPost');

    // Recognition: each crop on its own at its own width, rounded up to the model's stride of 8
    // columns. Padding columns cost as much as real ones and a batch pads to its widest crop (13 % of
    // the columns on the bench pages), while one crop per run costs little overhead: batching lost.
    const results = new Array<{ text: string; chars: number[]; confidence: number } | undefined>(boxes.length);
    const widths = boxes.map((b) => recWidth(b, MAX_REC_WIDTH));
    const maxW = Math.ceil(Math.max(0, ...widths) / REC_STRIDE) * REC_STRIDE;
    const buffer = new Float32Array(3 * REC_HEIGHT * maxW);
    for (let bi = 0; bi < boxes.length; bi++) {
      const targetW = widths[bi]!;
      const runW = Math.ceil(targetW / REC_STRIDE) * REC_STRIDE;
      const data = buffer.subarray(0, 3 * REC_HEIGHT * runW);
      if (runW > targetW) data.fill(0);
      sampleCrop(img, boxes[bi]!, data, 0, runW, targetW);
      lap('recPrep');
      const out = await this.rec.run({ [this.rec.inputNames[0]!]: new ort.Tensor('float32', data, [1, 3, REC_HEIGHT, runW]) });
      const probs = out[this.rec.outputNames[0]!]!;
      lap('rec');
      const [, steps, classes] = probs.dims as [number, number, number];
      results[bi] = ctcGreedy(probs.data as Float32Array, 0, steps, classes, this.alphabet);
      probs.dispose();
      lap('recDecode');
    }

    const minConfidence = opts.minConfidence ?? 0.5;
    const pieces: Piece[] = [];
    boxes.forEach((b: DetBox, i) => {
      const r = results[i];
      if (!r || !r.text.trim() || r.confidence < minConfidence) return;
      pieces.push({ x: b.x, y: b.y, w: b.w, h: b.h, text: r.text, chars: r.chars });
    });
    const lines = readingOrder(pieces);
    lap('layout');
    for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]! * 10) / 10;
    return { lines, ms: Math.round((performance.now() - t0) * 10) / 10, timings };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.det.release(), this.rec.release()]);
  }
}
