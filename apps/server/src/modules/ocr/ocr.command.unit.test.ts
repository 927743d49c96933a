import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPage } from '../../../../../packages/ocr/src/testing/render.js';
import { ocrImageFile } from './ocr.command.js';

describe('dangan ocr', () => {
  let dir = '';
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the lines with boxes and confidence, as JSON when asked', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dangan-ocr-'));
    const file = join(dir, 'page.png');
    const page = await renderPage(900, 300, [{ text: '王伟 1970年5月出生', x: 60, y: 120, size: 32 }]);
    await writeFile(file, page.png);
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    const r = await ocrImageFile(file, { json: true });
    expect(r.lines.map((l) => l.text).join('')).toContain('1970年5月出生');
    expect(r.lines[0]!.box[0]).toBeGreaterThanOrEqual(50);
    const printed = JSON.parse(out[0]!) as { lines: { text: string; box: number[]; confidence: number }[]; ms: number };
    expect(printed.lines[0]!.text).toContain('王伟');
    expect(printed.lines[0]!.box).toHaveLength(4);
    expect(printed.ms).toBeGreaterThan(0);
  }, 30_000);
});
