import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleCatalogue } from './catalogue.fixtures.js';
import { renderCataloguePdf } from './catalogue.pdf.js';
import type { CataloguePrint } from './catalogue.print.js';

async function pagesText(pdf: Buffer): Promise<string[]> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  return (await extractText(doc, { mergePages: false })).text;
}

const STANDARD_14 = /\/BaseFont\s*\/(?:[A-Z]{6}\+)?(?:Helvetica|Times|Courier|Symbol|ZapfDingbats)/;

describe('catalogue PDF', () => {
  const print = sampleCatalogue(120);
  let pdf: Buffer;
  let pages: string[];

  beforeAll(async () => {
    pdf = await renderCataloguePdf(print);
    pages = await pagesText(pdf);
  });

  it('is a PDF of several A4 pages', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect(pages.length).toBeGreaterThan(1);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
  });

  it('repeats the title, the cadre, the dossier number and the table header on every page', () => {
    pages.forEach((text, i) => {
      expect(text).toContain('干部档案目录');
      expect(text).toContain('张明华');
      expect(text).toContain('GB-2024-000123');
      expect(text).toContain('材料名称');
      expect(text).toContain('材料形成时间');
      expect(text).toContain(`第 ${i + 1} 页 共 ${pages.length} 页`);
    });
  });

  it('prints every material once, whole, on one page, with class headings and totals', () => {
    const all = pages.join('\n');
    for (const cls of print.classes) {
      for (const m of cls.materials) {
        const page = pages.find((p) => new RegExp(`(^|\\s)${m.seq}\\s`).test(p));
        expect(page, m.seq).toBeDefined();
        expect(page!.replace(/\s/g, '')).toContain(m.name.replace(/\s/g, '').slice(0, 10));
      }
    }
    expect(all).toContain('第一类 履历类材料');
    expect(all).toContain('第四类之一 学历学位');
    expect(all).toContain('第九类之二 任免');
    expect(all).toContain('第四类合计');
    expect(all).toContain('（本类无材料）');
    const pagesTotal = print.classes.flatMap((c) => c.materials).reduce((s, m) => s + m.pages, 0);
    expect(all).toContain(`总计 材料 120 份，页数合计 ${pagesTotal} 页`);
  });

  it('wraps a long material name inside its cell', () => {
    const text = pages.join('\n').replace(/\n/g, '');
    expect(text).toContain('干部人事档案专项审核认定表（出生日期、参加工作时间、入党时间）'.slice(0, 15));
  });

  it('embeds a subset of the CJK font and relies on no standard font', () => {
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/FontFile[23]/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Regular/);
    expect(raw).not.toMatch(STANDARD_14);
    // The font file alone is about 15 MB: a subset keeps the whole catalogue small.
    expect(pdf.length).toBeLessThan(1_000_000);
  });

  it('prints a dossier without materials, and cuts a name too long for a page instead of looping', async () => {
    const empty: CataloguePrint = { ...print, classes: [] };
    const emptyPages = await pagesText(await renderCataloguePdf(empty));
    expect(emptyPages).toHaveLength(1);
    expect(emptyPages[0]).toContain('总计 材料 0 份，页数合计 0 页');

    const huge: CataloguePrint = {
      ...print,
      classes: [{ ...print.classes[0]!, materials: [{ ...print.classes[0]!.materials[0]!, name: '很长的材料名称'.repeat(400) }] }],
    };
    const hugePages = await pagesText(await renderCataloguePdf(huge));
    expect(hugePages.length).toBeLessThanOrEqual(3);
  });

  it('renders to a PNG that is not blank (poppler-utils, installed by scripts/ensure-services.sh)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-pdf-'));
    try {
      const file = join(dir, 'catalogue.pdf');
      writeFileSync(file, pdf);
      const r = spawnSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
      expect(r.status).toBe(0);
      const png = readFileSync(join(dir, 'page.png'));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      // A blank A4 page at 80 dpi compresses to a few kilobytes; a full table is far larger.
      expect(png.length).toBeGreaterThan(30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
