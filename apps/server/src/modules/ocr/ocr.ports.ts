import sharp from 'sharp';
import { OcrPool, type OcrLine, type RawPixels } from '@dangan/ocr';

/** The OCR engine as the pipeline uses it: raw pixels in, lines in reading order out. */
export interface OcrPort {
  /** The pixels' buffer is handed over (detached afterwards). */
  recognize(image: RawPixels): Promise<OcrLine[]>;
}

/** Which engine read a page (stored with its text). */
export const OCR_ENGINE = 'PP-OCRv4/onnxruntime';

/**
 * The OCR pool, started on first use: a process that never reads a page (most tests, `serve` in api
 * mode) never spawns its threads or loads the models. One engine per thread bounds the memory.
 */
export class LazyOcrPool implements OcrPort {
  private pool: OcrPool | null = null;

  constructor(private readonly options: { threads: number; workerFile?: string | URL }) {}

  async recognize(image: RawPixels): Promise<OcrLine[]> {
    this.pool ??= new OcrPool({ threads: this.options.threads, ...(this.options.workerFile ? { workerFile: this.options.workerFile } : {}) });
    return (await this.pool.recognize(image)).lines;
  }

  async destroy(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }
}

/**
 * The master as the OCR sees it: scaled by `scale` (never up), turned clockwise by `turn`, grey when
 * the master is grey, colour otherwise.
 */
export async function ocrPixels(master: Buffer, scale: number, turn: 0 | 90 | 180 | 270 = 0): Promise<RawPixels> {
  const meta = await sharp(master).metadata();
  let img = sharp(master, { limitInputPixels: 20_000 * 20_000 });
  if (scale < 0.98 && meta.width && meta.height) {
    img = img.resize(Math.max(1, Math.round(meta.width * scale)), Math.max(1, Math.round(meta.height * scale)), { kernel: 'lanczos3' });
  }
  if (turn) img = img.rotate(turn);
  const grey = (meta.channels ?? 3) <= 2;
  img = grey ? img.extractChannel(0) : img.removeAlpha().toColourspace('srgb');
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : info.channels === 4 ? 4 : 3 };
}
