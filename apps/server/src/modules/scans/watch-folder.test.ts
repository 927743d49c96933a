import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre, DossierPages } from '@dangan/contracts';
import { Agent, BOOT_PASSWORD, createTestApp, json, roleId, rootUnitId, type TestApp } from '../../../test/harness.js';
import { scanPage } from '../../../test/scan-images.js';
import { FolderWatcher } from './watch-folder.js';

let t: TestApp;
let scanner: Agent;
let clerk: Agent;
let unit: string;
let root: string;
let watcher: FolderWatcher;
let dossierId: string;
let materialId: string;
const warnings: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  unit = await rootUnitId(sec);
  for (const [username, role] of [['clerk', 'archivist'], ['scanop', 'scanner']] as const) {
    const res = await sec.post('/api/users', {
      body: { username, displayName: username, unitId: unit, password: 'Watch-Passw0rd1', roleIds: [await roleId(sec, role)], scope: { kind: 'unit_and_below', unitIds: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  clerk = new Agent(t);
  await clerk.signIn('clerk', 'Watch-Passw0rd1');
  scanner = new Agent(t);
  await scanner.signIn('scanop', 'Watch-Passw0rd1');
  const cadre = json<Cadre>(await clerk.post('/api/cadres', { body: { name: '张华', managingUnitId: unit, dossier: { dossierNo: 'S0001', custodianUnitId: unit } } }));
  dossierId = cadre.dossier!.id;
  const res = await clerk.post(`/api/dossiers/${dossierId}/materials`, { body: { classCode: '4-1', name: '学历证明', formedOn: '1991-07', pages: 3 } });
  expect(res.statusCode, res.body).toBe(200);
  const catalogue = json<{ classes: { code: string; materials: { id: string }[] }[] }>(await clerk.get(`/api/dossiers/${dossierId}/catalogue`));
  materialId = catalogue.classes.find((c) => c.code === '4-1')!.materials[0]!.id;

  root = join(t.database.dataDir, 'inbox');
  watcher = new FolderWatcher({ root, scans: t.core.scans, db: t.core.handle.db, clock: t.clock, log: (m) => warnings.push(m) });
}, 120_000);

afterAll(async () => {
  await watcher?.stop();
  await t?.close();
});

function put(rel: string, bytes: Buffer): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** Every file under a directory, as paths relative to it. */
function tree(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  ).sort();
}

/** The batch date as the watcher names it: the local date of the test clock (2026-03-02T01:00Z). */
const DAY = (() => {
  const d = new Date('2026-03-02T01:00:00.000Z');
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
})();

describe('watched folder (热文件夹)', () => {
  it('ingests stable files per station, links them by their path, and files them under .done or .failed with the reason', async () => {
    const p1 = await scanPage({ lines: ['学历证明', '第一页'] });
    const p2 = await scanPage({ lines: ['学历证明', '第二页'], skewDeg: 2 });
    put('station1/S0001/04-1/001/001.jpg', p1);
    // Still being written: first half now, the rest after the next poll.
    const growing = put('station1/S0001/04-1/001/002.jpg', p2.subarray(0, 1000));
    put('station1/S0001/04-1/001/003.jpg', p1.subarray(0, Math.floor(p1.length / 2))); // cut short: corrupt
    put('station1/S9999/04-1/001/001.jpg', await scanPage({ lines: ['无此档案'] }));
    put('station1/.hidden/x.jpg', p1);
    put('station1/~$lock.jpg', p1);
    put('station1/scan.jpg.part', p1);
    symlinkSync('/etc/passwd', join(root, 'station1', 'S0001', 'link.jpg'));
    symlinkSync('/etc', join(root, 'station1', 'etc'));

    const first = await watcher.poll();
    expect(first.outcomes).toEqual([]);
    expect(first.waiting).toBe(4);

    appendFileSync(growing, p2.subarray(1000));
    const second = await watcher.poll();
    expect(second.outcomes.map((o) => [o.name, o.result, o.code])).toEqual([
      ['S0001/04-1/001/001.jpg', 'done', null],
      ['S0001/04-1/001/003.jpg', 'failed', 'IMAGE_CORRUPT'],
      ['S9999/04-1/001/001.jpg', 'failed', 'DOSSIER_NOT_FOUND'],
    ]);
    expect(second.waiting).toBe(1);
    expect(Object.keys(second.batches)).toEqual(['station1']);

    const third = await watcher.poll();
    expect(third.outcomes.map((o) => [o.name, o.result])).toEqual([['S0001/04-1/001/002.jpg', 'done']]);
    expect(third.batches.station1).not.toBe(second.batches.station1); // one batch per station per round

    const station = join(root, 'station1');
    expect(tree(join(station, '.done'))).toEqual([`${DAY}/S0001/04-1/001/001.jpg`, `${DAY}/S0001/04-1/001/002.jpg`]);
    expect(tree(join(station, '.failed'))).toEqual([
      'S0001/04-1/001/003.jpg', 'S0001/04-1/001/003.jpg.error.txt', 'S9999/04-1/001/001.jpg', 'S9999/04-1/001/001.jpg.error.txt',
    ]);
    expect(readFileSync(join(station, '.failed/S9999/04-1/001/001.jpg.error.txt'), 'utf8')).toContain('文件名中的档案号“S9999”不存在');
    expect(readFileSync(join(station, '.failed/S0001/04-1/001/003.jpg.error.txt'), 'utf8')).toMatch(/损坏|不完整/);
    // Hidden, partial and linked files stay where they are, untouched.
    expect(tree(station).filter((p) => !p.startsWith('.done/') && !p.startsWith('.failed/'))).toEqual(['.hidden/x.jpg', 'S0001/link.jpg', 'etc', 'scan.jpg.part', '~$lock.jpg']);
    expect(warnings).toEqual([]);

    const batch = await t.core.handle.db.selectFrom('scan_batches').selectAll().where('id', '=', second.batches.station1!).executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ source: 'folder', station: 'station1', dossier_id: null, created_by: 'station:station1' });

    await t.core.runner.runUntilIdle();
    const b = json<DossierPages>(await scanner.get(`/api/dossiers/${dossierId}/pages`));
    const material = b.materials.find((m) => m.id === materialId)!;
    const pages = material.pageIds.map((id) => b.pages.find((p) => p.id === id)!);
    expect(pages.map((p) => [p.pageNo, p.fileName, p.status])).toEqual([
      [1, 'S0001/04-1/001/001.jpg', 'processed'],
      [2, 'S0001/04-1/001/002.jpg', 'processed'],
    ]);
  });

  it('ingests nothing new on later rounds', async () => {
    const before = await t.core.handle.db.selectFrom('scan_files').select('id').execute();
    for (let i = 0; i < 3; i++) {
      const r = await watcher.poll();
      expect(r.outcomes).toEqual([]);
      expect(r.batches).toEqual({});
    }
    expect(await t.core.handle.db.selectFrom('scan_files').select('id').execute()).toHaveLength(before.length);
  });

  it('after a crash between ingest and move, files the file seen again as done; a copy named for another dossier fails', async () => {
    const original = await scanPage({ lines: ['学历证明', '第一页'] });
    // The process died after ingesting 001.jpg but before moving it: the file is back in the inbox.
    put('station2/S0001/04-1/001/001.jpg', original);
    // The same bytes named for another dossier: not a leftover, a mistake.
    const other = await clerk.post('/api/cadres', { body: { name: '赵强', managingUnitId: unit, dossier: { dossierNo: 'S0002', custodianUnitId: unit } } });
    expect(other.statusCode, other.body).toBe(200);
    put('station2/S0002/04-1/001/001.jpg', original);
    await watcher.poll();
    const r = await watcher.poll();
    expect(r.outcomes.map((o) => [o.name, o.result, o.code])).toEqual([
      ['S0001/04-1/001/001.jpg', 'done', 'FILE_DUPLICATE'],
      ['S0002/04-1/001/001.jpg', 'failed', 'FILE_DUPLICATE'],
    ]);
    const station = join(root, 'station2');
    expect(tree(join(station, '.done'))).toEqual([`${DAY}/S0001/04-1/001/001.jpg`]);
    expect(readFileSync(join(station, '.failed/S0002/04-1/001/001.jpg.error.txt'), 'utf8')).toMatch(/内容相同.*S0001.*另一份档案/);
    const rows = await t.core.handle.db.selectFrom('scan_files').select('status').where('batch_id', '=', r.batches.station2!).execute();
    expect(rows.map((x) => x.status)).toEqual(['duplicate', 'duplicate']);
  });

  it('runs on its own once started, and stops', async () => {
    const page = await scanPage({ lines: ['学历证明', '第三页'] });
    const fast = new FolderWatcher({ root, scans: t.core.scans, db: t.core.handle.db, clock: t.clock, intervalMs: 20, log: (m) => warnings.push(m) });
    put('station3/S0001/04-1/001/003.jpg', page);
    await fast.start();
    const done = join(root, 'station3', '.done', DAY, 'S0001/04-1/001/003.jpg');
    for (let i = 0; i < 500 && !existsSync(done); i++) await new Promise((r) => setTimeout(r, 20));
    await fast.stop();
    expect(existsSync(done)).toBe(true);
    expect(warnings).toEqual([]);
  });
});
