import { ImagingError } from '../errors.js';
import type { FileLimits } from './types.js';

/** Constructors for the errors this module throws, each with a message a records clerk can act on. */

function withCause(error: ImagingError, cause: unknown): ImagingError {
  if (cause !== undefined) error.cause = cause;
  return error;
}

function pageLabel(pageIndex: number | null): string {
  return pageIndex === null ? '' : `第 ${pageIndex + 1} 页`;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

export const problems = {
  empty(): ImagingError {
    return new ImagingError('IMAGE_EMPTY', '文件为空（0 字节），请重新扫描或重新上传');
  },
  tooLarge(size: number, limits: FileLimits): ImagingError {
    return new ImagingError(
      'IMAGE_TOO_LARGE',
      `文件过大（${megabytes(size)} MB），超过单个文件上限 ${megabytes(limits.maxBytes)} MB，请拆分后再上传`,
    );
  },
  unsupported(detected: string | null): ImagingError {
    const what = detected ? `（实际为${detected}）` : '';
    return new ImagingError(
      'IMAGE_UNSUPPORTED_TYPE',
      `不支持的文件类型${what}。仅支持 JPEG、PNG、TIFF 图像和 PDF 扫描件；系统按文件内容识别类型，仅修改扩展名无效`,
    );
  },
  tooManyPixels(pageIndex: number | null, width: number, height: number, limits: FileLimits): ImagingError {
    const where = pageIndex === null ? '文件中有图像' : `${pageLabel(pageIndex)}图像`;
    return new ImagingError(
      'IMAGE_TOO_MANY_PIXELS',
      `${where}尺寸过大（${width}×${height} 像素），超过单页上限 ${limits.pixelLimit.toLocaleString('en-US')} 像素，` +
        '可能是异常文件，已拒绝解码',
    );
  },
  corrupt(pageIndex: number | null, cause?: unknown): ImagingError {
    const where = pageIndex === null ? '' : `（${pageLabel(pageIndex)}）`;
    return withCause(new ImagingError('IMAGE_CORRUPT', `文件已损坏或不完整${where}，无法解码，请重新扫描或重新导出`), cause);
  },
  encryptedPdf(cause?: unknown): ImagingError {
    return withCause(
      new ImagingError('IMAGE_CORRUPT', 'PDF 文件已加密（设有打开密码），无法读取，请提供未加密的文件'),
      cause,
    );
  },
  pdfPageNoImage(pageIndex: number): ImagingError {
    return new ImagingError(
      'PDF_PAGE_NO_IMAGE',
      `PDF ${pageLabel(pageIndex)}没有扫描图像（可能是纯文字页或空白页），无法作为档案扫描件处理`,
    );
  },
};

/** The caller asked for a page the file does not have: a programming error, not a problem with the file. */
export function pageOutOfRange(pageIndex: number, pageCount: number): RangeError {
  return new RangeError(`page index ${pageIndex} out of range: the file has ${pageCount} page(s)`);
}
