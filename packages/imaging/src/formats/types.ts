/** The kinds of scanned file the system accepts, decided by content (magic bytes), never by file name. */
export type ScanFormat = 'jpeg' | 'png' | 'tiff' | 'pdf';

// One decoded page: the pipeline's RawImage. This module produces channels 1 (grey; bitonal pages expanded
// to 0/255) or 3 (RGB), alpha flattened onto white; dpi from the file's metadata (for PDF, from the image's
// size on the page), null when unknown.
export type { RawImage } from '../types.js';

export interface FileLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Most pixels (width × height) accepted on one page: a decompression-bomb guard, e.g. 100_000_000. */
  pixelLimit: number;
}

export interface PageInfo {
  width: number;
  height: number;
  dpi: number | null;
}

export interface Inspection {
  format: ScanFormat;
  pageCount: number;
  pages: PageInfo[];
}
