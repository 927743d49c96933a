import { decodePdfPage, inspectPdf } from './pdf.js';
import { problems } from './problems.js';
import { decodeRasterPage, inspectRaster } from './raster.js';
import { describeUnsupported, sniffFormat } from './sniff.js';
import type { FileLimits, Inspection, RawImage, ScanFormat } from './types.js';

export { sniffFormat } from './sniff.js';
// RawImage is not re-exported here: the package exports the image pipeline's identical RawImage
// (../types.ts), and two `export *` of one name would be ambiguous.
export type { FileLimits, Inspection, PageInfo, ScanFormat } from './types.js';

/** Size, emptiness and type, in that order: cheap checks that need no decoder. */
function admit(bytes: Buffer, limits: FileLimits): ScanFormat {
  if (bytes.length === 0) throw problems.empty();
  if (bytes.length > limits.maxBytes) throw problems.tooLarge(bytes.length, limits);
  const format = sniffFormat(bytes);
  if (!format) throw problems.unsupported(describeUnsupported(bytes));
  return format;
}

/**
 * Validates a scanned file and describes its pages: type by content, size, per-page pixel count (from the
 * header, before decoding), and a full decode of every page, one at a time, so that truncated or corrupt
 * files are caught here. Throws ImagingError.
 */
export async function inspectFile(bytes: Buffer, limits: FileLimits): Promise<Inspection> {
  const format = admit(bytes, limits);
  return format === 'pdf' ? inspectPdf(bytes, limits) : inspectRaster(bytes, format, limits);
}

/**
 * One page (0-based) as raw 8-bit pixels: grey (1 channel) or RGB (3), EXIF/TIFF orientation applied, dpi
 * from the file. For PDF, the page's largest image at its native resolution. Throws ImagingError, or
 * RangeError for a page index the file does not have.
 */
export async function decodePage(bytes: Buffer, pageIndex: number, limits: FileLimits): Promise<RawImage> {
  if (!Number.isInteger(pageIndex) || pageIndex < 0) throw new RangeError(`page index must be a non-negative integer, got ${pageIndex}`);
  const format = admit(bytes, limits);
  return format === 'pdf' ? decodePdfPage(bytes, pageIndex, limits) : decodeRasterPage(bytes, format, pageIndex, limits);
}
