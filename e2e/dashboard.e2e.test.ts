import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, launchBrowser, shot, startSystem, type RunningSystem } from './support.js';

const PASSWORD = 'Initial-Passw0rd-1';
const NEXT = 'Dashboard-Passw0rd-2';
const DAY = 86_400_000;

/** SQL text literal. */
const q = (v: string | number | null) => (v === null ? 'null' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
const values = (rows: (string | number | null)[][]) => rows.map((r) => `(${r.map(q).join(', ')})`).join(',\n');

/**
 * The dashboard journey in real Chromium against the built system: with no batch every section says
 * so and no chart is drawn; with a small project written into the project tables the charts are
 * canvases, the stage table shows the counts, a table downloads as a workbook with them, and the
 * manager's and the operator's task lists and bells show their tasks.
 */
describe('dashboard journey on sqlite', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};
  const problems: string[] = [];

  async function login(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const p = await context.newPage();
    p.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
    p.on('request', (r) => {
      if (!r.url().startsWith(sys.url) && !/^(data|blob):/.test(r.url())) problems.push(`[outside request] ${r.url()}`);
    });
    await p.goto(`${sys.url}/login`);
    await p.getByLabel('用户名').fill(username);
    await p.getByLabel('密码', { exact: true }).fill(NEXT);
    await p.getByRole('button', { name: '登录' }).click();
    await p.getByTestId('home-page').waitFor();
    return p;
  }

  /** Two batches of five dossiers, as the project service leaves them a few days into the work. */
  async function seedProject(): Promise<void> {
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    const [p1, p2, blob, scan, file] = ['b-p1', 'b-p2', 'blob-1', 'scan-1', 'file-1'];
    const dossiers = ['D1', 'D2', 'D3', 'D4', 'D5'].map((k) => ids[k]!);
    const stages = ['arrange', 'scan', 'process', 'link', 'check', 'inspect', 'accept', 'return'];
    // How many stages each dossier has done, and whether the next one is under way (by op1).
    const progress: [string, string, number, boolean, number][] = [
      [p1, dossiers[0]!, 5, true, 8], [p1, dossiers[1]!, 2, true, 1], [p1, dossiers[2]!, 6, false, 0.5], [p2, dossiers[3]!, 1, true, 2], [p2, dossiers[4]!, 0, false, 3],
    ];
    const stageRows: (string | number | null)[][] = [];
    const events: (string | number | null)[][] = [];
    for (const [batch, dossier, done, active, daysAgo] of progress) {
      stages.forEach((stage, i) => {
        const status = i < done ? 'done' : i === done && active ? 'in_progress' : 'pending';
        const by = stage === 'check' || stage === 'inspect' ? null : ids.op1!;
        const started = status === 'pending' ? null : at(daysAgo + done - i + 1);
        const finished = status === 'done' ? at(daysAgo + done - i) : null;
        stageRows.push([batch, dossier, stage, status, status === 'pending' ? null : by, started, finished ? by : null, finished]);
        if (started) events.push([`e-${dossier}-${stage}-s`, batch, dossier, stage, 'start', by, started]);
        if (finished) events.push([`e-${dossier}-${stage}-f`, batch, dossier, stage, 'finish', by, finished]);
      });
    }
    const pages = Array.from({ length: 36 }, (_, i) => [
      `page-${i}`, dossiers[i % 3]!, file, i + 1, blob, '{}', 'processed', 1, at(1 + (i % 5)), at(1 + (i % 5)),
    ]);
    await sys.sql(`
      insert into project_batches (id, code, year, seq, name, notes, state, unit_id, created_by, created_at, updated_at, sampled_at) values
        ${values([
          [p1, 'PC-2026-001', 2026, 1, '第一批（干部一处）', '', 'in_progress', ids.root!, ids.mgr!, at(20), at(1), at(3)],
          [p2, 'PC-2026-002', 2026, 2, '第二批（干部二处）', '', 'in_progress', ids.root!, ids.mgr!, at(10), at(1), null],
        ])};
      insert into project_handovers (id, batch_id, direction, giver_id, receiver_id, created_by, created_at, giver_confirmed_at, receiver_confirmed_at, completed_at, note) values
        ${values([
          ['h-1', p1, 'out', ids.mgr!, ids.op1!, ids.mgr!, at(19), at(19), at(19), at(19), ''],
          ['h-2', p2, 'out', ids.mgr!, ids.op1!, ids.mgr!, at(4), at(4), at(4), at(4), ''],
        ])};
      insert into project_batch_dossiers (batch_id, dossier_id, open_dossier_id, added_by, added_at, sample_reason) values
        ${values(progress.map(([b, d], i) => [b, d, d, ids.mgr!, at(20), i < 3 && b === p1 ? 'random' : null]))};
      insert into project_stages (batch_id, dossier_id, stage, status, started_by, started_at, finished_by, finished_at) values
        ${values(stageRows)};
      insert into project_stage_events (id, batch_id, dossier_id, stage, event, user_id, at) values ${values(events)};
      insert into blobs (id, algorithm, hash, size, kind, format, created_at) values ${values([[blob, 'sha256', 'e2e', 1, 'original', 'jpeg', at(6)]])};
      insert into scan_batches (id, dossier_id, source, station, created_by, created_by_id, created_at) values ${values([[scan, dossiers[0]!, 'upload', null, 'op1', ids.op1!, at(6)]])};
      insert into scan_files (id, batch_id, dossier_id, name, size, blob_id, format, page_count, status, created_at) values
        ${values([[file, scan, dossiers[0]!, 'scan.pdf', 1, blob, 'pdf', 36, 'stored', at(6)]])};
      insert into pages (id, dossier_id, file_id, source_page, original_blob_id, ops, status, version, created_at, updated_at) values ${values(pages)};
      insert into project_inspections (id, batch_id, dossier_id, round, inspector_id, opened_at, verdict, verdict_at) values
        ${values([
          ['i-1', p1, dossiers[0]!, 1, ids.qc1!, at(9), 'fail', at(8.5)],
          ['i-2', p1, dossiers[2]!, 1, ids.qc1!, at(1), 'pass', at(0.5)],
        ])};
      insert into project_defects (id, inspection_id, batch_id, dossier_id, type, note, created_by, created_at) values
        ${values([
          ['x-1', 'i-1', p1, dossiers[0]!, 'skew', '', ids.qc1!, at(8.5)], ['x-2', 'i-1', p1, dossiers[0]!, 'blur', '', ids.qc1!, at(8.5)],
          ['x-3', 'i-1', p1, dossiers[0]!, 'missing_scan', '', ids.qc1!, at(8.5)], ['x-4', 'i-2', p1, dossiers[2]!, 'stain', '', ids.qc1!, at(0.5)],
        ])};
      insert into project_rework (id, batch_id, dossier_id, inspection_id, assignee_id, state, created_by, created_at) values
        ${values([['r-1', p1, dossiers[0]!, 'i-1', ids.op1!, 'open', ids.qc1!, at(8.5)]])};
    `);
  }

  beforeAll(async () => {
    sys = await startSystem('sqlite');
    const sec = new ApiSession(sys.url);
    await sec.firstLogin('secadmin', sys.initialPassword('secadmin'), 'Sicher-Neu-9a!');
    const units = await sec.call<{ id: string; code: string }[]>('GET', '/api/units');
    ids.root = units.json.find((u) => u.code === 'ROOT')!.id;
    const roles = await sec.call<{ id: string; code: string }[]>('GET', '/api/roles');
    const roleId = (code: string) => roles.json.find((r) => r.code === code)!.id;
    for (const [username, displayName, role] of [['mgr', '周管理', 'archivist'], ['op1', '吴扫描', 'scanner'], ['qc1', '郑质检', 'inspector']] as const) {
      const res = await sec.call<{ id: string }>('POST', '/api/users', { username, displayName, unitId: ids.root, password: PASSWORD, roleIds: [roleId(role)] });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      ids[username] = res.json.id;
      await new ApiSession(sys.url).firstLogin(username, PASSWORD, NEXT);
    }
    const mgr = new ApiSession(sys.url);
    await mgr.call('POST', '/api/auth/login', { username: 'mgr', password: NEXT });
    for (const [key, name] of [['D1', '王一'], ['D2', '王二'], ['D3', '王三'], ['D4', '王四'], ['D5', '王五']]) {
      const res = await mgr.call<{ dossier: { id: string } }>('POST', '/api/cadres', {
        name, managingUnitId: ids.root, dossier: { dossierNo: `JS2026${key}`, custodianUnitId: ids.root },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      ids[key!] = res.json.dossier.id;
    }
    browser = await launchBrowser();
    page = await login('mgr');
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('says so in every section when there is no batch yet, and draws no chart', async () => {
    await page.getByTestId('main-menu').getByText('加工进度看板').click();
    await page.getByTestId('dashboard').waitFor();
    for (const text of ['尚无加工中的档案', '尚无加工批次', '此期间没有扫描或加工记录', '此期间没有作出结论的质检', '没有滞留的档案']) {
      await expect(page.getByText(text).count()).resolves.toBe(1);
    }
    expect(await page.locator('canvas').count()).toBe(0);
    await shot(page, 'dashboard-empty');
  });

  it('draws the project: stage, batch, operator and defect charts, the stage table and the stuck dossiers', async () => {
    await seedProject();
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByTestId('stages-table').waitFor();
    await page.locator('[data-testid="chart"] canvas').first().waitFor();
    // Stages, batches, operators, defect trend, defect types.
    expect(await page.locator('[data-testid="chart"] canvas').count()).toBe(5);
    const arrange = page.getByTestId('stages-table').locator('tr', { hasText: '整理' });
    await expect(arrange.locator('td').allTextContents()).resolves.toEqual(['整理', '4', '0', '1', '1']);
    await expect(page.getByTestId('batches-table').locator('tr.ant-table-row').count()).resolves.toBe(2);
    await expect(page.getByTestId('stuck-table').getByText('JS2026D1').count()).resolves.toBe(1);
    await page.waitForTimeout(400); // the charts' entry animation
    await shot(page, 'dashboard');
  });

  it('downloads a table as a workbook with the figures on screen', async () => {
    const exportButton = page.getByTestId('export-xlsx').first();
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^加工统计-各环节进度-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    expect(wb.worksheets[0]!.getRow(2).values).toEqual([undefined, '整理', 4, 0, 1, 1]);
  });

  it('gives the manager and the operator their tasks, counted on the bell', async () => {
    await page.getByTestId('task-bell').click();
    await page.getByTestId('tasks').waitFor();
    await expect(page.getByTestId('task').count()).resolves.toBe(2);
    await expect(page.getByTestId('tasks').getByText('滞留：PC-2026-001（第一批（干部一处））').count()).resolves.toBe(1);
    await expect(page.getByTestId('tasks').getByText('整改逾期：PC-2026-001·JS2026D1（王一）').count()).resolves.toBe(1);
    await expect(page.getByTestId('task-bell').locator('.ant-badge-count').textContent()).resolves.toBe('2');
    await shot(page, 'tasks');

    const operator = await login('op1');
    await expect(operator.getByTestId('task-bell').locator('.ant-badge-count').textContent()).resolves.toBe('1');
    await operator.getByTestId('task-bell').click();
    await operator.getByTestId('task').first().waitFor();
    await expect(operator.getByTestId('task').locator('a').first().getAttribute('href')).resolves.toBe('/rework/r-1');
    expect(problems).toEqual([]);
  });
});
