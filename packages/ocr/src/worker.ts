/**
 * The OcrPool's worker (piscina): one OcrEngine per thread, loaded on the first task and kept.
 * Reports its memory with each result (threads share one process RSS: the per-thread figure is the
 * V8 heap plus ArrayBuffers; onnxruntime's native arenas show only in the process RSS).
 */
import { resourceUsage } from 'node:process';
import { threadId } from 'node:worker_threads';
import sharp from 'sharp';
import { OcrEngine, type OcrResult, type RecognizeOptions } from './engine.js';
import type { RawPixels } from './image.js';

sharp.concurrency(1);
sharp.cache(false);

export interface OcrTask {
  bytes?: Uint8Array;
  image?: Omit<RawPixels, 'pixels'> & { pixels: Uint8Array };
  options?: RecognizeOptions;
}

export interface OcrWorkerMemory {
  threadId: number;
  peakIsolateBytes: number;
  maxRssBytes: number;
}

let engine: Promise<OcrEngine> | undefined;
let peakIsolate = 0;

export default async function run(task: OcrTask): Promise<{ result: OcrResult; memory: OcrWorkerMemory }> {
  engine ??= OcrEngine.load({ threads: 1 });
  const e = await engine;
  const input = task.image
    ? { ...task.image, pixels: Buffer.from(task.image.pixels.buffer, task.image.pixels.byteOffset, task.image.pixels.byteLength) }
    : Buffer.from(task.bytes!.buffer, task.bytes!.byteOffset, task.bytes!.byteLength);
  const result = await e.recognize(input, task.options);
  const m = process.memoryUsage();
  peakIsolate = Math.max(peakIsolate, m.heapUsed + m.arrayBuffers);
  return { result, memory: { threadId, peakIsolateBytes: peakIsolate, maxRssBytes: resourceUsage().maxRSS * 1024 } };
}
