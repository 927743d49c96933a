import type { ScanFormat } from './types.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function startsWith(bytes: Buffer, magic: ArrayLike<number>, at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/** Where "%PDF-" starts: readers accept it anywhere in the first 1024 bytes. -1 when absent. */
export function pdfHeaderOffset(bytes: Buffer): number {
  return bytes.subarray(0, 1024).indexOf('%PDF-', 0, 'latin1');
}

/** The file's type from its first bytes only (never the extension); null when it is not one we accept. */
export function sniffFormat(bytes: Buffer): ScanFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  // Classic TIFF (II*\0, MM\0*) and BigTIFF (II+\0, MM\0+), both of which libtiff reads.
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (pdfHeaderOffset(bytes) >= 0) return 'pdf';
  return null;
}

/** A short Chinese name for what an unaccepted file really is, to make the rejection message useful. */
export function describeUnsupported(bytes: Buffer): string | null {
  const known: Array<[ArrayLike<number>, string, number?]> = [
    [[0x50, 0x4b, 0x03, 0x04], 'ZIP 压缩包或 Office/OFD 文档'],
    [[0x50, 0x4b, 0x05, 0x06], 'ZIP 压缩包'],
    [[0x52, 0x61, 0x72, 0x21], 'RAR 压缩包'],
    [[0x37, 0x7a, 0xbc, 0xaf], '7z 压缩包'],
    [[0x1f, 0x8b], 'GZIP 压缩文件'],
    [[0xd0, 0xcf, 0x11, 0xe0], '旧版 Office 文档'],
    [Buffer.from('GIF8', 'latin1'), 'GIF 图像'],
    [Buffer.from('BM', 'latin1'), 'BMP 图像'],
    [Buffer.from('WEBP', 'latin1'), 'WebP 图像', 8],
    [Buffer.from('ftyp', 'latin1'), 'HEIC/MP4 等文件', 4],
    [[0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20], 'JPEG 2000 图像'],
    [[0xff, 0x4f, 0xff, 0x51], 'JPEG 2000 图像'],
    [Buffer.from('{\\rtf', 'latin1'), 'RTF 文档'],
  ];
  for (const [magic, name, at] of known) if (startsWith(bytes, magic, at ?? 0)) return name;
  if (looksLikeText(bytes)) return '文本文件';
  return null;
}

function looksLikeText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.length === 0) return false;
  if (head.includes(0)) return false;
  // Valid UTF-8 without control characters other than whitespace (GBK text also has no NULs and
  // few controls, so a lenient control-character check covers it too).
  let controls = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) controls++;
  return controls === 0;
}
