/** A decoded page: 8-bit pixels, interleaved, row-major, no padding. */
export interface RawImage {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** Resolution recorded in the file, or null when the file has none. */
  dpi: number | null;
}

/** A human's corrections, recorded as operations against the original. */
export interface ManualOps {
  /** Absolute override of the detected orientation (clockwise degrees that make the page upright). */
  rotation?: 0 | 90 | 180 | 270;
  /** Absolute override of the deskew angle (degrees, + = content rotated clockwise to correct). */
  skewDeg?: number;
  /** [left, top, width, height] in the upright, deskewed image; null = no crop. */
  cropBox?: [number, number, number, number] | null;
  /** false turns despeckle off. */
  despeckle?: boolean;
}

export interface ProcessOptions {
  /** Pages below this resolution are flagged `dpiLow` (default 300). */
  minDpi: number;
  /** Resolution assumed when the file records none (default 300). */
  assumedDpi?: number;
  /** Long side of the web derivative (default 1600). */
  webSize?: number;
  /** Long side of the thumbnail (default 240). */
  thumbSize?: number;
  ops?: ManualOps;
  /** JPEG quality of the master (default 92). */
  masterQuality?: number;
}

export type StepName = 'orient' | 'deskew' | 'crop' | 'despeckle' | 'measure' | 'encode';

export interface PageAnalysis {
  skewDeg: number;
  rotation: 0 | 90 | 180 | 270;
  /** In input pixels after rotation + deskew (the upright, deskewed frame), as applied. */
  cropBox: [number, number, number, number];
  blank: boolean;
  /**
   * Edge sharpness, 0–100: the 90th percentile of the ink edge steepness at a normalised 150 dpi, as a
   * percentage of the ink-to-paper contrast (100 = the full step happens within one 150-dpi pixel,
   * i.e. within 1/6 mm). Calibrated on synthetic scans: sharp ≈ 58–63 (150 and 300 dpi); Gaussian blur of
   * 0.1 mm ≈ 46, 0.17 mm ≈ 32, 0.25 mm ≈ 24 (300 dpi). `blurry` = below 45 (BLURRY_BELOW).
   * 0 when there is no ink.
   */
  blurScore: number;
  blurry: boolean;
  dpi: number;
  dpiLow: boolean;
  colorMode: 'color' | 'gray';
  /** Red seals, photos, coloured marks. */
  hasColorContent: boolean;
  /** Content cut at the edge of the paper (or of the image when no paper edge is visible). */
  edgeContent: { top: boolean; right: boolean; bottom: boolean; left: boolean };
  specklesRemoved: number;
  /** Ink pixels / page pixels of the master, after despeckle. */
  inkRatio: number;
  /** Of the master. */
  width: number;
  height: number;
  /** 64-bit dHash (16 hex digits) of the processed page. */
  perceptualHash: string;
  steps: Array<{ name: StepName; params: Record<string, unknown>; result: Record<string, unknown>; ms: number }>;
  ms: number;
}

export interface ProcessedPage {
  analysis: PageAnalysis;
  /** JPEG (q≈92, 4:4:4 when colour) with dpi metadata; greyscale when colorMode is 'gray'. */
  master: Buffer;
  /** JPEG, long side ≤ webSize. */
  web: Buffer;
  /** JPEG, long side ≤ thumbSize. */
  thumb: Buffer;
}
