/**
 * `dangan ocr <image> [--json]`: recognises one image file (PNG, JPEG, TIFF, WebP… as sharp reads them)
 * and prints its lines in reading order — text, box `[x, y, w, h]` in input pixels, confidence — and
 * the elapsed milliseconds.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { OcrEngine, type OcrLine } from '@dangan/ocr';

export interface OcrFileResult {
  file: string;
  lines: Array<Pick<OcrLine, 'text' | 'box' | 'confidence'>>;
  /** Recognition time (models already loaded). */
  ms: number;
  /** Model loading time. */
  loadMs: number;
  timings: Record<string, number>;
}

export async function ocrImageFile(path: string, opts: { json?: boolean; maxSide?: number } = {}): Promise<OcrFileResult> {
  const bytes = await readFile(path);
  const t0 = performance.now();
  const engine = await OcrEngine.load();
  const loadMs = Math.round(performance.now() - t0);
  try {
    const r = await engine.recognize(bytes, opts.maxSide ? { maxSide: opts.maxSide } : {});
    const result: OcrFileResult = {
      file: path,
      lines: r.lines.map((l) => ({ text: l.text, box: l.box, confidence: Math.round(l.confidence * 1000) / 1000 })),
      ms: Math.round(r.ms),
      loadMs,
      timings: r.timings,
    };
    if (opts.json) console.log(JSON.stringify(result));
    else {
      for (const l of result.lines) console.log(`${l.text}\t[${l.box.join(',')}]\t${l.confidence.toFixed(3)}`);
      console.log(`共 ${result.lines.length} 行，识别用时 ${result.ms} ms（载入模型 ${loadMs} ms）`);
    }
    return result;
  } finally {
    await engine.dispose();
  }
}
