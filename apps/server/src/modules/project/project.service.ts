import type { BatchDetail, BatchSummary, Handover } from '@dangan/contracts';
import {
  BATCH_EVENT_LABELS,
  STAGES,
  acceptanceDecision,
  batchCode,
  percentText,
  transition,
  type BatchState,
  type DossierState,
} from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import { isUniqueViolation, orConflict } from '../../platform/db/dialect.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { ChecksPort, DossierCheckSummary } from '../checks/checks.port.js';
import type { ModuleDeps } from './project.deps.js';
import { QualityService } from './project.quality.js';
import type { BatchRow } from './project.repository.js';
import { ProjectReports } from './project.reports.js';
import { StagesService } from './project.stages.js';
import { ProjectSupport, batchLabel, doer, statusesOf } from './project.support.js';
import { ProjectViews, passRateView, sampleVerdicts } from './project.views.js';

/** Operators on the processing side: they receive the paper, scan, process and link. */
const PROCESSING_SIDE = ['scan.ingest', 'scan.link'] as const;

/** China's calendar year of an instant (batch numbers follow the local year). */
function localYear(d: Date): number {
  return new Date(d.getTime() + 8 * 3600_000).getUTCFullYear();
}

/**
 * The digitization project: batches of dossiers, their check-out (request, approval, hand-over both
 * sides confirm), stages, quality and acceptance, and check-in. `stages`, `quality` and `reports`
 * carry the per-dossier work; this class the batch's own life.
 */
export class ProjectService {
  readonly stages: StagesService;
  readonly quality: QualityService;
  readonly reports: ProjectReports;
  private readonly support: ProjectSupport;
  private readonly views: ProjectViews;

  constructor(
    private readonly deps: ModuleDeps,
    checks: ChecksPort,
  ) {
    this.support = new ProjectSupport(deps);
    this.views = new ProjectViews(this.support);
    this.quality = new QualityService(this.support, this.views);
    this.stages = new StagesService(this.support, this.views, checks, this.quality);
    this.reports = new ProjectReports(this.support);
  }

  /** The checks module calls this, in its transaction, when a dossier's check run has finished. */
  async checksFinished(executor: Executor, summary: DossierCheckSummary & { batchId: string | null }): Promise<void> {
    await this.stages.checksFinished(executor, summary);
  }

  async list(actor: Actor, query: { page: number; pageSize: number; state?: BatchState; q?: string }): Promise<{ items: BatchSummary[]; total: number }> {
    const scope = await this.support.viewScope(actor);
    const { rows, total } = await this.support.repo().listBatches(scope, {
      state: query.state, q: query.q, limit: query.pageSize, offset: (query.page - 1) * query.pageSize,
    });
    return { items: await this.views.summaries(this.deps.db, rows), total };
  }

  async get(actor: Actor, batchId: string): Promise<BatchDetail> {
    const scope = await this.support.viewScope(actor);
    const batch = await this.support.visibleBatch(this.deps.db, scope, batchId);
    return this.views.detail(this.deps.db, scope, batch);
  }

