import type { DossierPages, PageImageVariant, PageOps, ScanPage, ScanPageDetail } from '@dangan/contracts';
import { compareClassCodes, type ClassCode } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/queue/queue.js';
import type { AccessService, Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { PAGE_PROCESS_JOB } from './page-process.job.js';
import { MIME_OF_FORMAT, parseOps, toScanPage } from './scans.models.js';
import type { BlobPort } from './scans.ports.js';
import { scansRepository } from './scans.repository.js';
import { SCAN_FROZEN_STATES, type ScansService } from './scans.service.js';

/**
 * Pages after ingest: the linking board (挂接), the viewer's images, and a human's corrections, which are
 * recorded as operations against the original and processed again, never saved as new lossy copies.
 */
export class PagesService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
    private readonly blobs: BlobPort,
    private readonly queue: JobQueue,
    private readonly scans: ScansService,
  ) {}

  async ofDossier(actor: Actor, dossierId: string): Promise<DossierPages> {
    const scope = await this.viewScope(actor);
    const dossier = await this.dossierOrThrow(this.db, scope, dossierId);
    const view = await this.board(this.db, dossier);
    await this.audit.record(actor.audit, {
      action: 'scan.pages.view', objectType: 'dossier', objectId: dossier.id, objectLabel: `${dossier.dossier_no}（${dossier.cadre_name}）`,
      detail: { pages: view.pages.length },
    });
    return view;
  }

  async get(actor: Actor, pageId: string): Promise<ScanPageDetail> {
    const { page } = await this.pageInScope(pageId, await this.viewScope(actor));
    const blob = await scansRepository(this.db, this.kind).blob(page.original_blob_id);
    return {
      ...toScanPage(page),
      steps: page.steps ? (JSON.parse(page.steps) as ScanPageDetail['steps']) : [],
      original: { hash: blob?.hash ?? '', algorithm: blob?.algorithm ?? '', size: Number(blob?.size ?? 0), format: page.file_format ?? '' },
    };
  }

  async image(actor: Actor, pageId: string, variant: PageImageVariant): Promise<{ bytes: Buffer; type: string; name: string }> {
    const { page, dossier } = await this.pageInScope(pageId, await this.viewScope(actor));
    const blobId = { web: page.web_blob_id, thumb: page.thumb_blob_id, master: page.master_blob_id, original: page.original_blob_id }[variant];
    if (!blobId) throw notFound('PAGE_IMAGE_NOT_READY', '该页尚未处理完成，暂无此图像');
    if (variant === 'master' || variant === 'original') {
      await this.audit.record(actor.audit, {
        action: 'page.image.view', objectType: 'page', objectId: page.id, objectLabel: `${dossier.dossier_no}·${page.file_name}`, detail: { variant },
      });
    }
    let bytes: Buffer;
    try {
      bytes = await this.blobs.get(blobId);
    } catch (err) {
      // A stored file that fails its integrity check is evidence: it goes to the audit log, not only to the user.
      if (err instanceof AppError && err.code === 'BLOB_CORRUPT') {
        await this.audit.record(actor.audit, {
          action: 'page.image.view', result: 'failure', objectType: 'page', objectId: page.id, objectLabel: `${dossier.dossier_no}·${page.file_name}`,
          detail: { variant, blob: blobId, code: err.code },
        });
      }
      throw err;
    }
    const format = variant === 'original' ? (page.file_format ?? 'jpeg') : 'jpeg';
    return { bytes, type: MIME_OF_FORMAT[format] ?? 'application/octet-stream', name: page.file_name };
  }

  async edit(actor: Actor, pageId: string, ops: PageOps): Promise<ScanPage> {
    const scope = await this.access.scope(actor, 'scan.ingest');
    return this.db.transaction().execute(async (trx) => {
      const { page, dossier } = await this.lockedPage(trx, scope, pageId);
      const clean = normaliseOps(ops);
      const version = page.version + 1;
      const now = this.clock.now().toISOString();
      const r = scansRepository(trx, this.kind);
      await r.updatePage(page.id, { ops: JSON.stringify(clean), version, status: 'pending', error_code: null, error_message: null, updated_at: now });
      await this.queue.enqueue(trx, PAGE_PROCESS_JOB, { pageId: page.id, version }, { dedupeKey: `${PAGE_PROCESS_JOB}:${page.id}:${version}`, priority: 10 });
      await this.audit.append(trx, actor.audit, {
        action: 'page.edit', objectType: 'page', objectId: page.id, objectLabel: `${dossier.dossier_no}·${page.file_name}`,
        detail: { before: parseOps(page.ops), after: clean, version },
      });
      this.afterCommit(trx);
      return toScanPage((await r.page(page.id))!);
    });
  }

  async link(actor: Actor, pageId: string, materialId: string | null, position: number | undefined): Promise<DossierPages> {
    const scope = await this.access.scope(actor, 'scan.link');
    return this.db.transaction().execute(async (trx) => {
      const { page, dossier } = await this.lockedPage(trx, scope, pageId);
      const r = scansRepository(trx, this.kind);
      const now = this.clock.now().toISOString();
      let target: { id: string; name: string } | null = null;
      if (materialId) {
        const m = await r.material(materialId);
        if (!m || m.deleted_at || m.dossier_id !== dossier.id) throw invalid('MATERIAL_NOT_IN_DOSSIER', '目标材料不存在或不属于本档案', { materialId: '材料不属于本档案' });
        target = { id: m.id, name: m.name };
      }
      const from = page.material_id;
      if (target) {
        const others = (await r.livePagesOfMaterial(target.id)).filter((p) => p.id !== page.id).map((p) => p.id);
        const at = Math.min(Math.max(1, position ?? others.length + 1), others.length + 1);
        others.splice(at - 1, 0, page.id);
        await r.updatePage(page.id, { material_id: target.id, unlinked_order: null, updated_at: now });
        await this.number(trx, others, now);
      } else {
        await r.updatePage(page.id, { material_id: null, page_no: null, unlinked_order: (await r.maxUnlinkedOrder(dossier.id)) + 1, updated_at: now });
      }
      if (from && from !== target?.id) await this.number(trx, (await r.livePagesOfMaterial(from)).map((p) => p.id), now);
      await this.audit.append(trx, actor.audit, {
        action: 'page.link', objectType: 'page', objectId: page.id, objectLabel: `${dossier.dossier_no}·${page.file_name}`,
        detail: { before: { materialId: from, pageNo: page.page_no }, after: { materialId: target?.id ?? null, material: target?.name ?? null, position: position ?? null } },
      });
      return this.board(trx, dossier);
    });
  }

  async reorder(actor: Actor, materialId: string, pageIds: string[]): Promise<DossierPages> {
    const scope = await this.access.scope(actor, 'scan.link');
    return this.db.transaction().execute(async (trx) => {
      const r = scansRepository(trx, this.kind);
      const material = await r.material(materialId);
      if (!material || material.deleted_at) throw notFound('MATERIAL_NOT_FOUND', '材料不存在');
      const dossier = await this.dossierOrThrow(trx, scope, material.dossier_id);
      await r.lockDossier(dossier.id);
      this.assertOpen(dossier);
      const current = (await r.livePagesOfMaterial(materialId)).map((p) => p.id);
      const same = current.length === pageIds.length && new Set(pageIds).size === pageIds.length && pageIds.every((id) => current.includes(id));
      if (!same) throw invalid('PAGE_ORDER_MISMATCH', '页序须恰好包含该材料当前的全部页面', { pageIds: '与材料当前页面不一致' });
      await this.number(trx, pageIds, this.clock.now().toISOString());
      await this.audit.append(trx, actor.audit, {
        action: 'page.reorder', objectType: 'material', objectId: materialId, objectLabel: `${dossier.dossier_no}·${material.name}`,
        detail: { before: current, after: pageIds },
      });
      return this.board(trx, dossier);
    });
  }

  async remove(actor: Actor, pageId: string, reason: string): Promise<void> {
    const scope = await this.access.scope(actor, 'scan.ingest');
    await this.db.transaction().execute(async (trx) => {
      const { page, dossier } = await this.lockedPage(trx, scope, pageId);
      await this.softDelete(trx, page, actor.audit.username ?? '', reason);
      await this.audit.append(trx, actor.audit, {
        action: 'page.delete', objectType: 'page', objectId: page.id, objectLabel: `${dossier.dossier_no}·${page.file_name}`,
        detail: { reason, materialId: page.material_id, pageNo: page.page_no },
      });
    });
  }

  /** A rescan takes the page's place (material and page number); the old page is kept, deleted. */
  async replace(actor: Actor, pageId: string, name: string, bytes: Buffer): Promise<ScanPage> {
    const scope = await this.access.scope(actor, 'scan.ingest');
    const { page, dossier } = await this.pageInScope(pageId, scope);
    this.assertOpen(dossier);
    const batchId = await this.scans.openSystemBatch({ dossierId: dossier.id, source: 'upload', station: null, actor: actor.audit });
    const placement = page.material_id && page.page_no ? { materialId: page.material_id, pageNo: page.page_no, replacesPageId: page.id } : undefined;
    const file = await this.scans.ingest({ batchId, dossierId: dossier.id, actor: actor.audit, ...(placement ? { placement } : {}) }, name, bytes);
    if (file.status !== 'stored') throw invalid(file.errorCode ?? 'REPLACEMENT_REJECTED', file.errorMessage ?? '重扫图像未被接收', { file: file.errorMessage ?? '' });
    return this.db.transaction().execute(async (trx) => {
      const r = scansRepository(trx, this.kind);
      await r.lockDossier(dossier.id);
      const fresh = { id: await r.pageIdOfFile(file.id) };
      const now = this.clock.now().toISOString();
      await r.updatePage(page.id, { deleted_at: now, deleted_by: actor.audit.username ?? '', delete_reason: '重扫替换', updated_at: now });
      if (!placement) await r.updatePage(fresh.id, { unlinked_order: page.unlinked_order, replaces_page_id: page.id });
      await this.audit.append(trx, actor.audit, {
        action: 'page.replace', objectType: 'page', objectId: page.id, objectLabel: `${dossier.dossier_no}·${page.file_name}`,
        detail: { newPageId: fresh.id, fileId: file.id, name: file.name },
      });
      return toScanPage((await r.page(fresh.id))!);
    });
  }

  // ------------------------------------------------------------------ internals

  private async board(executor: Executor, dossier: { id: string; dossier_no: string; cadre_name: string }): Promise<DossierPages> {
    const r = scansRepository(executor, this.kind);
    const pages = (await r.pagesOfDossier(dossier.id)).map(toScanPage);
    const materials = (await r.materialsOfDossier(dossier.id)).sort(
      (a, b) => compareClassCodes(a.class_code as ClassCode, b.class_code as ClassCode) || a.piece_no - b.piece_no,
    );
    const byMaterial = new Map<string, ScanPage[]>();
    const unlinked: ScanPage[] = [];
    for (const p of pages) {
      if (p.materialId) byMaterial.set(p.materialId, [...(byMaterial.get(p.materialId) ?? []), p]);
      else unlinked.push(p);
    }
    return {
      dossierId: dossier.id,
      dossierNo: dossier.dossier_no,
      cadreName: dossier.cadre_name,
      materials: materials.map((m) => ({
        id: m.id, classCode: m.class_code, pieceNo: m.piece_no, seq: m.seq, name: m.name, expectedPages: m.pages,
        pageIds: (byMaterial.get(m.id) ?? []).sort((a, b) => (a.pageNo ?? 0) - (b.pageNo ?? 0)).map((p) => p.id),
      })),
      unlinkedPageIds: unlinked.sort((a, b) => (a.unlinkedOrder ?? 0) - (b.unlinkedOrder ?? 0)).map((p) => p.id),
      pages,
    };
  }

  /** Page numbers 1..n in the given order; only rows whose number changes are written. */
  private async number(trx: Executor, ids: string[], now: string): Promise<void> {
    const r = scansRepository(trx, this.kind);
    const current = await r.pageNumbers(ids);
    for (const [i, id] of ids.entries()) {
      if (current.get(id) !== i + 1) await r.updatePage(id, { page_no: i + 1, updated_at: now });
    }
  }

  private async softDelete(trx: Executor, page: { id: string; material_id: string | null }, by: string, reason: string): Promise<void> {
    const r = scansRepository(trx, this.kind);
    const now = this.clock.now().toISOString();
    await r.updatePage(page.id, { deleted_at: now, deleted_by: by, delete_reason: reason, updated_at: now });
    if (page.material_id) await this.number(trx, (await r.livePagesOfMaterial(page.material_id)).map((p) => p.id), now);
  }

  /** Operators, and inspectors who must see what they inspect (质检), read pages. */
  private async viewScope(actor: Actor): Promise<Authorized<DataScope>> {
    const p = actor.permissions;
    return this.access.scope(actor, p.has('scan.ingest') ? 'scan.ingest' : p.has('scan.link') ? 'scan.link' : 'qc.inspect');
  }

  private async dossierOrThrow(executor: Executor, scope: Authorized<DataScope>, dossierId: string) {
    const dossier = await scansRepository(executor, this.kind).dossier(scope, dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    return dossier;
  }

  private async pageInScope(pageId: string, scope: Authorized<DataScope>, executor: Executor = this.db) {
    const page = await scansRepository(executor, this.kind).page(pageId);
    if (!page || page.deleted_at) throw notFound('PAGE_NOT_FOUND', '页面不存在或已删除');
    const dossier = await scansRepository(executor, this.kind).dossier(scope, page.dossier_id);
    if (!dossier) throw notFound('PAGE_NOT_FOUND', '页面不存在或不在您的数据范围内');
    return { page, dossier };
  }

  private async lockedPage(trx: Executor, scope: Authorized<DataScope>, pageId: string) {
    const first = await scansRepository(trx, this.kind).page(pageId);
    if (!first) throw notFound('PAGE_NOT_FOUND', '页面不存在或已删除');
    await scansRepository(trx, this.kind).lockDossier(first.dossier_id);
    const found = await this.pageInScope(pageId, scope, trx);
    this.assertOpen(found.dossier);
    return found;
  }

  private assertOpen(dossier: { state: string }): void {
    if (SCAN_FROZEN_STATES.has(dossier.state)) throw conflict('DOSSIER_NOT_EDITABLE', '档案已移出或已封存，页面不能修改');
  }

  /** In-process runners learn of new work once the transaction has committed. */
  private afterCommit(_trx: Executor): void {
    setImmediate(() => this.queue.notify());
  }
}

function normaliseOps(ops: PageOps): PageOps {
  const out: PageOps = {};
  if (ops.rotation !== undefined) out.rotation = ops.rotation;
  if (ops.skewDeg !== undefined) out.skewDeg = Math.round(ops.skewDeg * 100) / 100;
  if (ops.cropBox !== undefined) {
    if (ops.cropBox && (ops.cropBox[2] < 16 || ops.cropBox[3] < 16 || ops.cropBox[0] < 0 || ops.cropBox[1] < 0)) {
      throw invalid('CROP_INVALID', '裁切框无效：宽高至少 16 像素，且不能超出图像', { cropBox: '裁切框无效' });
    }
    out.cropBox = ops.cropBox;
  }
  if (ops.despeckle !== undefined) out.despeckle = ops.despeckle;
  return out;
}
