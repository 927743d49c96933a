import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { ScanFile } from '@dangan/contracts';
import type { Core } from '../../app.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/connect.js';
import { SYSTEM_CONTEXT, type AuditContext } from '../audit/audit.log.js';
import type { ScansService } from './scans.service.js';

/**
 * The watched folder (热文件夹): `<root>/<station>/…` per scan station. A file is taken once it has
 * kept the same size and modification time over two polls (a scanner or a copy over the network is
 * done writing), ingested with its path under the station folder as its name (so the naming templates
 * link it), then moved to `<station>/.done/<date>/…` or `<station>/.failed/…` with `<name>.error.txt`
 * beside it giving the reason in Chinese.
 *
 * Polling with readdir/stat, not inotify, so that it works on NAS mounts. Symbolic links are never
 * followed (skipped when listed, refused when opened). One batch per station per polling round that
 * found stable files. A crash between ingest and move leaves the file in place: the next run ingests it
 * again, is told it is a duplicate of the file stored the first time, and files it as done.
 */

export interface FolderWatcherOptions {
  root: string;
  scans: ScansService;
  db: Db;
  clock: Clock;
  /** Between polls when started (default 1000 ms). */
  intervalMs?: number;
  /** Problems that are not a file's fault (a move refused, the database away); default console.warn. */
  log?: (message: string) => void;
}

export interface FileOutcome {
  station: string;
  /** Path under the station folder, as ingested. */
  name: string;
  result: 'done' | 'failed';
  code: string | null;
  message: string | null;
  /** Where the file was moved. */
  movedTo: string;
}

export interface PollReport {
  /** Files seen but not yet stable (new, or still growing). */
  waiting: number;
  outcomes: FileOutcome[];
  /** Batches opened this round, by station. */
  batches: Record<string, string>;
}

const SKIP_NAMES = new Set(['thumbs.db', 'desktop.ini']);
const PARTIAL_EXT = new Set(['.tmp', '.part', '.partial', '.crdownload', '.filepart']);
const MAX_DEPTH = 12;

interface Seen {
  size: number;
  mtimeMs: number;
}

