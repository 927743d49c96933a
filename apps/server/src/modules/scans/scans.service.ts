import type { ScanBatch, ScanFile, ScanSource } from '@dangan/contracts';
import { checkScanPath, parseScanName } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import { digestHex, type HashAlgorithm } from '../../platform/crypto/hash.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import type { ScanFileTable } from '../../platform/db/schema.js';
import { conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/queue/queue.js';
import type { AccessService } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditContext, AuditLog } from '../audit/audit.log.js';
import type { SettingsService } from '../settings/settings.service.js';
import { PAGE_PROCESS_JOB } from './page-process.job.js';
import { toScanFile } from './scans.models.js';
import { codedFailure, type BlobPort, type ImagingPort, type ScanLimits } from './scans.ports.js';
import { scansRepository } from './scans.repository.js';

/** States in which a dossier's pages may not change (transferred away, closed). */
export const SCAN_FROZEN_STATES: ReadonlySet<string> = new Set(['transferred_out', 'closed']);

export interface Placement {
  materialId: string;
  pageNo: number;
  replacesPageId: string;
}

interface DossierRef {
  id: string;
  dossier_no: string;
  state: string;
  cadre_name: string;
}

/**
 * Scans in: batches and files. A file is checked (name, size, type by content, pixel limit, damage)
 * before anything is written; its bytes are stored once under their hash; its pages are linked to the
 * catalogue by the naming templates, or land unlinked; each page gets a processing job. All rows of a
 * file, its pages, their jobs and the audit event are written in one transaction.
 */
