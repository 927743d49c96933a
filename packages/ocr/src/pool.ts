/**
 * A worker-thread pool (piscina) of OCR engines: one engine (one model instance, one intra-op thread)
 * per thread, both cores by default, one page per thread at a time.
 *
 * Worker file: `worker.ts` next to this module, started with `--import tsx` (vitest, tsx, bench); a
 * bundle passes its own built worker entry as `workerFile`.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { OcrResult, RecognizeOptions } from './engine.js';
import type { RawPixels } from './image.js';
import type { OcrTask, OcrWorkerMemory } from './worker.js';

export interface OcrPoolOptions {
  threads?: number;
  workerFile?: string | URL;
}

export class OcrPool {
  private readonly piscina: Piscina;
  private readonly memory = new Map<number, OcrWorkerMemory>();

  constructor(opts: OcrPoolOptions = {}) {
    const file = opts.workerFile ?? new URL('./worker.ts', import.meta.url);
    const filename = typeof file === 'string' ? file : file.protocol === 'file:' ? fileURLToPath(file) : file.href;
    const threads = Math.max(1, opts.threads ?? Math.min(2, availableParallelism()));
    this.piscina = new Piscina({
      filename,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      execArgv: filename.endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
  }

  /** Recognises an encoded image (bytes copied) or raw pixels (buffer transferred: detached afterwards). */
  async recognize(input: Buffer | RawPixels, options?: RecognizeOptions): Promise<OcrResult> {
    let task: OcrTask;
    const transfer: ArrayBuffer[] = [];
    if (Buffer.isBuffer(input)) task = { bytes: new Uint8Array(input), options };
    else {
      let px = new Uint8Array(input.pixels.buffer, input.pixels.byteOffset, input.pixels.byteLength);
      if (px.byteOffset !== 0 || px.byteLength !== px.buffer.byteLength || !(px.buffer instanceof ArrayBuffer)) px = new Uint8Array(px);
      transfer.push(px.buffer as ArrayBuffer);
      task = { image: { width: input.width, height: input.height, channels: input.channels, pixels: px }, options };
    }
    const r = (await this.piscina.run(task, { transferList: transfer })) as { result: OcrResult; memory: OcrWorkerMemory };
    this.memory.set(r.memory.threadId, r.memory);
    return r.result;
  }

  workerMemory(): OcrWorkerMemory[] {
    return [...this.memory.values()];
  }

  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }
}
