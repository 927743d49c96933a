import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, launchBrowser, shot, startSystem, type RunningSystem } from './support.js';

const PASSWORD = 'Scanner-Passw0rd-1';
const DOSSIER_NO = 'SM20260001';
// A5 at 300 dpi: big enough to be a real scan, small enough to process quickly.
const W = 1240;
const H = 1754;

interface BoardPage {
  id: string;
  fileName: string;
  status: string;
  version: number;
  materialId: string | null;
  errorMessage: string | null;
  analysis: { skewDeg: number; rotation: number; blank: boolean; specklesRemoved: number; cropBox: number[]; width: number; height: number } | null;
}
interface Board {
  materials: { id: string; seq: string; pageIds: string[] }[];
  unlinkedPageIds: string[];
  pages: BoardPage[];
}

/** A page of typed Chinese text, as a clerk's scanner would see it. */
async function textPage(title: string): Promise<Buffer> {
  const lines = [
    '干部履历表', '姓名：张卫东　性别：男　民族：汉族　籍贯：山东济南', '出生年月：1970年5月　参加工作时间：1991年7月',
    '学历学位：大学本科　工学学士', '1991.07—1995.03　某市机械工业局技术员', '1995.03—2001.06　某市经济委员会科员、副主任科员',
    '2001.06—2008.12　某市发展和改革委员会副处长、处长', '2008.12—　　　　某县人民政府副县长', '本人签字：　　　　　　审核单位（盖章）',
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <rect width="100%" height="100%" fill="#fff"/>
    <text x="${W / 2}" y="220" font-family="Noto Sans CJK SC" font-size="64" font-weight="bold" text-anchor="middle" fill="#111">${title}</text>
    ${lines.map((l, i) => `<text x="150" y="${400 + i * 110}" font-family="Noto Sans CJK SC" font-size="40" fill="#1a1a1a">${l}</text>`).join('')}
    <line x1="150" y1="300" x2="${W - 150}" y2="300" stroke="#222" stroke-width="4"/>
  </svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#fff' }).png().toBuffer();
}

const jpeg = (img: sharp.Sharp) => img.jpeg({ quality: 88 }).withMetadata({ density: 300 }).toBuffer();

async function makeImages(dir: string): Promise<Record<string, string>> {
  const skewed = await jpeg(sharp(await sharp(await textPage('干部履历表（一）')).rotate(3, { background: '#fff' }).toBuffer()).resize(W, H, { fit: 'fill' }));
  const bordered = await jpeg(
    sharp(await sharp(await textPage('干部履历表（二）')).resize(W - 160, H - 160).toBuffer()).extend({ top: 80, bottom: 80, left: 80, right: 80, background: '#000' }),
  );
  // Dust on the glass: small black dots scattered over the page.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const dots = Array.from({ length: 160 }, () => `<circle cx="${Math.round(rnd() * W)}" cy="${Math.round(rnd() * H)}" r="${2 + Math.round(rnd() * 2)}" fill="#000"/>`).join('');
  const speckled = await jpeg(
    sharp(await textPage('年度考核登记表')).composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${dots}</svg>`) }]),
  );
  const upsideDown = await jpeg(sharp(await textPage('中国共产党入党志愿书')).rotate(180));
  const blank = await jpeg(sharp({ create: { width: W, height: H, channels: 3, background: '#fdfdfd' } }));
  const whole = await jpeg(sharp(await textPage('入党志愿书（续）')));
  const corrupt = whole.subarray(0, Math.floor(whole.length * 0.4));
  const files: Record<string, Buffer> = {
    skewed, bordered, speckled, upsideDown, blank, corrupt, duplicate: skewed,
  };
  const names: Record<string, string> = {
    skewed: `${DOSSIER_NO}_1-1_1.jpg`,
    bordered: `${DOSSIER_NO}_1-1_2.jpg`,
    speckled: `${DOSSIER_NO}_3-1_1.jpg`,
    upsideDown: `${DOSSIER_NO}_6-1_1.jpg`,
    blank: `${DOSSIER_NO}_6-1_2.jpg`,
    corrupt: `${DOSSIER_NO}_6-1_3.jpg`,
    // Sorted last, so it goes up after the file it repeats.
    duplicate: `${DOSSIER_NO}_扫描副本.jpg`,
  };
  const paths: Record<string, string> = {};
  for (const [k, buf] of Object.entries(files)) {
    paths[k] = join(dir, names[k]!);
    writeFileSync(paths[k], buf);
  }
  return names;
}

/**
 * The scan journey, in real Chromium against the built system: a scan operator uploads a mixed batch
 * (skewed, bordered, speckled, upside-down, blank, one corrupt file, one duplicate) to a dossier whose
 * materials are catalogued, watches the batch finish, finds each page linked to its material and
 * straightened, corrects one by hand and sees the corrupt and the duplicate file reported.
 */
describe('scan journey on sqlite', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let page: Page;
  let dossierId = '';
  let dir = '';
  let names: Record<string, string> = {};
  const problems: string[] = [];

  beforeAll(async () => {
    sys = await startSystem('sqlite');
    const sec = new ApiSession(sys.url);
    await sec.firstLogin('secadmin', sys.initialPassword('secadmin'), 'Sicher-Neu-9a!');
    const units = await sec.call<{ id: string; code: string }[]>('GET', '/api/units');
    const root = units.json.find((u) => u.code === 'ROOT')!.id;
    const roles = await sec.call<{ id: string; code: string }[]>('GET', '/api/roles');
    const roleIds = roles.json.filter((r) => r.code === 'archivist' || r.code === 'scanner').map((r) => r.id);
    const created = await sec.call('POST', '/api/users', {
      username: 'zhaosao', displayName: '赵扫描', unitId: root, password: 'Initial-Passw0rd-1', roleIds,
      scope: { kind: 'unit_and_below', unitIds: [] },
    });
    expect(created.status).toBe(200);

    // The dossier and its catalogue, entered by the same clerk through the API.
    const clerk = new ApiSession(sys.url);
    await clerk.firstLogin('zhaosao', 'Initial-Passw0rd-1', PASSWORD);
    const cadre = await clerk.call<{ dossier: { id: string } }>('POST', '/api/cadres', {
      name: '张卫东', managingUnitId: root, dossier: { dossierNo: DOSSIER_NO, custodianUnitId: root },
    });
    expect(cadre.status).toBe(200);
    dossierId = cadre.json.dossier.id;
    for (const [classCode, name, formedOn, pages] of [
      ['1', '干部履历表', '2009.01', 2],
      ['3', '2010年度考核登记表', '2011.01', 1],
      ['6', '中国共产党入党志愿书', '1993.07', 2],
    ] as const) {
      const r = await clerk.call('POST', `/api/dossiers/${dossierId}/materials`, { classCode, name, formedOn, pages });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }

    dir = mkdtempSync(join(tmpdir(), 'dangan-scan-'));
    names = await makeImages(dir);

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(sys.url) && !/^(data|blob):/.test(r.url())) problems.push(`[outside request] ${r.url()}`);
    });
    await page.goto(`${sys.url}/login`);
    await page.getByLabel('用户名').fill('zhaosao');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('home-page').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function api<T>(path: string): Promise<T> {
    return page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
  }
  async function bytes(path: string): Promise<Buffer> {
    const arr = await page.evaluate(async (p) => Array.from(new Uint8Array(await (await fetch(p)).arrayBuffer())), path);
    return Buffer.from(arr);
  }
  const board = () => api<Board>(`/api/dossiers/${dossierId}/pages`);
  const byFile = (b: Board, name: string) => b.pages.find((p) => p.fileName === name || p.fileName.endsWith(`/${name}`));
  const seqOf = (b: Board, p: BoardPage | undefined) => b.materials.find((m) => m.id === p?.materialId)?.seq;

  it('uploads a mixed batch and follows it until every page is processed', async () => {
    await page.goto(`${sys.url}/dossiers/${dossierId}/catalogue`);
    await page.getByTestId('open-scan').click();
    await page.getByTestId('link-board').waitFor();
    await shot(page, 'scan-1-empty');

    await page.getByTestId('scan-file-input').setInputFiles(Object.values(names).map((n) => join(dir, n)));
    await page.getByTestId('batch-progress').waitFor();
    await shot(page, 'scan-2-uploading');
    const percent = () => page.getByTestId('batch-percent').getAttribute('data-percent');
    await expect.poll(percent, { timeout: 180_000, interval: 500 }).toBe('100');
    expect(await page.getByTestId('batch-progress').innerText()).toContain('100%');
    await expect.poll(() => page.getByTestId('batch-summary').innerText(), { timeout: 10_000 }).toContain('处理完成');
    expect(await page.getByTestId('batch-summary').innerText()).toContain('文件 7/7');

    const row = (name: string) => page.getByTestId('scan-files').locator(`tr[data-name="${name}"]`);
    await expect.poll(() => row(names.corrupt!).getByTestId('scan-file-status').innerText()).toBe('已拒收');
    expect(await row(names.corrupt!).getByTestId('scan-file-note').innerText()).toContain('文件已损坏或不完整');
    await expect.poll(() => row(names.duplicate!).getByTestId('scan-file-status').innerText()).toBe('重复文件');
    expect(await row(names.duplicate!).getByTestId('scan-file-note').innerText()).toContain(names.skewed!);
    expect(await row(names.skewed!).getByTestId('scan-file-status').innerText()).toBe('已接收');
    await shot(page, 'scan-3-uploaded');
  });

  it('links each page to its material and straightens it', async () => {
    const b = await board();
    expect(b.pages).toHaveLength(5);
    expect(b.pages.every((p) => p.status === 'processed'), JSON.stringify(b.pages.map((p) => [p.fileName, p.status, p.errorMessage]))).toBe(true);
    expect(b.unlinkedPageIds).toEqual([]);
    const ids = (seq: string) => b.materials.find((m) => m.seq === seq)!.pageIds;
    expect(ids('1-1')).toEqual([byFile(b, names.skewed!)!.id, byFile(b, names.bordered!)!.id]);
    expect(ids('3-1')).toEqual([byFile(b, names.speckled!)!.id]);
    expect(ids('6-1')).toEqual([byFile(b, names.upsideDown!)!.id, byFile(b, names.blank!)!.id]);
    expect(seqOf(b, byFile(b, names.skewed!))).toBe('1-1');

    const skewed = byFile(b, names.skewed!)!.analysis!;
    expect(Math.abs(Math.abs(skewed.skewDeg) - 3)).toBeLessThan(0.5);
    expect(byFile(b, names.upsideDown!)!.analysis!.rotation).toBe(180);
    expect(byFile(b, names.blank!)!.analysis!.blank).toBe(true);
    expect(byFile(b, names.speckled!)!.analysis!.specklesRemoved).toBeGreaterThan(0);
    const bordered = byFile(b, names.bordered!)!.analysis!;
    expect(bordered.width).toBeLessThan(W - 60);
    expect(bordered.height).toBeLessThan(H - 60);

    // What the clerk sees: the materials with their pages, counts and the quality flags.
    const lane = (seq: string) => page.locator(`[data-testid="board-material"][data-seq="${seq}"]`);
    await expect.poll(() => lane('1-1').getByTestId('page-thumb').count()).toBe(2);
    await expect.poll(() => lane('6-1').getByTestId('page-thumb').count()).toBe(2);
    expect(await lane('3-1').getByTestId('page-thumb').count()).toBe(1);
    expect(await lane('1-1').getByTestId('material-count').innerText()).toBe('目录 2 页 / 已挂接 2 页');
    await expect.poll(() => lane('6-1').getByTestId('page-flag').allInnerTexts()).toContain('空白页');
    // Every thumbnail has loaded an image.
    await expect
      .poll(() => page.locator('[data-testid="page-thumb"] img').evaluateAll((imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length))
      .toBe(5);
    await shot(page, 'scan-4-board');
  });

  it('corrects a page by hand: a new version whose image differs', async () => {
    const before = await board();
    const target = byFile(before, names.bordered!)!;
    const webBefore = await bytes(`/api/pages/${target.id}/image?variant=web&v=${target.version}`);
    const metaBefore = await sharp(webBefore).metadata();

    await page.locator(`[data-testid="page-thumb"][data-page-id="${target.id}"] .scan-thumb-image`).click();
    const editor = page.getByTestId('page-editor');
    await editor.waitFor();
    await expect.poll(() => editor.getByTestId('stage-after').locator('img').evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await editor.getByText('处理记录').click();
    await editor.getByTestId('page-steps').waitFor();
    await shot(page, 'scan-5-editor');

    await editor.getByRole('button', { name: '右转 90°' }).click();
    await editor.getByLabel('纠偏角度').fill('0.5');
    await editor.getByLabel('纠偏角度').press('Enter');
    await shot(page, 'scan-6-editing');
    await editor.getByTestId('save-ops').click();
    await expect
      .poll(async () => {
        const p = (await board()).pages.find((x) => x.id === target.id)!;
        return p.status === 'processed' && p.version > target.version;
      }, { timeout: 60_000 })
      .toBe(true);
    const after = (await board()).pages.find((x) => x.id === target.id)!;
    const webAfter = await bytes(`/api/pages/${after.id}/image?variant=web&v=${after.version}`);
    expect(webAfter.equals(webBefore)).toBe(false);
    const metaAfter = await sharp(webAfter).metadata();
    // Turned a quarter: the page is now landscape.
    expect(metaAfter.width!).toBeGreaterThan(metaAfter.height!);
    expect(metaBefore.height!).toBeGreaterThan(metaBefore.width!);
    await expect.poll(() => editor.getByTestId('editor-status').innerText(), { timeout: 30_000 }).toBe('已处理');
    await expect
      .poll(() => editor.getByTestId('stage-after').locator('img').evaluate((i) => { const im = i as unknown as { naturalWidth: number; naturalHeight: number }; return im.naturalWidth > im.naturalHeight; }))
      .toBe(true);
    await shot(page, 'scan-7-corrected');
    await page.locator('.ant-drawer-close').click();
    await editor.waitFor({ state: 'hidden' });
  });

  it('drags a page with the mouse from its material to the tray and back into place', async () => {
    const b = await board();
    const blank = byFile(b, names.blank!)!;
    const tray = page.getByTestId('unlinked-tray');
    const drag = async (from: import('playwright-core').Locator, to: import('playwright-core').Locator) => {
      await from.scrollIntoViewIfNeeded();
      const a = (await from.locator('.scan-thumb-image').boundingBox())!;
      const z = (await to.boundingBox())!;
      // Only once nothing (a closing drawer's mask) lies over the page.
      await expect
        .poll(() =>
          page.evaluate(([x, y]) => {
            type Doc = { elementFromPoint(x: number, y: number): { closest(selector: string): unknown } | null };
            const doc = (globalThis as unknown as { document: Doc }).document;
            return !!doc.elementFromPoint(x!, y!)?.closest('[data-testid="page-thumb"]');
          }, [a.x + a.width / 2, a.y + a.height / 2]),
        )
        .toBe(true);
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 12, { steps: 4 });
      await page.mouse.move(z.x + z.width / 2, z.y + z.height / 2, { steps: 20 });
      await page.mouse.up();
    };
    await drag(page.locator(`[data-testid="page-thumb"][data-page-id="${blank.id}"]`), tray);
    await expect.poll(async () => (await board()).unlinkedPageIds).toEqual([blank.id]);
    await shot(page, 'scan-8-dragged-out');
    const lane = page.locator('[data-testid="board-material"][data-seq="6-1"]');
    await drag(tray.locator(`[data-testid="page-thumb"][data-page-id="${blank.id}"]`), lane);
    await expect.poll(async () => (await board()).materials.find((m) => m.seq === '6-1')!.pageIds).toContain(blank.id);
    expect((await board()).unlinkedPageIds).toEqual([]);
  });

  it('moves a page out to the tray and back with the menu', async () => {
    const b = await board();
    const blank = byFile(b, names.blank!)!;
    const thumb = page.locator(`[data-testid="page-thumb"][data-page-id="${blank.id}"]`);
    const tray = page.getByTestId('unlinked-tray');
    // The menu is the keyboard-and-mouse alternative to dragging; it moves through the same API.
    await thumb.scrollIntoViewIfNeeded();
    await thumb.getByRole('button', { name: '页面操作' }).click();
    await page.getByRole('menuitem', { name: '取消挂接' }).click();
    await expect.poll(async () => (await board()).unlinkedPageIds).toEqual([blank.id]);
    await expect.poll(() => tray.getByTestId('page-thumb').count()).toBe(1);
    const lane = page.locator('[data-testid="board-material"][data-seq="6-1"]');
    expect(await lane.getByTestId('material-count').innerText()).toBe('目录 2 页 / 已挂接 1 页');

    // Back with the menu: 挂接到材料… → 6-1, as its second page.
    await tray.getByRole('button', { name: '页面操作' }).click();
    await page.getByRole('menuitem', { name: '挂接到材料…' }).click();
    const dialog = page.getByRole('dialog', { name: '挂接到材料' });
    await dialog.getByLabel('选择材料').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title^="6-1 "]').click();
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect.poll(async () => (await board()).materials.find((m) => m.seq === '6-1')!.pageIds).toEqual([byFile(b, names.upsideDown!)!.id, blank.id]);
    await shot(page, 'scan-9-relinked');
    expect(problems).toEqual([]);
  });
  it('proofreads a recognised line: the box is highlighted, the correction saved and searchable text changed', async () => {
    const b = await board();
    const target = byFile(b, names.skewed!)!;
    interface Text { lines: { text: string; edited?: boolean }[]; text: string; edited: boolean }
    // OCR runs as a job after processing: wait for the page's text.
    const status = () => page.evaluate(async (p) => (await fetch(p)).status, `/api/pages/${target.id}/text`);
    await expect.poll(status, { timeout: 180_000, interval: 1000 }).toBe(200);
    const before = await api<Text>(`/api/pages/${target.id}/text`);
    let index = before.lines.findIndex((l) => l.text.includes('济南'));
    const [from, to] = index >= 0 ? ['济南', '青岛'] : [null, '校对后的文字'];
    if (index < 0) index = before.lines.findIndex((l) => l.text.length >= 2);
    expect(index, before.text).toBeGreaterThanOrEqual(0);
    const corrected = from ? before.lines[index]!.text.replace(from, to) : to;

    await page.locator(`[data-testid="page-thumb"][data-page-id="${target.id}"] .scan-thumb-image`).click();
    const editor = page.getByTestId('page-editor');
    await editor.waitFor();
    await editor.getByTestId('open-proofread').click();
    const drawer = page.getByTestId('proofread-drawer');
    await drawer.waitFor();
    const line = drawer.getByTestId(`proofread-line-${index}`);
    await line.waitFor();
    await expect.poll(() => drawer.getByTestId('proofread-boxes').locator('rect').count()).toBe(before.lines.length);
    await line.click();
    await expect.poll(() => drawer.getByTestId(`proofread-box-${index}`).getAttribute('data-selected')).toBe('1');
    await shot(page, 'scan-10-proofread');

    await line.getByRole('button', { name: `修改第 ${index + 1} 行` }).click();
    const input = drawer.getByTestId('proofread-input');
    await input.fill(corrected);
    await input.press('Enter');
    await drawer.getByTestId(`proofread-edited-${index}`).waitFor();
    await shot(page, 'scan-11-proofread-saved');

    const after = await api<Text>(`/api/pages/${target.id}/text`);
    expect(after.edited).toBe(true);
    expect(after.lines[index]).toMatchObject({ text: corrected, edited: true });
    expect(after.text).toContain(corrected);
    if (from) expect(after.text.includes(from)).toBe(before.text.split(from).length > 2);

    await drawer.getByTestId('proofread-history-open').click();
    await expect.poll(() => page.getByTestId('proofread-history').innerText()).toContain(corrected);
    await shot(page, 'scan-12-proofread-history');
    await page.keyboard.press('Escape');
    await page.getByTestId('proofread-history').waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
  });
});
