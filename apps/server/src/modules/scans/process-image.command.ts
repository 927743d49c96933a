import { readFile, writeFile } from 'node:fs/promises';
import { decodePage, inspectFile, processPage } from '@dangan/imaging';

const LIMITS = { maxBytes: 1024 * 1024 * 1024, pixelLimit: 1_000_000_000 };

/**
 * `dangan process-image <in> [--out <file>]`: one image through the same steps as the pipeline, here in
 * this thread, with what was measured and corrected as JSON.
 */
export async function processImageFile(path: string, options: { out?: string; page: number; minDpi: number }) {
  const started = performance.now();
  const bytes = await readFile(path);
  const inspection = await inspectFile(bytes, LIMITS);
  const raw = await decodePage(bytes, options.page, LIMITS);
  const result = await processPage(raw, { minDpi: options.minDpi });
  if (options.out) await writeFile(options.out, result.master);
  const a = result.analysis;
  return {
    file: path,
    format: inspection.format,
    pages: inspection.pageCount,
    page: options.page + 1,
    skewDeg: a.skewDeg,
    rotation: a.rotation,
    cropBox: a.cropBox,
    blank: a.blank,
    blurScore: a.blurScore,
    blurry: a.blurry,
    dpi: a.dpi,
    dpiLow: a.dpiLow,
    colorMode: a.colorMode,
    hasColorContent: a.hasColorContent,
    edgeContent: a.edgeContent,
    specklesRemoved: a.specklesRemoved,
    width: a.width,
    height: a.height,
    steps: a.steps,
    ms: Math.round(performance.now() - started),
  };
}