export class ScansService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    private readonly settings: SettingsService,
    private readonly blobs: BlobPort,
    private readonly imaging: ImagingPort,
    private readonly queue: JobQueue,
  ) {}

  async createBatch(actor: Actor, dossierId: string): Promise<ScanBatch> {
    const scope = await this.access.scope(actor, 'scan.ingest');
    const dossier = await scansRepository(this.db, this.kind).dossier(scope, dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    this.assertOpen(dossier);
    const id = await this.openBatch(this.db, { dossierId, source: 'upload', station: null, actor: actor.audit });
    return this.batchView(id);
  }

  /** A batch for console, watched-folder or scanner ingest; `dossierId` null = the file names say. */
  async openSystemBatch(input: { dossierId: string | null; source: ScanSource; station: string | null; actor: AuditContext }): Promise<string> {
    return this.openBatch(this.db, input);
  }

  async batch(actor: Actor, batchId: string): Promise<ScanBatch> {
    await this.batchInScope(actor, batchId);
    return this.batchView(batchId);
  }

  async upload(actor: Actor, batchId: string, name: string, bytes: Buffer): Promise<ScanFile> {
    const batch = await this.batchInScope(actor, batchId);
    return this.ingest({ batchId: batch.id, dossierId: batch.dossier_id, actor: actor.audit }, name, bytes);
  }

  /**
   * One file into a batch. Bad input never throws: the file is recorded as rejected with a coded,
   * Chinese reason and the caller goes on with the next file.
   */
  async ingest(
    target: { batchId: string; dossierId: string | null; actor: AuditContext; placement?: Placement },
    rawName: string,
    bytes: Buffer,
  ): Promise<ScanFile> {
    const name = rawName.normalize('NFC');
    const checked = checkScanPath(name);
    const safeName = checked.ok ? checked.path : displayName(name);
    const reject = (code: string, message: string, dossierId: string | null = target.dossierId) =>
      this.recordRejected(target, safeName, bytes.length, dossierId, code, message);
    if (!checked.ok) return reject('FILE_NAME_INVALID', checked.reason);
    if (bytes.length === 0) return reject('IMAGE_EMPTY', '文件为空（0 字节）');
    const limits = await this.limits();
    if (bytes.length > limits.maxBytes) {
      return reject('IMAGE_TOO_LARGE', `文件大小 ${mb(bytes.length)} MB，超过上限 ${mb(limits.maxBytes)} MB`);
    }

    let inspection: { format: string; pageCount: number };
    try {
      inspection = await this.imaging.inspect(bytes, limits);
    } catch (err) {
      const failure = codedFailure(err);
      if (!failure) throw err;
      return reject(failure.code, failure.message);
    }
    if (target.placement && inspection.pageCount !== 1) {
      return reject('REPLACEMENT_NOT_SINGLE_PAGE', `重扫替换须为单页图像，此文件有 ${inspection.pageCount} 页`);
    }

    const parsed = parseScanName(await this.settings.get('scan.namingTemplates'), checked.path);
    let dossier: DossierRef | undefined;
    const repo = scansRepository(this.db, this.kind);
    if (target.dossierId) {
      dossier = await repo.dossierById(target.dossierId);
    } else if (parsed?.dossierNo) {
      dossier = await repo.dossierByNo(parsed.dossierNo);
      if (!dossier) return reject('DOSSIER_NOT_FOUND', `文件名中的档案号“${parsed.dossierNo}”不存在`, null);
    } else {
      return reject('DOSSIER_UNKNOWN', '无法从文件名识别档案号，请按命名规则命名或在网页端上传到指定档案', null);
    }
    if (!dossier) return reject('DOSSIER_NOT_FOUND', '档案不存在', null);
    if (SCAN_FROZEN_STATES.has(dossier.state)) return reject('DOSSIER_NOT_EDITABLE', '档案已移出或已封存，不能再接收图像', dossier.id);

    const algorithm = (await this.settings.get('audit.hashAlgorithm')) as HashAlgorithm;
    const blobId = `${algorithm}:${digestHex(algorithm, bytes)}`;
    const earlier = target.placement ? undefined : await repo.storedFileWithBlob(blobId);
    const fileId = newId();
    const now = this.clock.now().toISOString();
    const format = inspection.format;

    if (earlier) {
      const row: ScanFileTable = {
        id: fileId, batch_id: target.batchId, dossier_id: dossier.id, name: safeName, size: bytes.length, blob_id: null, format,
        page_count: inspection.pageCount, status: 'duplicate', error_code: 'FILE_DUPLICATE',
        error_message: `与已接收的文件“${earlier.name}”内容相同${earlier.dossier_no ? `（档案 ${earlier.dossier_no}）` : ''}，未重复保存`,
        duplicate_of: earlier.id, created_at: now,
      };
      await this.db.transaction().execute(async (trx) => {
        await scansRepository(trx, this.kind).insertFile(row);
        await this.audit.append(trx, target.actor, {
          action: 'scan.file.reject', result: 'failure', objectType: 'scan_file', objectId: fileId, objectLabel: safeName,
          detail: { code: 'FILE_DUPLICATE', duplicateOf: earlier.id, batchId: target.batchId },
        });
      });
      return toScanFile(row, { fileId: earlier.id, name: earlier.name, dossierNo: earlier.dossier_no, at: earlier.created_at });
    }

    // Bytes first (content-addressed, idempotent), rows after: a crash between the two leaves an
    // unreferenced object, never a row pointing at nothing.
    const stored = await this.blobs.put(bytes, algorithm);
    if (stored.id !== blobId) throw new Error(`存储返回的内容哈希不一致：${stored.id}`);

    const file: ScanFileTable = {
      id: fileId, batch_id: target.batchId, dossier_id: dossier.id, name: safeName, size: bytes.length, blob_id: blobId, format,
      page_count: inspection.pageCount, status: 'stored', error_code: null, error_message: null, duplicate_of: null, created_at: now,
    };
    const d = dossier;
    await this.db.transaction().execute(async (trx) => {
      const r = scansRepository(trx, this.kind);
      await r.lockDossier(d.id);
      await r.insertBlob({ id: blobId, algorithm, hash: blobId.slice(algorithm.length + 1), size: bytes.length, kind: 'original', format, created_at: now });
      await r.insertFile(file);
      const slots = await this.slotsFor(trx, d, parsed, inspection.pageCount, target.placement);
      let nextUnlinked = (await r.maxUnlinkedOrder(d.id)) + 1;
      for (let i = 0; i < inspection.pageCount; i++) {
        const slot = slots[i];
        const pageId = newId();
        await r.insertPage(
          {
            id: pageId, dossier_id: d.id, material_id: slot?.materialId ?? null, page_no: slot?.pageNo ?? null,
            unlinked_order: slot ? null : nextUnlinked++, file_id: fileId, source_page: i + 1, original_blob_id: blobId,
            ops: '{}', status: 'pending', version: 1, replaces_page_id: target.placement?.replacesPageId ?? null,
            created_at: now, updated_at: now,
          },
          now,
        );
        // Clean images first (the operator is waiting to link and check them); reading the text follows.
        await this.queue.enqueue(trx, PAGE_PROCESS_JOB, { pageId, version: 1 }, { dedupeKey: `${PAGE_PROCESS_JOB}:${pageId}:1`, priority: 5 });
      }
      const linkedCount = slots.filter(Boolean).length;
      await this.audit.append(trx, target.actor, {
        action: 'scan.file.ingest', objectType: 'scan_file', objectId: fileId, objectLabel: `${d.dossier_no}（${d.cadre_name}）·${safeName}`,
        detail: { batchId: target.batchId, format, pages: inspection.pageCount, linked: linkedCount, hash: blobId, size: bytes.length },
      });
    });
    this.queue.notify();
    return toScanFile(file);
  }

  // ------------------------------------------------------------------ internals

  /** Where each page of a file goes: the named material and page, or the next free page, or nowhere. */
  private async slotsFor(
    trx: Executor,
    dossier: DossierRef,
    parsed: ReturnType<typeof parseScanName>,
    pageCount: number,
    placement: Placement | undefined,
  ): Promise<Array<{ materialId: string; pageNo: number } | undefined>> {
    if (placement) return [{ materialId: placement.materialId, pageNo: placement.pageNo }];
    if (!parsed || (parsed.dossierNo !== null && parsed.dossierNo !== dossier.dossier_no)) return [];
    const r = scansRepository(trx, this.kind);
    const material = await r.liveMaterial(dossier.id, parsed.classCode, parsed.pieceNo);
    if (!material) return [];
    const taken = new Set((await r.livePagesOfMaterial(material.id)).map((p) => p.page_no ?? 0));
    const out: Array<{ materialId: string; pageNo: number }> = [];
    let wanted = parsed.pageNo ?? 1;
    for (let i = 0; i < pageCount; i++) {
      let pageNo = wanted;
      if (taken.has(pageNo)) pageNo = Math.max(0, ...taken) + 1;
      taken.add(pageNo);
      out.push({ materialId: material.id, pageNo });
      wanted = pageNo + 1;
    }
    return out;
  }

  private async recordRejected(
    target: { batchId: string; actor: AuditContext },
    name: string,
    size: number,
    dossierId: string | null,
    code: string,
    message: string,
  ): Promise<ScanFile> {
    const row: ScanFileTable = {
      id: newId(), batch_id: target.batchId, dossier_id: dossierId, name, size, blob_id: null, format: null, page_count: 0,
      status: 'rejected', error_code: code, error_message: message, duplicate_of: null, created_at: this.clock.now().toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await scansRepository(trx, this.kind).insertFile(row);
      await this.audit.append(trx, target.actor, {
        action: 'scan.file.reject', result: 'failure', objectType: 'scan_file', objectId: row.id, objectLabel: name,
        detail: { code, message, batchId: target.batchId, size },
      });
    });
    return toScanFile(row);
  }

  private async openBatch(
    executor: Db,
    input: { dossierId: string | null; source: ScanSource; station: string | null; actor: AuditContext },
  ): Promise<string> {
    const id = newId();
    await executor.transaction().execute(async (trx) => {
      await scansRepository(trx, this.kind).insertBatch({
        id, dossier_id: input.dossierId, source: input.source, station: input.station, created_by: input.actor.username ?? 'system',
        created_by_id: input.actor.userId, created_at: this.clock.now().toISOString(),
      });
      await this.audit.append(trx, input.actor, {
        action: 'scan.batch.create', objectType: 'scan_batch', objectId: id, detail: { dossierId: input.dossierId, source: input.source, station: input.station },
      });
    });
    return id;
  }

  private async batchInScope(actor: Actor, batchId: string) {
    const scope = await this.access.scope(actor, 'scan.ingest');
    const repo = scansRepository(this.db, this.kind);
    const batch = await repo.batch(batchId);
    if (!batch) throw notFound('SCAN_BATCH_NOT_FOUND', '扫描批次不存在');
    if (batch.dossier_id) {
      const dossier = await repo.dossier(scope, batch.dossier_id);
      if (!dossier) throw notFound('SCAN_BATCH_NOT_FOUND', '扫描批次不存在或不在您的数据范围内');
    } else if (scope.unitIds !== null) {
      throw notFound('SCAN_BATCH_NOT_FOUND', '扫描批次不存在或不在您的数据范围内');
    }
    return batch;
  }

  async batchView(batchId: string): Promise<ScanBatch> {
    const repo = scansRepository(this.db, this.kind);
    const batch = (await repo.batch(batchId))!;
    const files = await repo.filesOfBatch(batchId);
    const dupIds = files.map((f) => f.duplicate_of).filter((x): x is string => !!x);
    const originals = new Map<string, ScanFile['duplicateOf']>();
    for (const id of new Set(dupIds)) {
      const f = await repo.file(id);
      if (!f) continue;
      originals.set(id, { fileId: f.id, name: f.name, dossierNo: f.dossier_id ? await repo.dossierNo(f.dossier_id) : null, at: f.created_at });
    }
    const counts = { total: 0, pending: 0, processing: 0, processed: 0, failed: 0 };
    for (const c of await repo.pageCountsOfBatch(batchId)) {
      counts[c.status] = Number(c.n);
      counts.total += Number(c.n);
    }
    const dossierNo = batch.dossier_id ? await repo.dossierNo(batch.dossier_id) : null;
    return {
      id: batch.id, dossierId: batch.dossier_id, dossierNo, source: batch.source as ScanSource,
      station: batch.station, createdBy: batch.created_by, createdAt: batch.created_at,
      files: files.map((f) => toScanFile(f, f.duplicate_of ? (originals.get(f.duplicate_of) ?? null) : null)),
      pages: counts,
    };
  }

  async limits(): Promise<ScanLimits> {
    return {
      maxBytes: (await this.settings.get('scan.maxFileMB')) * 1024 * 1024,
      pixelLimit: (await this.settings.get('scan.pixelLimit')) * 1_000_000,
    };
  }

  private assertOpen(dossier: { state: string }): void {
    if (SCAN_FROZEN_STATES.has(dossier.state)) throw conflict('DOSSIER_NOT_EDITABLE', '档案已移出或已封存，不能再接收图像');
  }
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** A name that failed the path check, made safe to show (control characters replaced, length cut). */
function displayName(name: string): string {
   
  return name.replace(/[\u0000-\u001f\u007f]/g, '�').slice(0, 200) || '（无名文件）';
}
