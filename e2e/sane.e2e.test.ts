import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, launchBrowser, shot, startSystem, type RunningSystem } from './support.js';

const CLERK_PASSWORD = 'Scanner-Passw0rd-1';
const SEC_PASSWORD = 'Sicher-Neu-9a!';
const SYS_PASSWORD = 'System-Neu-9a!';
const DOSSIER_NO = 'SN20260001';

interface Board {
  materials: { id: string; seq: string; pageIds: string[] }[];
  unlinkedPageIds: string[];
  pages: { id: string; fileName: string; status: string; materialId: string | null; pageNo: number | null; errorMessage: string | null }[];
}

/**
 * Scanning with the attached scanner, in real Chromium against the built system: the server runs
 * `scanimage` on SANE's virtual `test` device (the project's SANE configuration), a scan operator
 * scans one page straight into a material from 扫描与挂接 and sees it processed and linked. Then the
 * scan settings on 系统设置 as the system and the security administrator, with the naming templates
 * edited in the list editor and saved.
 */
describe('scanner (SANE) and scan settings on sqlite', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let dossierId = '';
  const problems: string[] = [];
  const secrets = new Map<string, string>();
  const lastStep = new Map<string, number>();

  beforeAll(async () => {
    sys = await startSystem('sqlite');
    const sec = new ApiSession(sys.url);
    await sec.firstLogin('secadmin', sys.initialPassword('secadmin'), SEC_PASSWORD);
    secrets.set('secadmin', sec.totpSecret);
    lastStep.set('secadmin', Math.floor(Date.now() / 30_000));
    const units = await sec.call<{ id: string; code: string }[]>('GET', '/api/units');
    const root = units.json.find((u) => u.code === 'ROOT')!.id;
    const roles = await sec.call<{ id: string; code: string }[]>('GET', '/api/roles');
    const roleIds = roles.json.filter((r) => r.code === 'archivist' || r.code === 'scanner').map((r) => r.id);
    const created = await sec.call('POST', '/api/users', {
      username: 'qiansao', displayName: '钱扫描', unitId: root, password: 'Initial-Passw0rd-1', roleIds,
      scope: { kind: 'unit_and_below', unitIds: [] },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);

    // The scanner: SANE's first virtual device, at a low resolution so the page is small.
    const admin = new ApiSession(sys.url);
    await admin.firstLogin('sysadmin', sys.initialPassword('sysadmin'), SYS_PASSWORD);
    secrets.set('sysadmin', admin.totpSecret);
    lastStep.set('sysadmin', Math.floor(Date.now() / 30_000));
    for (const [key, value] of [['scan.sane.device', 'test:0'], ['scan.sane.resolution', 100]] as const) {
      const r = await admin.call('PUT', `/api/settings/${key}`, { value });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }

    const clerk = new ApiSession(sys.url);
    await clerk.firstLogin('qiansao', 'Initial-Passw0rd-1', CLERK_PASSWORD);
    const cadre = await clerk.call<{ dossier: { id: string } }>('POST', '/api/cadres', {
      name: '李建国', managingUnitId: root, dossier: { dossierNo: DOSSIER_NO, custodianUnitId: root },
    });
    expect(cadre.status).toBe(200);
    dossierId = cadre.json.dossier.id;
    for (const [classCode, name, formedOn, pages] of [
      ['1', '干部履历表', '2009.01', 2],
      ['2', '自传', '1995.06', 1],
    ] as const) {
      const r = await clerk.call('POST', `/api/dossiers/${dossierId}/materials`, { classCode, name, formedOn, pages });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`[console] ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(sys.url) && !/^(data|blob):/.test(r.url())) problems.push(`[outside request] ${r.url()}`);
    });
    return page;
  }

  /** A code from a time step this user has not used yet (the server refuses a replayed code). */
  async function totpCode(username: string): Promise<string> {
    const totp = new TOTP({ secret: Secret.fromBase32(secrets.get(username)!) });
    for (;;) {
      const step = Math.floor(Date.now() / 30_000);
      if (step > (lastStep.get(username) ?? 0)) {
        lastStep.set(username, step);
        return totp.generate();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function login(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${sys.url}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    if (secrets.has(username)) {
      await page.getByTestId('totp-form').waitFor();
      await page.getByLabel('动态口令').fill(await totpCode(username));
      await page.getByRole('button', { name: '验证' }).click();
    }
    await page.getByTestId('home-page').waitFor();
  }

  it('scans one page from the test scanner into a material and sees it processed and linked', async () => {
    const page = await newPage();
    await login(page, 'qiansao', CLERK_PASSWORD);
    const board = () => page.evaluate(async (p) => (await fetch(p)).json(), `/api/dossiers/${dossierId}/pages`) as Promise<Board>;

    await page.goto(`${sys.url}/dossiers/${dossierId}/scan`);
    await page.getByTestId('link-board').waitFor();
    await page.getByTestId('sane-scan').click();
    const dialog = page.getByRole('dialog', { name: '扫描仪扫描' });
    await dialog.waitFor();
    // The virtual scanners of the project's SANE configuration.
    await expect.poll(() => dialog.getByTestId('sane-device').count(), { timeout: 60_000 }).toBe(2);
    expect(await dialog.getByTestId('sane-device').first().getAttribute('data-name')).toBe('test:0');
    await dialog.getByLabel('挂接到材料').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title^="2-1 "]').click();
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'detached' });
    expect(await dialog.getByLabel('起始页号').getAttribute('placeholder')).toBe('1');
    await dialog.getByLabel('扫描页数').fill('1');
    await shot(page, 'sane-1-modal');
    await dialog.getByRole('button', { name: /开始扫描/ }).click();

    await dialog.waitFor({ state: 'hidden', timeout: 120_000 });
    const percent = () => page.getByTestId('batch-percent').getAttribute('data-percent');
    await expect.poll(percent, { timeout: 120_000, interval: 500 }).toBe('100');
    await expect.poll(() => page.getByTestId('batch-summary').innerText(), { timeout: 10_000 }).toContain('处理完成');
    expect(await page.getByTestId('batch-summary').innerText()).toContain('已扫描 1 页');
    const rows = page.getByTestId('scan-files').locator('tr[data-name]');
    expect(await rows.count()).toBe(1);
    // Named by the first naming template that can hold the material and the page number.
    expect(await rows.first().getAttribute('data-name')).toBe(`${DOSSIER_NO}/02/001/001.tif`);
    expect(await rows.first().getByTestId('scan-file-status').innerText()).toBe('已接收');
    expect(await page.getByTestId('sane-warning').count()).toBe(0);

    const b = await board();
    expect(b.pages).toHaveLength(1);
    expect(b.pages[0], JSON.stringify(b.pages[0])).toMatchObject({ status: 'processed', pageNo: 1 });
    expect(b.unlinkedPageIds).toEqual([]);
    expect(b.materials.find((m) => m.seq === '2-1')!.pageIds).toEqual([b.pages[0]!.id]);

    const lane = page.locator('[data-testid="board-material"][data-seq="2-1"]');
    await expect.poll(() => lane.getByTestId('page-thumb').count()).toBe(1);
    expect(await lane.getByTestId('material-count').innerText()).toBe('目录 1 页 / 已挂接 1 页');
    await expect
      .poll(() => lane.locator('[data-testid="page-thumb"] img').evaluateAll((imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length))
      .toBe(1);
    await shot(page, 'sane-2-scanned');
    await page.context().close();
  });

  it('the system administrator sees the scan settings and edits the naming templates', async () => {
    const page = await newPage();
    await login(page, 'sysadmin', SYS_PASSWORD);
    await page.goto(`${sys.url}/settings`);
    await page.getByTestId('settings-system').waitFor();
    expect(await page.getByTestId('settings-security').count()).toBe(0);
    // The scan settings in two cards of their own: 扫描与图像 and 扫描仪 (the modal's hint names the latter).
    const system = page.getByTestId('settings-scan');
    const scanner = page.getByTestId('settings-scanner');
    for (const label of ['图像命名规则', '最低分辨率（dpi）', '单个扫描文件上限（MB）', '单页像素上限（百万像素）']) {
      await system.getByText(label, { exact: true }).first().waitFor();
    }
    for (const label of ['扫描仪设备（SANE）', '扫描分辨率（dpi）', '扫描色彩模式', '扫描进纸方式']) {
      await scanner.getByText(label, { exact: true }).first().waitFor();
    }
    expect(await scanner.getByLabel('扫描仪设备（SANE）').inputValue()).toBe('test:0');
    expect(await scanner.getByLabel('扫描分辨率（dpi）').inputValue()).toBe('100');
    // Unchanged templates offer no 恢复默认.
    expect(await system.locator('tr', { has: page.getByLabel('图像命名规则') }).getByRole('button', { name: '恢复默认' }).count()).toBe(0);
    await shot(page, 'sane-3-settings-sysadmin');

    const templates = system.getByLabel('图像命名规则');
    const row = system.locator('tr', { has: page.getByLabel('图像命名规则') });
    const before = (await templates.inputValue()).split('\n');
    expect(before).toHaveLength(3);
    // A line without 份号 is refused before it goes to the server.
    await templates.press('ControlOrMeta+End');
    await templates.press('Enter');
    await templates.pressSequentially('<档案号>-<类号>');
    await expect.poll(() => row.innerText()).toContain('第 4 条须包含 <类号> 和 <份号>');
    expect(await row.getByRole('button', { name: '保存' }).isDisabled()).toBe(true);
    await shot(page, 'sane-4-templates-invalid');
    await templates.pressSequentially('-<份号>.<ext>');
    await row.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存「图像命名规则」').waitFor();
    await shot(page, 'sane-5-templates-saved');

    await page.reload();
    await system.waitFor();
    await expect.poll(() => system.getByLabel('图像命名规则').inputValue()).toBe([...before, '<档案号>-<类号>-<份号>.<ext>'].join('\n'));
    const r = await page.evaluate(async () => (await fetch('/api/settings')).json() as Promise<{ key: string; value: unknown }[]>);
    expect(r.find((s) => s.key === 'scan.namingTemplates')!.value).toEqual([...before, '<档案号>-<类号>-<份号>.<ext>']);
    await page.context().close();
  });

  it('the security administrator sees the storage cipher among the security settings', async () => {
    const page = await newPage();
    await login(page, 'secadmin', SEC_PASSWORD);
    await page.goto(`${sys.url}/settings`);
    const security = page.getByTestId('settings-security');
    await security.waitFor();
    expect(await page.getByTestId('settings-system').count()).toBe(0);
    await security.getByText('存储加密算法', { exact: true }).waitFor();
    expect(await security.locator('tr', { has: page.getByText('存储加密算法', { exact: true }) }).innerText()).toContain('SM4（国密）');
    await shot(page, 'sane-6-settings-secadmin');
    await page.context().close();
  });

  it('loaded nothing from outside and raised no page errors', () => {
    expect(problems).toEqual([]);
  });
});