function skipped(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || SKIP_NAMES.has(name.toLowerCase()) || PARTIAL_EXT.has(extname(name).toLowerCase());
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** `a/b.jpg`, or `a/b (2).jpg`… when taken. */
async function freePath(path: string): Promise<string> {
  if (!(await exists(path)) && !(await exists(`${path}.error.txt`))) return path;
  const ext = extname(path);
  const base = path.slice(0, path.length - ext.length);
  for (let i = 2; ; i++) {
    const candidate = `${base} (${i})${ext}`;
    if (!(await exists(candidate)) && !(await exists(`${candidate}.error.txt`))) return candidate;
  }
}

export class FolderWatcher {
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PollReport> | undefined;
  private stopped = true;

  constructor(private readonly options: FolderWatcherOptions) {}

  get root(): string {
    return this.options.root;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    await mkdir(this.options.root, { recursive: true });
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) await this.running.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.poll()
        .catch((err: unknown) => this.log(`热文件夹轮询失败：${err instanceof Error ? err.message : String(err)}`))
        .finally(() => this.schedule(this.options.intervalMs ?? 1000));
    }, ms);
    this.timer.unref();
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => console.warn(m)))(message);
  }

  /** One polling round; rounds never overlap (a call during a round waits for it and returns its report). */
  poll(): Promise<PollReport> {
    if (this.running) return this.running;
    this.running = this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<PollReport> {
    const report: PollReport = { waiting: 0, outcomes: [], batches: {} };
    let stations: string[];
    try {
      stations = (await readdir(this.options.root, { withFileTypes: true }))
        .filter((d) => d.isDirectory() && !skipped(d.name))
        .map((d) => d.name)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return report;
      throw err;
    }
    const present = new Set<string>();
    for (const station of stations) {
      const stationDir = join(this.options.root, station);
      let files: Array<{ path: string; size: number; mtimeMs: number }>;
      try {
        files = await this.list(stationDir, 0);
      } catch (err) {
        // One unreadable station (permissions, a NAS hiccup) does not hold up the others.
        this.log(`热文件夹：无法读取“${station}”：${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      const stable: Array<{ path: string; size: number }> = [];
      for (const f of files) {
        present.add(f.path);
        const before = this.seen.get(f.path);
        this.seen.set(f.path, { size: f.size, mtimeMs: f.mtimeMs });
        if (before && before.size === f.size && before.mtimeMs === f.mtimeMs) stable.push(f);
        else report.waiting++;
      }
      if (stable.length === 0) continue;
      stable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const actor: AuditContext = { ...SYSTEM_CONTEXT, username: `station:${station}`.slice(0, 100), clientIp: null, roles: '' };
      let batchId: string | undefined;
      const date = localDate(this.options.clock.now());
      for (const f of stable) {
        const name = relative(stationDir, f.path).split(sep).join('/');
        try {
          if (!batchId) {
            batchId = await this.options.scans.openSystemBatch({ dossierId: null, source: 'folder', station, actor });
            report.batches[station] = batchId;
          }
          const outcome = await this.take(stationDir, station, name, f, batchId, actor, date);
          this.seen.delete(f.path);
          report.outcomes.push(outcome);
        } catch (err) {
          // Not the file's fault (database or disk trouble): leave it for the next round.
          this.log(`热文件夹：处理“${station}/${name}”时出错，稍后重试：${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    for (const path of this.seen.keys()) if (!present.has(path)) this.seen.delete(path);
    return report;
  }

  /** Regular files under a station folder, without hidden or partial files, .done/.failed or links. */
  private async list(dir: string, depth: number): Promise<Array<{ path: string; size: number; mtimeMs: number }>> {
    if (depth > MAX_DEPTH) return [];
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Array<{ path: string; size: number; mtimeMs: number }> = [];
    for (const e of entries) {
      if (skipped(e.name) || e.isSymbolicLink()) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await this.list(path, depth + 1)));
      else if (e.isFile()) {
        try {
          const s = await stat(path);
          if (s.isFile()) out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
        } catch {
          // Gone between readdir and stat: taken away by someone else.
        }
      }
    }
    return out;
  }

  private async take(
    stationDir: string,
    station: string,
    name: string,
    f: { path: string; size: number },
    batchId: string,
    actor: AuditContext,
    date: string,
  ): Promise<FileOutcome> {
    const limits = await this.options.scans.limits();
    if (f.size > limits.maxBytes) {
      const message = `文件大小 ${(f.size / 1024 / 1024).toFixed(1)} MB，超过上限 ${(limits.maxBytes / 1024 / 1024).toFixed(1)} MB`;
      return this.fail(stationDir, station, name, f.path, 'IMAGE_TOO_LARGE', message);
    }
    const bytes = await readNoFollow(f.path);
    if (!bytes) return this.fail(stationDir, station, name, f.path, 'FILE_NOT_REGULAR', '不是普通文件（如符号链接），未接收');
    const result = await this.options.scans.ingest({ batchId, dossierId: null, actor }, name, bytes);
    if (result.status === 'duplicate' && !(await this.sameDossier(result))) {
      return this.fail(stationDir, station, name, f.path, result.errorCode ?? 'FILE_DUPLICATE', `${result.errorMessage ?? '重复文件'}；但文件名指向另一份档案，请核对`);
    }
    if (result.status === 'rejected') return this.fail(stationDir, station, name, f.path, result.errorCode, result.errorMessage);
    // Stored, or a duplicate of a file already stored for the same dossier (e.g. after a crash before the move).
    const target = await freePath(join(stationDir, '.done', date, ...name.split('/')));
    await mkdir(dirname(target), { recursive: true });
    await rename(f.path, target);
    return { station, name, result: 'done', code: result.status === 'duplicate' ? result.errorCode : null, message: result.status === 'duplicate' ? result.errorMessage : null, movedTo: target };
  }

  /** A duplicate counts as done when its original went to the same dossier as this file. */
  private async sameDossier(file: ScanFile): Promise<boolean> {
    if (!file.duplicateOf) return false;
    const rows = await this.options.db.selectFrom('scan_files').select(['id', 'dossier_id']).where('id', 'in', [file.id, file.duplicateOf.fileId]).execute();
    const mine = rows.find((r) => r.id === file.id)?.dossier_id;
    const original = rows.find((r) => r.id === file.duplicateOf!.fileId)?.dossier_id;
    return !!mine && mine === original;
  }

  private async fail(stationDir: string, station: string, name: string, path: string, code: string | null, message: string | null): Promise<FileOutcome> {
    const target = await freePath(join(stationDir, '.failed', ...name.split('/')));
    await mkdir(dirname(target), { recursive: true });
    await rename(path, target);
    const reason = message ?? '未接收';
    await writeFile(`${target}.error.txt`, `${reason}\n错误代码：${code ?? '未知'}\n文件：${station}/${name}\n时间：${this.options.clock.now().toISOString()}\n`, 'utf8');
    return { station, name, result: 'failed', code, message: reason, movedTo: target };
  }
}

/** The file's bytes, refusing a symbolic link swapped in after listing; null when not a regular file. */
async function readNoFollow(path: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') return null;
    throw err;
  }
  try {
    if (!(await handle.stat()).isFile()) return null;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export interface StartFolderWatcherOptions {
  /** The data directory; the default root is `<dataDir>/inbox`. */
  dataDir: string;
  /** Overrides `DANGAN_INBOX_DIR` and the default. */
  root?: string;
  intervalMs?: number;
  log?: (message: string) => void;
}

/** Builds and starts the watcher over the core (for `serve` in PROCESS_MODE all or worker); stop it before closing the core. */
export async function startFolderWatcher(core: Pick<Core, 'scans' | 'handle' | 'clock'>, options: StartFolderWatcherOptions): Promise<FolderWatcher> {
  const root = options.root ?? (process.env.DANGAN_INBOX_DIR || join(options.dataDir, 'inbox'));
  const watcher = new FolderWatcher({ root, scans: core.scans, db: core.handle.db, clock: core.clock, intervalMs: options.intervalMs, log: options.log });
  await watcher.start();
  return watcher;
}
