import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SaneDevice, SaneScanResult, ScanFile } from '@dangan/contracts';
import { formatScanName, parseScanName, type LeafClassCode } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db } from '../../platform/db/connect.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import type { AuditContext } from '../audit/audit.log.js';
import type { SettingsService } from '../settings/settings.service.js';
import { scansRepository } from './scans.repository.js';
import { SCAN_FROZEN_STATES, type ScansService } from './scans.service.js';

/**
 * Scanners through SANE's command-line front end `scanimage` (Debian `sane-utils`): list the devices,
 * scan a batch of pages to TIFF files in a private temporary directory, and ingest them like any other
 * scan. `scanimage` runs with `execFile` (never a shell) and every argument is one `--name=value`
 * string, so a device name can neither start a shell nor pass itself off as another option.
 */

/** SANE device names: `backend[:details]`, e.g. `fujitsu:fi-7160:12345`, `escl:https://10.0.0.5:443`, `airscan:e0:Canon MF743C`. */
const DEVICE_NAME = /^[A-Za-z0-9][\p{L}\p{N} _.:/@,+=?&#%()[\]~-]{0,199}$/u;

export function checkDeviceName(name: string): string {
  const trimmed = name.trim();
  if (!DEVICE_NAME.test(trimmed) || trimmed.endsWith(' ')) {
    throw invalid('SANE_DEVICE_INVALID', `扫描仪设备名“${trimmed.slice(0, 60)}”不合规：须以字母或数字开头，只含字母、数字和 : / . _ - @ 等常见符号，不超过 200 个字符`, {
      device: '设备名不合规',
    });
  }
  return trimmed;
}

/** A cap on one feeder run without a page count, so a device that never reports “empty” cannot fill the disk. */
export const MAX_FEEDER_PAGES = 500;

const FIELD = '\u001f';
/** `scanimage -f` format: one device a line, fields split by the ASCII unit separator. */
export const LIST_FORMAT = `%d${FIELD}%v${FIELD}%m${FIELD}%t%n`;

/** Parses `scanimage -f LIST_FORMAT` output. */
export function parseFormattedList(stdout: string): SaneDevice[] {
  const out: SaneDevice[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.includes(FIELD)) continue;
    const [name = '', vendor = '', model = '', type = ''] = line.split(FIELD);
    if (name) out.push({ name, vendor, model, type });
  }
  return out;
}

