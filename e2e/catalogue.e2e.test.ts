import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, launchBrowser, shot, startSystem, type RunningSystem } from './support.js';

const CLERK_PASSWORD = 'Filing-Passw0rd-1';

/**
 * The catalogue journey, in real Chromium against the built system: an archive clerk registers a cadre
 * and his dossier, enters materials out of order and sees them ordered and numbered, imports a
 * catalogue from Excel (one bad row: nothing written; fixed: all written; again: nothing changes),
 * prints the catalogue and looks at its completeness report.
 */
describe.each(['sqlite', 'postgres'] as const)('catalogue journey on %s', (kind) => {
  let sys: RunningSystem;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    sys = await startSystem(kind);
    const sec = new ApiSession(sys.url);
    await sec.firstLogin('secadmin', sys.initialPassword('secadmin'), 'Sicher-Neu-9a!');
    const units = await sec.call<{ id: string; code: string }[]>('GET', '/api/units');
    const root = units.json.find((u) => u.code === 'ROOT')!.id;
    const roles = await sec.call<{ id: string; code: string }[]>('GET', '/api/roles');
    const archivist = roles.json.find((r) => r.code === 'archivist')!.id;
    const created = await sec.call('POST', '/api/users', {
      username: 'lidang', displayName: '李档案', unitId: root, password: 'Initial-Passw0rd-1', roleIds: [archivist],
      scope: { kind: 'unit_and_below', unitIds: [] },
    });
    expect(created.status).toBe(200);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(sys.url) && !/^(data|blob):/.test(r.url())) problems.push(`[outside request] ${r.url()}`);
    });
    await page.goto(`${sys.url}/login`);
    await page.getByLabel('用户名').fill('lidang');
    await page.getByLabel('密码', { exact: true }).fill('Initial-Passw0rd-1');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('change-password-form').waitFor();
    await page.getByLabel('当前密码').fill('Initial-Passw0rd-1');
    await page.getByLabel('新密码', { exact: true }).fill(CLERK_PASSWORD);
    await page.getByLabel('确认新密码').fill(CLERK_PASSWORD);
    await page.getByRole('button', { name: '修改并继续' }).click();
    await page.getByTestId('home-page').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function api<T>(path: string): Promise<T> {
    return page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;
  }

  /** A unit TreeSelect: open it and take the first unit (the root) with the keyboard. */
  async function pickFirstUnit(label: string, scope = page.locator('body')): Promise<void> {
    const field = scope.getByLabel(label, { exact: true });
    await field.click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
  }

  let dossierId = '';

  it('registers a cadre with his dossier', async () => {
    await page.getByTestId('main-menu').getByText('干部档案', { exact: true }).click();
    await page.getByTestId('cadres-table').waitFor();
    await page.getByRole('button', { name: '登记干部' }).click();
    const form = page.getByTestId('cadre-form');
    await form.getByLabel('姓名').fill('王建国');
    await form.getByLabel('出生日期').fill('1968.03');
    await form.getByLabel('公民身份号码').fill('110105196803150011');
    await form.getByLabel('参加工作时间').fill('1988.07');
    await pickFirstUnit('管理单位', form);
    await form.getByLabel('档案号').fill('A2026-0001');
    await pickFirstUnit('保管单位', form);
    await shot(page, `${kind}-cat-1-register`);
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await expect.poll(async () => (await api<{ items: { dossierId: string }[] }>('/api/cadres?q=A2026-0001')).items.length).toBe(1);
    dossierId = (await api<{ items: { dossierId: string }[] }>('/api/cadres?q=A2026-0001')).items[0]!.dossierId;
    await page.goto(`${sys.url}/cadres`);
    await page.getByTestId('cadres-table').getByText('王建国').waitFor();
    await shot(page, `${kind}-cat-2-list`);
  });

  it('orders and numbers materials entered out of order', async () => {
    await page.goto(`${sys.url}/dossiers/${dossierId}/catalogue`);
    await page.getByTestId('open-entry').click();
    const entry = page.getByTestId('material-entry');
    await entry.waitFor();
    // The drawer slides in; options measured while it moves never settle.
    await page.waitForTimeout(800);
    const materials: [string, string, string][] = [
      ['3 考核鉴定类材料', '2005年度考核登记表', '2006.01'],
      ['3 考核鉴定类材料', '2003年度考核登记表', '2004.01'],
      ['1 履历类材料', '干部履历表', '1999.05'],
      ['6 党、团类材料', '入党申请书', '1990.03'],
      ['6 党、团类材料', '中国共产党入党志愿书', '1991.07.01'],
      ['4-1 学历学位', '大学毕业生登记表', '1988.07'],
    ];
    for (const [cls, name, date] of materials) {
      // Type the class code into the select's search and click the option whose label starts with it;
      // the select re-renders as the drawer settles, so a click that did not take is done again.
      const code = cls.split(' ')[0]!;
      const chosen = () => entry.locator('.ant-select-content, .ant-select-selection-item').first().innerText();
      for (let attempt = 0; attempt < 4 && !(await chosen()).startsWith(`${code} `); attempt++) {
        await entry.getByLabel('类号', { exact: true }).click();
        await entry.getByLabel('类号', { exact: true }).fill(`${code} `);
        const option = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title^="${code} "]`).first();
        await option.waitFor();
        await option.click();
        await expect.poll(chosen, { timeout: 2000 }).toContain(cls.split(' ')[1]!).catch(() => undefined);
      }
      expect(await chosen()).toContain(cls.split(' ')[1]!);
      await entry.getByLabel('材料名称').fill(name);
      await entry.getByLabel('形成时间').fill(date);
      await entry.getByLabel('页数').fill('2');
      await page.getByTestId('entry-save').click();
      await page.getByTestId('entry-recent').getByText(name).first().waitFor();
    }
    await shot(page, `${kind}-cat-3-entry`);
    await page.keyboard.press('Escape');
    await expect.poll(async () => {
      const c = await api<{ classes: { code: string; materials: { seq: string; name: string }[] }[] }>(`/api/dossiers/${dossierId}/catalogue`);
      return c.classes.flatMap((k) => k.materials.map((m) => `${m.seq} ${m.name}`));
    }).toEqual([
      '1-1 干部履历表', '3-1 2003年度考核登记表', '3-2 2005年度考核登记表', '4-1-1 大学毕业生登记表',
      '6-1 中国共产党入党志愿书', '6-2 入党申请书',
    ]);
    await page.reload();
    const text = await page.getByTestId('catalogue-summary').innerText();
    expect(text).toContain('6');
    await page.getByText('中国共产党入党志愿书').first().waitFor();
    await shot(page, `${kind}-cat-4-catalogue`);
  });

  async function workbook(badClass: boolean): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const cadres = wb.addWorksheet('干部');
    cadres.addRow(['档案号', '姓名', '性别', '出生日期', '管理单位代码']);
    cadres.addRow(['A2026-0002', '赵秀英', '女', '1975.11', 'ROOT']);
    const materials = wb.addWorksheet('材料');
    materials.addRow(['档案号', '类号', '份号', '材料名称', '材料形成时间', '份数', '页数']);
    materials.addRow(['A2026-0002', '1', '1', '干部履历表', '1999.05', '1', '8']);
    materials.addRow(['A2026-0002', badClass ? '4' : '4-1', '1', '大学本科毕业生登记表', '1997.07', '1', '4']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  async function upload(file: Buffer): Promise<void> {
    await page.getByTestId('import-dragger').locator('input[type=file]').setInputFiles({
      name: '目录.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file,
    });
  }

  it('imports from Excel: a bad row writes nothing; fixed, everything; again, nothing changes', async () => {
    await page.goto(`${sys.url}/catalogue-import`);
    await upload(await workbook(true));
    const problemsTable = page.getByTestId('import-problems');
    await problemsTable.waitFor();
    const rows = await problemsTable.innerText();
    expect(rows).toContain('材料');
    expect(rows).toContain('3');
    expect(rows).toContain('类号');
    await shot(page, `${kind}-cat-5-import-problems`);
    expect((await api<{ total: number }>('/api/cadres?q=A2026-0002')).total).toBe(0);

    await page.goto(`${sys.url}/catalogue-import`);
    await upload(await workbook(false));
    await page.getByTestId('import-check-ok').waitFor();
    await page.getByTestId('confirm-import').click();
    await page.getByTestId('import-done').waitFor();
    await shot(page, `${kind}-cat-6-imported`);
    expect((await api<{ total: number }>('/api/cadres?q=A2026-0002')).total).toBe(1);

    await page.goto(`${sys.url}/catalogue-import`);
    await upload(await workbook(false));
    await page.getByTestId('import-check-ok').waitFor();
    expect(await page.getByTestId('import-check-ok').innerText()).toContain('全部未变');
    await shot(page, `${kind}-cat-7-reimport-unchanged`);
  });

  it('prints the catalogue as a PDF that renders to a page that is not blank', async () => {
    const res = await page.request.get(`${sys.url}/api/dossiers/${dossierId}/catalogue.pdf`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'dangan-print-'));
    writeFileSync(join(dir, 'catalogue.pdf'), await res.body());
    const r = spawnSync('pdftoppm', ['-gray', '-r', '60', '-f', '1', '-l', '1', '-singlefile', join(dir, 'catalogue.pdf'), join(dir, 'page')]);
    expect(r.status, String(r.stderr)).toBe(0);
    spawnSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(dir, 'catalogue.pdf'), join(process.cwd(), 'e2e/screenshots', `${kind}-cat-8-printed`)]);
    // A PGM file: a short text header, then one byte per pixel; count the ink.
    const pgm = readFileSync(join(dir, 'page.pgm'));
    const header = pgm.subarray(0, 20).toString('latin1').split(/\s+/);
    const [width, height] = [Number(header[1]), Number(header[2])];
    const pixels = pgm.subarray(pgm.length - width * height);
    const dark = pixels.filter((p) => p < 128).length;
    expect(width).toBeGreaterThan(300);
    expect(dark / pixels.length).toBeGreaterThan(0.005);
  });

  it('exports the catalogue to Excel from the catalogue page', async () => {
    await page.goto(`${sys.url}/dossiers/${dossierId}/catalogue`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-catalogue').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const names = wb.getWorksheet('目录')!.getSheetValues().flat().map(String);
    expect(names).toEqual(expect.arrayContaining(['干部履历表', '中国共产党入党志愿书']));
  });

  it('shows the completeness report', async () => {
    await page.goto(`${sys.url}/dossiers/${dossierId}/completeness`);
    const status = page.getByTestId('completeness-status');
    await status.waitFor();
    expect(await status.innerText()).toMatch(/缺 \d+ 项|材料齐全/);
    const results = await page.getByTestId('completeness-results').innerText();
    expect(results).toContain('干部履历表');
    expect(results).toContain('年度考核登记表');
    await shot(page, `${kind}-cat-9-completeness`);
  });

  it('loaded nothing from outside and raised no page errors', () => {
    expect(problems).toEqual([]);
  });
});
