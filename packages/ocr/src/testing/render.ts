/** Renders text pages with sharp (SVG, Noto Sans CJK SC) and tells where each line's ink is. */
import sharp from 'sharp';

export interface TextLine {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size: number;
}

export interface RenderedPage {
  png: Buffer;
  width: number;
  height: number;
  lines: TextLine[];
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function renderPage(width: number, height: number, lines: TextLine[], background = 'white'): Promise<RenderedPage> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="${background}"/>` +
    lines
      .map((l) => `<text x="${l.x}" y="${l.y}" font-family="Noto Sans CJK SC" font-size="${l.size}" fill="#111" xml:space="preserve">${escape(l.text)}</text>`)
      .join('') +
    '</svg>';
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  return { png, width, height, lines };
}

/** Approximate ink box of a line: CJK glyphs fill ~0.88 em above the baseline and ~0.12 below. */
export function inkBox(l: TextLine): [number, number, number, number] {
  let w = 0;
  for (const ch of l.text) w += /[\u0000-\u00ff]/.test(ch) ? 0.57 * l.size : l.size;
  return [l.x, Math.round(l.y - 0.88 * l.size), Math.round(w), Math.round(l.size)];
}
