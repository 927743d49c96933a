import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BlobDriver } from './driver.js';
import { validateKey, validatePrefix } from './driver.js';
import { StorageError, unavailable } from './errors.js';

export interface DiskDriverOptions {
  /** fsync files and directories (default true). Off only for throwaway stores. */
  fsync?: boolean;
  /** Temporary files older than this are removed when the driver first starts (default one hour). */
  staleTempMs?: number;
  /** Test seam: called after the temporary file is written and synced, before it is renamed into place. */
  beforeRename?: (tempPath: string, finalPath: string) => void | Promise<void>;
}

const TEMP_DIR = '.tmp';

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Objects as files under `root` (also fit for a NAS mount): key `sm3/ab/cd/<hex>` is the file `root/sm3/ab/cd/<hex>`.
 * Directories are created 0700 and files 0600. A put writes `root/.tmp/<random>.tmp` (same file system), fsyncs it,
 * renames it over the final name and fsyncs the directory, so a crash leaves either the old state or the whole
 * object; leftover temporary files are never listed and are swept when the driver starts.
 */
export class DiskBlobDriver implements BlobDriver {
  readonly kind = 'disk';
  readonly root: string;
  private readonly fsync: boolean;
  private readonly staleTempMs: number;
  private readonly beforeRename: DiskDriverOptions['beforeRename'];
  private ready: Promise<void> | undefined;

  constructor(root: string, options: DiskDriverOptions = {}) {
    this.root = resolve(root);
    this.fsync = options.fsync ?? true;
    this.staleTempMs = options.staleTempMs ?? 60 * 60 * 1000;
    this.beforeRename = options.beforeRename;
  }

  /** The file for a key; throws BLOB_BAD_KEY for anything that could leave the root. */
  pathFor(key: string): string {
    validateKey(key);
    const path = join(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new StorageError('BLOB_BAD_KEY', undefined);
    return path;
  }

  private start(): Promise<void> {
    this.ready ??= (async () => {
      await this.makeDirs(join(this.root, TEMP_DIR));
      await this.sweepTemp(this.staleTempMs);
    })().catch((e: unknown) => {
      this.ready = undefined;
      throw unavailable(undefined, e);
    });
    return this.ready;
  }

  /** Removes temporary files (left by a crash) older than `maxAgeMs`; returns how many. */
  async sweepTemp(maxAgeMs: number): Promise<number> {
    const dir = join(this.root, TEMP_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if (errno(e) === 'ENOENT') return 0;
      throw unavailable(undefined, e);
    }
    let removed = 0;
    const cutoff = Date.now() - maxAgeMs;
    for (const name of names) {
      const path = join(dir, name);
      try {
        const s = await stat(path);
        if (s.isFile() && s.mtimeMs <= cutoff) {
          await unlink(path);
          removed++;
        }
      } catch (e) {
        if (errno(e) !== 'ENOENT') throw unavailable(undefined, e);
      }
    }
    return removed;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathFor(key);
    await this.start();
    const temp = join(this.root, TEMP_DIR, `${randomBytes(12).toString('hex')}.tmp`);
    try {
      await this.makeDirs(dirname(path));
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        if (this.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await this.beforeRename?.(temp, path);
      await rename(temp, path);
      await this.syncDir(dirname(path));
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw unavailable(key, e);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const path = this.pathFor(key);
    try {
      return await readFile(path);
    } catch (e) {
      // A key that names a directory (a prefix of other keys) is no object, as on S3.
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR' || errno(e) === 'EISDIR') return null;
      throw unavailable(key, e);
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const path = this.pathFor(key);
    try {
      const s = await stat(path);
      return s.isFile() ? { size: s.size } : null;
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return null;
      throw unavailable(key, e);
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<boolean> {
    const path = this.pathFor(key);
    try {
      await unlink(path);
    } catch (e) {
      if (errno(e) === 'ENOENT') return false;
      throw unavailable(key, e);
    }
    await this.syncDir(dirname(path)).catch((e: unknown) => {
      throw unavailable(key, e);
    });
    return true;
  }

  async *list(prefix = ''): AsyncIterable<string> {
    validatePrefix(prefix);
    // Walk from the deepest directory the prefix names completely, then filter by the rest of it.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? this.root : join(this.root, ...prefix.slice(0, cut).split('/'));
    yield* this.walk(base, prefix);
  }

  private async *walk(dir: string, prefix: string): AsyncIterable<string> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return;
      throw unavailable(undefined, e);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // .tmp and anything not ours
      const path = join(dir, entry.name);
      const key = relative(this.root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        // Descend only where keys with the prefix can be.
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(path, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        yield key;
      }
    }
  }

  async check(): Promise<void> {
    await this.start();
    const probe = join(this.root, TEMP_DIR, `check-${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(probe, 'wx', 0o600);
      await handle.close();
      await unlink(probe);
    } catch (e) {
      throw unavailable(undefined, e);
    }
  }

  async close(): Promise<void> {}

  /** mkdir -p with 0700, and makes each new directory entry durable. */
  private async makeDirs(dir: string): Promise<void> {
    const first = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (!first || !this.fsync) return;
    // Sync the parent of every directory just created, from the outermost new one down.
    let d = dir;
    const parents: string[] = [];
    while (d.length >= first.length) {
      parents.push(dirname(d));
      if (d === first) break;
      d = dirname(d);
    }
    for (const p of parents.reverse()) await this.syncDir(p);
  }

  private async syncDir(dir: string): Promise<void> {
    if (!this.fsync) return;
    let handle;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch (e) {
      // Some file systems (and Windows) cannot fsync a directory; the rename itself is still atomic there.
      if (!['EISDIR', 'EINVAL', 'EPERM', 'ENOTSUP', 'EBADF'].includes(errno(e) ?? '')) throw e;
    } finally {
      await handle?.close();
    }
  }
}
