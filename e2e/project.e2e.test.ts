import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, SHOTS, TotpCodes, launchBrowser, shot, startSystem, watchPage, type RunningSystem } from './support.js';

/*
 * Issue 6, the digitization project, in real Chromium against the built system: a batch of three
 * dossiers is checked out (request, approval, a hand-over both sides confirm), scanned stage by stage
 * (one material's page count differs from the catalogue and must be explained before 扫描 can finish),
 * checked automatically (a repeated page and a blurred page are found), sampled, inspected (a defect
 * boxed on the page image, 不合格), reworked, inspected again and accepted; the acceptance report is
 * downloaded and rendered; the dossiers are checked back in, 在库, and every step is in the audit log.
 */

/** Waits for a value on a shared, busy machine: actions and jobs take seconds, not milliseconds. */
function poll<T>(fn: () => Promise<T> | T, timeout = 20_000) {
  return expect.poll(fn, { timeout, interval: 250 });
}

const PASSWORD = 'Project-Passw0rd-1';
const INITIAL = 'Initial-Passw0rd-1';
// A5 at 300 dpi: big enough to be a real scan, small enough to process quickly.
const W = 1240;
const H = 1754;

const USERS = {
  clerk: { username: 'liguan', name: '李档管', role: 'archivist' },
  scanner: { username: 'zhaosao', name: '赵扫描', role: 'scanner' },
  inspector: { username: 'qianjian', name: '钱质检', role: 'inspector' },
  leader: { username: 'sunling', name: '孙领导', role: 'leader' },
} as const;
type Who = keyof typeof USERS;

interface Spec {
  no: string;
  cadre: string;
  materials: { classCode: string; name: string; formedOn: string; pages: number; seq: string }[];
}
const A: Spec = {
  no: 'XM20260001', cadre: '李明',
  materials: [
    { classCode: '1', name: '干部履历表', formedOn: '2012.03', pages: 2, seq: '1-1' },
    { classCode: '3', name: '2024年度考核登记表', formedOn: '2025.01', pages: 1, seq: '3-1' },
  ],
};
const B: Spec = {
  no: 'XM20260002', cadre: '王芳',
  materials: [
    { classCode: '1', name: '干部履历表', formedOn: '2010.06', pages: 2, seq: '1-1' },
    { classCode: '3', name: '2023年度考核登记表', formedOn: '2024.01', pages: 2, seq: '3-1' },
    // The catalogue says 3 pages; the paper has 2: the scan register must explain it.
    { classCode: '6', name: '中国共产党入党志愿书', formedOn: '1998.07', pages: 3, seq: '6-1' },
  ],
};
const C: Spec = {
  no: 'XM20260003', cadre: '张强',
  materials: [
    { classCode: '1', name: '干部履历表', formedOn: '2015.09', pages: 1, seq: '1-1' },
    { classCode: '3', name: '2022年度考核登记表', formedOn: '2023.01', pages: 1, seq: '3-1' },
  ],
};
const SPECS = [A, B, C];

const LINE_POOL = [
  '姓名：{n}　性别：{g}　民族：汉族　籍贯：{p}', '出生年月：{y}年{m}月　参加工作时间：{w}年7月', '学历学位：大学本科　{d}学士',
  '{w}.07—{w3}.03　某市{o}局科员', '{w3}.03—{w9}.06　某市{o}局副主任科员、主任科员', '{w9}.06—　　　　某县人民政府副县长',
  '奖惩情况：{w3}年度考核优秀', '家庭主要成员及重要社会关系：父亲、母亲、配偶', '本人签字：　　　　审核单位（盖章）',
];

/** A typed page unlike every other: its own title, lines, numbers and layout shift. */
async function textPage(title: string, variant: number): Promise<Buffer> {
  const fill = (s: string) =>
    s.replace('{n}', ['李明', '王芳', '张强', '赵敏', '孙伟', '周红', '吴刚', '郑丽', '冯军', '陈静'][variant % 10]!)
      .replace('{g}', variant % 2 ? '女' : '男').replace('{p}', ['山东济南', '江苏南京', '河北保定', '湖南长沙'][variant % 4]!)
      .replace('{y}', String(1965 + variant)).replace('{m}', String((variant % 12) + 1)).replace('{d}', ['工学', '法学', '经济学'][variant % 3]!)
      .replace(/\{w\}/g, String(1988 + variant)).replace('{w3}', String(1991 + variant)).replace('{w9}', String(1997 + variant))
      .replace(/\{o\}/g, ['财政', '教育', '交通', '水利', '商务'][variant % 5]!);
  const lines = [...LINE_POOL.slice(variant % LINE_POOL.length), ...LINE_POOL.slice(0, variant % LINE_POOL.length)].slice(0, 6 + (variant % 3)).map(fill);
  const top = 360 + (variant % 5) * 40;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <rect width="100%" height="100%" fill="#fff"/>
    <text x="${W / 2}" y="${200 + (variant % 4) * 30}" font-family="Noto Sans CJK SC" font-size="60" font-weight="bold" text-anchor="middle" fill="#111">${title}</text>
    <line x1="150" y1="${270 + (variant % 4) * 30}" x2="${W - 150}" y2="${270 + (variant % 4) * 30}" stroke="#222" stroke-width="4"/>
    ${lines.map((l, i) => `<text x="${130 + (variant % 3) * 30}" y="${top + i * (100 + (variant % 4) * 8)}" font-family="Noto Sans CJK SC" font-size="38" fill="#1a1a1a">${l}</text>`).join('')}
    <text x="${W / 2}" y="${H - 120}" font-family="Noto Sans CJK SC" font-size="30" text-anchor="middle" fill="#333">第 ${variant + 1} 号</text>
  </svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#fff' }).png().toBuffer();
}

