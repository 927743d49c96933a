import sharp from 'sharp';
import { ImagingError } from './errors.js';
import type { RawImage } from './types.js';

/**
 * Plain sharp decode (first frame, or `page` of a multi-page TIFF/GIF/PDF when sharp can read it), for
 * tests and the CLI until the formats module handles every input. EXIF orientation is not applied: the
 * pipeline finds the orientation itself and records it as an operation against the original pixels.
 */
export async function decodeSimple(bytes: Buffer, page = 0): Promise<RawImage> {
  if (!bytes || bytes.length === 0) throw new ImagingError('IMAGE_EMPTY', '文件为空，无法读取图像');
  try {
    const img = sharp(bytes, { page, limitInputPixels: 200_000_000, failOn: 'error' });
    const meta = await img.metadata();
    const hasAlpha = meta.hasAlpha === true;
    const grey = (meta.channels ?? 3) <= 2;
    // Without toColourspace, sharp hands grey images out as sRGB.
    const pipeline = (hasAlpha ? img.flatten({ background: '#ffffff' }) : img).toColourspace(grey ? 'b-w' : 'srgb');
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const channels = info.channels === 1 || info.channels === 3 || info.channels === 4 ? info.channels : null;
    if (!channels) {
      // 2 channels = grey + alpha.
      const grey = Buffer.alloc(info.width * info.height);
      for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels]!;
      return { pixels: grey, width: info.width, height: info.height, channels: 1, dpi: meta.density ?? null };
    }
    return { pixels: data, width: info.width, height: info.height, channels, dpi: meta.density ?? null };
  } catch (err) {
    if (err instanceof ImagingError) throw err;
    throw new ImagingError('IMAGE_CORRUPT', `图像文件已损坏或格式无法识别：${(err as Error).message}`);
  }
}
