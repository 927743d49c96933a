import type { BatchDossier, ScanRegister } from '@dangan/contracts';
import {
  STAGE_DRIVERS,
  STAGE_LABELS,
  STAGE_PERMISSIONS,
  finishStage,
  reworkStage,
  startStage,
  type Permission,
  type StageCode,
} from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import { SYSTEM_CONTEXT } from '../audit/audit.log.js';
import type { ChecksPort, DossierCheckSummary } from '../checks/checks.port.js';
import type { BatchDossierRow, BatchRow, DossierInfo } from './project.repository.js';
import type { QualityService } from './project.quality.js';
import { doer, statusesOf, type Doer, type ProjectSupport } from './project.support.js';
import type { ProjectViews } from './project.views.js';

const SYSTEM: Doer = { userId: null, audit: SYSTEM_CONTEXT };

/**
 * Each dossier's stages in a batch: 整理 → 扫描 → 图像处理 → 著录/挂接 → 自动校验 → 质检 → 验收 → 入库,
 * in the order the domain's state machine allows, with the checks that make a stage really done.
 */
export class StagesService {
  constructor(
    private readonly support: ProjectSupport,
    private readonly views: ProjectViews,
    private readonly checks: ChecksPort,
    private readonly quality: QualityService,
  ) {}

  async start(actor: Actor, batchId: string, dossierId: string, stage: StageCode): Promise<BatchDossier> {
    if (STAGE_DRIVERS[stage].start !== 'person') throw conflict('STAGE_SYSTEM_DRIVEN', systemDriven(stage));
    const scope = await this.stageScope(actor, STAGE_PERMISSIONS[stage], stage);
    return this.support.deps.db.transaction().execute(async (trx) => {
      const { batch, row, dossier } = await this.support.batchDossier(trx, scope, batchId, dossierId, true);
      this.support.requireState(batch, ['in_progress'], '开始加工环节');
      const stages = statusesOf(await this.support.repo(trx).stages(batchId, dossierId));
      // A check run that failed to run may be asked for again while the stage stays open.
      const retry = stage === 'check' && stages.check === 'in_progress' && (await this.checkRunFailed(trx, row));
      if (!retry) {
        const move = startStage(stages, stage);
        if (!move.ok) throw conflict('STAGE_ORDER', move.reason);
        await this.support.stageMove(trx, doer(actor), batch, dossier, stage, 'start', null);
      }
      if (stage === 'check') await this.requestCheck(trx, actor, batch, dossier);
      return this.views.dossierView(trx, batchId, dossier);
    });
  }

  async finish(actor: Actor, batchId: string, dossierId: string, stage: StageCode, note: string): Promise<BatchDossier> {
    if (STAGE_DRIVERS[stage].finish !== 'person') throw conflict('STAGE_SYSTEM_DRIVEN', systemDriven(stage));
    const scope = await this.stageScope(actor, STAGE_PERMISSIONS[stage], stage);
    return this.support.deps.db.transaction().execute(async (trx) => {
      const { batch, dossier } = await this.support.batchDossier(trx, scope, batchId, dossierId, true);
      this.support.requireState(batch, ['in_progress'], '完成加工环节');
      const move = finishStage(statusesOf(await this.support.repo(trx).stages(batchId, dossierId)), stage);
      if (!move.ok) throw conflict('STAGE_ORDER', move.reason);
      await this.requireDone(trx, batch, dossier, stage);
      await this.support.stageMove(trx, doer(actor), batch, dossier, stage, 'finish', note || null);
      return this.views.dossierView(trx, batchId, dossier);
    });
  }