const jpeg = (img: sharp.Sharp, quality = 88) => img.jpeg({ quality }).withMetadata({ density: 300 }).toBuffer();

interface Files {
  /** Each dossier's files to upload, by dossier number. */
  upload: Record<string, string[]>;
  blurred: string;
  repeated: string;
  /** The rescans that replace the blurred and the repeated page. */
  sharpRescan: string;
  missingPage: string;
}

async function makeFiles(dir: string): Promise<Files> {
  let variant = 0;
  const write = (name: string, data: Buffer) => {
    writeFileSync(join(dir, name), data);
    return join(dir, name);
  };
  const upload: Record<string, string[]> = {};
  for (const spec of [A, C]) {
    upload[spec.no] = [];
    for (const m of spec.materials) {
      for (let p = 1; p <= m.pages; p++) upload[spec.no]!.push(write(`${spec.no}_${m.seq}_${p}.jpg`, await jpeg(sharp(await textPage(m.name, variant++)))));
    }
  }
  const b = (seq: string, p: number) => `${B.no}_${seq}_${p}.jpg`;
  const resume2 = await textPage('干部履历表（续）', variant++);
  const appraisal1 = await textPage('2023年度考核登记表', variant++);
  const appraisal2 = await textPage('2023年度考核登记表（续）', variant++);
  const blurredPath = write(b('1-1', 2), await jpeg(sharp(resume2).blur(3.5)));
  // The same sheet fed twice: scanned again at another quality, so other bytes but the same page.
  const repeatedPath = write(b('3-1', 2), await jpeg(sharp(appraisal1), 72));
  upload[B.no] = [
    write(b('1-1', 1), await jpeg(sharp(await textPage('干部履历表', variant++)))),
    blurredPath,
    write(b('3-1', 1), await jpeg(sharp(appraisal1))),
    repeatedPath,
    write(b('6-1', 1), await jpeg(sharp(await textPage('中国共产党入党志愿书', variant++)))),
    write(b('6-1', 2), await jpeg(sharp(await textPage('入党志愿书（续）', variant++)))),
  ];
  return {
    upload,
    blurred: b('1-1', 2),
    repeated: b('3-1', 2),
    sharpRescan: write(`重扫_${B.no}_1-1_2.jpg`, await jpeg(sharp(resume2))),
    missingPage: write(`补扫_${B.no}_3-1_2.jpg`, await jpeg(sharp(appraisal2))),
  };
}

interface BoardPage {
  id: string;
  fileName: string;
  status: string;
  version: number;
  materialId: string | null;
  analysis: { width: number; height: number } | null;
}
interface Board {
  materials: { id: string; seq: string; pageIds: string[] }[];
  unlinkedPageIds: string[];
  pages: BoardPage[];
}