/** Parses plain `scanimage -L` output: "device `test:0' is a Noname frontend-tester virtual device". */
export function parseDeviceList(stdout: string): SaneDevice[] {
  const out: SaneDevice[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^device [`'](.+?)' is a (.*)$/.exec(line.trim());
    if (!m) continue;
    const [vendor = '', model = '', ...rest] = m[2]!.split(' ');
    out.push({ name: m[1]!, vendor, model, type: rest.join(' ') });
  }
  return out;
}

export interface ScanRequest {
  device: string;
  resolution: number;
  mode: 'Color' | 'Gray' | 'Lineart';
  source: string;
  /** Pages to scan; undefined = until the feeder is empty. */
  pages?: number;
}

export interface ScanOutput {
  /** The page files in scan order, inside `dir`. */
  files: string[];
  dir: string;
  /** Set when scanimage stopped with an error after some pages. */
  warning: string | null;
}

export interface SaneOptions {
  /** The scanimage binary (default `scanimage` on PATH). */
  binary?: string;
  /** Extra environment, e.g. `SANE_CONFIG_DIR`; the process environment is read at each call. */
  env?: Record<string, string>;
  /** Kills a scan that runs longer (default 30 min). */
  timeoutMs?: number;
  /** Kills a device listing that runs longer (default 60 s; network discovery can be slow). */
  listTimeoutMs?: number;
}

interface ExecResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs scanimage and never throws for its exit status; only a missing binary becomes SANE_UNAVAILABLE. */
function run(binary: string, args: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { env, timeout, killSignal: 'SIGTERM', maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new AppError(409, 'SANE_UNAVAILABLE', '本机未安装扫描程序 scanimage（Debian 软件包 sane-utils），无法使用扫描仪'));
        return;
      }
      const e = err as (Error & { code?: number | string; killed?: boolean; signal?: string }) | null;
      resolve({ code: e ? (e.code ?? null) : 0, stdout, stderr, timedOut: !!e?.killed && e.signal === 'SIGTERM' });
    });
  });
}

function lastLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Scanning|Scanned|Batch terminated|Output format)/.test(l))
    .slice(-2)
    .join('；')
    .slice(0, 300);
}

/** The Chinese reason for a failed scanimage run, from its stderr. */
function failureReason(stderr: string): { code: string; message: string } {
  if (/out of documents|no more documents/i.test(stderr)) return { code: 'SANE_NO_DOCUMENTS', message: '进纸器中没有纸张，请放入文件后重试' };
  const open = /open of device (.+?) failed: (.*)/.exec(stderr);
  if (open) return { code: 'SANE_SCAN_FAILED', message: `无法打开扫描仪“${open[1]}”（${open[2]}），请检查设备名、连接和电源` };
  const option = /setting of option (--[\w-]+) failed/.exec(stderr);
  if (option) return { code: 'SANE_SCAN_FAILED', message: `扫描仪不支持此设置（${option[1]}），请在系统设置中修改扫描参数` };
  if (/jammed/i.test(stderr)) return { code: 'SANE_SCAN_FAILED', message: '扫描仪卡纸，请处理后重试' };
  if (/cover open/i.test(stderr)) return { code: 'SANE_SCAN_FAILED', message: '扫描仪盖板未关闭' };
  if (/busy/i.test(stderr)) return { code: 'SANE_SCAN_FAILED', message: '扫描仪正忙，请稍后重试' };
  return { code: 'SANE_SCAN_FAILED', message: `扫描失败：${lastLines(stderr) || '扫描程序异常退出'}` };
}

/** The scanimage front end: devices and one batch scan. */
export class SaneScanner {
  private readonly busy = new Set<string>();

  constructor(private readonly options: SaneOptions = {}) {}

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, ...this.options.env };
  }

  private get binary(): string {
    return this.options.binary ?? 'scanimage';
  }

  async devices(): Promise<SaneDevice[]> {
    const timeout = this.options.listTimeoutMs ?? 60_000;
    const r = await run(this.binary, [`--formatted-device-list=${LIST_FORMAT}`], this.env(), timeout);
    if (r.timedOut) throw new AppError(409, 'SANE_SCAN_FAILED', '查找扫描仪超时');
    const formatted = parseFormattedList(r.stdout);
    if (formatted.length > 0) return formatted;
    if (r.code !== 0) throw new AppError(409, 'SANE_SCAN_FAILED', `查找扫描仪失败：${lastLines(r.stderr) || '扫描程序异常退出'}`);
    // Some old front ends ignore -f; fall back to the plain listing.
    const plain = await run(this.binary, ['--list-devices'], this.env(), timeout);
    return parseDeviceList(plain.stdout);
  }

  /** Whether a scan from `source` (or the device's current source when empty) is a flatbed, which never runs out of paper. */
  private async flatbed(device: string, source: string): Promise<boolean> {
    if (source) return /flatbed|平板/i.test(source);
    const r = await run(this.binary, [`--device-name=${device}`, '--all-options'], this.env(), this.options.listTimeoutMs ?? 60_000);
    const current = /--source\s+[^\n]*\[([^\]]+)\]/.exec(r.stdout)?.[1];
    // No --source option at all: a flatbed-only scanner.
    return current === undefined ? r.code === 0 : /flatbed|平板/i.test(current);
  }

  /** Scans into a fresh temporary directory; the caller removes `dir` (see `SaneService`). */
  async scan(request: ScanRequest): Promise<ScanOutput> {
    const device = checkDeviceName(request.device);
    if (this.busy.has(device)) throw conflict('SANE_BUSY', `扫描仪“${device}”正在扫描，请稍候`);
    this.busy.add(device);
    const dir = await mkdtemp(join(tmpdir(), 'dangan-sane-'));
    try {
      const args = [
        `--device-name=${device}`,
        `--batch=${join(dir, 'p%04d.tiff')}`,
        '--format=tiff',
        `--resolution=${Math.round(request.resolution)}`,
        `--mode=${request.mode}`,
      ];
      if (request.source) args.push(`--source=${request.source}`);
      // Without a page count a feeder scans until it is empty, but a flatbed would scan for ever: one page there.
      const count = request.pages ?? ((await this.flatbed(device, request.source)) ? 1 : MAX_FEEDER_PAGES);
      args.push(`--batch-count=${count}`);
      const r = await run(this.binary, args, this.env(), this.options.timeoutMs ?? 30 * 60_000);
      const files = (await readdir(dir))
        .filter((n) => /^p\d{4,}\.tiff$/.test(n))
        .sort((a, b) => Number(a.slice(1, -5)) - Number(b.slice(1, -5)))
        .map((n) => join(dir, n));
      let warning: string | null = null;
      if (r.timedOut) {
        // The last page may be cut short when the scan was killed.
        files.pop();
        if (files.length === 0) throw new AppError(409, 'SANE_SCAN_FAILED', '扫描超时，未得到完整的页面');
        warning = `扫描超时，已停止（已扫 ${files.length} 页）`;
      } else if (r.code !== 0) {
        const reason = failureReason(r.stderr);
        if (files.length === 0) throw new AppError(409, reason.code, reason.message);
        if (reason.code !== 'SANE_NO_DOCUMENTS') warning = `扫描中途停止：${reason.message}（已扫 ${files.length} 页）`;
      }
      if (files.length === 0) throw new AppError(409, 'SANE_NO_DOCUMENTS', '扫描仪没有送出任何页面');
      return { files, dir, warning };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    } finally {
      this.busy.delete(device);
    }
  }
}

/** A scan job: into an existing batch (web) or a new one (console). */
export interface SaneScanInput {
  batchId: string;
  dossierId: string;
  actor: AuditContext;
  materialId?: string;
  startPage?: number;
  pages?: number;
  device?: string;
}

/** Scans pages with the configured scanner and ingests them, named so that they link to the chosen material. */
export class SaneService {
  constructor(
    private readonly deps: { db: Db; kind: DatabaseKind; clock: Clock; settings: SettingsService; scans: ScansService; scanner: SaneScanner },
  ) {}

  devices(): Promise<SaneDevice[]> {
    return this.deps.scanner.devices();
  }

  /** `POST /api/scan-batches/:id/sane`: the user's batch, in his scope, for one dossier. */
  async scanIntoBatch(actor: Actor, batchId: string, request: { materialId?: string; startPage?: number; pages?: number }): Promise<SaneScanResult> {
    const batch = await this.deps.scans.batch(actor, batchId);
    if (!batch.dossierId) throw invalid('SANE_BATCH_NO_DOSSIER', '此批次未指定档案，不能直接扫描；请新建指定档案的批次');
    const result = await this.scan({ batchId, dossierId: batch.dossierId, actor: actor.audit, ...request });
    return { batch: await this.deps.scans.batchView(batchId), scanned: result.scanned, warning: result.warning };
  }

  /** Scans and ingests; returns each page file's outcome in scan order. */
  async scan(input: SaneScanInput): Promise<{ files: ScanFile[]; scanned: number; warning: string | null }> {
    const { db, settings } = this.deps;
    const dossier = await db.selectFrom('dossiers').select(['id', 'dossier_no', 'state']).where('id', '=', input.dossierId).executeTakeFirst();
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在');
    if (SCAN_FROZEN_STATES.has(dossier.state)) throw conflict('DOSSIER_NOT_EDITABLE', '档案已移出或已封存，不能再接收图像');
    const namer = await this.namer(dossier, input);
    const device = await this.device(input.device);
    const out = await this.deps.scanner.scan({
      device,
      resolution: await settings.get('scan.sane.resolution'),
      mode: await settings.get('scan.sane.mode'),
      source: await settings.get('scan.sane.source'),
      pages: input.pages,
    });
    try {
      const files: ScanFile[] = [];
      for (const [i, path] of out.files.entries()) {
        const bytes = await readFile(path);
        files.push(await this.deps.scans.ingest({ batchId: input.batchId, dossierId: dossier.id, actor: input.actor }, namer(i), bytes));
      }
      return { files, scanned: out.files.length, warning: out.warning };
    } finally {
      await rm(out.dir, { recursive: true, force: true });
    }
  }

  private async device(requested: string | undefined): Promise<string> {
    const configured = requested?.trim() || (await this.deps.settings.get('scan.sane.device'));
    if (configured) return checkDeviceName(configured);
    const first = (await this.deps.scanner.devices())[0];
    if (!first) throw new AppError(409, 'SANE_NO_DEVICE', '未找到扫描仪：请检查连接与电源，或在系统设置中填写扫描仪设备名');
    return checkDeviceName(first.name);
  }

  /** The file name of the i-th scanned page: the material's name under a naming template, or a plain unlinked name. */
  private async namer(dossier: { id: string; dossier_no: string }, input: SaneScanInput): Promise<(i: number) => string> {
    const stamp = this.deps.clock.now().toISOString().replace(/\D/g, '').slice(0, 14);
    if (!input.materialId) return (i) => `SANE_${dossier.dossier_no}_${stamp}_p${String(i + 1).padStart(4, '0')}.tif`;
    const repo = scansRepository(this.deps.db, this.deps.kind);
    const material = await repo.material(input.materialId);
    if (!material || material.deleted_at || material.dossier_id !== dossier.id) {
      throw notFound('MATERIAL_NOT_FOUND', '材料不存在或不属于此档案');
    }
    const taken = (await repo.livePagesOfMaterial(material.id)).map((p) => p.page_no ?? 0);
    const start = input.startPage ?? Math.max(0, ...taken) + 1;
    const templates = await this.deps.settings.get('scan.namingTemplates');
    const classCode = material.class_code as LeafClassCode;
    const ordered = [...templates.filter((t) => t.includes('<页号>')), ...templates.filter((t) => !t.includes('<页号>'))];
    for (const template of ordered) {
      const name = (pageNo: number) =>
        formatScanName(template, { dossierNo: dossier.dossier_no, classCode, pieceNo: material.piece_no, pageNo, ext: 'tif' });
      const back = parseScanName(templates, name(start));
      if (
        back && back.classCode === classCode && back.pieceNo === material.piece_no &&
        (back.dossierNo === null || back.dossierNo === dossier.dossier_no) && (back.pageNo === null || back.pageNo === start)
      ) {
        return (i) => name(start + i);
      }
    }
    throw invalid('SANE_NAMING_UNUSABLE', '系统设置中的图像命名规则无法表示此材料，扫描的页面不能自动挂接；请检查“图像命名规则”');
  }
}