  /** 返工: back to `stage`, which and every later stage are done again; the reason is recorded. */
  async rework(actor: Actor, batchId: string, dossierId: string, stage: StageCode, reason: string): Promise<BatchDossier> {
    const scope = await this.stageScope(actor, [...STAGE_PERMISSIONS[stage], 'batch.manage', 'qc.inspect'], stage);
    return this.support.deps.db.transaction().execute(async (trx) => {
      const { batch, dossier } = await this.support.batchDossier(trx, scope, batchId, dossierId, true);
      this.support.requireState(batch, ['in_progress'], '登记返工');
      const repo = this.support.repo(trx);
      const move = reworkStage(statusesOf(await repo.stages(batchId, dossierId)), stage);
      if (!move.ok) throw conflict('STAGE_REWORK_REFUSED', move.reason);
      const at = this.support.now();
      for (const s of move.reset ?? []) {
        await repo.updateStage(batchId, dossierId, s, { status: 'pending', started_by: null, started_at: null, finished_by: null, finished_at: null, note: null });
      }
      if (move.reset?.includes('check')) {
        await repo.updateBatchDossier(batchId, dossierId, { check_run_id: null, check_state: null, check_failures: null, check_warnings: null, check_finished_at: null });
      }
      await repo.insertStageEvent({ id: newId(), batch_id: batchId, dossier_id: dossierId, stage, event: 'rework', user_id: actor.userId, at, note: reason });
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'batch.stage.rework', objectType: 'dossier', objectId: dossierId, objectLabel: `${batch.code}·${dossier.dossier_no}`,
        detail: { batchId, stage, stageLabel: STAGE_LABELS[stage], reset: move.reset, reason },
      });
      return this.views.dossierView(trx, batchId, dossier);
    });
  }

  async scanRegister(actor: Actor, batchId: string, dossierId: string): Promise<ScanRegister> {
    const scope = await this.support.viewScope(actor);
    const { dossier } = await this.support.batchDossier(this.support.deps.db, scope, batchId, dossierId);
    return this.views.scanRegister(this.support.deps.db, batchId, dossier);
  }

  /** Explains why a material's scanned pages differ from the catalogue, for the counts as they are now. */
  async explainScan(actor: Actor, batchId: string, materialId: string, note: string): Promise<ScanRegister> {
    const scope = await this.support.scopeOf(actor, ['scan.ingest', 'batch.manage']);
    return this.support.deps.db.transaction().execute(async (trx) => {
      const repo = this.support.repo(trx);
      const material = await repo.material(materialId);
      if (!material || material.deleted_at) throw notFound('MATERIAL_NOT_FOUND', '材料不存在或已删除');
      const { batch, dossier } = await this.support.batchDossier(trx, scope, batchId, material.dossier_id, true);
      this.support.requireState(batch, ['in_progress'], '登记扫描差异说明');
      const register = await this.views.scanRegister(trx, batchId, dossier);
      const row = register.rows.find((r) => r.materialId === materialId)!;
      if (row.difference === 0) throw conflict('SCAN_NO_DIFFERENCE', `「${row.name}」扫描页数与目录一致，无需说明`);
      await repo.insertScanExplanation({
        id: newId(), batch_id: batchId, dossier_id: dossier.id, material_id: materialId, expected_pages: row.expectedPages,
        scanned_pages: row.scannedPages, note, user_id: actor.userId, at: this.support.now(),
      });
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'batch.scan.explain', objectType: 'material', objectId: materialId, objectLabel: `${batch.code}·${dossier.dossier_no}·${row.seq} ${row.name}`,
        detail: { batchId, expectedPages: row.expectedPages, scannedPages: row.scannedPages, note },
      });
      return this.views.scanRegister(trx, batchId, dossier);
    });
  }

  /**
   * A check run finished (called by the checks job in its transaction). A run that completed finishes
   * the dossier's 自动校验 stage with its failure count, and the dossier goes on to 质检 if the sample
   * is drawn; a run that could not complete is recorded and may be requested again.
   */
  async checksFinished(executor: Executor, summary: DossierCheckSummary & { batchId: string | null }): Promise<void> {
    const repo = this.support.repo(executor);
    const row = await repo.batchDossierByRun(summary.runId);
    if (!row || row.dossier_id !== summary.dossierId) return;
    const batch = await repo.lockBatch(row.batch_id);
    if (!batch || batch.state !== 'in_progress') return;
    await repo.updateBatchDossier(row.batch_id, row.dossier_id, {
      check_state: summary.state, check_failures: summary.failures, check_warnings: summary.warnings, check_finished_at: summary.finishedAt,
    });
    const stages = statusesOf(await repo.stages(row.batch_id, row.dossier_id));
    if (summary.state !== 'done' || stages.check !== 'in_progress') return;
    const [dossier] = await repo.dossiers([row.dossier_id]);
    const note = summary.failures > 0 ? `发现 ${summary.failures} 项不合格、${summary.warnings} 项提示` : `未发现不合格项（${summary.warnings} 项提示）`;
    await this.support.stageMove(executor, SYSTEM, batch, dossier!, 'check', 'finish', note);
    if (batch.sampled_at) await this.quality.enterInspection(executor, SYSTEM, batch, dossier!, summary.failures > 0);
  }

  // ------------------------------------------------------------------ internals

  private async stageScope(actor: Actor, permissions: readonly Permission[], stage: StageCode) {
    if (!permissions.some((p) => actor.permissions.has(p))) {
      throw forbidden('FORBIDDEN', `没有「${STAGE_LABELS[stage]}」环节的操作权限`);
    }
    return this.support.scopeOf(actor, permissions);
  }

  /**
   * Whether the dossier's current check run ended failed: as the project heard it, or as the checks
   * module recorded it when telling the project failed (the run is then closed without the project).
   */
  private async checkRunFailed(trx: Executor, row: BatchDossierRow): Promise<boolean> {
    if (row.check_state === 'failed') return true;
    if (!row.check_run_id) return false;
    const latest = (await this.checks.latest(trx, [row.dossier_id])).get(row.dossier_id);
    return latest?.runId === row.check_run_id && latest.state === 'failed';
  }

  private async requestCheck(trx: Executor, actor: Actor, batch: BatchRow, dossier: DossierInfo): Promise<void> {
    // The batch's other dossiers are where a page filed twice would turn up.
    const siblingDossierIds = (await this.support.repo(trx).batchDossiers(batch.id)).map((d) => d.dossier_id).filter((id) => id !== dossier.id);
    const runId = await this.checks.request(trx, dossier.id, { batchId: batch.id, requestedBy: actor.userId, siblingDossierIds, audit: actor.audit });
    await this.support.repo(trx).updateBatchDossier(batch.id, dossier.id, {
      check_run_id: runId, check_state: 'queued', check_failures: null, check_warnings: null, check_finished_at: null,
    });
  }

  /** What makes a hands-on stage really done, beyond its order. */
  private async requireDone(trx: Executor, batch: BatchRow, dossier: DossierInfo, stage: StageCode): Promise<void> {
    const repo = this.support.repo(trx);
    if (stage === 'scan') {
      const register = await this.views.scanRegister(trx, batch.id, dossier);
      const open = register.rows.filter((r) => !r.explained);
      if (open.length > 0) {
        const list = open.slice(0, 3).map((r) => `「${r.seq} ${r.name}」目录 ${r.expectedPages} 页、已扫 ${r.scannedPages} 页`).join('；');
        throw conflict('SCAN_DIFFERENCE_UNEXPLAINED', `有 ${open.length} 份材料的扫描页数与目录不符且未说明差异（${list}${open.length > 3 ? ' 等' : ''}），不能完成扫描环节`);
      }
    }
    if (stage === 'process') {
      const c = await repo.pageStatusCounts(dossier.id);
      const waiting = (c.pending ?? 0) + (c.processing ?? 0) + (c.failed ?? 0);
      if ((c.processed ?? 0) === 0 && waiting === 0) throw conflict('PAGES_MISSING', '该卷档案还没有扫描页面，不能完成图像处理环节');
      if (waiting > 0) {
        throw conflict(
          'PAGES_NOT_PROCESSED',
          `尚有 ${waiting} 页未处理完成（待处理 ${c.pending ?? 0} 页、处理中 ${c.processing ?? 0} 页、处理失败 ${c.failed ?? 0} 页），不能完成图像处理环节`,
        );
      }
    }
    if (stage === 'link') {
      const unlinked = await repo.unlinkedPages(dossier.id);
      if (unlinked > 0) throw conflict('PAGES_UNLINKED', `尚有 ${unlinked} 页未挂接到材料，不能完成著录/挂接环节`);
    }
  }
}

function systemDriven(stage: StageCode): string {
  const by: Partial<Record<StageCode, string>> = {
    check: '自动校验完成后由系统结束',
    inspect: '由抽检与质检结论推进',
    accept: '由批次验收完成',
    return: '由入库交接完成',
  };
  return `「${STAGE_LABELS[stage]}」环节${by[stage] ?? '由系统推进'}，不能手工操作`;
}
