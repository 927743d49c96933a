import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Core } from '../../app.js';
import { invalid, notFound } from '../../platform/errors.js';
import { SYSTEM_CONTEXT, type AuditContext } from '../audit/audit.log.js';
import { SCAN_FROZEN_STATES } from './scans.service.js';
import { checkDeviceName } from './sane.js';
import { saneService } from './sane.routes.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 1000) throw new InvalidArgumentError('须为 1–1000 的整数');
  return n;
}

export interface ScanCommandOptions {
  dossier: string;
  device?: string;
  pages?: number;
  class?: string;
  piece?: number;
  start?: number;
}

/** One console scan: a new batch (source `sane`) for the dossier, pages ingested and queued for processing. */
export async function runConsoleScan(core: Core, opts: ScanCommandOptions, out: (line: string) => void = console.log): Promise<void> {
  const db = core.handle.db;
  const dossier = await db.selectFrom('dossiers').select(['id', 'dossier_no', 'state']).where('dossier_no', '=', opts.dossier.trim()).executeTakeFirst();
  if (!dossier) throw notFound('DOSSIER_NOT_FOUND', `档案号“${opts.dossier}”不存在`);
  if (SCAN_FROZEN_STATES.has(dossier.state)) throw invalid('DOSSIER_NOT_EDITABLE', '档案已移出或已封存，不能再接收图像');
  let materialId: string | undefined;
  if (opts.class !== undefined || opts.piece !== undefined) {
    if (opts.class === undefined || opts.piece === undefined) throw invalid('VALIDATION_FAILED', '--class 与 --piece 须同时给出');
    const m = await db
      .selectFrom('materials').select('id')
      .where('dossier_id', '=', dossier.id).where('class_code', '=', opts.class).where('piece_no', '=', opts.piece).where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!m) throw notFound('MATERIAL_NOT_FOUND', `档案 ${dossier.dossier_no} 中没有第 ${opts.class} 类第 ${opts.piece} 份材料`);
    materialId = m.id;
  }
  const device = opts.device ? checkDeviceName(opts.device) : (await core.settings.get('scan.sane.device')) || undefined;
  const actor: AuditContext = { ...SYSTEM_CONTEXT, username: `sane:${device ?? 'default'}`.slice(0, 100), clientIp: 'console', roles: '' };
  const batchId = await core.scans.openSystemBatch({ dossierId: dossier.id, source: 'sane', station: device ?? null, actor });
  const result = await saneService(core).scan({ batchId, dossierId: dossier.id, actor, materialId, startPage: opts.start, pages: opts.pages, device });
  for (const f of result.files) {
    const note = f.status === 'stored' ? '已接收' : `${f.status === 'duplicate' ? '重复' : '拒收'}：${f.errorMessage ?? ''}`;
    out(`  ${f.name}\t${note}`);
  }
  const stored = result.files.filter((f) => f.status === 'stored').length;
  out(`已扫描 ${result.scanned} 页，接收 ${stored} 页（批次 ${batchId}）；页面处理在服务运行时进行${result.warning ? `\n注意：${result.warning}` : ''}`);
  if (stored < result.files.length || result.warning) process.exitCode = 3;
}

/** `dangan scan --dossier <档案号> [--device <dev>] [--pages N] [--class <类号> --piece <份号> [--start <页号>]]`. */
export function registerScanCommand(program: Command, withCore: <T>(fn: (core: Core) => Promise<T>) => Promise<T>): void {
  program
    .command('scan')
    .description('用扫描仪（SANE scanimage）扫描到指定档案')
    .requiredOption('--dossier <档案号>', '档案号')
    .option('--device <设备名>', 'SANE 设备名（缺省用系统设置或第一台扫描仪）')
    .option('--pages <n>', '扫描页数（缺省扫到进纸器无纸）', positiveInt)
    .option('--class <类号>', '挂接到的材料类号，如 4-1')
    .option('--piece <份号>', '挂接到的材料份号', positiveInt)
    .option('--start <页号>', '第一页的页号（缺省接在已有页之后）', positiveInt)
    .action(async (opts: ScanCommandOptions) => {
      await withCore((core) => runConsoleScan(core, opts));
    });
}
