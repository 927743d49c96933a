import { randomInt } from 'node:crypto';
import type { BatchDetail, InspectionDetail, ReworkDetail, ReworkSummary } from '@dangan/contracts';
import { DEFECT_TYPE_LABELS, STAGE_LABELS, VERDICT_LABELS, currentStage, drawSample, type DefectType, type ReworkState, type Verdict } from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import type { BatchRow, DossierInfo, InspectionRow } from './project.repository.js';
import { batchLabel, doer, statusesOf, type Doer, type ProjectSupport } from './project.support.js';
import type { ProjectViews } from './project.views.js';

/** Who may be sent rework: the operators who scan, process and link. */
const OPERATOR_PERMISSIONS = ['scan.ingest', 'scan.link'] as const;

/**
 * Quality: the batch's sample (seeded, reproducible), inspection rounds with defects on pages, the
 * verdict, and rework (整改) sent back to the operator and inspected again.
 */
export class QualityService {
  constructor(
    private readonly support: ProjectSupport,
    private readonly views: ProjectViews,
  ) {}

  /**
   * Draws the sample once every dossier has been through 自动校验: a random share of the batch plus
   * every dossier whose check found failures. The seed is recorded, so the draw can be redone.
   */
  async drawSample(actor: Actor, batchId: string): Promise<BatchDetail> {
    const scope = await this.support.scopeOf(actor, ['qc.inspect', 'batch.manage']);
    return this.support.deps.db.transaction().execute(async (trx) => {
      const { batch, dossiers } = await this.support.wholeBatch(trx, scope, batchId);
      this.support.requireState(batch, ['in_progress'], '抽取质检样本');
      if (batch.sampled_at) throw conflict('SAMPLE_ALREADY_DRAWN', `本批次已于 ${batch.sampled_at.slice(0, 10)} 抽样（种子 ${batch.sample_seed}），不能重抽`);
      const repo = this.support.repo(trx);
      const rows = await repo.batchDossiers(batchId);
      const stages = await repo.stages(batchId);
      const unchecked = dossiers.filter((d) => statusesOf(stages.filter((s) => s.dossier_id === d.id)).check !== 'done');
      if (unchecked.length > 0) {
        throw conflict('CHECKS_NOT_DONE', `尚有 ${unchecked.length} 卷档案未完成自动校验（如 ${unchecked[0]!.dossier_no}），不能抽样`);
      }
      const percent = await this.support.deps.settings.get('project.samplingPercent', trx);
      const seed = randomInt(0, 2 ** 31 - 1);
      const failed = new Set(rows.filter((r) => Number(r.check_failures ?? 0) > 0).map((r) => r.dossier_id));
      const sample = drawSample({ dossierIds: rows.map((r) => r.dossier_id), checkFailedIds: failed, percent, seed });
      const now = this.support.now();
      for (const s of sample.selected) await repo.updateBatchDossier(batchId, s.dossierId, { sample_reason: s.reason });
      await repo.updateBatch(batchId, {
        sample_seed: seed, sample_percent: percent, sample_random_count: sample.randomCount, sampled_by: actor.userId, sampled_at: now, updated_at: now,
      });
      const no = new Map(dossiers.map((d) => [d.id, d.dossier_no]));
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'batch.sample', objectType: 'batch', objectId: batchId, objectLabel: batchLabel(batch),
        detail: {
          seed, percent, batchSize: rows.length, randomCount: sample.randomCount, algorithm: 'mulberry32 + Fisher–Yates（按档案标识排序）',
          selected: sample.selected.map((s) => ({ dossierId: s.dossierId, dossierNo: no.get(s.dossierId), reason: s.reason })),
        },
      });
      const sampled = { ...batch, sampled_at: now };
      for (const d of dossiers) await this.enterInspection(trx, doer(actor), sampled, d, false);
      return this.views.detail(trx, scope, (await repo.batch(batchId))!);
    });
  }

  /**
   * A dossier whose checks are done enters 质检 once the sample exists. One outside the sample is
   * done with 质检 at once, unless its check found failures, which puts it in the sample in full.
   */
  async enterInspection(trx: Executor, who: Doer, batch: BatchRow, dossier: DossierInfo, checkFailed: boolean): Promise<void> {
    const repo = this.support.repo(trx);
    const row = (await repo.batchDossier(batch.id, dossier.id))!;
    const stages = statusesOf(await repo.stages(batch.id, dossier.id));
    if (stages.check !== 'done' || stages.inspect !== 'pending') return;
    let reason = row.sample_reason;
    if (!reason && checkFailed) {
      reason = 'check_failed';
      await repo.updateBatchDossier(batch.id, dossier.id, { sample_reason: reason });
    }
    await this.support.stageMove(trx, who, batch, dossier, 'inspect', 'start', reason ? null : '未抽中');
    if (!reason) await this.support.stageMove(trx, who, batch, dossier, 'inspect', 'finish', '未抽中，免检');
  }

  async open(actor: Actor, batchId: string, dossierId: string): Promise<InspectionDetail> {
    const scope = await this.support.deps.access.scope(actor, 'qc.inspect');
    return this.support.deps.db.transaction().execute(async (trx) => {
      const { batch, row, dossier } = await this.support.batchDossier(trx, scope, batchId, dossierId, true);
      this.support.requireState(batch, ['in_progress'], '质检');
      if (!row.sample_reason) throw conflict('NOT_IN_SAMPLE', `档案 ${dossier.dossier_no} 未入选质检样本`);
      const repo = this.support.repo(trx);
      const stage = statusesOf(await repo.stages(batchId, dossierId)).inspect;
      if (stage === 'done') throw conflict('INSPECTION_DONE', `档案 ${dossier.dossier_no} 已质检合格`);
      if (stage === 'pending') throw conflict('STAGE_ORDER', `档案 ${dossier.dossier_no} 尚未进入质检环节（须先完成自动校验）`);
      const rounds = await repo.inspections(batchId, dossierId);
      const open = rounds.find((i) => i.verdict === null);
      if (open) throw conflict('INSPECTION_OPEN', `档案 ${dossier.dossier_no} 的第 ${open.round} 轮质检尚未给出结论`);
      const waiting = (await repo.reworkList({ batchId, dossierId, states: ['open'] }))[0];
      if (waiting) throw conflict('REWORK_NOT_SUBMITTED', `档案 ${dossier.dossier_no} 的整改尚未提交，不能复检`);
      const id = newId();
      const round = rounds.length + 1;
      await repo.insertInspection({ id, batch_id: batchId, dossier_id: dossierId, round, inspector_id: actor.userId, opened_at: this.support.now(), verdict: null, verdict_at: null, note: null });
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'inspection.open', objectType: 'inspection', objectId: id, objectLabel: `${batch.code}·${dossier.dossier_no}·第 ${round} 轮`,
        detail: { batchId, dossierId, round },
      });
      return this.views.inspectionDetail(trx, id);
    });
  }

  async get(actor: Actor, inspectionId: string): Promise<InspectionDetail> {
    const scope = await this.support.viewScope(actor);
    const repo = this.support.repo();
    const row = await repo.inspection(inspectionId);
    if (!row) throw notFound('INSPECTION_NOT_FOUND', '质检记录不存在');
    await this.support.batchDossier(this.support.deps.db, scope, row.batch_id, row.dossier_id);
    return this.views.inspectionDetail(this.support.deps.db, inspectionId);
  }

  async addDefect(
    actor: Actor,
    inspectionId: string,
    input: { pageId: string | null; materialId: string | null; type: DefectType; box: [number, number, number, number] | null; note: string },
  ): Promise<InspectionDetail> {
    return this.changeOpen(actor, inspectionId, async (trx, inspection, label) => {
      const repo = this.support.repo(trx);
      let materialId = input.materialId;
      if (input.pageId) {
        const page = await repo.page(input.pageId);
        if (!page || page.deleted_at || page.dossier_id !== inspection.dossier_id) {
          throw invalid('DEFECT_PAGE_INVALID', '缺陷所在页不属于该卷档案或已删除', { pageId: '页面不属于该卷档案' });
        }
        materialId = page.material_id;
        if (input.box) checkBox(input.box, page.analysis);
      } else if (input.box) {
        throw invalid('DEFECT_BOX_WITHOUT_PAGE', '标注框须指明所在页', { box: '须指明页面' });
      }
      if (materialId) {
        const m = await repo.material(materialId);
        if (!m || m.dossier_id !== inspection.dossier_id) throw invalid('DEFECT_MATERIAL_INVALID', '缺陷所在材料不属于该卷档案', { materialId: '材料不属于该卷档案' });
      }
      const id = newId();
      await repo.insertDefect({
        id, inspection_id: inspection.id, batch_id: inspection.batch_id, dossier_id: inspection.dossier_id, page_id: input.pageId, material_id: materialId,
        type: input.type, box: input.box ? JSON.stringify(input.box) : null, note: input.note, created_by: actor.userId, created_at: this.support.now(),
        rework_id: null, fixed_by: null, fixed_at: null, fix_note: null,
      });
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'inspection.defect.add', objectType: 'inspection', objectId: inspection.id, objectLabel: label,
        detail: { defectId: id, type: input.type, typeLabel: DEFECT_TYPE_LABELS[input.type], pageId: input.pageId, materialId, box: input.box, note: input.note },
      });
    });
  }

  async removeDefect(actor: Actor, inspectionId: string, defectId: string): Promise<InspectionDetail> {
    return this.changeOpen(actor, inspectionId, async (trx, inspection, label) => {
      const repo = this.support.repo(trx);
      const defect = await repo.defect(defectId);
      if (!defect || defect.inspection_id !== inspection.id) throw notFound('DEFECT_NOT_FOUND', '缺陷记录不存在');
      await repo.deleteDefect(defectId);
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'inspection.defect.remove', objectType: 'inspection', objectId: inspection.id, objectLabel: label,
        detail: { defectId, type: defect.type, pageId: defect.page_id, note: defect.note },
      });
    });
  }

  /**
   * The verdict of a round. 合格 finishes the dossier's 质检; 不合格 needs at least one defect and
   * sends them to an operator as rework. Either way a rework waiting for this re-inspection is closed.
   */
  async verdict(actor: Actor, inspectionId: string, input: { verdict: Verdict; note: string; assigneeId?: string }): Promise<InspectionDetail> {
    return this.changeOpen(actor, inspectionId, async (trx, inspection, label, batch, dossier) => {
      const repo = this.support.repo(trx);
      const defects = await repo.defectsOf({ inspectionId: inspection.id });
      if (input.verdict === 'fail' && defects.length === 0) {
        throw invalid('VERDICT_NEEDS_DEFECTS', '判定不合格须至少登记一处缺陷', { verdict: '须先登记缺陷' });
      }
      const now = this.support.now();
      await repo.updateInspection(inspection.id, { verdict: input.verdict, verdict_at: now, note: input.note || null });
      for (const r of await repo.reworkList({ batchId: inspection.batch_id, dossierId: inspection.dossier_id, states: ['submitted'] })) {
        await repo.updateRework(r.id, { state: 'closed', closed_at: now });
      }
      let reworkId: string | null = null;
      let assignee: { id: string; display_name: string } | null = null;
      if (input.verdict === 'fail') {
        assignee = await this.assignee(trx, inspection, input.assigneeId);
        reworkId = newId();
        await repo.insertRework({
          id: reworkId, batch_id: inspection.batch_id, dossier_id: inspection.dossier_id, inspection_id: inspection.id, assignee_id: assignee.id,
          state: 'open', created_by: actor.userId, created_at: now, submitted_at: null, submit_note: null, closed_at: null,
        });
        await repo.assignDefects(inspection.id, reworkId);
      } else {
        await this.support.stageMove(trx, doer(actor), batch, dossier, 'inspect', 'finish', `第 ${inspection.round} 轮质检合格`);
      }
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'inspection.verdict', objectType: 'inspection', objectId: inspection.id, objectLabel: label,
        detail: {
          verdict: input.verdict, verdictLabel: VERDICT_LABELS[input.verdict], round: inspection.round, defects: defects.length,
          note: input.note, reworkId, assignee: assignee ? { id: assignee.id, name: assignee.display_name } : null,
        },
      });
    });
  }

  async reworkList(actor: Actor, filter: { mine: boolean; batchId?: string; state?: ReworkState }): Promise<ReworkSummary[]> {
    const scope = await this.support.viewScope(actor);
    const repo = this.support.repo();
    const rows = await repo.reworkList({
      batchId: filter.batchId, assigneeId: filter.mine ? actor.userId : undefined, states: filter.state ? [filter.state] : undefined,
    });
    const visible = new Set((await repo.dossiers(rows.map((r) => r.dossier_id), this.support.units(scope))).map((d) => d.id));
    return this.views.reworkSummaries(this.support.deps.db, rows.filter((r) => visible.has(r.dossier_id)));
  }

  async rework(actor: Actor, reworkId: string): Promise<ReworkDetail> {
    const scope = await this.support.viewScope(actor);
    const row = await this.support.repo().rework(reworkId);
    if (!row) throw notFound('REWORK_NOT_FOUND', '整改任务不存在');
    await this.support.batchDossier(this.support.deps.db, scope, row.batch_id, row.dossier_id);
    return this.views.reworkDetail(this.support.deps.db, reworkId);
  }

  async fixDefect(actor: Actor, reworkId: string, defectId: string, note: string): Promise<ReworkDetail> {
    return this.changeRework(actor, reworkId, async (trx, rework, label) => {
      const repo = this.support.repo(trx);
      const defect = await repo.defect(defectId);
      if (!defect || defect.rework_id !== rework.id) throw notFound('DEFECT_NOT_FOUND', '该缺陷不属于此整改任务');
      await repo.updateDefect(defectId, { fixed_by: actor.userId, fixed_at: this.support.now(), fix_note: note });
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'rework.fix', objectType: 'rework', objectId: rework.id, objectLabel: label,
        detail: { defectId, type: defect.type, typeLabel: DEFECT_TYPE_LABELS[defect.type as DefectType], note },
      });
    });
  }

  async submit(actor: Actor, reworkId: string, note: string): Promise<ReworkDetail> {
    return this.changeRework(actor, reworkId, async (trx, rework, label) => {
      const repo = this.support.repo(trx);
      const open = (await repo.defectsOf({ reworkId: rework.id })).filter((d) => !d.fixed_at);
      if (open.length > 0) throw conflict('DEFECTS_NOT_FIXED', `尚有 ${open.length} 处缺陷未标记整改，不能提交`);
      await repo.updateRework(rework.id, { state: 'submitted', submitted_at: this.support.now(), submit_note: note || null });
      await this.support.deps.audit.append(trx, actor.audit, {
        action: 'rework.submit', objectType: 'rework', objectId: rework.id, objectLabel: label, detail: { note },
      });
    });
  }

  // ------------------------------------------------------------------ internals

  /** A change to an open round, by the inspector who opened it, with the batch still being worked. */
  private async changeOpen(
    actor: Actor,
    inspectionId: string,
    change: (trx: Executor, inspection: InspectionRow, label: string, batch: BatchRow, dossier: DossierInfo) => Promise<void>,
  ): Promise<InspectionDetail> {
    const scope = await this.support.deps.access.scope(actor, 'qc.inspect');
    return this.support.deps.db.transaction().execute(async (trx) => {
      const repo = this.support.repo(trx);
      const found = await repo.inspection(inspectionId);
      if (!found) throw notFound('INSPECTION_NOT_FOUND', '质检记录不存在');
      const { batch, dossier } = await this.support.batchDossier(trx, scope, found.batch_id, found.dossier_id, true);
      const inspection = (await repo.lockInspection(inspectionId))!;
      this.support.requireState(batch, ['in_progress'], '修改质检记录');
      if (inspection.verdict !== null) throw conflict('INSPECTION_CLOSED', `第 ${inspection.round} 轮质检已有结论，不能再修改；复检请开始新一轮`);
      if (inspection.inspector_id !== actor.userId) throw forbidden('NOT_INSPECTOR', '只有本轮质检员可以登记缺陷和给出结论');
      // A dossier sent back (返工) while its round was open is inspected again only once it is back in 质检.
      const stages = statusesOf(await repo.stages(batch.id, dossier.id));
      if (stages.inspect !== 'in_progress') {
        const at = currentStage(stages);
        throw conflict('STAGE_ORDER', `档案 ${dossier.dossier_no} 已返工至「${at ? STAGE_LABELS[at] : '—'}」环节，须重新完成自动校验后再继续本轮质检`);
      }
      await change(trx, inspection, `${batch.code}·${dossier.dossier_no}·第 ${inspection.round} 轮`, batch, dossier);
      return this.views.inspectionDetail(trx, inspectionId);
    });
  }

  /** A change to an open rework task, by the operator it was sent to. */
  private async changeRework(
    actor: Actor,
    reworkId: string,
    change: (trx: Executor, rework: { id: string; batch_id: string; dossier_id: string }, label: string) => Promise<void>,
  ): Promise<ReworkDetail> {
    const scope = await this.support.scopeOf(actor, OPERATOR_PERMISSIONS);
    return this.support.deps.db.transaction().execute(async (trx) => {
      const repo = this.support.repo(trx);
      const found = await repo.rework(reworkId);
      if (!found) throw notFound('REWORK_NOT_FOUND', '整改任务不存在');
      const { batch, dossier } = await this.support.batchDossier(trx, scope, found.batch_id, found.dossier_id, true);
      const rework = (await repo.lockRework(reworkId))!;
      this.support.requireState(batch, ['in_progress'], '整改');
      if (rework.state !== 'open') throw conflict('REWORK_NOT_OPEN', '该整改任务已提交复检');
      if (rework.assignee_id !== actor.userId) throw forbidden('NOT_ASSIGNEE', '只有整改人本人可以处理该整改任务');
      await change(trx, rework, `${batch.code}·${dossier.dossier_no}`);
      return this.views.reworkDetail(trx, reworkId);
    });
  }

  /** The operator who gets the rework: the one named, or who did 图像处理 (else 扫描) for the dossier. */
  private async assignee(trx: Executor, inspection: InspectionRow, assigneeId: string | undefined) {
    if (assigneeId) return this.support.requireWorker(trx, assigneeId, OPERATOR_PERMISSIONS, '整改人');
    const stages = await this.support.repo(trx).stages(inspection.batch_id, inspection.dossier_id);
    const by = (s: string) => stages.find((r) => r.stage === s);
    const candidate = by('process')?.finished_by ?? by('scan')?.finished_by ?? by('scan')?.started_by ?? null;
    if (!candidate) throw invalid('REWORK_ASSIGNEE_REQUIRED', '无法确定该卷的加工人员，请指定整改人', { assigneeId: '请指定整改人' });
    return this.support.requireWorker(trx, candidate, OPERATOR_PERMISSIONS, '整改人');
  }
}

/** A box must lie on the page's master image, when the page's size is known. */
function checkBox(box: [number, number, number, number], analysis: string | null): void {
  if (!analysis) return;
  const size = JSON.parse(analysis) as { width?: number; height?: number };
  if (!size.width || !size.height) return;
  const [x, y, w, h] = box;
  if (x + w > size.width || y + h > size.height) {
    throw invalid('DEFECT_BOX_OUTSIDE', `标注框超出页面图像（${size.width}×${size.height} 像素）`, { box: '超出页面范围' });
  }
}
