import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrEngine } from './engine.js';
import { inkBox, renderPage, type TextLine } from './testing/render.js';

// A cadre résumé page at about 150 dpi (A4: 1240 × 1754).
const LINES: TextLine[] = [
  { text: '干部履历表', x: 520, y: 150, size: 40 },
  { text: '姓名：王伟', x: 120, y: 260, size: 28 },
  { text: '性别：男', x: 700, y: 260, size: 28 },
  { text: '出生年月：1970年5月', x: 120, y: 330, size: 28 },
  { text: '身份证号：110105197005120123', x: 120, y: 400, size: 28 },
  { text: '1988年9月至1992年7月在北京大学经济学系学习', x: 120, y: 470, size: 28 },
  { text: '1992年7月参加工作，任国家计划委员会科员', x: 120, y: 540, size: 28 },
  { text: '中国共产党党员，大学本科学历，经济学学士学位', x: 120, y: 610, size: 28 },
];

let engine: OcrEngine;
beforeAll(async () => {
  engine = await OcrEngine.load();
}, 30_000);
afterAll(async () => {
  await engine?.dispose();
});

describe('OcrEngine', () => {
  it('reads a résumé page verbatim, with boxes where the text is, in reading order', async () => {
    const page = await renderPage(1240, 1754, LINES);
    const r = await engine.recognize(page.png);
    const texts = r.lines.map((l) => l.text);
    const all = texts.join('\n');
    for (const token of ['王伟', '1970年5月', '110105197005120123', '北京大学经济学系', '国家计划委员会科员', '干部履历表']) {
      expect(all).toContain(token);
    }
    // Name and sex are on one line, left to right, merged into one line.
    const nameLine = r.lines.find((l) => l.text.includes('王伟'))!;
    expect(nameLine.text).toMatch(/姓名：王伟\s*性别：男/);
    // Reading order: top to bottom as drawn.
    const order = ['干部履历表', '王伟', '1970年5月', '110105197005120123', '北京大学', '参加工作', '党员'];
    const at = order.map((t) => texts.findIndex((x) => x.includes(t)));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(new Set(at).size).toBe(at.length);
    // Boxes: each drawn line (except the two merged ones) within 10 px of its ink.
    for (const l of LINES.filter((l) => !l.text.startsWith('姓名') && !l.text.startsWith('性别'))) {
      const line = r.lines.find((x) => x.text === l.text);
      expect(line, l.text).toBeDefined();
      const [x, y, w, h] = inkBox(l);
      const [bx, by, bw, bh] = line!.box;
      expect(Math.abs(bx - x), `${l.text} x`).toBeLessThanOrEqual(10);
      expect(Math.abs(by - y), `${l.text} y`).toBeLessThanOrEqual(10);
      expect(Math.abs(bx + bw - (x + w)), `${l.text} right`).toBeLessThanOrEqual(10);
      expect(Math.abs(by + bh - (y + h)), `${l.text} bottom`).toBeLessThanOrEqual(10);
      expect(line!.confidence).toBeGreaterThan(0.9);
      expect(line!.chars).toHaveLength([...line!.text].length);
    }
    expect(r.ms).toBeGreaterThan(0);
    expect(Object.keys(r.timings)).toEqual(expect.arrayContaining(['det', 'rec']));
  }, 30_000);

  it('takes raw grey pixels, maps boxes back from a reduced detection size, and finds nothing on a blank page', async () => {
    const lines: TextLine[] = [
      { text: '任免审批表', x: 200, y: 300, size: 56 },
      { text: '2003年12月任处长', x: 200, y: 500, size: 56 },
    ];
    const page = await renderPage(2480, 1200, lines);
    const { data, info } = await sharp(page.png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    const r = await engine.recognize({ pixels: data, width: info.width, height: info.height, channels: 1 }, { maxSide: 1280 });
    expect(r.lines.map((l) => l.text)).toEqual(['任免审批表', '2003年12月任处长']);
    const [x, y] = inkBox(lines[1]!);
    expect(Math.abs(r.lines[1]!.box[0] - x)).toBeLessThanOrEqual(10);
    expect(Math.abs(r.lines[1]!.box[1] - y)).toBeLessThanOrEqual(10);

    const blank = await renderPage(800, 600, [], '#f4efe4');
    expect((await engine.recognize(blank.png)).lines).toEqual([]);
  }, 30_000);
});
