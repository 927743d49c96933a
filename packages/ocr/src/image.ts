/** Input images: raw pixels (1, 3 or 4 channels, 8 bits) or an encoded file that sharp decodes. */
import sharp from 'sharp';

export interface RawPixels {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export type OcrInput = RawPixels | Buffer;

/** Decodes an encoded image to raw pixels; raw input is passed through untouched. */
export async function toRaw(input: OcrInput): Promise<RawPixels> {
  if (!Buffer.isBuffer(input)) {
    const { pixels, width, height, channels } = input;
    if (pixels.length < width * height * channels) throw new Error(`像素缓冲区过小：${pixels.length} < ${width}×${height}×${channels}`);
    return input;
  }
  const img = sharp(input, { limitInputPixels: 20_000 * 20_000 });
  const meta = await img.metadata();
  // Grey stays one channel (a third of the work); everything else becomes RGB without alpha.
  const grey = meta.channels !== undefined && meta.channels <= 2 && meta.space !== 'srgb';
  const pipeline = grey ? img.extractChannel(0) : img.removeAlpha().toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const channels = info.channels === 1 ? 1 : info.channels === 3 ? 3 : 4;
  return { pixels: data, width: info.width, height: info.height, channels };
}

/** Size the detector sees: each side a multiple of 32, the longer side at most `maxSide`. */
export function detectionSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const round32 = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32);
  return { width: round32(width), height: round32(height) };
}

// PaddleOCR's detector normalisation (ImageNet mean/std), applied in the B, G, R order it was trained on.
const DET_MEAN = [0.485, 0.456, 0.406] as const;
const DET_STD = [0.229, 0.224, 0.225] as const;

/**
 * The detector's input: the image resized (by libvips) to `size`, as a normalised CHW float tensor
 * in BGR order.
 */
export async function detectionTensor(img: RawPixels, size: { width: number; height: number }): Promise<Float32Array> {
  const { width: w, height: h } = size;
  let resized = img.pixels;
  let ch: number = img.channels;
  if (w !== img.width || h !== img.height) {
    let pipeline = sharp(img.pixels, { raw: { width: img.width, height: img.height, channels: img.channels } }).resize(w, h, {
      fit: 'fill',
      kernel: 'linear',
    });
    // libvips would otherwise hand a one-band image back as sRGB.
    if (ch === 1) pipeline = pipeline.toColourspace('b-w');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    resized = data;
    ch = info.channels;
  }
  const plane = w * h;
  const out = new Float32Array(3 * plane);
  // Lookup tables: one per output channel, 256 entries.
  const lut = [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = (v / 255 - DET_MEAN[c as 0 | 1 | 2]) / DET_STD[c as 0 | 1 | 2];
    return t;
  }) as [Float32Array, Float32Array, Float32Array];
  const [l0, l1, l2] = lut;
  if (ch === 1) {
    for (let i = 0; i < plane; i++) {
      const v = resized[i]!;
      out[i] = l0[v]!;
      out[plane + i] = l1[v]!;
      out[2 * plane + i] = l2[v]!;
    }
  } else {
    for (let i = 0, p = 0; i < plane; i++, p += ch) {
      // Channel 0 of the tensor is blue.
      out[i] = l0[resized[p + 2]!]!;
      out[plane + i] = l1[resized[p + 1]!]!;
      out[2 * plane + i] = l2[resized[p]!]!;
    }
  }
  return out;
}