  async create(actor: Actor, input: { name: string; notes: string; dossierIds: string[] }): Promise<BatchDetail> {
    const scope = await this.deps.access.scope(actor, 'batch.manage');
    // Two clerks numbering at once may take the same number; the unique code refuses one, which retries.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.db.transaction().execute(async (trx) => {
          const repo = this.support.repo(trx);
          const now = this.deps.clock.now();
          const year = localYear(now);
          const seq = (await repo.maxSeq(year)) + 1;
          const batch: BatchRow = {
            id: newId(), code: batchCode(year, seq), year, seq, name: input.name, notes: input.notes, state: 'draft', unit_id: actor.unitId,
            created_by: actor.userId, created_at: now.toISOString(), updated_at: now.toISOString(),
            requested_by: null, requested_at: null, request_note: null, approved_by: null, approved_at: null, approve_note: null,
            refused_by: null, refused_at: null, refuse_reason: null, sample_seed: null, sample_percent: null, sample_random_count: null,
            sampled_by: null, sampled_at: null, accepted_by: null, accepted_at: null, accept_note: null, acceptance_refused_by: null,
            acceptance_refused_at: null, acceptance_refuse_reason: null, cancelled_by: null, cancelled_at: null, cancel_reason: null, closed_at: null,
          };
          await repo.insertBatch(batch);
          const added = await this.addTo(trx, actor, scope, batch, input.dossierIds);
          await this.deps.audit.append(trx, actor.audit, {
            action: 'batch.create', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch),
            detail: { code: batch.code, name: batch.name, notes: batch.notes, dossiers: added },
          });
          return this.views.detail(trx, scope, batch);
        });
      } catch (err) {
        if (attempt < 4 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  async update(actor: Actor, batchId: string, patch: { name?: string; notes?: string }): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.manage', async (trx, batch) => {
      this.support.requireState(batch, ['draft', 'checkout_requested', 'approved', 'in_progress', 'accepted'], '修改');
      const after = { name: patch.name ?? batch.name, notes: patch.notes ?? batch.notes };
      await this.support.repo(trx).updateBatch(batch.id, { ...after, updated_at: this.support.now() });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.update', objectType: 'batch', objectId: batch.id, objectLabel: batch.code,
        detail: { before: { name: batch.name, notes: batch.notes }, after },
      });
    }, true);
  }

  async addDossiers(actor: Actor, batchId: string, dossierIds: string[]): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.manage', async (trx, batch, scope) => {
      this.support.requireState(batch, ['draft'], '加入档案（仅草稿批次可调整档案）');
      const added = await this.addTo(trx, actor, scope, batch, dossierIds);
      await this.support.repo(trx).updateBatch(batch.id, { updated_at: this.support.now() });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.dossiers.add', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch), detail: { dossiers: added },
      });
    });
  }

  async removeDossier(actor: Actor, batchId: string, dossierId: string): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.manage', async (trx, batch, scope) => {
      this.support.requireState(batch, ['draft'], '移出档案（仅草稿批次可调整档案）');
      const { dossier } = await this.support.batchDossier(trx, scope, batchId, dossierId);
      const repo = this.support.repo(trx);
      await repo.deleteBatchDossier(batchId, dossierId);
      await repo.updateBatch(batch.id, { updated_at: this.support.now() });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.dossiers.remove', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch),
        detail: { dossierId, dossierNo: dossier.dossier_no },
      });
    });
  }

  async cancel(actor: Actor, batchId: string, reason: string): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.manage', async (trx, batch) => {
      const to = this.support.moveBatch(batch, 'cancel');
      const repo = this.support.repo(trx);
      const now = this.support.now();
      const pending = (await repo.handovers(batch.id)).filter((h) => !h.completed_at);
      for (const h of pending) await repo.updateHandover(h.id, { note: `${h.note}（批次已撤销）`.trim() });
      await repo.updateBatch(batch.id, { state: to, cancelled_by: actor.userId, cancelled_at: now, cancel_reason: reason, updated_at: now });
      await repo.releaseDossiers(batch.id);
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.cancel', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch), detail: { before: batch.state, reason },
      });
    }, true);
  }

  async requestCheckout(actor: Actor, batchId: string, note: string): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.manage', async (trx, batch, _scope, dossiers) => {
      const to = this.support.moveBatch(batch, 'request_checkout');
      if (dossiers.length === 0) throw conflict('BATCH_EMPTY', '批次中没有档案，不能申请出库');
      this.requireInStore(dossiers);
      const now = this.support.now();
      await this.support.repo(trx).updateBatch(batch.id, { state: to, requested_by: actor.userId, requested_at: now, request_note: note || null, updated_at: now });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.checkout.request', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch),
        detail: { dossiers: dossiers.map((d) => d.dossier_no), note },
      });
    }, true);
  }

  async approveCheckout(actor: Actor, batchId: string, note: string): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.approve', async (trx, batch, _scope, dossiers) => {
      const to = this.support.moveBatch(batch, 'approve_checkout');
      this.requireInStore(dossiers);
      const now = this.support.now();
      await this.support.repo(trx).updateBatch(batch.id, { state: to, approved_by: actor.userId, approved_at: now, approve_note: note || null, updated_at: now });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.checkout.approve', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch),
        detail: { dossiers: dossiers.length, note },
      });
    }, true);
  }

  async refuseCheckout(actor: Actor, batchId: string, reason: string): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.approve', async (trx, batch) => {
      const to = this.support.moveBatch(batch, 'refuse_checkout');
      const now = this.support.now();
      await this.support.repo(trx).updateBatch(batch.id, { state: to, refused_by: actor.userId, refused_at: now, refuse_reason: reason, updated_at: now });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.checkout.refuse', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch), detail: { reason },
      });
    }, true);
  }

  /**
   * 出库交接: the clerk (交出方) registers the hand-over to the processing side (接收方) with each
   * dossier's material and page counts from the catalogue; the paper leaves when both have confirmed.
   */
  async handOver(actor: Actor, batchId: string, receiverId: string, note: string): Promise<Handover> {
    const scope = await this.deps.access.scope(actor, 'batch.manage');
    return this.deps.db.transaction().execute(async (trx) => {
      const { batch, dossiers } = await this.support.wholeBatch(trx, scope, batchId);
      this.support.requireState(batch, ['approved'], '登记出库交接（须先批准出库）');
      return this.registerHandover(trx, actor, scope, batch, 'out', { giverId: actor.userId, receiverId, note }, async (repo) => {
        const counts = await repo.catalogueCounts(dossiers.map((d) => d.id));
        this.requireInStore(dossiers);
        return dossiers.map((d) => {
          const c = counts.get(d.id) ?? { materials: 0, pages: 0 };
          return { dossier_id: d.id, materials: c.materials, pages: c.pages, expected_materials: c.materials, expected_pages: c.pages, note: null };
        });
      });
    });
  }

  /**
   * 入库交接: after acceptance the clerk (接收方) counts what comes back from the processing side
   * (交出方), dossier by dossier, against what went out; a difference must be explained. The
   * dossiers return to the store when both have confirmed.
   */
  async checkIn(
    actor: Actor,
    batchId: string,
    input: { giverId: string; note: string; items: { dossierId: string; materials: number; pages: number; note: string }[] },
  ): Promise<Handover> {
    const scope = await this.deps.access.scope(actor, 'batch.manage');
    return this.deps.db.transaction().execute(async (trx) => {
      const { batch, dossiers } = await this.support.wholeBatch(trx, scope, batchId);
      this.support.requireState(batch, ['accepted'], '登记入库交接（须先验收）');
      return this.registerHandover(trx, actor, scope, batch, 'in', { giverId: input.giverId, receiverId: actor.userId, note: input.note }, async (repo) => {
        const out = (await repo.handovers(batch.id)).find((h) => h.direction === 'out' && h.completed_at);
        const sent = new Map((await repo.handoverItems(out ? [out.id] : [])).map((i) => [i.dossier_id, i]));
        const given = new Map(input.items.map((i) => [i.dossierId, i]));
        if (given.size !== input.items.length) throw invalid('CHECKIN_DUPLICATE', '同一卷档案登记了两次', { items: '档案重复' });
        const missing = dossiers.filter((d) => !given.has(d.id));
        if (missing.length > 0) throw invalid('CHECKIN_INCOMPLETE', `入库清点须包括批次的全部档案，缺 ${missing.map((d) => d.dossier_no).join('、')}`, { items: '档案不全' });
        const extra = input.items.filter((i) => !dossiers.some((d) => d.id === i.dossierId));
        if (extra.length > 0) throw invalid('CHECKIN_FOREIGN', '清点中有不属于本批次的档案', { items: '档案不属于本批次' });
        return input.items.map((item, index) => {
          const s = sent.get(item.dossierId);
          const expected = { materials: Number(s?.materials ?? 0), pages: Number(s?.pages ?? 0) };
          const differs = item.materials !== expected.materials || item.pages !== expected.pages;
          if (differs && !item.note.trim()) {
            const no = dossiers.find((d) => d.id === item.dossierId)!.dossier_no;
            throw invalid(
              'CHECKIN_DIFFERENCE_UNEXPLAINED',
              `档案 ${no} 归还 ${item.materials} 份 ${item.pages} 页，与出库 ${expected.materials} 份 ${expected.pages} 页不符，须说明差异`,
              { [`items.${index}.note`]: '数量不符，须说明' },
            );
          }
          return {
            dossier_id: item.dossierId, materials: item.materials, pages: item.pages, expected_materials: expected.materials,
            expected_pages: expected.pages, note: item.note.trim() || null,
          };
        });
      });
    });
  }

  /** Either side confirms a hand-over; when both have, the dossiers move. */
  async confirmHandover(actor: Actor, handoverId: string): Promise<Handover> {
    const scope = await this.support.viewScope(actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const repo = this.support.repo(trx);
      const found = await repo.handover(handoverId);
      if (!found) throw notFound('HANDOVER_NOT_FOUND', '交接记录不存在');
      const batch = await this.support.visibleBatch(trx, scope, found.batch_id, true);
      const h = (await repo.lockHandover(handoverId))!;
      if (h.completed_at) throw conflict('HANDOVER_COMPLETED', '交接已完成');
      const side = h.giver_id === actor.userId ? 'giver' : h.receiver_id === actor.userId ? 'receiver' : null;
      if (!side) throw forbidden('NOT_HANDOVER_PARTY', '只有交接双方本人可以确认');
      if ((side === 'giver' ? h.giver_confirmed_at : h.receiver_confirmed_at) !== null) throw conflict('HANDOVER_CONFIRMED', '您已确认过此交接');
      this.support.requireState(batch, [h.direction === 'out' ? 'approved' : 'accepted'], '确认交接');
      const now = this.support.now();
      const confirmed = side === 'giver' ? { giver_confirmed_at: now } : { receiver_confirmed_at: now };
      const complete = (side === 'giver' ? h.receiver_confirmed_at : h.giver_confirmed_at) !== null;
      await repo.updateHandover(h.id, { ...confirmed, ...(complete ? { completed_at: now } : {}) });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.handover.confirm', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch),
        detail: { handoverId: h.id, direction: h.direction, side: side === 'giver' ? '交出方' : '接收方', completed: complete },
      });
      if (complete) await (h.direction === 'out' ? this.completeCheckout(trx, actor, batch) : this.completeCheckIn(trx, actor, batch));
      return this.views.handover(trx, scope, h.id);
    });
  }

  /** 验收: by the approver, when the sample's pass rate meets the setting and nothing is outstanding. */
  async accept(actor: Actor, batchId: string, note: string): Promise<BatchDetail> {
    const scope = await this.deps.access.scope(actor, 'batch.approve');
    const refusal = await this.deps.db.transaction().execute(async (trx) => {
      const { batch, dossiers } = await this.support.wholeBatch(trx, scope, batchId);
      this.support.moveBatch(batch, 'accept');
      const repo = this.support.repo(trx);
      const rows = await repo.batchDossiers(batchId);
      const stages = await repo.stages(batchId);
      const threshold = await this.deps.settings.get('project.passPercent', trx);
      const decision = acceptanceDecision({
        sampleDrawn: batch.sampled_at !== null,
        sample: sampleVerdicts(rows, await repo.inspections(batchId)),
        thresholdPercent: threshold,
        outstandingRework: (await repo.reworkList({ batchId, states: ['open', 'submitted'] })).length,
        dossiersNotInspected: dossiers.filter((d) => statusesOf(stages.filter((s) => s.dossier_id === d.id)).inspect !== 'done').length,
      });
      if (!decision.ok) return { batch, decision };
      const now = this.support.now();
      for (const d of dossiers) {
        await this.support.stageMove(trx, doer(actor), batch, d, 'accept', 'start', null);
        await this.support.stageMove(trx, doer(actor), batch, d, 'accept', 'finish', note || null);
      }
      await repo.updateBatch(batchId, { state: 'accepted', accepted_by: actor.userId, accepted_at: now, accept_note: note || null, updated_at: now });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.accept', objectType: 'batch', objectId: batchId, objectLabel: batchLabel(batch),
        detail: { passRate: decision.rate, threshold, note },
      });
      return null;
    });
    if (refusal && !refusal.decision.ok) {
      // A refused acceptance changes nothing, but the attempt and its reason are on record.
      await this.deps.audit.record(actor.audit, {
        action: 'batch.accept', result: 'failure', objectType: 'batch', objectId: batchId, objectLabel: batchLabel(refusal.batch),
        detail: { code: refusal.decision.code, reason: refusal.decision.reason, passRate: refusal.decision.rate },
      });
      throw conflict(refusal.decision.code, refusal.decision.reason);
    }
    return this.get(actor, batchId);
  }

  async refuseAcceptance(actor: Actor, batchId: string, reason: string): Promise<BatchDetail> {
    return this.change(actor, batchId, 'batch.approve', async (trx, batch) => {
      this.support.requireState(batch, ['in_progress'], '登记验收不通过');
      const repo = this.support.repo(trx);
      const rate = passRateView(await repo.batchDossiers(batch.id), await repo.inspections(batch.id));
      const now = this.support.now();
      await repo.updateBatch(batch.id, {
        acceptance_refused_by: actor.userId, acceptance_refused_at: now, acceptance_refuse_reason: reason, updated_at: now,
      });
      await this.deps.audit.append(trx, actor.audit, {
        action: 'batch.acceptance.refuse', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch),
        detail: { reason, passRate: percentText(rate.rate) },
      });
    }, true);
  }

  /** Users who can be the processing side of a hand-over or be sent rework. */
  async operators(actor: Actor): Promise<{ id: string; name: string; username: string; roles: string[] }[]> {
    await this.support.scopeOf(actor, ['batch.manage', 'qc.inspect']);
    const rows = await this.support.repo().usersWith([...PROCESSING_SIDE, 'qc.inspect']);
    const byUser = new Map<string, { id: string; name: string; username: string; roles: string[] }>();
    for (const r of rows) {
      const u = byUser.get(r.id) ?? { id: r.id, name: r.display_name, username: r.username, roles: [] };
      if (!u.roles.includes(r.role_name)) u.roles.push(r.role_name);
      byUser.set(r.id, u);
    }
    return [...byUser.values()];
  }

  // ------------------------------------------------------------------ internals

  /**
   * A change to a batch in one transaction, then its fresh view. `whole` requires every dossier of
   * the batch in the actor's scope (actions on the batch as a whole).
   */
  private async change(
    actor: Actor,
    batchId: string,
    permission: 'batch.manage' | 'batch.approve',
    apply: (trx: Executor, batch: BatchRow, scope: Authorized<DataScope>, dossiers: Awaited<ReturnType<ProjectSupport['wholeBatch']>>['dossiers']) => Promise<void>,
    whole = false,
  ): Promise<BatchDetail> {
    const scope = await this.deps.access.scope(actor, permission);
    return this.deps.db.transaction().execute(async (trx) => {
      const { batch, dossiers } = whole
        ? await this.support.wholeBatch(trx, scope, batchId)
        : { batch: await this.support.visibleBatch(trx, scope, batchId, true), dossiers: [] };
      await apply(trx, batch, scope, dossiers);
      return this.views.detail(trx, scope, (await this.support.repo(trx).batch(batchId))!);
    });
  }

  /** Puts dossiers into a draft batch: in scope, in the store, and in no other open batch. */
  private async addTo(trx: Executor, actor: Actor, scope: Authorized<DataScope>, batch: BatchRow, ids: string[]): Promise<string[]> {
    const repo = this.support.repo(trx);
    const wanted = [...new Set(ids)];
    const present = new Set((await repo.batchDossiers(batch.id)).map((d) => d.dossier_id));
    const fresh = wanted.filter((id) => !present.has(id));
    const dossiers = await repo.dossiers(fresh, this.support.units(scope));
    if (dossiers.length !== fresh.length) {
      throw notFound('DOSSIER_NOT_FOUND', `有 ${fresh.length - dossiers.length} 卷档案不存在或不在您的数据范围内`);
    }
    const taken = await repo.openBatchesOf(fresh);
    if (taken.length > 0) {
      const d = dossiers.find((x) => x.id === taken[0]!.dossier_id)!;
      throw conflict('DOSSIER_IN_OPEN_BATCH', `档案 ${d.dossier_no}（${d.cadre_name}）已在加工批次 ${taken[0]!.code} 中，一卷档案不能同时在两个未结束的批次中`);
    }
    this.requireInStore(dossiers);
    const now = this.support.now();
    for (const d of dossiers) {
      await orConflict(
        repo.insertBatchDossier({
          batch_id: batch.id, dossier_id: d.id, open_dossier_id: d.id, added_by: actor.userId, added_at: now,
          sample_reason: null, check_run_id: null, check_state: null, check_failures: null, check_warnings: null, check_finished_at: null,
        }),
        () => conflict('DOSSIER_IN_OPEN_BATCH', `档案 ${d.dossier_no} 已在另一个未结束的加工批次中`),
      );
      await repo.insertStages(
        STAGES.map((stage) => ({
          batch_id: batch.id, dossier_id: d.id, stage, status: 'pending', started_by: null, started_at: null, finished_by: null, finished_at: null, note: null,
        })),
      );
    }
    return dossiers.map((d) => d.dossier_no);
  }

  /** Every dossier must be able to leave the store (the dossier state machine says why not). */
  private requireInStore(dossiers: readonly { dossier_no: string; cadre_name: string; state: string }[]): void {
    for (const d of dossiers) {
      const r = transition(d.state as DossierState, 'check_out_for_digitization');
      if (!r.ok) throw conflict('DOSSIER_NOT_IN_STORE', `档案 ${d.dossier_no}（${d.cadre_name}）${r.reason}`);
    }
  }

  private async registerHandover(
    trx: Executor,
    actor: Actor,
    scope: Authorized<DataScope>,
    batch: BatchRow,
    direction: 'out' | 'in',
    parties: { giverId: string; receiverId: string; note: string },
    items: (repo: ReturnType<ProjectSupport['repo']>) => Promise<{ dossier_id: string; materials: number; pages: number; expected_materials: number; expected_pages: number; note: string | null }[]>,
  ): Promise<Handover> {
    const repo = this.support.repo(trx);
    if ((await repo.handovers(batch.id)).some((h) => h.direction === direction && !h.completed_at)) {
      throw conflict('HANDOVER_PENDING', '已有一份交接等待双方确认');
    }
    if (parties.giverId === parties.receiverId) throw invalid('HANDOVER_SAME_PERSON', '交接双方不能为同一人', { [direction === 'out' ? 'receiverId' : 'giverId']: '不能是本人' });
    const other = direction === 'out' ? parties.receiverId : parties.giverId;
    await this.support.requireWorker(trx, other, PROCESSING_SIDE, direction === 'out' ? '接收方' : '交还方');
    const id = newId();
    const rows = await items(repo);
    await repo.insertHandover(
      { id, batch_id: batch.id, direction, giver_id: parties.giverId, receiver_id: parties.receiverId, created_by: actor.userId, created_at: this.support.now(),
        giver_confirmed_at: null, receiver_confirmed_at: null, completed_at: null, note: parties.note },
      rows.map((r) => ({ ...r, handover_id: id })),
    );
    await this.deps.audit.append(trx, actor.audit, {
      action: 'batch.handover.create', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch),
      detail: {
        handoverId: id, direction: direction === 'out' ? '出库交接' : '入库交接', giverId: parties.giverId, receiverId: parties.receiverId,
        dossiers: rows.length, materials: rows.reduce((s, r) => s + r.materials, 0), pages: rows.reduce((s, r) => s + r.pages, 0),
        differences: rows.filter((r) => r.materials !== r.expected_materials || r.pages !== r.expected_pages).length,
      },
    });
    return this.views.handover(trx, scope, id);
  }

  /** Both sides signed the check-out: each dossier goes 在库 → 出库加工 and the batch is worked on. */
  private async completeCheckout(trx: Executor, actor: Actor, batch: BatchRow): Promise<void> {
    const to = this.support.moveBatch(batch, 'hand_over');
    const repo = this.support.repo(trx);
    for (const row of await repo.batchDossiers(batch.id)) {
      await this.support.moveDossier(trx, doer(actor), row.dossier_id, 'check_out_for_digitization', `加工批次 ${batch.code} ${BATCH_EVENT_LABELS.hand_over}`);
    }
    await repo.updateBatch(batch.id, { state: to, updated_at: this.support.now() });
  }

  /** Both sides signed the check-in: each dossier goes back 在库, 入库 is done, the batch closes. */
  private async completeCheckIn(trx: Executor, actor: Actor, batch: BatchRow): Promise<void> {
    const to = this.support.moveBatch(batch, 'check_in');
    const repo = this.support.repo(trx);
    const rows = await repo.batchDossiers(batch.id);
    const dossiers = await repo.dossiers(rows.map((r) => r.dossier_id));
    for (const d of dossiers) {
      await this.support.moveDossier(trx, doer(actor), d.id, 'return_from_digitization', `加工批次 ${batch.code} ${BATCH_EVENT_LABELS.check_in}`);
      await this.support.stageMove(trx, doer(actor), batch, d, 'return', 'start', null);
      await this.support.stageMove(trx, doer(actor), batch, d, 'return', 'finish', null);
    }
    const now = this.support.now();
    await repo.updateBatch(batch.id, { state: to, closed_at: now, updated_at: now });
    await repo.releaseDossiers(batch.id);
    await this.deps.audit.append(trx, actor.audit, {
      action: 'batch.close', objectType: 'batch', objectId: batch.id, objectLabel: batchLabel(batch), detail: { dossiers: dossiers.length },
    });
  }
}
