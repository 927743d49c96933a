import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre } from '@dangan/contracts';
import { openDatabase, type DbHandle } from '../src/platform/db/connect.js';
import { Agent, BOOT_PASSWORD, MASTER_KEY, createTestApp, json, roleId, rootUnitId, type TestApp } from './harness.js';
import { scanPage } from './scan-images.js';

/**
 * kill -9 in the middle of a batch: the console import is killed while it processes pages, then the
 * queue is run again. Every page ends processed once; none is lost, duplicated or done twice, except
 * the ones that were in flight at the kill.
 */
const BIN = resolve(import.meta.dirname, '../bin/dangan.mjs');
const PAGES = 14;

let t: TestApp;
let inbox: string;
let dossierNo: string;

beforeAll(async () => {
  t = await createTestApp();
  const sec = new Agent(t);
  await sec.signIn('secadmin', BOOT_PASSWORD);
  const root = await rootUnitId(sec);
  await sec.post('/api/users', {
    body: { username: 'clerk', displayName: '档案员', unitId: root, password: 'Filing-Passw0rd', roleIds: [await roleId(sec, 'archivist')], scope: { kind: 'unit_and_below', unitIds: [] } },
  });
  const clerk = new Agent(t);
  await clerk.signIn('clerk', 'Filing-Passw0rd');
  const cadre = json<Cadre>(await clerk.post('/api/cadres', { body: { name: '李强', managingUnitId: root, dossier: { dossierNo: 'K0001', custodianUnitId: root } } }));
  dossierNo = cadre.dossier!.dossierNo;
  const added = await clerk.post(`/api/dossiers/${cadre.dossier!.id}/materials`, { body: { classCode: '1', name: '干部履历表', formedOn: '1990', pages: PAGES } });
  expect(added.statusCode, added.body).toBe(200);
  inbox = mkdtempSync(join(tmpdir(), 'dangan-resume-'));
  for (let i = 1; i <= PAGES; i++) {
    const bytes = await scanPage({ lines: [`第${i}页`, '干部履历表', '中断续做测试'], skewDeg: (i % 5) - 2 });
    writeFileSync(join(inbox, `${dossierNo}_01-001_${String(i).padStart(3, '0')}.jpg`), bytes);
  }
  // The CLI opens the same database and data directory; the test's own app steps aside.
  await t.app.close();
  await t.core.close();
}, 120_000);

afterAll(async () => {
  if (inbox) rmSync(inbox, { recursive: true, force: true });
  await t.database.drop();
});

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env, DATABASE_URL: t.database.url, DANGAN_DATA_DIR: t.database.dataDir, DANGAN_MASTER_KEY: MASTER_KEY,
    DANGAN_IMAGING_THREADS: '1', DANGAN_JOB_LEASE_SECONDS: '3',
  };
}

async function processedCount(handle: DbHandle): Promise<number> {
  const rows = await handle.db.selectFrom('page_status').select('processed_version').execute();
  return rows.filter((r) => r.processed_version > 0).length;
}

describe('kill -9 mid-batch', () => {
  it('resumes with nothing lost, duplicated or repeated', async () => {
    const handle = openDatabase({ url: t.database.url });
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, [BIN, 'import', inbox, '--json'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
      // Wait until the import is part-way through processing, then kill it without warning.
      let seen = 0;
      for (let i = 0; i < 600 && seen < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await processedCount(handle);
        if (child.exitCode !== null) break;
      }
      expect(child.exitCode, stderr).toBeNull();
      child.kill('SIGKILL');
      await exited;

      const before = await handle.db.selectFrom('page_status').selectAll().execute();
      const doneBefore = before.filter((r) => r.processed_version > 0);
      expect(doneBefore.length).toBeGreaterThanOrEqual(3);
      expect(doneBefore.length).toBeLessThan(PAGES);

      // Resuming is running the same import again: files already stored are recognised by their hash
      // and not stored twice; the rest come in; unfinished pages are processed.
      const resumed = spawnSync(process.execPath, [BIN, 'import', inbox, '--json'], { env: env(), encoding: 'utf8', timeout: 240_000 });
      expect(resumed.status, resumed.stderr).toBe(0);
      const summary = JSON.parse(resumed.stdout.trim().split('\n').at(-1)!) as { files: { stored: number; duplicate: number; rejected: number } };
      expect(summary.files.stored + summary.files.duplicate).toBe(PAGES);
      expect(summary.files.rejected).toBe(0);

      const after = await handle.db.selectFrom('page_status').selectAll().execute();
      expect(after).toHaveLength(PAGES);
      expect(after.every((r) => r.processed_version === 1)).toBe(true);
      for (const earlier of doneBefore) {
        const now = after.find((r) => r.page_id === earlier.page_id)!;
        expect(now.processed_at).toBe(earlier.processed_at); // a finished step is never repeated
        expect(now.process_runs).toBe(1);
      }
      // Only pages in flight at the kill (at most the runner's concurrency) ran twice.
      const extra = after.reduce((s, r) => s + r.process_runs, 0) - PAGES;
      expect(extra).toBeGreaterThanOrEqual(0);
      expect(extra).toBeLessThanOrEqual(2);

      const pages = await handle.db.selectFrom('pages').select(['page_no', 'status', 'material_id']).where('deleted_at', 'is', null).execute();
      expect(pages).toHaveLength(PAGES);
      expect(new Set(pages.map((p) => p.page_no)).size).toBe(PAGES);
      expect(pages.every((p) => p.status === 'processed' && p.material_id)).toBe(true);
      const files = await handle.db.selectFrom('scan_files').select('status').execute();
      expect(files.filter((f) => f.status === 'stored')).toHaveLength(PAGES);
      const jobs = await handle.db.selectFrom('jobs').select('state').execute();
      expect(jobs.every((j) => j.state === 'done')).toBe(true);
    } finally {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await handle.close();
    }
  });
});
