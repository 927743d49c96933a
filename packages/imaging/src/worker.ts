/**
 * The ImagingPool's worker (piscina). Decodes when given file bytes, runs the page pipeline, and reports
 * its own peak memory with each result (threads share one process RSS, so the per-worker figure is the
 * V8 heap plus the ArrayBuffers this isolate holds; the process RSS peak is reported alongside).
 */
import { resourceUsage } from 'node:process';
import { threadId } from 'node:worker_threads';
import sharp from 'sharp';
import { decodeSimple } from './decode.js';
import { ImagingError } from './errors.js';
import { decodePage, inspectFile } from './formats/index.js';
import type { FileLimits } from './formats/types.js';
import { processPage, setJfifDensity } from './process.js';
import type { ProcessOptions, RawImage } from './types.js';

// One libvips thread per worker (the pool's threads are the parallelism) and no operation cache.
sharp.concurrency(1);
sharp.cache(false);

export interface WorkerTask {
  kind: 'process' | 'bare' | 'inspect';
  bytes?: Uint8Array;
  page?: number;
  /** With limits, file bytes are decoded by the formats module (PDF, every TIFF compression, limits). */
  limits?: FileLimits;
  image?: Omit<RawImage, 'pixels'> & { pixels: Uint8Array };
  options: ProcessOptions;
}

export interface WorkerMemory {
  threadId: number;
  /** Peak of heapUsed + arrayBuffers of this worker, bytes. */
  peakIsolateBytes: number;
  /** Process-wide peak RSS (all threads), bytes. */
  maxRssBytes: number;
}

let peakIsolate = 0;

function sample(): void {
  const m = process.memoryUsage();
  peakIsolate = Math.max(peakIsolate, m.heapUsed + m.arrayBuffers);
}

export type WorkerResult =
  | { page: unknown; memory: WorkerMemory }
  | { error: { code: string; message: string }; memory: WorkerMemory };

/** ImagingErrors come back as data (a thrown error would lose its code crossing the thread boundary). */
export default async function run(task: WorkerTask): Promise<WorkerResult> {
  try {
    return await runTask(task);
  } catch (err) {
    if (err instanceof ImagingError) return { error: { code: err.code, message: err.message }, memory: memory() };
    throw err;
  }
}

function memory(): WorkerMemory {
  return { threadId, peakIsolateBytes: peakIsolate, maxRssBytes: resourceUsage().maxRSS * 1024 };
}

async function runTask(task: WorkerTask): Promise<WorkerResult> {
  if (task.kind === 'inspect') {
    const b = task.bytes!;
    return { page: await inspectFile(Buffer.from(b.buffer, b.byteOffset, b.byteLength), task.limits!), memory: memory() };
  }
  let image: RawImage;
  if (task.image) {
    const p = task.image.pixels;
    image = { ...task.image, pixels: Buffer.from(p.buffer, p.byteOffset, p.byteLength) };
  } else {
    const b = task.bytes!;
    const bytes = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    image = task.limits ? await decodePage(bytes, task.page ?? 0, task.limits) : await decodeSimple(bytes, task.page ?? 0);
  }
  sample();
  let page: unknown;
  if (task.kind === 'bare') {
    page = await bare(image, task.options);
  } else {
    page = await processPage(image, task.options);
  }
  sample();
  return { page, memory: memory() };
}

/** The floor for the bench: the same decode and the same three encodes, no analysis. */
async function bare(image: RawImage, options: ProcessOptions): Promise<{ master: Buffer; web: Buffer; thumb: Buffer }> {
  const { width, height } = image;
  const channels = image.channels;
  const s = () => {
    const p = sharp(image.pixels, { raw: { width, height, channels } });
    return channels === 1 ? p.toColourspace('b-w') : p;
  };
  const webSize = options.webSize ?? 1600;
  const ts = options.thumbSize ?? 240;
  // Side by side, as in processPage.
  const [masterJpeg, web, thumb] = await Promise.all([
    s().jpeg({ quality: options.masterQuality ?? 92, chromaSubsampling: '4:4:4', optimiseCoding: false }).toBuffer(),
    s().resize(webSize, webSize, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82, optimiseCoding: false }).toBuffer(),
    s().resize(ts, ts, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer(),
  ]);
  const master = setJfifDensity(masterJpeg, image.dpi ?? 300);
  return { master, web, thumb };
}
