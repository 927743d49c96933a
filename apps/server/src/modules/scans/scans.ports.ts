import type { FileLimits, ManualOps, ProcessedPage, ScanFormat } from '@dangan/imaging';
import type { HashAlgorithm } from '../../platform/crypto/hash.js';

/**
 * What the scan pipeline needs from the outside, kept small so the services say plainly what they
 * touch: encrypted content-addressed storage and the image library (run on worker threads).
 */
export interface BlobPort {
  /** Stores bytes under their hash; `id` is `<algorithm>:<hex>`; `existed` when they were there already. */
  put(bytes: Buffer, algorithm: HashAlgorithm): Promise<{ id: string; existed: boolean }>;
  /** The verified bytes; throws a coded error when missing or corrupt. */
  get(id: string): Promise<Buffer>;
}

export type { ScanFormat } from '@dangan/imaging';
/** Size and pixel limits of one file, from the settings. */
export type ScanLimits = FileLimits;
export type PageOpsInput = ManualOps;
export type ProcessedPageOutput = ProcessedPage;

export interface ProcessSettings {
  minDpi: number;
}

export interface ImagingPort {
  /** Type by content, page count, limits; throws a coded error for bad input. */
  inspect(bytes: Buffer, limits: ScanLimits): Promise<{ format: ScanFormat; pageCount: number }>;
  /** One page (0-based) of a stored original through the whole pipeline, on a worker thread. */
  process(bytes: Buffer, pageIndex: number, limits: ScanLimits, settings: ProcessSettings, ops: PageOpsInput): Promise<ProcessedPageOutput>;
}

/** A coded, user-facing failure of a file or page (bad input), as the imaging package reports it. */
export interface CodedFailure {
  code: string;
  message: string;
}

export function codedFailure(err: unknown): CodedFailure | null {
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const { code, message } = err as { code: unknown; message: unknown };
    if (typeof code === 'string' && /^(IMAGE|PDF|BLOB)_[A-Z_]+$/.test(code) && typeof message === 'string') return { code, message };
  }
  return null;
}
