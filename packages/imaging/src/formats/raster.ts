import sharp, { type Metadata, type Sharp } from 'sharp';
import { ImagingError } from '../errors.js';
import { pageOutOfRange, problems } from './problems.js';
import type { FileLimits, Inspection, PageInfo, RawImage } from './types.js';

/** JPEG, PNG and TIFF through sharp/libvips, one page at a time. */

type RasterFormat = 'jpeg' | 'png' | 'tiff';

/** Header only: no pixel is decoded here, so the pixel limit can be checked before any decoding. */
async function header(bytes: Buffer, page: number): Promise<Metadata> {
  try {
    return await sharp(bytes, { page, limitInputPixels: false, failOn: 'error' }).metadata();
  } catch (error) {
    throw problems.corrupt(page > 0 ? page : null, error);
  }
}

function open(bytes: Buffer, page: number, limits: FileLimits): Sharp {
  // failOn 'error': a file cut short or with garbled compressed data is an error, not a half-grey page
  // (libtiff reports garbled LZW/Deflate strips as errors, not truncation). limitInputPixels repeats
  // our own header check inside libvips.
  return sharp(bytes, { page, failOn: 'error', limitInputPixels: limits.pixelLimit });
}

function decodeFailure(error: unknown, pageIndex: number, meta: Metadata, limits: FileLimits, multiPage: boolean): ImagingError {
  if (error instanceof ImagingError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/exceeds pixel limit/i.test(message)) {
    return problems.tooManyPixels(multiPage ? pageIndex : null, meta.width ?? 0, meta.height ?? 0, limits);
  }
  return problems.corrupt(multiPage ? pageIndex : null, error);
}

/** Pixels per inch from libvips' resolution (JFIF/EXIF density, PNG pHYs, TIFF resolution, cm converted). */
function dpiOf(meta: Metadata): number | null {
  const density = meta.density;
  // libvips reports no density (or 1 px/mm, ~25 dpi) when the file does not say; no real scan is that coarse.
  if (density === undefined || !Number.isFinite(density) || density < 30) return null;
  return Math.round(density * 10) / 10;
}

function pageCountOf(meta: Metadata): number {
  return meta.pages && meta.pages > 0 ? meta.pages : 1;
}

function checkPixels(meta: Metadata, pageIndex: number, limits: FileLimits, multiPage: boolean): void {
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw problems.corrupt(multiPage ? pageIndex : null);
  if (width * height > limits.pixelLimit) throw problems.tooManyPixels(multiPage ? pageIndex : null, width, height, limits);
}

function orientedInfo(meta: Metadata): PageInfo {
  const size = meta.autoOrient ?? { width: meta.width ?? 0, height: meta.height ?? 0 };
  return { width: size.width, height: size.height, dpi: dpiOf(meta) };
}

export async function inspectRaster(bytes: Buffer, format: RasterFormat, limits: FileLimits): Promise<Inspection> {
  const first = await header(bytes, 0);
  const pageCount = format === 'tiff' ? pageCountOf(first) : 1;
  const multiPage = pageCount > 1;
  const pages: PageInfo[] = [];
  for (let page = 0; page < pageCount; page++) {
    const meta = page === 0 ? first : await header(bytes, page);
    checkPixels(meta, page, limits, multiPage);
    // Decode every pixel (shrunk to a thumbnail that is thrown away, so memory stays small) so that a file
    // cut short, or with corrupt compressed data, is caught now rather than halfway through the pipeline.
    // (10× faster than .stats() on an A4 300-dpi page.)
    try {
      await open(bytes, page, limits).resize({ width: 64 }).raw().toBuffer();
    } catch (error) {
      throw decodeFailure(error, page, meta, limits, multiPage);
    }
    pages.push(orientedInfo(meta));
  }
  return { format, pageCount, pages };
}

export async function decodeRasterPage(bytes: Buffer, format: RasterFormat, pageIndex: number, limits: FileLimits): Promise<RawImage> {
  const first = await header(bytes, 0);
  const pageCount = format === 'tiff' ? pageCountOf(first) : 1;
  if (pageIndex >= pageCount) throw pageOutOfRange(pageIndex, pageCount);
  const multiPage = pageCount > 1;
  const meta = pageIndex === 0 ? first : await header(bytes, pageIndex);
  checkPixels(meta, pageIndex, limits, multiPage);

  const grey = meta.space === 'b-w' || meta.space === 'grey16' || (meta.channels ?? 3) <= 2;
  let pipeline = open(bytes, pageIndex, limits).rotate(); // EXIF / TIFF orientation
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  // Explicit colourspace: without it libvips widens grey to RGB; it also brings 16-bit down to 8-bit
  // (scaled, not clipped) and CMYK to sRGB. Bitonal pages arrive as 0/255 greys.
  pipeline = pipeline.toColourspace(grey ? 'b-w' : 'srgb');
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 1 && info.channels !== 3) {
      throw problems.corrupt(multiPage ? pageIndex : null, new Error(`unexpected ${info.channels} channels after decoding`));
    }
    return { pixels: data, width: info.width, height: info.height, channels: info.channels, dpi: dpiOf(meta) };
  } catch (error) {
    throw decodeFailure(error, pageIndex, meta, limits, multiPage);
  }
}
