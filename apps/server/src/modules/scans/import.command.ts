import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { ScanFile } from '@dangan/contracts';
import { AppError } from '../../platform/errors.js';
import type { AuditContext } from '../audit/audit.log.js';
import type { ScansService } from './scans.service.js';
import type { JobRunner } from '../../platform/queue/runner.js';
import type { Db } from '../../platform/db/connect.js';

export interface ImportSummary {
  batchId: string;
  files: { stored: number; duplicate: number; rejected: number };
  pages: { total: number; processed: number; failed: number };
  problems: Array<{ name: string; code: string; message: string }>;
  /** Until every file was checked, stored and registered (processing runs alongside). */
  receivedMs: number;
  ms: number;
}

/** Every regular file under `root` (hidden files and folders skipped), in name order; symlinks are not followed. */
export async function listScanFiles(root: string): Promise<string[]> {
  const info = await stat(root).catch(() => null);
  if (!info) throw new AppError(422, 'PATH_NOT_FOUND', `找不到文件或文件夹：${root}`);
  if (info.isFile()) return [root];
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  await walk(root);
  return out;
}

/**
 * `dangan import <folder|file> [--dossier <档案号>]`: every file in, pages linked by the naming templates
 * (or to the given dossier, unlinked where the names say nothing), then processed here with a progress
 * bar. Interrupted, it is simply run again: stored files are recognised, unfinished pages resume.
 */
export async function importScans(
  deps: { db: Db; scans: ScansService; runner: JobRunner },
  input: { path: string; dossierNo?: string; actor: AuditContext; progress: boolean },
): Promise<ImportSummary> {
  const started = Date.now();
  const files = await listScanFiles(input.path);
  let dossierId: string | null = null;
  if (input.dossierNo) {
    const d = await deps.db.selectFrom('dossiers').select('id').where('dossier_no', '=', input.dossierNo).executeTakeFirst();
    if (!d) throw new AppError(422, 'DOSSIER_NOT_FOUND', `档案号「${input.dossierNo}」不存在`);
    dossierId = d.id;
  }
  const batchId = await deps.scans.openSystemBatch({ dossierId, source: 'console', station: null, actor: input.actor });
  const summary: ImportSummary = {
    batchId, files: { stored: 0, duplicate: 0, rejected: 0 }, pages: { total: 0, processed: 0, failed: 0 }, problems: [], receivedMs: 0, ms: 0,
  };
  const bar = (label: string) =>
    new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | {name}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);

  const rootDir = files.length === 1 && files[0] === input.path ? null : input.path;
  const receive = input.progress ? bar('接收文件') : null;
  receive?.start(files.length, 0, { name: '' });
  for (const path of files) {
    const name = rootDir ? relative(rootDir, path).split(sep).join('/') : basename(path);
    let file: ScanFile;
    try {
      file = await deps.scans.ingest({ batchId, dossierId, actor: input.actor }, name, await readFile(path));
    } catch (err) {
      receive?.stop();
      throw err;
    }
    summary.files[file.status]++;
    if (file.status !== 'stored') summary.problems.push({ name: file.name, code: file.errorCode ?? '', message: file.errorMessage ?? '' });
    receive?.increment(1, { name });
  }
  receive?.stop();
  summary.receivedMs = Date.now() - started;

  const process = input.progress ? bar('图像处理') : null;
  const counts = async () => {
    const rows = await deps.db
      .selectFrom('pages')
      .innerJoin('scan_files', 'scan_files.id', 'pages.file_id')
      .select(['pages.status'])
      .where('scan_files.batch_id', '=', batchId)
      .where('pages.deleted_at', 'is', null)
      .execute();
    return { total: rows.length, done: rows.filter((r) => r.status === 'processed' || r.status === 'failed').length, failed: rows.filter((r) => r.status === 'failed').length };
  };
  const first = await counts();
  process?.start(first.total, first.done, { name: '' });
  const timer = setInterval(() => void counts().then((c) => process?.update(c.done, { name: '' })), 500);
  try {
    await deps.runner.runUntilIdle({ waitForLeases: true });
  } finally {
    clearInterval(timer);
  }
  const last = await counts();
  process?.update(last.done);
  process?.stop();
  summary.pages = { total: last.total, processed: last.done - last.failed, failed: last.failed };
  summary.ms = Date.now() - started;
  return summary;
}

export function printImportSummary(s: ImportSummary): void {
  console.log(
    `导入完成（${(s.ms / 1000).toFixed(1)} 秒，其中接收 ${(s.receivedMs / 1000).toFixed(1)} 秒）：接收文件 ${s.files.stored} 个，重复 ${s.files.duplicate} 个，拒收 ${s.files.rejected} 个；` +
      `页面 ${s.pages.total} 页，已处理 ${s.pages.processed} 页，处理失败 ${s.pages.failed} 页。批次：${s.batchId}`,
  );
  for (const p of s.problems) console.log(`  ${p.name}：${p.message}（${p.code}）`);
}
