export { OcrEngine, type OcrEngineOptions, type OcrResult, type RecognizeOptions } from './engine.js';
export type { OcrLine } from './layout.js';
export type { OcrInput, RawPixels } from './image.js';
export { defaultModelFiles, type ModelFiles } from './models.js';
export { OcrPool, type OcrPoolOptions } from './pool.js';
export type { OcrWorkerMemory } from './worker.js';