describe('digitization project journey on sqlite', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let dir = '';
  let files: Files;
  let batchId = '';
  let batchCode = '';
  const dossierIds: Record<string, string> = {};
  const totp = new TotpCodes();
  const contexts = new Map<Who, { context: BrowserContext; page: Page }>();
  const problems: string[] = [];
  const apiOf = new Map<Who, ApiSession>();
  let auditor: ApiSession;

  /** The user's browser tab, signed in (again, when his session has lapsed) and on `path`. */
  async function as(who: Who, path: string): Promise<Page> {
    let entry = contexts.get(who);
    if (!entry) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
      const page = await context.newPage();
      watchPage(page, sys.url, problems, who);
      entry = { context, page };
      contexts.set(who, entry);
    }
    const { page } = entry;
    await page.goto(`${sys.url}${path}`);
    // The app decides after asking for the session: its menu, or the login form.
    await page.getByTestId('main-menu').or(page.getByTestId('login-form')).waitFor();
    if (await page.getByTestId('login-form').isVisible()) {
      const { username } = USERS[who];
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      if (totp.has(username)) {
        await page.getByTestId('totp-form').waitFor();
        await page.getByLabel('动态口令').fill(await totp.code(username));
        await page.getByRole('button', { name: '验证' }).click();
      }
      await page.waitForURL((u) => u.pathname !== '/login');
      if (new URL(page.url()).pathname !== path.split('?')[0]) await page.goto(`${sys.url}${path}`);
    }
    return page;
  }

  async function json<T>(page: Page, path: string): Promise<T> {
    return page.evaluate(async (p) => {
      const r = await fetch(p);
      if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
      return r.json();
    }, path) as Promise<T>;
  }

  const cell = (page: Page, no: string, stage: string) => page.locator(`[data-testid="stage-cell"][data-dossier="${no}"][data-stage="${stage}"]`);
  const statusOf = (page: Page, no: string, stage: string) => cell(page, no, stage).getAttribute('data-status');

  /** Presses a stage's button and waits until the stage shows the status it leads to. */
  async function stage(page: Page, no: string, stageCode: string, button: string, expected: string): Promise<void> {
    await cell(page, no, stageCode).getByRole('button', { name: button }).click();
    await poll(() => statusOf(page, no, stageCode), 20_000).toBe(expected);
  }

  async function pick(page: Page, scope: Locator, label: string, option: string): Promise<void> {
    await scope.getByLabel(label, { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').last().locator('.ant-select-item-option', { hasText: option }).first().click();
  }

  /** The batch's state, with the last error message when an action was refused (so a failure says why). */
  async function batchState(page: Page): Promise<string | null> {
    const state = await page.getByTestId('batch-detail').getAttribute('data-state');
    const error = page.locator('.ant-message-error');
    return (await error.count()) ? `${state}（${await error.last().innerText()}）` : state;
  }

  async function toast(page: Page): Promise<string> {
    const m = page.locator('.ant-message-notice').last();
    await m.waitFor();
    return m.innerText();
  }

  beforeAll(async () => {
    sys = await startSystem('sqlite');
    const sec = new ApiSession(sys.url);
    await sec.firstLogin('secadmin', sys.initialPassword('secadmin'), 'Sicher-Neu-9a!');
    const units = await sec.call<{ id: string; code: string }[]>('GET', '/api/units');
    const root = units.json.find((u) => u.code === 'ROOT')!.id;
    const roles = await sec.call<{ id: string; code: string }[]>('GET', '/api/roles');
    for (const [who, u] of Object.entries(USERS) as [Who, (typeof USERS)[Who]][]) {
      const created = await sec.call('POST', '/api/users', {
        username: u.username, displayName: u.name, unitId: root, password: INITIAL,
        roleIds: [roles.json.find((r) => r.code === u.role)!.id], scope: { kind: 'unit_and_below', unitIds: [] },
      });
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      const session = new ApiSession(sys.url);
      await session.firstLogin(u.username, INITIAL, PASSWORD);
      if (session.totpSecret) {
        totp.set(u.username, session.totpSecret, true);
      }
      apiOf.set(who, session);
    }
    auditor = new ApiSession(sys.url);
    await auditor.firstLogin('auditor', sys.initialPassword('auditor'), 'Pruefer-Neu-9a!');

    // The three dossiers and their catalogues, entered beforehand by the clerk.
    const clerk = apiOf.get('clerk')!;
    for (const spec of SPECS) {
      const cadre = await clerk.call<{ dossier: { id: string } }>('POST', '/api/cadres', {
        name: spec.cadre, managingUnitId: root, dossier: { dossierNo: spec.no, custodianUnitId: root },
      });
      expect(cadre.status, JSON.stringify(cadre.json)).toBe(200);
      dossierIds[spec.no] = cadre.json.dossier.id;
      for (const m of spec.materials) {
        const r = await clerk.call('POST', `/api/dossiers/${cadre.json.dossier.id}/materials`, { classCode: m.classCode, name: m.name, formedOn: m.formedOn, pages: m.pages });
        expect(r.status, JSON.stringify(r.json)).toBe(200);
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'dangan-project-'));
    files = await makeFiles(dir);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('the clerk creates a batch of three dossiers and asks to check them out', async () => {
    const page = await as('clerk', '/');
    await page.getByTestId('main-menu').getByText('数字化加工', { exact: true }).click();
    await page.getByTestId('create-batch').click();
    const dialog = page.getByRole('dialog', { name: '新建加工批次' });
    await dialog.getByLabel('批次名称').fill('2026 年第一批干部档案数字化');
    await dialog.getByLabel('备注').fill('加工单位：本部数字化室');
    for (const spec of SPECS) {
      await dialog.getByTestId('dossier-picker').locator('input').fill(spec.no);
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: spec.no });
      await option.waitFor();
      await option.click();
    }
    await shot(page, 'project-01-create');
    // Leaving the picker closes its list.
    await dialog.getByLabel('备注').click();
    await dialog.getByRole('button', { name: '新建' }).click();
    await page.getByTestId('batch-detail').waitFor();
    batchId = new URL(page.url()).pathname.split('/').pop()!;
    const batch = await json<{ code: string; dossierCount: number; pageCount: number }>(page, `/api/batches/${batchId}`);
    batchCode = batch.code;
    expect(batchCode).toMatch(/^PC-\d{4}-\d{3}$/);
    expect(batch.dossierCount).toBe(3);
    expect(batch.pageCount).toBe(3 + 7 + 2);
    await poll(() => page.locator('[data-testid="stage-grid"] tbody tr.ant-table-row').count()).toBe(3);

    await page.getByTestId('request-checkout').click();
    const request = page.getByRole('dialog', { name: `申请出库：${batchCode}` });
    await request.getByLabel('申请说明').fill('按 2026 年数字化计划送加工');
    await request.getByRole('button', { name: '提交申请' }).click();
    await poll(() => batchState(page)).toBe('checkout_requested');
    await shot(page, 'project-02-requested');

    // The list shows it, and its state filter finds it.
    await page.goto(`${sys.url}/batches?state=checkout_requested`);
    await poll(() => page.getByTestId('batch-table').innerText()).toContain(batchCode);
    expect(await page.getByTestId('batch-table').innerText()).toContain('待审批出库');
    await shot(page, 'project-03-list');
  });

  it('the leader approves; the clerk hands over and both sides confirm: the dossiers are out', async () => {
    // First sent back with a reason, which the clerk sees; he asks again.
    const leader = await as('leader', `/batches/${batchId}`);
    await leader.getByTestId('refuse-checkout').click();
    const refuse = leader.getByRole('dialog', { name: `退回出库申请：${batchCode}` });
    await refuse.getByRole('button', { name: '退回' }).click();
    await poll(() => refuse.innerText()).toContain('请填写退回原因');
    await refuse.getByLabel('退回原因').fill('请补充加工单位保密协议编号后重新申请');
    await refuse.getByRole('button', { name: '退回' }).click();
    await poll(() => batchState(leader)).toBe('draft');
    const back = await as('clerk', `/batches/${batchId}`);
    expect(await back.locator('.ant-alert-error').innerText()).toContain('请补充加工单位保密协议编号后重新申请');
    await shot(back, 'project-04-refused');
    await back.getByTestId('request-checkout').click();
    const again = back.getByRole('dialog', { name: `申请出库：${batchCode}` });
    await again.getByLabel('申请说明').fill('已补充保密协议编号 BM-2026-018');
    await again.getByRole('button', { name: '提交申请' }).click();
    await poll(() => batchState(back)).toBe('checkout_requested');

    await as('leader', `/batches/${batchId}`);
    await leader.getByTestId('approve-checkout').click();
    const approve = leader.getByRole('dialog', { name: `批准出库：${batchCode}` });
    await approve.getByLabel('审批意见').fill('同意出库加工');
    await approve.getByRole('button', { name: '批准' }).click();
    await poll(() => batchState(leader)).toBe('approved');
    await shot(leader, 'project-05-approved');

    const clerk = await as('clerk', `/batches/${batchId}`);
    await clerk.getByTestId('checkout-handover').click();
    const hand = clerk.getByRole('dialog', { name: `出库交接：${batchCode}` });
    expect(await hand.getByTestId('checkout-items').innerText()).toContain('合计 3 卷');
    await pick(clerk, hand, '接收方（加工方）', USERS.scanner.username);
    await shot(clerk, 'project-06-handover');
    await hand.getByRole('button', { name: '登记交接' }).click();
    await clerk.getByRole('button', { name: '去确认' }).click();
    await clerk.getByRole('button', { name: '确认交接（交出方）' }).click();
    await poll(() => clerk.getByTestId('handover-sides').innerText()).toMatch(/交出方：李档管\s*已确认/);
    // Not out until the other side confirms too.
    expect(await clerk.getByTestId('batch-detail').getAttribute('data-state')).toBe('approved');

    const scanner = await as('scanner', `/batches/${batchId}`);
    await scanner.getByRole('button', { name: '去确认' }).click();
    await scanner.getByRole('button', { name: '确认交接（接收方）' }).click();
    await poll(() => batchState(scanner)).toBe('in_progress');
    await shot(scanner, 'project-07-handed-over');
    for (const spec of SPECS) {
      const cadres = await json<{ items: { state: string }[] }>(await as('clerk', `/batches/${batchId}`), `/api/cadres?q=${spec.no}`);
      expect(cadres.items[0]!.state).toBe('out_for_digitization');
    }
  });

  it('the scanner works each dossier through its stages; a page-count difference must be explained first', async () => {
    const page = await as('scanner', `/batches/${batchId}`);
    for (const spec of SPECS) {
      await stage(page, spec.no, 'arrange', '开始整理', 'in_progress');
      await stage(page, spec.no, 'arrange', '完成整理', 'done');
      await stage(page, spec.no, 'scan', '开始扫描', 'in_progress');

      await page.locator(`tr[data-dossier="${spec.no}"]`).getByTestId('open-scan').click();
      await page.getByTestId('link-board').waitFor();
      await page.getByTestId('scan-file-input').setInputFiles(files.upload[spec.no]!);
      await poll(() => page.getByTestId('batch-percent').getAttribute('data-percent'), 180_000).toBe('100');
      if (spec === B) await shot(page, 'project-08-scanned');
      await page.goBack();
      await page.getByTestId('stage-grid').waitFor();
    }

    // B's 入党志愿书: 3 pages in the catalogue, 2 scanned. 扫描 cannot finish until that is explained.
    await cell(page, B.no, 'scan').getByRole('button', { name: '完成扫描' }).click();
    expect(await toast(page)).toContain('扫描页数与目录不符且未说明差异');
    expect(await statusOf(page, B.no, 'scan')).toBe('in_progress');
    await page.locator(`tr[data-dossier="${B.no}"]`).getByTestId('open-register').click();
    const register = page.getByTestId('scan-register');
    const row = register.locator('tr[data-seq="6-1"]');
    await poll(() => row.innerText()).toContain('未说明，不能完成扫描');
    await shot(page, 'project-09-register-unexplained');
    await row.getByTestId('explain-difference').click();
    await row.getByLabel('6-1 差异说明').fill('目录登记 3 页有误，原件实为 2 页（第 2 页背面空白未扫）');
    await row.getByRole('button', { name: '保存说明' }).click();
    await poll(() => row.innerText()).toContain('已说明');
    await shot(page, 'project-10-register-explained');
    await page.locator('.ant-drawer-close').click();
    await register.waitFor({ state: 'detached' });

    for (const spec of SPECS) {
      await stage(page, spec.no, 'scan', '完成扫描', 'done');
      await stage(page, spec.no, 'process', '开始图像处理', 'in_progress');
      await stage(page, spec.no, 'process', '完成图像处理', 'done');
      await stage(page, spec.no, 'link', '开始著录/挂接', 'in_progress');
      await stage(page, spec.no, 'link', '完成著录/挂接', 'done');
      await cell(page, spec.no, 'check').getByRole('button', { name: '开始自动校验' }).click();
    }
    // The checks run as jobs; each finished run closes the dossier's 自动校验 stage.
    for (const spec of SPECS) await poll(() => statusOf(page, spec.no, 'check'), 180_000).toBe('done');
    await shot(page, 'project-11-stages');
  });

  it('the automatic checks find the repeated page and the blurred page of one dossier, shown with the pages', async () => {
    const page = await as('scanner', `/batches/${batchId}`);
    const batch = await json<{ dossiers: { dossierNo: string; check: { failures: number | null } }[] }>(page, `/api/batches/${batchId}`);
    const failures = Object.fromEntries(batch.dossiers.map((d) => [d.dossierNo, d.check.failures]));
    expect(failures[A.no]).toBe(0);
    expect(failures[C.no]).toBe(0);
    expect(failures[B.no]).toBeGreaterThan(0);

    await page.getByRole('button', { name: `${B.no} 自动校验结果` }).click();
    const drawer = page.getByTestId('checks-drawer');
    await drawer.getByTestId('finding-groups').waitFor();
    const codes = await drawer.getByTestId('finding-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toContain('DUPLICATE_PAGE');
    expect(codes).toContain('BLURRY');
    const board = await json<Board>(page, `/api/dossiers/${dossierIds[B.no]}/pages`);
    const idOf = (name: string) => board.pages.find((p) => p.fileName.endsWith(name))!.id;
    const blurred = drawer.locator('[data-testid="finding"][data-code="BLURRY"]');
    expect(await blurred.getByTestId('finding-page').first().getAttribute('data-page-id')).toBe(idOf(files.blurred));
    const dup = drawer.locator('[data-testid="finding"][data-code="DUPLICATE_PAGE"]');
    const dupPages = await dup.getByTestId('finding-page').evaluateAll((els) => els.map((e) => e.getAttribute('data-page-id')));
    expect(dupPages).toContain(idOf(files.repeated));
    // Every thumbnail has loaded.
    await expect
      .poll(() => drawer.locator('[data-testid="finding-page"] img').evaluateAll((imgs) => imgs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0)))
      .toBe(true);
    await shot(page, 'project-12-checks');
    await blurred.getByTestId('finding-page').first().click();
    await page.getByTestId('page-lightbox').waitFor();
    await poll(() => page.getByTestId('lightbox-stage').locator('img').evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await shot(page, 'project-13-finding-page');
    await page.keyboard.press('Escape');
    await page.getByTestId('page-lightbox').waitFor({ state: 'detached' });
  });

  let sampledRandom = '';

  it('the inspector draws the sample: the failed dossier in full, one more at random, seed recorded', async () => {
    const page = await as('inspector', `/batches/${batchId}?tab=quality`);
    await page.getByTestId('draw-sample').click();
    const table = page.getByTestId('sample-table');
    await table.waitFor();
    const seed = await page.getByTestId('sample-seed').innerText();
    expect(seed).toMatch(/^\d+$/);
    expect(await table.locator(`tr[data-dossier="${B.no}"]`).innerText()).toContain('自动校验不通过，全检');
    const rows = await table.locator('tr[data-dossier]').evaluateAll((els) => els.map((e) => e.getAttribute('data-dossier')!));
    expect(rows).toHaveLength(2);
    sampledRandom = rows.find((r) => r !== B.no)!;
    expect([A.no, C.no]).toContain(sampledRandom);
    expect(await table.locator(`tr[data-dossier="${sampledRandom}"]`).innerText()).toContain('随机抽检');
    await shot(page, 'project-14-sample');
    // The one not drawn passes 质检 at once; the drawn ones wait for their inspection.
    const notDrawn = [A.no, C.no].find((n) => n !== sampledRandom)!;
    const batch = await json<{ dossiers: { dossierNo: string; stages: { stage: string; status: string }[] }[] }>(page, `/api/batches/${batchId}`);
    const inspect = (no: string) => batch.dossiers.find((d) => d.dossierNo === no)!.stages.find((s) => s.stage === 'inspect')!.status;
    expect(inspect(notDrawn)).toBe('done');
    expect(inspect(B.no)).toBe('in_progress');

    // The random one is fine.
    await table.locator(`tr[data-dossier="${sampledRandom}"]`).getByTestId('open-inspection').click();
    await page.getByTestId('inspection-page').waitFor();
    await poll(() => page.getByTestId('inspect-thumb').count()).toBeGreaterThan(0);
    await page.getByTestId('verdict-pass').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '合格' }).click();
    await poll(() => page.getByTestId('inspection-page').getAttribute('data-verdict')).toBe('pass');
  });

  let reworkId = '';

  it('the inspector boxes the defects of the failed dossier on its pages and finds it 不合格', async () => {
    const page = await as('inspector', `/batches/${batchId}?tab=quality`);
    await page.getByTestId('sample-table').locator(`tr[data-dossier="${B.no}"]`).getByTestId('open-inspection').click();
    await page.getByTestId('inspection-page').waitFor();
    const board = await json<Board>(page, `/api/dossiers/${dossierIds[B.no]}/pages`);
    const pageOf = (name: string) => board.pages.find((p) => p.fileName.endsWith(name))!;

    const mark = async (target: BoardPage, from: [number, number], to: [number, number], type: string, note: string) => {
      await page.locator(`[data-testid="inspect-thumb"][data-page-id="${target.id}"]`).click();
      const image = page.getByTestId('defect-image');
      await poll(() => image.evaluate((i) => (i as unknown as { naturalWidth: number; complete: boolean }).complete && (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      const sheet = page.getByTestId('defect-sheet');
      await poll(async () => (await sheet.boundingBox())?.width ?? 0).toBeGreaterThan(100);
      const r = (await sheet.boundingBox())!;
      await page.mouse.move(r.x + r.width * from[0], r.y + r.height * from[1]);
      await page.mouse.down();
      await page.mouse.move(r.x + r.width * ((from[0] + to[0]) / 2), r.y + r.height * ((from[1] + to[1]) / 2), { steps: 5 });
      await page.mouse.move(r.x + r.width * to[0], r.y + r.height * to[1], { steps: 5 });
      await page.mouse.up();
      await page.getByTestId('draft-box').waitFor();
      expect(await page.getByTestId('draft-hint').innerText()).toContain('已框选区域');
      const form = page.getByTestId('defect-form');
      await pick(page, form, '缺陷类型', type);
      await form.getByLabel('缺陷说明').fill(note);
      await form.getByTestId('add-defect').click();
      await page.getByTestId('draft-box').waitFor({ state: 'detached' });
    };

    const blurred = pageOf(files.blurred);
    await mark(blurred, [0.1, 0.15], [0.9, 0.55], '模糊', '整页文字模糊不可辨认，须重扫');
    await poll(() => page.getByTestId('defect-box').count()).toBe(1);
    await shot(page, 'project-15-defect-boxed');
    const repeated = pageOf(files.repeated);
    await mark(repeated, [0.05, 0.05], [0.95, 0.3], '重扫', '与第 1 页重复扫描，第 2 页漏扫');
    await poll(() => page.getByTestId('defect-item').count()).toBe(2);

    // The boxes are kept in master pixels, where they were drawn on screen.
    const inspectionId = new URL(page.url()).pathname.split('/').pop()!;
    const detail = await json<{ defects: { pageId: string; type: string; box: number[] }[] }>(page, `/api/inspections/${inspectionId}`);
    const blur = detail.defects.find((d) => d.pageId === blurred.id)!;
    expect(blur.type).toBe('blur');
    const m = blurred.analysis!;
    const near = (a: number, b: number) => Math.abs(a - b) <= 0.02 * Math.max(m.width, m.height);
    expect(near(blur.box[0]!, 0.1 * m.width) && near(blur.box[1]!, 0.15 * m.height)).toBe(true);
    expect(near(blur.box[2]!, 0.8 * m.width) && near(blur.box[3]!, 0.4 * m.height)).toBe(true);
    expect(detail.defects.find((d) => d.pageId === repeated.id)!.type).toBe('rescan');

    await page.getByTestId('verdict-fail').click();
    const fail = page.getByRole('dialog', { name: '质检结论：不合格' });
    await pick(page, fail, '整改人', USERS.scanner.username);
    await fail.getByLabel('质检意见').fill('第 1-1 第 2 页模糊须重扫；3-1 第 2 页为重复扫描，须补扫原件第 2 页');
    await fail.getByRole('button', { name: '判定不合格并派发整改' }).click();
    await poll(() => page.getByTestId('inspection-page').getAttribute('data-verdict')).toBe('fail');
    expect(await page.getByTestId('verdict-banner').innerText()).toContain(USERS.scanner.name);
    await shot(page, 'project-16-failed');
    const after = await json<{ rework: { id: string } }>(page, `/api/inspections/${inspectionId}`);
    reworkId = after.rework.id;
  });

  it('the scanner reworks: rescans both pages, marks the defects fixed and submits', async () => {
    const page = await as('scanner', `/batches/${batchId}?tab=quality`);
    await page.getByTestId('rework-list').getByTestId('rework-link').click();
    await page.getByTestId('rework-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/rework/${reworkId}`);
    await poll(() => page.getByTestId('rework-canvas').getByTestId('defect-box').count()).toBeGreaterThan(0);
    await shot(page, 'project-17-rework');

    const boardPath = `/api/dossiers/${dossierIds[B.no]}/pages`;
    const board = await json<Board>(page, boardPath);
    // The defects in the order they were found: the blurred page, then the repeated one.
    const fixes = [[files.blurred, files.sharpRescan, '已重扫替换'], [files.repeated, files.missingPage, '已以原件第 2 页重扫替换重复页']] as const;
    for (const [i, [name, rescan, note]] of fixes.entries()) {
      const target = board.pages.find((p) => p.fileName.endsWith(name))!;
      const material = board.materials.find((m) => m.id === target.materialId)!;
      const place = material.pageIds.indexOf(target.id);
      const defect = page.getByTestId('rework-defect').nth(i);
      await defect.click();
      await defect.getByRole('link', { name: '去扫描与挂接处理' }).click();
      const editor = page.getByTestId('page-editor');
      await editor.waitFor();
      expect(await editor.getByTestId('editor-title').innerText()).toContain(`第 ${place + 1} 页`);
      await editor.locator('input[type="file"]').setInputFiles(rescan);
      // A rescan is a new page in the old one's place; the old one is kept, deleted.
      await expect
        .poll(async () => {
          const now = await json<Board>(page, boardPath);
          const at = now.materials.find((m) => m.id === material.id)!.pageIds[place];
          const fresh = now.pages.find((p) => p.id === at);
          return !!fresh && fresh.id !== target.id && fresh.status === 'processed' && fresh.fileName.endsWith(rescan.split('/').pop()!);
        }, { timeout: 120_000, interval: 1000 })
        .toBe(true);
      await page.goto(`${sys.url}/rework/${reworkId}`);
      await page.getByTestId('rework-page').waitFor();
      await defect.click();
      await poll(() => page.getByTestId('rework-page-note').innerText()).toContain('原页面已重扫替换');
      if (i === 0) await shot(page, 'project-18-rescanned');
      await defect.getByTestId('fix-defect').click();
      const dialog = page.getByRole('dialog', { name: /标记已整改/ });
      await dialog.getByLabel('整改说明').fill(note);
      await dialog.getByRole('button', { name: '标记已整改' }).click();
      await poll(() => defect.getAttribute('data-fixed')).toBe('1');
    }
    await page.getByTestId('submit-rework').click();
    const submit = page.getByRole('dialog', { name: '提交复检' });
    await submit.getByLabel('提交说明').fill('两页均已重扫替换');
    await submit.getByRole('button', { name: '提交复检' }).click();
    await poll(() => page.getByTestId('rework-page').getAttribute('data-state')).toBe('submitted');
    await shot(page, 'project-19-rework-submitted');
  });

  it('the inspector inspects again and finds it 合格', async () => {
    const page = await as('inspector', `/batches/${batchId}?tab=quality`);
    const row = page.getByTestId('sample-table').locator(`tr[data-dossier="${B.no}"]`);
    expect(await row.getByTestId('open-inspection').innerText()).toBe('复检');
    await row.getByTestId('open-inspection').click();
    await page.getByTestId('inspection-page').waitFor();
    expect(await page.getByTestId('inspection-page').innerText()).toContain('复检（第 2 轮）');
    const board = await json<Board>(page, `/api/dossiers/${dossierIds[B.no]}/pages`);
    const rescanned = board.pages.find((p) => p.fileName.endsWith(files.sharpRescan.split('/').pop()!))!;
    await page.locator(`[data-testid="inspect-thumb"][data-page-id="${rescanned.id}"]`).click();
    await poll(() => page.getByTestId('defect-image').evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await shot(page, 'project-20-reinspect');
    await page.getByTestId('verdict-pass').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '合格' }).click();
    await poll(() => page.getByTestId('inspection-page').getAttribute('data-verdict')).toBe('pass');
    await page.goto(`${sys.url}/batches/${batchId}?tab=quality`);
    await poll(() => page.getByTestId('pass-rate').innerText()).toContain('100.0%');
    await shot(page, 'project-21-quality');
  });

  it('the leader accepts the batch and downloads the acceptance report', async () => {
    const page = await as('leader', `/batches/${batchId}`);
    await page.getByTestId('accept-batch').click();
    const accept = page.getByRole('dialog', { name: `验收：${batchCode}` });
    expect(await accept.innerText()).toContain('合格率 100.0%');
    await accept.getByLabel('验收意见').fill('经抽检，本批次数字化成果符合要求，同意验收');
    await accept.getByRole('button', { name: '验收通过' }).click();
    await poll(() => batchState(page)).toBe('accepted');
    await shot(page, 'project-22-accepted');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-pdf').click()]);
    const pdf = join(dir, 'report.pdf');
    await download.saveAs(pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('验收报告');
    expect(text.stdout).toContain(batchCode);
    const png = spawnSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, join(dir, 'report')]);
    expect(png.status, String(png.stderr)).toBe(0);
    copyFileSync(join(dir, 'report.png'), join(SHOTS, 'project-23-report.png'));
    const { data, info } = await sharp(join(dir, 'report.png')).greyscale().raw().toBuffer({ resolveWithObject: true });
    const dark = data.filter((v) => v < 128).length;
    expect(info.width).toBeGreaterThan(300);
    expect(dark / data.length).toBeGreaterThan(0.005);
  });

  it('the clerk checks the batch back in, counting a difference that is explained; both confirm and the dossiers are 在库', async () => {
    const page = await as('clerk', `/batches/${batchId}`);
    await page.getByTestId('checkin-handover').click();
    const dialog = page.getByRole('dialog', { name: `入库交接：${batchCode}` });
    const bRow = dialog.locator(`tr[data-dossier="${B.no}"]`);
    await bRow.getByLabel(`${B.no} 交回页数`).fill('6');
    await dialog.getByRole('button', { name: '登记交接' }).click();
    await poll(() => dialog.innerText()).toContain('数量与出库时不符，请说明原因');
    await bRow.getByLabel(`${B.no} 差异说明`).fill('入党志愿书目录登记 3 页，原件实为 2 页（见扫描登记说明）');
    await shot(page, 'project-24-checkin');
    await dialog.getByRole('button', { name: '登记交接' }).click();
    await page.getByRole('button', { name: '去确认' }).click();
    await page.getByRole('button', { name: '确认交接（接收方）' }).click();
    await poll(() => page.locator('[data-testid="handover-card"][data-direction="in"]').getByTestId('handover-sides').innerText()).toMatch(/接收方：李档管\s*已确认/);

    const scanner = await as('scanner', `/batches/${batchId}?tab=handovers`);
    await scanner.getByRole('button', { name: '确认交接（交出方）' }).click();
    await poll(() => batchState(scanner)).toBe('closed');

    await page.goto(`${sys.url}/batches/${batchId}`);
    await poll(() => page.getByTestId('dossier-state').allInnerTexts()).toEqual(['在库', '在库', '在库']);
    for (const spec of SPECS) expect(await statusOf(page, spec.no, 'return')).toBe('done');
    await shot(page, 'project-25-closed');
    await page.getByRole('tab', { name: /交接登记/ }).click();
    expect(await page.locator('[data-testid="handover-card"][data-direction="in"]').innerText()).toContain('数量不符：入党志愿书目录登记 3 页');
    await shot(page, 'project-26-handovers');
    for (const spec of SPECS) {
      const cadres = await json<{ items: { state: string }[] }>(page, `/api/cadres?q=${spec.no}`);
      expect(cadres.items[0]!.state).toBe('in_store');
    }
  });

  it('every step is in the audit log, the chain intact', async () => {
    interface Event { action: string; username: string | null; objectId: string | null; result: string; detail: { stage?: string } | null }
    const actions = new Map<string, Event[]>();
    for (let p = 1; ; p++) {
      const r = await auditor.call<{ items: Event[]; total: number }>('GET', `/api/audit/events?pageSize=500&page=${p}`);
      expect(r.status).toBe(200);
      for (const e of r.json.items.filter((x) => x.result === 'success')) actions.set(e.action, [...(actions.get(e.action) ?? []), e]);
      if (p * 500 >= r.json.total) break;
    }
    const by = (action: string) => (actions.get(action) ?? []).map((e) => e.username);
    expect(by('batch.create')).toEqual([USERS.clerk.username]);
    expect(by('batch.checkout.request')).toEqual([USERS.clerk.username, USERS.clerk.username]);
    expect(by('batch.checkout.refuse')).toEqual([USERS.leader.username]);
    expect(by('batch.checkout.approve')).toEqual([USERS.leader.username]);
    expect(by('batch.handover.create')).toEqual([USERS.clerk.username, USERS.clerk.username]);
    expect(by('batch.handover.confirm').sort()).toEqual([USERS.clerk.username, USERS.clerk.username, USERS.scanner.username, USERS.scanner.username].sort());
    // Each dossier's hands-on stages, started and finished by the scanner, each on record.
    const moves = (action: string) =>
      new Set((actions.get(action) ?? []).filter((e) => e.username === USERS.scanner.username).map((e) => `${e.objectId}:${e.detail?.stage}`));
    for (const spec of SPECS) {
      for (const st of ['arrange', 'scan', 'process', 'link', 'check']) expect(moves('batch.stage.start')).toContain(`${dossierIds[spec.no]}:${st}`);
      for (const st of ['arrange', 'scan', 'process', 'link']) expect(moves('batch.stage.finish')).toContain(`${dossierIds[spec.no]}:${st}`);
    }
    const stageEvents = (action: string, stageCode: string) => (actions.get(action) ?? []).filter((e) => e.detail?.stage === stageCode).length;
    expect(stageEvents('batch.stage.finish', 'check')).toBe(3);
    expect(stageEvents('batch.stage.finish', 'inspect')).toBe(3);
    expect(stageEvents('batch.stage.finish', 'accept')).toBe(3);
    expect(stageEvents('batch.stage.finish', 'return')).toBe(3);
    expect(by('batch.scan.explain')).toEqual([USERS.scanner.username]);
    expect(by('check.run.request').length).toBe(3);
    expect(by('check.run.finish').length).toBe(3);
    expect(by('batch.sample')).toEqual([USERS.inspector.username]);
    expect(by('inspection.open')).toEqual([USERS.inspector.username, USERS.inspector.username, USERS.inspector.username]);
    expect(by('inspection.defect.add')).toEqual([USERS.inspector.username, USERS.inspector.username]);
    expect(by('inspection.verdict').length).toBe(3);
    expect(by('rework.fix')).toEqual([USERS.scanner.username, USERS.scanner.username]);
    expect(by('rework.submit')).toEqual([USERS.scanner.username]);
    expect(by('page.replace').length).toBe(2);
    expect(by('batch.accept')).toEqual([USERS.leader.username]);
    expect(by('batch.report.export')).toContain(USERS.leader.username);
    expect(by('batch.close').length).toBe(1);
    const verify = await auditor.call<{ intact: boolean }>('POST', '/api/audit/verify');
    expect(verify.json.intact).toBe(true);
  });

  it('loaded nothing from outside and raised no page errors', () => {
    expect(problems).toEqual([]);
  });
});
