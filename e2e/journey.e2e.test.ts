import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TotpCodes, launchBrowser, shot, startSystem, watchPage, type RunningSystem } from './support.js';

/**
 * The foundation journey, in real Chromium against the built system: a bootstrap officer's first
 * login, the security officer creating a unit and a user, that user seeing only what his role allows,
 * the auditor seeing all of it, and the hash chain verified, then broken by a direct database edit.
 */
describe.each(['sqlite', 'postgres'] as const)('foundation journey on %s', (kind) => {
  let sys: RunningSystem;
  let browser: Browser;
  const problems: string[] = [];
  const totp = new TotpCodes();

  beforeAll(async () => {
    sys = await startSystem(kind);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    watchPage(page, sys.url, problems);
    return { context, page };
  }

  async function submitLogin(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${sys.url}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByRole('button', { name: '登录' }).click();
  }

  /** Walks the first-login steps the server asks for; returns the new password. */
  async function firstLogin(page: Page, username: string, initial: string, shots: string | null): Promise<string> {
    const next = `${initial.slice(0, 6)}-Neu-9a`;
    await submitLogin(page, username, initial);
    await page.getByTestId('change-password-form').waitFor();
    await page.getByLabel('当前密码').fill(initial);
    await page.getByLabel('新密码', { exact: true }).fill(next);
    await page.getByLabel('确认新密码').fill(next);
    if (shots) await shot(page, `${kind}-${shots}-1-change-password`);
    await page.getByRole('button', { name: '修改并继续' }).click();
    await page.getByTestId('change-password-form').waitFor({ state: 'detached' });
    const step = await Promise.race([
      page.getByTestId('totp-secret').waitFor().then(() => 'enrol' as const),
      page.getByTestId('home-page').waitFor().then(() => 'home' as const),
    ]);
    if (step === 'enrol') {
      totp.set(username, (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, ''));
      if (shots) await shot(page, `${kind}-${shots}-2-enrol-totp`);
      await page.getByLabel('动态口令').fill(await totp.code(username));
      await page.getByRole('button', { name: '绑定并进入系统' }).click();
    }
    await page.getByTestId('home-page').waitFor();
    return next;
  }

  async function menu(page: Page, label: string): Promise<void> {
    await page.getByTestId('main-menu').getByText(label, { exact: true }).click();
  }

  async function pick(page: Page, scope: ReturnType<Page['getByTestId']>, label: string, option: string): Promise<void> {
    await scope.getByLabel(label, { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible, .ant-tree-select-dropdown:visible').last().getByText(option, { exact: true }).first().click();
  }

  async function menuItems(page: Page): Promise<string[]> {
    return (await page.getByTestId('main-menu').locator('.ant-menu-title-content').allInnerTexts()).map((s) => s.trim());
  }

  let clerkPassword = '';

  it('the security officer logs in the first time: forced password change, then TOTP enrolment', async () => {
    const { page, context } = await newPage();
    const initial = sys.initialPassword('secadmin');
    await submitLogin(page, 'secadmin', 'wrong-Passw0rd');
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('用户名或密码错误');
    await firstLogin(page, 'secadmin', initial, 'secadmin');
    await shot(page, `${kind}-secadmin-3-home`);
    expect(await menuItems(page)).toEqual(['工作台', '单位管理', '用户管理', '角色与权限', '在线会话', '安全预警', '查阅授权', '数据字典', '系统设置']);

    await menu(page, '单位管理');
    await page.getByTestId('unit-tree').getByText('本级机关').click();
    await page.getByRole('button', { name: '新建下级单位' }).click();
    const unitForm = page.getByTestId('unit-form');
    await unitForm.getByLabel('单位代码').fill('ZZB');
    await unitForm.getByLabel('单位名称').fill('组织部');
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await page.getByText('已新建单位「组织部」').waitFor();
    await page.getByTestId('unit-tree').getByText('组织部').waitFor();
    await shot(page, `${kind}-secadmin-4-unit-created`);

    await menu(page, '用户管理');
    await page.getByTestId('users-table').waitFor();
    await page.getByRole('button', { name: '新建用户' }).click();
    const userForm = page.getByTestId('user-form');
    await userForm.getByLabel('用户名').fill('zhangsan');
    await userForm.getByLabel('姓名').fill('张三');
    await pick(page, userForm, '所属单位', '组织部');
    await userForm.getByRole('button', { name: '生成' }).click();
    await pick(page, userForm, '角色', '档案管理员');
    await page.keyboard.press('Escape');
    await shot(page, `${kind}-secadmin-5-user-form`);
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    const issued = page.getByTestId('issued-password');
    await issued.waitFor();
    clerkPassword = (await issued.innerText()).trim();
    expect(clerkPassword).toMatch(/^\S{10,}$/);
    await page.getByRole('button', { name: '我已记下' }).click();
    const row = page.getByTestId('users-table').getByRole('row', { name: /zhangsan/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('档案管理员');
    expect(await row.innerText()).toContain('组织部');
    await shot(page, `${kind}-secadmin-6-users`);
    await context.close();
  });

  it('the new user changes his password and sees only what the archivist role allows', async () => {
    const { page, context } = await newPage();
    await firstLogin(page, 'zhangsan', clerkPassword, 'zhangsan');
    await shot(page, `${kind}-zhangsan-3-home`);
    const items = await menuItems(page);
    expect(items).toContain('工作台');
    for (const hidden of ['用户管理', '角色与权限', '审计日志', '系统设置', '在线会话', '单位管理']) expect(items).not.toContain(hidden);
    await page.goto(`${sys.url}/users`);
    await page.getByText('没有访问权限').first().waitFor();
    await shot(page, `${kind}-zhangsan-4-forbidden`);
    const status = await page.evaluate(async () => (await fetch('/api/users')).status);
    expect(status).toBe(403);
    await context.close();
  });

  it('the auditor sees all of it in the audit log, and the chain verifies intact', async () => {
    const { page, context } = await newPage();
    await firstLogin(page, 'auditor', sys.initialPassword('auditor'), 'auditor');
    expect(await menuItems(page)).toEqual(['工作台', '审计日志']);
    await menu(page, '审计日志');
    const table = page.getByTestId('audit-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const text = await table.innerText();
    for (const expected of ['新建单位', '新建用户', '修改本人密码', '绑定动态口令', '登录', 'zhangsan', 'secadmin']) expect(text).toContain(expected);
    expect(text).toContain('失败');
    await shot(page, `${kind}-auditor-1-audit-log`);
    await page.getByRole('button', { name: '校验审计链' }).click();
    const verdict = page.getByTestId('audit-verification');
    await verdict.waitFor();
    expect(await verdict.innerText()).toContain('完整');
    await shot(page, `${kind}-auditor-2-verified`);

    await page.goto(`${sys.url}/api/docs`);
    await page.getByText('干部人事档案系统 API').first().waitFor();
    await page.getByText('/api/audit/verify').first().waitFor();
    await shot(page, `${kind}-auditor-3-api-docs`);
    await context.close();
  });

  it('dangan audit verify reports the chain intact, then names the first event edited in the database', async () => {
    const ok = sys.cli('audit', 'verify');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('审计链完整');

    await sys.sql("update audit_events set username = 'mallory' where action = 'user.create' and object_label = 'zhangsan'");
    const broken = sys.cli('audit', 'verify', '--json');
    expect(broken.code, broken.err).toBe(3);
    const report = JSON.parse(broken.out) as { intact: boolean; firstBroken: { seq: number; reason: string } };
    expect(report.intact).toBe(false);
    const human = sys.cli('audit', 'verify');
    expect(human.code, human.err).toBe(3);
    expect(human.out).toContain(`第 ${report.firstBroken.seq} 条记录`);

    const { page, context } = await newPage();
    await submitLogin(page, 'auditor', `${sys.initialPassword('auditor').slice(0, 6)}-Neu-9a`);
    await page.getByTestId('totp-form').waitFor();
    await page.getByLabel('动态口令').fill(await totp.code('auditor'));
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByTestId('home-page').waitFor();
    await menu(page, '审计日志');
    await page.getByRole('button', { name: '校验审计链' }).click();
    const verdict = page.getByTestId('audit-verification');
    await verdict.waitFor();
    expect(await verdict.innerText()).toContain(String(report.firstBroken.seq));
    await shot(page, `${kind}-auditor-4-broken`);
    await context.close();
  });

  it('loaded nothing from outside and raised no page errors', () => {
    expect(problems).toEqual([]);
  });
});
