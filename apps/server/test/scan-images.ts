import sharp from 'sharp';

/**
 * Small scanned-page stand-ins for the server's tests: Chinese text lines on paper tone at 150 dpi
 * (A5-ish, to keep the suites fast), optionally skewed, turned, bordered or speckled.
 */
export interface PageSpec {
  lines?: string[];
  skewDeg?: number;
  turn?: 0 | 90 | 180 | 270;
  border?: boolean;
  format?: 'jpeg' | 'png';
  seed?: number;
}

const W = 874;
const H = 1240;

function svgPage(lines: string[]): Buffer {
  const text = lines
    .map((l, i) => `<text x="90" y="${150 + i * 56}" font-family="Noto Sans CJK SC, Noto Serif CJK SC, sans-serif" font-size="34" fill="#111">${l}</text>`)
    .join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#f4f1ea"/>${text}</svg>`);
}

export const SAMPLE_LINES = [
  '干部履历表', '姓名：王伟，性别：男，民族：汉族。', '出生年月：1970年5月，籍贯：江苏南京。', '参加工作时间：1991年7月。',
  '入党时间：1995年6月，学历：大学。', '工作单位及职务：某某局办公室主任。', '一九九一年七月至一九九五年六月，某某厂技术员。',
  '一九九五年六月至二〇〇三年五月，某某局科员。', '二〇〇三年五月至今，某某局办公室主任。', '以上情况属实。本人签名：王伟',
];

export async function scanPage(spec: PageSpec = {}): Promise<Buffer> {
  let img = sharp(svgPage(spec.lines ?? SAMPLE_LINES)).flatten({ background: '#f4f1ea' });
  if (spec.skewDeg) img = sharp(await img.rotate(spec.skewDeg, { background: '#f4f1ea' }).png().toBuffer());
  if (spec.turn) img = sharp(await img.rotate(spec.turn).png().toBuffer());
  if (spec.border) img = sharp(await img.extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#050505' }).png().toBuffer());
  const out = img.withMetadata({ density: 150 }).greyscale();
  return spec.format === 'png' ? out.png().toBuffer() : out.jpeg({ quality: 90 }).toBuffer();
}

export async function blankPage(): Promise<Buffer> {
  return sharp({ create: { width: W, height: H, channels: 3, background: '#f4f1ea' } }).withMetadata({ density: 150 }).jpeg({ quality: 90 }).toBuffer();
}

export async function multiPageTiff(pages: number): Promise<Buffer> {
  const frames = [];
  for (let i = 0; i < pages; i++) frames.push(await sharp(await scanPage({ lines: [`第 ${i + 1} 页`, ...SAMPLE_LINES.slice(i)] })).greyscale().raw().toBuffer());
  const joined = Buffer.concat(frames);
  return sharp(joined, { raw: { width: W, height: H * pages, channels: 1, pageHeight: H } })
    .tiff({ compression: 'lzw', xres: 150 / 25.4, yres: 150 / 25.4 })
    .toBuffer();
}
