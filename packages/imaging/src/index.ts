export * from './errors.js';
export * from './formats/index.js';
export type { ManualOps, PageAnalysis, ProcessOptions, ProcessedPage, RawImage, StepName } from './types.js';
export { processPage, BLURRY_BELOW, CROP_MARGIN_MM } from './process.js';
export { decodeSimple } from './decode.js';
export { ImagingPool, setDefaultWorkerFile, type ImagingPoolOptions, type PoolInput } from './pool.js';
export type { WorkerMemory } from './worker.js';
