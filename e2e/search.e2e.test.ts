import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, launchBrowser, shot, startSystem, type RunningSystem } from './support.js';

const CLERK_PASSWORD = 'Scanner-Passw0rd-1';
const NARROW_PASSWORD = 'Narrow-Passw0rd-1';
const DOSSIER_NO = 'JS20260001';
const PHRASE = '某某局办公室主任';
const W = 1240;
const H = 1754;

/** A typed page of a 干部任免审批表 naming 王伟 and his post, as a scanner would see it. */
async function pageImage(): Promise<Buffer> {
  const lines = [
    '姓名：王伟　性别：男　民族：汉族', '出生年月：1975年3月　籍贯：江苏南京', `现任职务：${PHRASE}`,
    '拟任职务：某某局副局长', '任免理由：工作需要', '呈报单位（盖章）：某某局党组',
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <rect width="100%" height="100%" fill="#fff"/>
    <text x="${W / 2}" y="220" font-family="Noto Sans CJK SC" font-size="64" font-weight="bold" text-anchor="middle" fill="#111">干部任免审批表</text>
    ${lines.map((l, i) => `<text x="150" y="${400 + i * 120}" font-family="Noto Sans CJK SC" font-size="44" fill="#1a1a1a">${l}</text>`).join('')}
    <line x1="150" y1="300" x2="${W - 150}" y2="300" stroke="#222" stroke-width="4"/>
  </svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#fff' }).jpeg({ quality: 90 }).withMetadata({ density: 300 }).toBuffer();
}

/**
 * The search journey of issue 5, in real Chromium against the built system: a scanned page is read by
 * OCR and found by a name (exactly: 王伟, not 王大伟) and by a phrase; the page hit opens on the page
 * image with the hit boxed; a user whose data scope is another unit finds nothing.
 */
describe('search journey on sqlite', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let page: Page;
  let dossierId = '';
  let pageId = '';
  let file = '';
  let clerk: ApiSession;
  const problems: string[] = [];

  async function login(username: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const p = await context.newPage();
    p.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
    p.on('request', (r) => {
      if (!r.url().startsWith(sys.url) && !/^(data|blob):/.test(r.url())) problems.push(`[outside request] ${r.url()}`);
    });
    await p.goto(`${sys.url}/login`);
    await p.getByLabel('用户名').fill(username);
    await p.getByLabel('密码', { exact: true }).fill(password);
    await p.getByRole('button', { name: '登录' }).click();
    await p.getByTestId('home-page').waitFor();
    return p;
  }

  beforeAll(async () => {
    sys = await startSystem('sqlite');
    const sec = new ApiSession(sys.url);
    await sec.firstLogin('secadmin', sys.initialPassword('secadmin'), 'Sicher-Neu-9a!');
    const units = await sec.call<{ id: string; code: string }[]>('GET', '/api/units');
    const root = units.json.find((u) => u.code === 'ROOT')!.id;
    const unitA = await sec.call<{ id: string }>('POST', '/api/units', { parentId: root, code: 'JIA', name: '甲单位' });
    const unitB = await sec.call<{ id: string }>('POST', '/api/units', { parentId: root, code: 'YI', name: '乙单位' });
    expect(unitA.status, JSON.stringify(unitA.json)).toBe(200);
    expect(unitB.status, JSON.stringify(unitB.json)).toBe(200);
    const roles = await sec.call<{ id: string; code: string }[]>('GET', '/api/roles');
    const roleId = (code: string) => roles.json.find((r) => r.code === code)!.id;
    const clerkUser = await sec.call('POST', '/api/users', {
      username: 'zhaosao', displayName: '赵扫描', unitId: root, password: 'Initial-Passw0rd-1',
      roleIds: [roleId('archivist'), roleId('scanner')], scope: { kind: 'unit_and_below', unitIds: [] },
    });
    expect(clerkUser.status, JSON.stringify(clerkUser.json)).toBe(200);
    // Scanner holds dossier.read (and may look at page images), but only in 乙单位.
    const narrowUser = await sec.call('POST', '/api/users', {
      username: 'qianyi', displayName: '钱乙', unitId: unitB.json.id, password: 'Initial-Passw0rd-1',
      roleIds: [roleId('scanner')], scope: { kind: 'own_unit', unitIds: [] },
    });
    expect(narrowUser.status, JSON.stringify(narrowUser.json)).toBe(200);

    clerk = new ApiSession(sys.url);
    await clerk.firstLogin('zhaosao', 'Initial-Passw0rd-1', CLERK_PASSWORD);
    await new ApiSession(sys.url).firstLogin('qianyi', 'Initial-Passw0rd-1', NARROW_PASSWORD);
    const wang = await clerk.call<{ dossier: { id: string } }>('POST', '/api/cadres', {
      name: '王伟', managingUnitId: unitA.json.id, dossier: { dossierNo: DOSSIER_NO, custodianUnitId: unitA.json.id },
    });
    expect(wang.status, JSON.stringify(wang.json)).toBe(200);
    dossierId = wang.json.dossier.id;
    const m = await clerk.call('POST', `/api/dossiers/${dossierId}/materials`, { classCode: '9-2', name: '干部任免审批表', formedOn: '2020.06', pages: 1 });
    expect(m.status, JSON.stringify(m.json)).toBe(200);
    // A namesake-like cadre in the other unit: 王大伟 contains 王 and 伟 but not the name 王伟.
    const other = await clerk.call<{ dossier: { id: string } }>('POST', '/api/cadres', {
      name: '王大伟', managingUnitId: unitB.json.id, dossier: { dossierNo: 'YI20260001', custodianUnitId: unitB.json.id },
    });
    expect(other.status, JSON.stringify(other.json)).toBe(200);
    const m2 = await clerk.call('POST', `/api/dossiers/${other.json.dossier.id}/materials`, {
      classCode: '3', name: '王大伟同志年度考核登记表', formedOn: '2021.01', pages: 1,
    });
    expect(m2.status, JSON.stringify(m2.json)).toBe(200);

    const dir = mkdtempSync(join(tmpdir(), 'dangan-search-'));
    file = join(dir, `${DOSSIER_NO}_9-2-1_1.jpg`);
    writeFileSync(file, await pageImage());

    browser = await launchBrowser();
    page = await login('zhaosao', CLERK_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function api<T>(p: Page, path: string): Promise<{ status: number; json: T }> {
    return p.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, json: await r.json().catch(() => null) };
    }, path) as Promise<{ status: number; json: T }>;
  }

  async function search(p: Page, q: string): Promise<void> {
    const input = p.getByTestId('search-page').locator('input[aria-label="检索词"]');
    await input.fill(q);
    await input.press('Enter');
    // The answer shown is the one for this query, not the previous one kept while the new one loads.
    await expect.poll(() => p.getByTestId('search-total').getAttribute('data-query'), { timeout: 15_000 }).toBe(q);
    await expect.poll(() => p.getByTestId('search-total').getAttribute('data-total'), { timeout: 15_000 }).not.toBe('');
  }

  it('uploads a page and waits until OCR has read it', async () => {
    await page.goto(`${sys.url}/dossiers/${dossierId}/scan`);
    await page.getByTestId('link-board').waitFor();
    await page.getByTestId('scan-file-input').setInputFiles([file]);
    await expect.poll(async () => {
      const b = await api<{ pages: { id: string; status: string }[] }>(page, `/api/dossiers/${dossierId}/pages`);
      return b.json.pages.map((x) => x.status).join();
    }, { timeout: 120_000, interval: 500 }).toBe('processed');
    pageId = (await api<{ pages: { id: string }[] }>(page, `/api/dossiers/${dossierId}/pages`)).json.pages[0]!.id;
    await expect.poll(async () => (await api(page, `/api/pages/${pageId}/text`)).status, { timeout: 180_000, interval: 1000 }).toBe(200);
    const text = await api<{ text: string }>(page, `/api/pages/${pageId}/text`);
    expect(text.json.text).toContain('王伟');
    expect(text.json.text).toContain(PHRASE);
  });

  it('finds 王伟 exactly, not 王大伟', async () => {
    await page.goto(`${sys.url}/`);
    await page.getByRole('menuitem', { name: '全文检索' }).click();
    await page.getByTestId('search-page').waitFor();
    await shot(page, 'search-1-empty');
    // The page text is indexed after OCR: poll the API until the page hit is there.
    await expect.poll(async () => (await api<{ counts: { page: number } }>(page, `/api/search?q=${encodeURIComponent('王伟')}`)).json.counts.page, { timeout: 60_000, interval: 1000 })
      .toBeGreaterThan(0);

    await search(page, '王伟');
    const hits = page.getByTestId('search-hit');
    expect(await hits.count()).toBeGreaterThan(0);
    const cadres = await page.getByTestId('hit-cadre').allInnerTexts();
    expect(cadres).toContain('王伟');
    expect(cadres).not.toContain('王大伟');
    expect(await page.getByTestId('search-results').innerText()).not.toContain('王大伟');
    expect(await page.locator('[data-testid="search-hit"][data-kind="page"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="search-hit"] mark').first().innerText()).toBe('王伟');
    await shot(page, 'search-2-name');
  });

  it('finds the phrase on the page and shows the hit boxed over the image', async () => {
    await search(page, `"${PHRASE}"`);
    const pageHit = page.locator(`[data-testid="search-hit"][data-kind="page"][data-page-id="${pageId}"]`);
    await pageHit.waitFor();
    const marks = await pageHit.locator('mark').allInnerTexts();
    expect(marks.join('')).toContain(PHRASE);
    expect(Number(await page.getByTestId('search-total').getAttribute('data-total'))).toBeGreaterThan(0);
    await shot(page, 'search-3-phrase');

    await pageHit.getByTestId('open-page').click();
    const viewer = page.getByTestId('page-viewer');
    await viewer.waitFor();
    // Once the drawer has slid in: its right edge at the window's.
    await expect.poll(async () => {
      const d = await page.locator('.ant-drawer-content-wrapper').boundingBox();
      return d ? Math.round(d.x + d.width) : 0;
    }).toBe(1440);
    const img = viewer.getByTestId('page-image');
    await expect.poll(() => img.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const box = viewer.getByTestId('hit-box').first();
    await box.waitFor();
    const b = (await box.boundingBox())!;
    const i = (await img.boundingBox())!;
    expect(b.width).toBeGreaterThan(10);
    expect(b.height).toBeGreaterThan(5);
    expect(b.x).toBeGreaterThanOrEqual(i.x - 1);
    expect(b.y).toBeGreaterThanOrEqual(i.y - 1);
    expect(b.x + b.width).toBeLessThanOrEqual(i.x + i.width + 1);
    expect(b.y + b.height).toBeLessThanOrEqual(i.y + i.height + 1);
    // The phrase is on the third text line, in the upper half of the page.
    expect((b.y - i.y) / i.height).toBeGreaterThan(0.2);
    expect((b.y - i.y) / i.height).toBeLessThan(0.5);
    expect(await viewer.getByTestId('line-box').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('viewer-scan-link').getAttribute('href')).toBe(`/dossiers/${dossierId}/scan`);
    await shot(page, 'search-4-viewer');
    await page.locator('.ant-drawer-close').click();
    await viewer.waitFor({ state: 'hidden' });
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
  });

  it('finds a word corrected in proofreading', async () => {
    await search(page, '轮岗交流');
    expect(await page.getByTestId('search-total').getAttribute('data-total')).toBe('0');
    const text = await clerk.call<{ lines: { text: string }[] }>('GET', `/api/pages/${pageId}/text`);
    const index = text.json.lines.findIndex((l) => l.text.includes('任免理由'));
    expect(index, JSON.stringify(text.json.lines)).toBeGreaterThanOrEqual(0);
    const edited = await clerk.call('PUT', `/api/pages/${pageId}/text/lines/${index}`, { text: '任免理由：工作需要，轮岗交流' });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    await search(page, '轮岗交流');
    await page.locator(`[data-testid="search-hit"][data-kind="page"][data-page-id="${pageId}"]`).waitFor();
    expect(await page.locator('[data-testid="search-hit"] mark').allInnerTexts()).toContain('轮岗交流');
    await shot(page, 'search-6-proofread');
  });

  it('finds nothing for a user whose scope is the other unit', async () => {
    const narrow = await login('qianyi', NARROW_PASSWORD);
    await narrow.goto(`${sys.url}/search`);
    await narrow.getByTestId('search-page').waitFor();
    for (const q of ['王伟', `"${PHRASE}"`]) {
      await search(narrow, q);
      expect(await narrow.getByTestId('search-total').getAttribute('data-total')).toBe('0');
      expect(await narrow.getByTestId('search-total').innerText()).toBe('共 0 条结果');
      expect(await narrow.getByTestId('search-hit').count()).toBe(0);
      await narrow.getByTestId('search-empty').waitFor();
    }
    await shot(narrow, 'search-5-narrow');
    // Yet the scope works both ways: the narrow user does find 王大伟 of his own unit.
    await search(narrow, '王大伟');
    expect(await narrow.getByTestId('hit-cadre').allInnerTexts()).toContain('王大伟');
    expect(problems).toEqual([]);
  });
});
