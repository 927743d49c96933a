/** The kinds of scanned file the system accepts, decided by content (magic bytes), never by file name. */
export type ScanFormat = 'jpeg' | 'png' | 'tiff' | 'pdf';

/**
 * One decoded page: 8-bit pixels, row-major, interleaved, no padding. channels 1 = grey (bitonal pages are
 * expanded to 0/255), 3 = RGB. Alpha is flattened onto white, so 4 is not produced by this module.
 * dpi comes from the file's metadata (or, for PDF, from the image's size on the page); null when unknown.
 */
export interface RawImage {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  dpi: number | null;
}

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
