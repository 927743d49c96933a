/**
 * A worker-thread pool (piscina) running the page pipeline, one page per thread, both cores by default.
 *
 * Worker file: by default `worker.ts` next to this module, started with `--import tsx` (vitest, tsx).
 * A bundle points it at its own worker entry with `setDefaultWorkerFile()` or the `workerFile` option
 * (e.g. `apps/server/dist/imaging-worker.js`, built from `packages/imaging/src/worker.ts`).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { FileLimits, Inspection } from './formats/types.js';
import type { ProcessOptions, ProcessedPage, RawImage } from './types.js';
import { ImagingError, type ImagingErrorCode } from './errors.js';
import type { WorkerMemory, WorkerResult, WorkerTask } from './worker.js';

let defaultWorkerFile: string | URL = new URL('./worker.ts', import.meta.url);

/** Sets the worker file used by pools created afterwards without a `workerFile` option. */
export function setDefaultWorkerFile(file: string | URL): void {
  defaultWorkerFile = file;
}

export interface ImagingPoolOptions {
  threads?: number;
  workerFile?: string | URL;
}

export type PoolInput = { bytes: Buffer; page: number; limits?: FileLimits } | RawImage;

export class ImagingPool {
  private readonly piscina: Piscina;
  private readonly memory = new Map<number, WorkerMemory>();

  constructor(opts: ImagingPoolOptions = {}) {
    const file = opts.workerFile ?? defaultWorkerFile;
    const filename = typeof file === 'string' ? file : file.protocol === 'file:' ? fileURLToPath(file) : file.href;
    const threads = Math.max(1, opts.threads ?? Math.min(2, availableParallelism()));
    this.piscina = new Piscina({
      filename,
      minThreads: threads,
      maxThreads: threads,
      // Pages queue here rather than in the threads: one page in a thread at a time.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      execArgv: filename.endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
  }

  /**
   * Runs the pipeline in a worker. A RawImage's pixel buffer is transferred, not copied: the caller's
   * buffer is detached afterwards (when it is a view into a larger ArrayBuffer it is copied once first).
   * File bytes are copied (the caller usually keeps the original).
   */
  process(input: PoolInput, options: ProcessOptions): Promise<ProcessedPage> {
    return this.run('process', input, options) as Promise<ProcessedPage>;
  }

  /** Decode + the same three encodes, no analysis: the floor the bench compares against. */
  encodeOnly(input: PoolInput, options: ProcessOptions): Promise<Pick<ProcessedPage, 'master' | 'web' | 'thumb'>> {
    return this.run('bare', input, options) as Promise<Pick<ProcessedPage, 'master' | 'web' | 'thumb'>>;
  }

  /**
   * Type, page count and damage check of a file, on a worker thread: decoding every page (pdf.js runs
   * in JavaScript) would otherwise hold up the server's event loop.
   */
  inspect(bytes: Buffer, limits: FileLimits): Promise<Inspection> {
    return this.run('inspect', { bytes, page: 0, limits }, { minDpi: 300 }) as Promise<Inspection>;
  }

  /** Peak memory as last reported by each worker thread. */
  workerMemory(): WorkerMemory[] {
    return [...this.memory.values()];
  }

  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }

  private async run(kind: WorkerTask['kind'], input: PoolInput, options: ProcessOptions): Promise<unknown> {
    const transferList: ArrayBuffer[] = [];
    let task: WorkerTask;
    if ('bytes' in input) {
      task = { kind, bytes: input.bytes, page: input.page, ...(input.limits ? { limits: input.limits } : {}), options };
    } else {
      let px: Uint8Array = input.pixels;
      if (px.byteOffset !== 0 || px.byteLength !== px.buffer.byteLength || !(px.buffer instanceof ArrayBuffer)) px = new Uint8Array(px);
      transferList.push(px.buffer as ArrayBuffer);
      task = { kind, image: { width: input.width, height: input.height, channels: input.channels, dpi: input.dpi, pixels: px }, options };
    }
    const result = (await this.piscina.run(task, { transferList })) as WorkerResult;
    this.memory.set(result.memory.threadId, result.memory);
    if ('error' in result) throw new ImagingError(result.error.code as ImagingErrorCode, result.error.message);
    const page = result.page as Record<string, unknown>;
    // Structured clone turns Buffers into Uint8Arrays; wrap them back without copying.
    for (const key of ['master', 'web', 'thumb']) {
      const v = page[key] as Uint8Array | undefined;
      if (v && !Buffer.isBuffer(v)) page[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
    return page;
  }
}
