import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, SHOTS, TotpCodes, launchBrowser, shot, startSystem, watchPage, type RunningSystem } from './support.js';

/*
 * Issue 7, controlled use, in real Chromium against the built system: a reader asks to read classes 1
 * and 9 of one cadre's dossier; his request for his wife's dossier is refused for 回避 with the reason;
 * the leader approves the first (shortening the grant to a few minutes); the reader sees only those
 * classes, every page a watermarked rendition (not the master, which is refused to him); he prints
 * within his limit and is refused past it; he pages too fast and the security officer acknowledges the
 * alert; the grant runs out and access ends; the clerk's reading log and the auditor's log show it all;
 * statistics give a user scoped to one unit that unit's counts only.
 */

/** An <img>'s decoded width once loaded, else 0 (evaluated in the page). */
const loadedWidth = (img: unknown): number => {
  const i = img as { complete: boolean; naturalWidth: number };
  return i.complete ? i.naturalWidth : 0;
};

function poll<T>(fn: () => Promise<T> | T, timeout = 30_000) {
  return expect.poll(fn, { timeout, interval: 300 });
}

const INITIAL = 'Initial-Passw0rd-1';
const PASSWORD = 'Use-Passw0rd-2026';

/** A valid 18-digit citizen ID number (GB 11643 check character) for a birth date. */
function idNumber(region: string, birth: string, order: string): string {
  const first17 = `${region}${birth.replace(/-/g, '')}${order}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

const READER_BIRTH = '1985-04-12';
const READER_ID = idNumber('370102', READER_BIRTH, '123');

const USERS = {
  clerk: { username: 'liguan', name: '李档管', roles: ['archivist', 'scanner'], unit: 'ROOT', scope: 'unit_and_below' },
  leader: { username: 'sunling', name: '孙领导', roles: ['leader'], unit: 'ROOT', scope: 'unit_and_below' },
  reader: { username: 'zhoucha', name: '周查阅', roles: ['reader'], unit: 'CZJ', scope: 'own_unit' },
  analyst: { username: 'wutong', name: '吴统计', roles: ['archivist'], unit: 'JYJ', scope: 'own_unit' },
} as const;
type Who = keyof typeof USERS | 'secadmin' | 'auditor';

// 李明's dossier: classes 1 and 9 are asked for, class 3 must stay invisible.
const DOSSIER = {
  no: 'CY20260001', cadre: '李明', unit: 'CZJ',
  materials: [
    { classCode: '1', seq: '1-1', name: '干部履历表', formedOn: '2012.03', pages: 2 },
    { classCode: '3', seq: '3-1', name: '2024年度考核登记表', formedOn: '2025.01', pages: 1 },
    { classCode: '9-2', seq: '9-2-1', name: '干部任免审批表', formedOn: '2020.06', pages: 1 },
  ],
};
const HIDDEN = '2024年度考核登记表';

async function scanPage(title: string, n: number): Promise<Buffer> {
  const W = 1240;
  const H = 1754;
  const lines = ['姓名：李明\u3000性别：男\u3000民族：汉族', `出生年月：1978年${n + 1}月\u3000籍贯：山东济南`, '学历学位：大学本科\u3000工学学士', '2001.07—2005.03\u3000某市财政局科员', '奖惩情况：2019年度考核优秀'];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <rect width="100%" height="100%" fill="#fff"/>
    <text x="${W / 2}" y="220" font-family="Noto Sans CJK SC" font-size="60" font-weight="bold" text-anchor="middle" fill="#111">${title}</text>
    ${lines.map((l, i) => `<text x="140" y="${400 + i * 110 + n * 7}" font-family="Noto Sans CJK SC" font-size="38" fill="#1a1a1a">${l}</text>`).join('')}
    <text x="${W / 2}" y="${H - 120}" font-family="Noto Sans CJK SC" font-size="30" text-anchor="middle" fill="#333">第 ${n + 1} 页</text>
  </svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#fff' }).jpeg({ quality: 88 }).withMetadata({ density: 300 }).toBuffer();
}

/** Mean absolute difference of two images' grey pixels at one size, 0–255. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const grey = (x: Buffer) => sharp(x).resize(400, 560, { fit: 'fill' }).greyscale().raw().toBuffer();
  const [pa, pb] = await Promise.all([grey(a), grey(b)]);
  let sum = 0;
  for (let i = 0; i < pa.length; i++) sum += Math.abs(pa[i]! - pb[i]!);
  return sum / pa.length;
}

describe('controlled use journey on sqlite', () => {
  let sys: RunningSystem;
  let browser: Browser;
  const api = new Map<Who, ApiSession>();
  const passwords = new Map<Who, string>();
  const totp = new TotpCodes();
  const tabs = new Map<Who, { context: BrowserContext; page: Page }>();
  const problems: string[] = [];
  const unitIds: Record<string, string> = {};
  let dossierId = '';
  const pageIds: Record<string, string[]> = {};
  let requestNo = '';
  let requestId = '';

  const usernameOf = (who: Who) => (who === 'secadmin' || who === 'auditor' ? who : USERS[who].username);

  /** The user's browser tab, signed in (again, when his session has lapsed) and on `path`. */
  async function as(who: Who, path: string): Promise<Page> {
    let entry = tabs.get(who);
    if (!entry) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
      const page = await context.newPage();
      // chrome:// and chrome-extension:// are the browser's own PDF viewer, not the network.
      watchPage(page, sys.url, problems, who, /^(data|blob|about|chrome|chrome-extension):/);
      // A headless browser has no print dialog to show: print() is counted instead (in every frame,
      // the hidden one holding the PDF included).
      await context.addInitScript(() => {
        const w = globalThis as unknown as { print: () => void; top: { printCalls?: number } };
        w.print = () => {
          w.top.printCalls = (w.top.printCalls ?? 0) + 1;
        };
      });
      entry = { context, page };
      tabs.set(who, entry);
    }
    const { page } = entry;
    await page.goto(`${sys.url}${path}`);
    await page.getByTestId('main-menu').or(page.getByTestId('login-form')).waitFor();
    if (await page.getByTestId('login-form').isVisible()) {
      const username = usernameOf(who);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码', { exact: true }).fill(passwords.get(who)!);
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

  /** A same-origin request from the user's tab, with his session (as his browser would send it). */
  async function fetchIn(page: Page, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; type: string; bytes: Buffer; text: string }> {
    const r = await page.evaluate(async ({ p, m, b }) => {
      const me = await fetch('/api/auth/me').then((x) => x.json()).catch(() => ({}));
      const res = await fetch(p, {
        method: m ?? 'GET',
        headers: m && m !== 'GET' ? { 'content-type': 'application/json', 'x-csrf-token': (me as { csrfToken?: string }).csrfToken ?? '' } : {},
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      const buf = new Uint8Array(await res.arrayBuffer());
      let bin = '';
      for (let i = 0; i < buf.length; i++) bin += String.fromCharCode(buf[i]!);
      return { status: res.status, type: res.headers.get('content-type') ?? '', b64: btoa(bin) };
    }, { p: path, m: init.method, b: init.body });
    const bytes = Buffer.from(r.b64, 'base64');
    return { status: r.status, type: r.type, bytes, text: bytes.toString('utf8') };
  }

  async function toast(page: Page, kind: 'success' | 'error' = 'success'): Promise<string> {
    const m = page.locator(`.ant-message-${kind}`).last();
    await m.waitFor();
    return m.innerText();
  }

  /** Audit events of one action, as the auditor's API lists them. */
  async function audited(action: string): Promise<{ username: string; result: string; objectLabel: string | null }[]> {
    const r = await api.get('auditor')!.call<{ items: { username: string; result: string; objectLabel: string | null }[] }>('GET', `/api/audit/events?action=${action}&pageSize=100`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.items;
  }

  beforeAll(async () => {
    sys = await startSystem('sqlite');
    const sec = new ApiSession(sys.url);
    await sec.firstLogin('secadmin', sys.initialPassword('secadmin'), 'Sicher-Neu-9a!');
    api.set('secadmin', sec);
    passwords.set('secadmin', 'Sicher-Neu-9a!');
    totp.set('secadmin', sec.totpSecret, true);
    const auditor = new ApiSession(sys.url);
    await auditor.firstLogin('auditor', sys.initialPassword('auditor'), 'Pruefer-Neu-9a!');
    api.set('auditor', auditor);
    passwords.set('auditor', 'Pruefer-Neu-9a!');
    totp.set('auditor', auditor.totpSecret, true);

    const units = await sec.call<{ id: string; code: string }[]>('GET', '/api/units');
    unitIds.ROOT = units.json.find((u) => u.code === 'ROOT')!.id;
    for (const [code, name] of [['CZJ', '市财政局'], ['JYJ', '市教育局']] as const) {
      const u = await sec.call<{ id: string }>('POST', '/api/units', { parentId: unitIds.ROOT, code, name });
      expect(u.status, JSON.stringify(u.json)).toBe(200);
      unitIds[code] = u.json.id;
    }
    const roles = await sec.call<{ id: string; code: string }[]>('GET', '/api/roles');
    for (const [who, u] of Object.entries(USERS) as [keyof typeof USERS, (typeof USERS)[keyof typeof USERS]][]) {
      const created = await sec.call('POST', '/api/users', {
        username: u.username, displayName: u.name, unitId: unitIds[u.unit], password: INITIAL,
        roleIds: u.roles.map((code) => roles.json.find((r) => r.code === code)!.id), scope: { kind: u.scope, unitIds: [] },
        ...(who === 'reader' ? { idNumber: READER_ID, birthDate: READER_BIRTH } : {}),
      });
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      const session = new ApiSession(sys.url);
      await session.firstLogin(u.username, INITIAL, PASSWORD);
      if (session.totpSecret) {
        totp.set(u.username, session.totpSecret, true);
      }
      api.set(who, session);
      passwords.set(who, PASSWORD);
    }
    // A reader who turns pages faster than anyone reads: three pages within a minute, for this journey.
    for (const [key, value] of [['alerts.fastPagingPages', 3], ['alerts.fastPagingSeconds', 60]] as const) {
      const r = await sec.call('PUT', `/api/settings/${key}`, { value });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }

    // The archive: 李明 (市财政局) with three materials scanned; 王芳, the reader's wife, also of 市财政局;
    // 赵强 of 市教育局, for the scoped statistics.
    const clerk = api.get('clerk')!;
    const cadre = await clerk.call<{ id: string; dossier: { id: string } }>('POST', '/api/cadres', {
      name: DOSSIER.cadre, gender: '1', birthDate: '1978-05-02', managingUnitId: unitIds.CZJ, dossier: { dossierNo: DOSSIER.no, custodianUnitId: unitIds.ROOT },
    });
    expect(cadre.status, JSON.stringify(cadre.json)).toBe(200);
    dossierId = cadre.json.dossier.id;
    for (const m of DOSSIER.materials) {
      const r = await clerk.call('POST', `/api/dossiers/${dossierId}/materials`, { classCode: m.classCode, name: m.name, formedOn: m.formedOn, pages: m.pages });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
    const wife = await clerk.call<{ id: string }>('POST', '/api/cadres', {
      name: '王芳', gender: '2', birthDate: '1986-09-18', managingUnitId: unitIds.CZJ, dossier: { dossierNo: 'CY20260002', custodianUnitId: unitIds.ROOT },
    });
    expect(wife.status, JSON.stringify(wife.json)).toBe(200);
    const spouse = await clerk.call('POST', `/api/cadres/${wife.json.id}/relatives`, {
      relation: '10', name: USERS.reader.name, idNumber: READER_ID, birthDate: READER_BIRTH, workUnit: '市财政局',
    });
    expect(spouse.status, JSON.stringify(spouse.json)).toBe(200);
    const other = await clerk.call('POST', '/api/cadres', {
      name: '赵强', gender: '1', birthDate: '1990-01-20', managingUnitId: unitIds.JYJ, dossier: { dossierNo: 'CY20260003', custodianUnitId: unitIds.JYJ },
    });
    expect(other.status, JSON.stringify(other.json)).toBe(200);

    const batch = await clerk.call<{ id: string }>('POST', '/api/scan-batches', { dossierId });
    expect(batch.status, JSON.stringify(batch.json)).toBe(200);
    let n = 0;
    for (const m of DOSSIER.materials) {
      for (let p = 1; p <= m.pages; p++) {
        const name = `${DOSSIER.no}_${m.seq}_${p}.jpg`;
        const r = await clerk.upload(`/api/scan-batches/${batch.json.id}/files?name=${encodeURIComponent(name)}`, await scanPage(m.name, n++), 'image/jpeg');
        expect(r.status, JSON.stringify(r.json)).toBe(200);
      }
    }
    // Image processing makes each page's web rendition (expect.poll is for tests, not their set-up).
    for (let i = 0; ; i++) {
      const b = await clerk.call<{ pages: { status: string }[] }>('GET', `/api/dossiers/${dossierId}/pages`);
      const statuses = b.json.pages.map((x) => x.status).join();
      if (statuses === 'processed,processed,processed,processed') break;
      if (i > 600) throw new Error(`pages not processed: ${statuses}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const board = await clerk.call<{ materials: { seq: string; pageIds: string[] }[] }>('GET', `/api/dossiers/${dossierId}/pages`);
    for (const m of board.json.materials) pageIds[m.seq] = m.pageIds;
    expect(pageIds['1-1']).toHaveLength(2);
    expect(pageIds['3-1']).toHaveLength(1);
    expect(pageIds['9-2-1']).toHaveLength(1);
    browser = await launchBrowser();
  });
  // A failed step leaves a picture of every open tab, to see why.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const [who, { page }] of tabs) await shot(page, `use-failed-${who}`).catch(() => undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('the reader asks to read classes 1 and 9 of 李明\'s dossier, with one print', async () => {
    const page = await as('reader', '/use/requests');
    await page.getByTestId('request-new').click();
    const form = page.getByTestId('request-form');
    await form.getByTestId('request-cadre').locator('input').fill(DOSSIER.no);
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: DOSSIER.cadre });
    await option.waitFor();
    await option.click();
    await form.getByTestId('request-purpose').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '干部考察' }).click();
    await form.getByLabel('说明').fill('拟提拔考察，核实履历与任免情况');
    await form.getByTestId('request-mode').getByText('打印', { exact: true }).click();
    await form.getByTestId('request-scope').getByText('按类别', { exact: true }).click();
    await form.getByTestId('request-classes').getByText(/^第 1 类/).click();
    await form.getByTestId('request-classes').getByText(/^第 9 类/).click();
    expect(await form.getByTestId('request-classes').innerText()).toContain('第 3 类');
    // The period is the drawer's default: from now, three days.
    expect(await form.getByPlaceholder('开始时间').inputValue()).not.toBe('');
    await form.getByLabel('打印次数').fill('1');
    await shot(page, 'use-01-request');
    await form.getByTestId('request-submit').click();
    await toast(page);
    const row = page.getByTestId('request-table').locator('tbody tr.ant-table-row').first();
    await poll(() => row.innerText()).toContain('待审批');
    requestNo = (await row.innerText()).match(/CY\d{4}-\d{4}/)![0];
    const mine = await api.get('reader')!.call<{ items: { id: string; requestNo: string }[] }>('GET', '/api/access/requests');
    requestId = mine.json.items.find((r) => r.requestNo === requestNo)!.id;
    await shot(page, 'use-02-requested');
  });

  it('his request for his wife\'s dossier is refused for 回避, with the reason', async () => {
    const page = await as('reader', '/use/requests');
    await page.getByTestId('request-new').click();
    const form = page.getByTestId('request-form');
    await form.getByTestId('request-cadre').locator('input').fill('CY20260002');
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '王芳' });
    await option.waitFor();
    await option.click();
    await form.getByTestId('request-purpose').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '政审' }).click();
    await form.getByTestId('request-mode').getByText('在线查阅', { exact: true }).click();
    await form.getByTestId('request-scope').getByText('整本档案', { exact: true }).click();
    await form.getByTestId('request-submit').click();
    const avoidance = page.getByTestId('request-avoidance');
    await avoidance.waitFor();
    const reason = await avoidance.innerText();
    expect(reason).toContain('回避');
    expect(reason).toContain('配偶');
    await shot(page, 'use-03-avoidance');
    // Nothing was filed: still one request, and the refusal is in the audit log.
    const mine = await api.get('reader')!.call<{ items: unknown[] }>('GET', '/api/access/requests');
    expect(mine.json.items).toHaveLength(1);
    const avoided = await audited('access.request.avoid');
    expect(avoided.map((e) => [e.username, e.result])).toEqual([[USERS.reader.username, 'denied']]);
  });

  it('the leader approves it, shortening the grant to a few minutes', async () => {
    const page = await as('leader', '/use/approvals');
    const row = page.getByTestId('approval-table').locator('tbody tr.ant-table-row', { hasText: requestNo });
    await row.waitFor();
    await row.getByTestId('approval-open').click();
    const form = page.getByTestId('approval-form');
    await form.getByLabel('审批意见').fill('同意查阅第一、九类');
    // The grant ends two to three minutes from now (the picker takes whole minutes): the journey sees it run out.
    const until = new Date(Date.now() + 8 * 3_600_000 + 3 * 60_000);
    const input = form.locator('.ant-picker input');
    const text = until.toISOString().slice(0, 16).replace('T', ' ');
    await input.click();
    await input.fill(text);
    // The picker's OK keeps the typed time (Enter would also submit the form).
    await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
    await expect.poll(() => input.inputValue()).toBe(text);
    await shot(page, 'use-04-approve');
    await page.getByTestId('approval-approve').click();
    await toast(page);
    const request = await api.get('reader')!.call<{ state: string; grantedUntil: string }>('GET', `/api/access/requests/${requestId}`);
    expect(request.json.state).toBe('approved');
    expect(new Date(request.json.grantedUntil).getTime() - Date.now()).toBeLessThan(3 * 60_000);
  });

  /** The reader's open reading window: its session id, from the page image's address. */
  async function readingSession(page: Page): Promise<string> {
    const src = await page.getByTestId('reader-page-image').getAttribute('src');
    return /\/api\/reading\/sessions\/([^/]+)\//.exec(src ?? '')![1]!;
  }

  it('the reader sees only classes 1 and 9, every page watermarked with his name; the master is refused to him', async () => {
    const page = await as('reader', '/reading');
    const grant = page.getByTestId('reading-grants').locator('tbody tr.ant-table-row', { hasText: requestNo });
    await grant.waitFor();
    expect(await grant.innerText()).toContain('第 1、9 类');
    await grant.getByRole('button', { name: '开始查阅' }).click();
    const catalogue = page.getByTestId('reader-catalogue');
    await catalogue.getByText('干部履历表').waitFor();
    const listed = await catalogue.innerText();
    expect(listed).toContain('干部任免审批表');
    expect(listed).not.toContain(HIDDEN);
    expect(listed).not.toContain('第 3 类');
    const image = page.getByTestId('reader-page-image');
    await poll(() => image.evaluate(loadedWidth)).toBeGreaterThan(0);
    await shot(page, 'use-05-reading');

    // What his browser got is a rendition that differs from the master and the web image the staff see.
    const src = (await image.getAttribute('src'))!;
    const served = await fetchIn(page, src);
    expect(served.status).toBe(200);
    expect(served.type).toBe('image/jpeg');
    const first = pageIds['1-1']![0]!;
    expect(src).toContain(first);
    const clerk = api.get('clerk')!;
    const master = await clerk.fetchBytes(`/api/pages/${first}/image?variant=master`);
    const web = await clerk.fetchBytes(`/api/pages/${first}/image?variant=web`);
    expect(master.status).toBe(200);
    expect(web.status).toBe(200);
    expect(await difference(served.bytes, master.bytes)).toBeGreaterThan(1);
    expect(await difference(served.bytes, web.bytes)).toBeGreaterThan(1);
    const sessionId = await readingSession(page);
    // The unwatermarked images are refused to him, and so is a page of the class he was not granted.
    for (const variant of ['master', 'web', 'original']) {
      expect((await fetchIn(page, `/api/pages/${first}/image?variant=${variant}`)).status).toBe(403);
    }
    const hidden = await fetchIn(page, `/api/reading/sessions/${sessionId}/pages/${pageIds['3-1']![0]}/image?w=800`);
    expect(hidden.status).toBe(403);
    expect(hidden.text).toContain('NOT_GRANTED');
  });

  it('he prints within his limit and is refused past it', async () => {
    const page = await as('reader', '/reading');
    await page.getByTestId('reading-grants').locator('tbody tr.ant-table-row', { hasText: requestNo }).getByRole('button', { name: '开始查阅' }).click();
    const button = page.getByTestId('print-button');
    await button.waitFor();
    expect(await button.innerText()).toContain('剩余 1 次');
    await button.click();
    const dialog = page.getByRole('dialog', { name: '打印查阅材料' });
    await dialog.getByTestId('print-materials').getByText('干部履历表').click();
    await shot(page, 'use-06-print');
    // The PDF goes straight to the print dialog; the test keeps a copy on its way through.
    let printed: { status: number; serial: string; body: Buffer } | null = null;
    await page.route('**/api/reading/sessions/*/print', async (route) => {
      const response = await route.fetch();
      printed = { status: response.status(), serial: response.headers()['x-print-serial'] ?? '', body: await response.body() };
      await route.fulfill({ response });
    });
    await dialog.getByTestId('print-confirm').click();
    await poll(() => printed?.status).toBe(200);
    await page.unroute('**/api/reading/sessions/*/print');
    const serial = printed!.serial;
    expect(serial).toMatch(/^DY\d{4}-\d{6}$/);
    expect(await toast(page)).toContain(serial);
    const dir = mkdtempSync(join(tmpdir(), 'dangan-use-'));
    const pdf = join(dir, 'print.pdf');
    writeFileSync(pdf, printed!.body);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(serial);
    expect(text).toContain(requestNo);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(dir, 'print')]);
    writeFileSync(join(SHOTS, 'use-07-printed-page.png'), await sharp(join(dir, 'print.png')).png().toBuffer());
    await poll(() => page.evaluate(() => (globalThis as unknown as { printCalls?: number }).printCalls ?? 0)).toBe(1);
    await poll(() => button.innerText()).toContain('剩余 0 次');
    expect(await button.isDisabled()).toBe(true);

    // Past the limit the server refuses, whatever the page shows.
    const sessionId = await readingSession(page);
    const granted = JSON.parse((await fetchIn(page, `/api/reading/sessions/${sessionId}/catalogue`)).text) as { classes: { materials: { id: string }[] }[] };
    const again = await fetchIn(page, `/api/reading/sessions/${sessionId}/print`, { method: 'POST', body: { materialIds: [granted.classes[0]!.materials[0]!.id] } });
    expect(again.status).toBe(409);
    expect(again.text).toContain('PRINT_LIMIT');
    expect(again.text).toContain('打印次数已用完');
  });

  it('paging faster than anyone reads raises an alert the security officer acknowledges', async () => {
    const page = await as('reader', '/reading');
    await page.getByTestId('reading-grants').locator('tbody tr.ant-table-row', { hasText: requestNo }).getByRole('button', { name: '开始查阅' }).click();
    const image = page.getByTestId('reader-page-image');
    const counter = page.getByTestId('reader-page-counter');
    await counter.waitFor();
    for (const [button, expected] of [['下一页', '2 / 3'], ['下一页', '3 / 3'], ['上一页', '2 / 3'], ['上一页', '1 / 3'], ['下一页', '2 / 3']] as const) {
      await page.getByRole('button', { name: button }).click();
      await poll(() => counter.innerText()).toBe(expected);
      await poll(() => image.evaluate(loadedWidth)).toBeGreaterThan(0);
    }

    const sec = await as('secadmin', '/alerts');
    const row = sec.getByTestId('alerts-table').locator('tbody tr.ant-table-row', { hasText: '翻页过快' });
    await poll(async () => {
      await sec.reload();
      await sec.getByTestId('alerts-table').waitFor();
      return row.count();
    }, 60_000).toBe(1);
    expect(await row.innerText()).toContain(USERS.reader.username);
    await shot(sec, 'use-08-alert');
    await row.click();
    const drawer = sec.getByTestId('alert-drawer');
    await drawer.getByTestId('alert-events').waitFor();
    // The security officer sees who and when, not what was read (三员分立).
    expect(await drawer.innerText()).not.toContain('干部履历表');
    await drawer.getByTestId('alert-acknowledge').click();
    const dialog = sec.getByRole('dialog', { name: '确认安全预警' });
    await dialog.getByLabel('确认说明（可选）').fill('已联系查阅人，提醒其按规定查阅');
    await dialog.getByRole('button', { name: '确认' }).click();
    await toast(sec);
    const alerts = await api.get('secadmin')!.call<{ items: { rule: string; state: string }[] }>('GET', '/api/alerts?state=acknowledged');
    expect(alerts.json.items.map((a) => a.rule)).toContain('fast_paging');
    await shot(sec, 'use-09-alert-acknowledged');
  });

  it('the clerk\'s reading log and print log show what he read and printed', async () => {
    const page = await as('clerk', '/use/reading-log');
    const table = page.getByTestId('reading-log-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const text = await table.innerText();
    expect(text).toContain(USERS.reader.name);
    expect(text).toContain(requestNo);
    expect(text).toContain('干部任免审批表');
    expect(text).not.toContain(HIDDEN);
    await shot(page, 'use-10-reading-log');
    await page.getByRole('tab', { name: '打印记录' }).click();
    const prints = page.getByTestId('print-log-table');
    await prints.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await prints.innerText()).toMatch(/DY\d{4}-000001/);
    const views = await audited('reading.page.view');
    expect(views.length).toBeGreaterThanOrEqual(6);
    expect(new Set(views.map((v) => v.username))).toEqual(new Set([USERS.reader.username]));
    expect((await audited('reading.print')).map((e) => e.result)).toContain('success');
    expect(await audited('access.request.approve')).toHaveLength(1);
  });

  it('statistics give each user the counts of his own scope', async () => {
    const clerk = await as('clerk', '/stats');
    const clerkTotal = clerk.getByTestId('stats-figure-byUnit').getByTestId('stats-row-total');
    await clerkTotal.waitFor();
    expect(await clerkTotal.innerText()).toMatch(/^合计：3 \//);
    await shot(clerk, 'use-11-stats-clerk');

    // 吴统计 is scoped to 市教育局: one dossier, and none of 市财政局's rows.
    const analyst = await as('analyst', '/stats');
    const total = analyst.getByTestId('stats-figure-byUnit').getByTestId('stats-row-total');
    await total.waitFor();
    expect(await total.innerText()).toMatch(/^合计：1 \//);
    expect(await analyst.getByTestId(`stats-row-${unitIds.CZJ}`).count()).toBe(0);
    expect(await analyst.getByTestId('stats-scope').innerText()).toContain('市教育局');
    await shot(analyst, 'use-12-stats-scoped');
    await analyst.getByRole('tab', { name: '利用统计' }).click();
    const decisions = analyst.getByTestId('stats-figure-decisions');
    await decisions.waitFor();
    expect(await decisions.innerText()).not.toContain('已批准：1');
    await clerk.getByRole('tab', { name: '利用统计' }).click();
    await clerk.getByTestId('stats-figure-byPurpose').getByText('干部考察').first().waitFor();
    await shot(clerk, 'use-13-stats-use');
  });

  it('the grant runs out and his access ends', async () => {
    const reader = api.get('reader')!;
    const { json } = await reader.call<{ grantedUntil: string }>('GET', `/api/access/requests/${requestId}`);
    const wait = new Date(json.grantedUntil).getTime() - Date.now() + 1_000;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const page = await as('reader', '/reading');
    await page.getByTestId('reading-grants').waitFor();
    await poll(() => page.getByTestId('reading-grants').locator('tbody tr.ant-table-row').count()).toBe(0);
    const direct = await fetchIn(page, `/api/reading/sessions`, { method: 'POST', body: { requestId, dossierId } });
    expect(direct.status).toBe(403);
    expect(direct.text).toContain('NO_GRANT');
    await page.goto(`${sys.url}/reading/${requestId}/${dossierId}`);
    await page.getByText('无法开始查阅').or(page.getByText('查阅授权已结束')).waitFor();
    expect(await page.getByTestId('reader-page-image').count()).toBe(0);
    await shot(page, 'use-14-expired');
    // The chore marks it expired and says so in the audit log.
    await poll(async () => (await reader.call<{ state: string }>('GET', `/api/access/requests/${requestId}`)).json.state, 90_000).toBe('expired');
    expect((await audited('access.grant.expire')).map((e) => e.username)).toEqual(['system']);
    const mine = await as('reader', '/use/requests');
    await poll(() => mine.getByTestId('request-table').innerText()).toContain('已到期');
    // The security officer, who keeps the grants, sees it among the ended ones.
    const grants = await as('secadmin', '/use/grants');
    await grants.getByRole('tab', { name: '已结束' }).click();
    const ended = grants.getByTestId('grants-table').locator('tbody tr.ant-table-row', { hasText: requestNo });
    await ended.waitFor();
    expect(await ended.innerText()).toContain('已到期');
    await shot(grants, 'use-15-grants-ended');
  });

  it('the auditor sees the whole story in the audit log', async () => {
    const page = await as('auditor', '/audit');
    await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().waitFor();
    const text = await page.getByTestId('audit-table').innerText();
    for (const label of ['查阅授权到期', '确认安全预警']) expect(text).toContain(label);
    await shot(page, 'use-16-audit');
  });

  it('under an excerpt grant he downloads the résumé as a searchable PDF carrying its OCR text', async () => {
    // The résumé's pages have been read by OCR (the pipeline runs it after image processing).
    const clerk = api.get('clerk')!;
    for (const id of pageIds['1-1']!) await poll(async () => (await clerk.call('GET', `/api/pages/${id}/text`)).status, 180_000).toBe(200);
    const reader = api.get('reader')!;
    const now = Date.now();
    const created = await reader.call<{ id: string; requestNo: string }>('POST', '/api/access/requests', {
      dossierIds: [dossierId], purpose: '01', purposeNote: '摘录履历', mode: 'excerpt', scopeKind: 'classes', classCodes: ['1'],
      periodFrom: new Date(now).toISOString(), periodTo: new Date(now + 86_400_000).toISOString(), printLimit: 1,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const approved = await api.get('leader')!.call('POST', `/api/access/requests/${created.json.id}/approve`, { comment: '同意摘录' });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);

    const page = await as('reader', '/reading');
    const row = page.getByTestId('reading-grants').locator('tbody tr.ant-table-row', { hasText: created.json.requestNo });
    await row.getByRole('button', { name: '开始查阅' }).click();
    const button = page.getByTestId('print-button');
    await button.waitFor();
    expect(await button.innerText()).toContain('打印/导出');
    await button.click();
    const dialog = page.getByRole('dialog', { name: '打印或导出查阅材料' });
    await dialog.getByTestId('print-materials').getByText('干部履历表').click();
    await poll(() => dialog.getByTestId('export-confirm').isEnabled()).toBe(true);
    await shot(page, 'use-17-export');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-confirm').click()]);
    const dir = mkdtempSync(join(tmpdir(), 'dangan-use-'));
    const pdf = join(dir, 'export.pdf');
    await download.saveAs(pdf);
    expect(download.suggestedFilename()).toMatch(/DY\d{4}-\d{6}\.pdf$/);
    // The words come from the invisible text layer: the page image itself holds no text.
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('山东济南');
    expect(text).toContain(created.json.requestNo);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(dir, 'export')]);
    writeFileSync(join(SHOTS, 'use-18-exported-page.png'), await sharp(join(dir, 'export.png')).png().toBuffer());
    await poll(() => button.innerText()).toContain('剩余 0 次');
  });

  it('loaded nothing from outside and raised no page errors', () => {
    expect(problems).toEqual([]);
  });
});
