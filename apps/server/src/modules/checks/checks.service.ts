import type { CheckRun, DossierChecks } from '@dangan/contracts';
import type { Permission } from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import type { CheckRunTable } from '../../platform/db/schema.checks.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { ClaimedJob } from '../../platform/queue/queue.js';
import { PermanentJobError } from '../../platform/queue/runner.js';
import { hasPermission, type Authorized, type DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import { SYSTEM_CONTEXT } from '../audit/audit.log.js';
import { CompletenessService } from '../completeness/completeness.service.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { compareOrder, evaluateDossier, type Evaluation } from './checks.evaluate.js';
import { pageLookPort, type PageLookPort } from './checks.images.js';
import { DOSSIER_CHECK_JOB } from './checks.job.js';
import { SECTION, otherDossierIds, parseContext, toFindingRow, toRun, toSummary, withinScope, type FindingDraft } from './checks.models.js';
import type { CheckRequestContext, ChecksFinishedListener, ChecksPort, DossierCheckSummary } from './checks.port.js';
import { checksRepository } from './checks.repository.js';

/** Any one of these runs a dossier's checks; reading them also needs dossier.read. */
export const CHECK_PERMISSIONS: readonly Permission[] = ['batch.manage', 'qc.inspect', 'scan.ingest'];

/**
 * Automatic checks (数据校验) of a dossier's digitization results. A run is requested (by the project
 * module through the port, or by a person), done by the `dossier.check` job, and stored as a run row with
 * its findings, each pointing at the page it is about.
 */
export class ChecksService implements ChecksPort {
  private readonly listeners = new Set<ChecksFinishedListener>();
  private readonly looks: PageLookPort;
  private readonly completeness: CompletenessService;

  constructor(private readonly deps: ModuleDeps) {
    this.looks = pageLookPort(deps.blobs);
    this.completeness = new CompletenessService(deps.db, deps.kind, deps.clock, deps.audit, deps.access);
  }

  /** The project module listens for finished runs (wired in the composition root); returns the way to stop. */
  onFinished(listener: ChecksFinishedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async request(executor: Executor, dossierId: string, context: CheckRequestContext): Promise<string> {
    const repo = checksRepository(executor, this.deps.kind);
    const dossier = await repo.dossierById(dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在');
    const id = newId();
    const siblings = [...new Set(context.siblingDossierIds ?? [])].filter((d) => d !== dossierId);
    await repo.insertRun({
      id, dossier_id: dossierId, batch_id: context.batchId, context: JSON.stringify({ siblingDossierIds: siblings }), state: 'queued',
      requested_by: context.requestedBy, requested_at: this.deps.clock.now().toISOString(), started_at: null, finished_at: null,
      failures: 0, warnings: 0, params: null, error: null,
    });
    await this.deps.queue.enqueue(executor, DOSSIER_CHECK_JOB, { runId: id }, { dedupeKey: `${DOSSIER_CHECK_JOB}:${id}` });
    await this.deps.audit.append(executor, context.audit ?? { ...SYSTEM_CONTEXT, username: context.requestedBy }, {
      action: 'check.run.request', objectType: 'dossier', objectId: dossierId, objectLabel: `${dossier.dossier_no}（${dossier.cadre_name}）`,
      detail: { runId: id, batchId: context.batchId, siblingDossiers: siblings.length },
    });
    // In-process runners learn of it once the caller's transaction has committed (or at their next poll).
    setImmediate(() => this.deps.queue.notify());
    return id;
  }

  async latest(executor: Executor, dossierIds: readonly string[]): Promise<Map<string, DossierCheckSummary>> {
    const runs = await checksRepository(executor, this.deps.kind).latestRuns(dossierIds);
    return new Map([...runs].map(([dossierId, run]) => [dossierId, toSummary(run)]));
  }

  /** The dossier's latest run with its findings (null when it was never checked). */
  async ofDossier(actor: Actor, dossierId: string): Promise<DossierChecks> {
    const repo = checksRepository(this.deps.db, this.deps.kind);
    const scope = await this.readScope(actor);
    const dossier = await repo.dossier(scope, dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    const run = await repo.latestRunOf(dossierId);
    const view = run ? await this.view(scope, run, dossier.dossier_no) : null;
    await this.recordView(actor, dossier, view);
    return { dossierId, dossierNo: dossier.dossier_no, cadreName: dossier.cadre_name, run: view };
  }

  async run(actor: Actor, runId: string): Promise<CheckRun> {
    const repo = checksRepository(this.deps.db, this.deps.kind);
    const run = await repo.run(runId);
    const scope = await this.readScope(actor);
    const dossier = run ? await repo.dossier(scope, run.dossier_id) : undefined;
    if (!run || !dossier) throw notFound('CHECK_RUN_NOT_FOUND', '校验记录不存在或不在您的数据范围内');
    const view = await this.view(scope, run, dossier.dossier_no);
    await this.recordView(actor, dossier, view);
    return view;
  }

  /**
   * "Check now": a run in the setting of the dossier's last one (its batch and sibling dossiers). A run
   * still waiting in the queue is returned instead of queueing another.
   */
  async requestNow(actor: Actor, dossierId: string): Promise<CheckRun> {
    const permission = CHECK_PERMISSIONS.find((p) => hasPermission(actor, p));
    if (!permission) throw forbidden('FORBIDDEN', '没有执行此操作的权限');
    const scope = await this.deps.access.scope(actor, permission);
    const { db, kind } = this.deps;
    const dossier = await checksRepository(db, kind).dossier(scope, dossierId);
    if (!dossier) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    const runId = await db.transaction().execute(async (trx) => {
      const previous = await checksRepository(trx, kind).latestRunOf(dossierId);
      if (previous?.state === 'queued') return previous.id;
      return this.request(trx, dossierId, {
        batchId: previous?.batch_id ?? null, requestedBy: actor.userId, audit: actor.audit,
        siblingDossierIds: previous ? parseContext(previous.context).siblingDossierIds : [],
      });
    });
    return this.view(scope, (await checksRepository(db, kind).run(runId))!, dossier.dossier_no);
  }

  /**
   * The `dossier.check` job: evaluate, then store the findings (replacing any of an earlier attempt),
   * the run's state and counts, the audit event and the listener's work in one transaction. The last
   * failed attempt leaves the run `failed`, and the listener hears that too.
   */
  async execute(runId: string, job: Pick<ClaimedJob, 'attempts' | 'max_attempts'>): Promise<void> {
    const repo = checksRepository(this.deps.db, this.deps.kind);
    const run = await repo.run(runId);
    if (!run) return;
    await repo.updateRun(runId, { state: 'running', started_at: this.deps.clock.now().toISOString(), finished_at: null, error: null });
    try {
      const evaluation = await evaluateDossier({ ...this.deps, looks: this.looks }, run);
      await this.finish(runId, evaluation);
    } catch (err) {
      const last = job.attempts >= job.max_attempts || err instanceof PermanentJobError;
      if (last) await this.finishFailed(runId, errorText(err));
      throw err;
    }
  }

  /**
   * The last attempt failed. Should a listener fail on hearing it, the run is still closed as failed
   * without the listeners, so it never stays `running` with no job left to end it.
   */
  private async finishFailed(runId: string, error: string): Promise<void> {
    try {
      await this.finish(runId, { error });
    } catch (err) {
      await this.finish(runId, { error: `${error}；通知加工项目时出错：${errorText(err)}` }, false);
    }
  }

  private async finish(runId: string, outcome: Evaluation | { error: string }, notify = true): Promise<void> {
    const { db, kind, clock, audit } = this.deps;
    await db.transaction().execute(async (trx) => {
      const repo = checksRepository(trx, kind);
      const run = await repo.lockRun(runId);
      if (!run) return;
      const done = 'drafts' in outcome;
      const drafts = done ? [...outcome.drafts, ...(await this.completenessDrafts(trx, run.dossier_id))] : [];
      drafts.sort((a, b) => compareOrder(a.order, b.order));
      const rows = drafts.map((d, i) => toFindingRow(d, newId(), run.id, run.dossier_id, i + 1));
      await repo.replaceFindings(run.id, rows);
      const failures = rows.filter((r) => r.severity === 'failure').length;
      const warnings = rows.length - failures;
      const error = done ? null : outcome.error.slice(0, 2000);
      await repo.updateRun(run.id, {
        state: done ? 'done' : 'failed', failures, warnings, finished_at: clock.now().toISOString(),
        params: done ? JSON.stringify(outcome.params) : run.params, error,
      });
      const dossier = await repo.dossierById(run.dossier_id);
      await audit.append(trx, SYSTEM_CONTEXT, {
        action: 'check.run.finish', result: done ? 'success' : 'failure', objectType: 'dossier', objectId: run.dossier_id,
        objectLabel: dossier ? `${dossier.dossier_no}（${dossier.cadre_name}）` : run.dossier_id,
        detail: { runId: run.id, batchId: run.batch_id, failures, warnings, ...(error ? { error } : {}) },
      });
      const finished = (await repo.run(run.id))!;
      if (!notify) return;
      for (const listener of this.listeners) await listener(trx, { ...toSummary(finished), batchId: finished.batch_id });
    });
  }

  /** Expected materials the completeness rules find missing: shown to the inspector, not failing. */
  private async completenessDrafts(trx: Executor, dossierId: string): Promise<FindingDraft[]> {
    const report = await this.completeness.refresh(trx, dossierId);
    return report.results
      .filter((r) => r.status === 'missing')
      .map((r, i) => ({
        code: 'COMPLETENESS_MISSING' as const,
        message: `按完整性规则应有「${r.label}」${r.missingItems?.length ? `（${r.missingItems.join('、')}）` : ''}，目录中未见：${r.reason}`,
        materialId: null, page: null, related: [], detail: { rule: r.code, classCode: r.classCode, missingItems: r.missingItems ?? [] },
        order: [SECTION.dossier, i, 0] as [number, number, number],
      }));
  }

  /** A run as the reader may see it: other dossiers outside his scope are not named (a batch may span units). */
  private async view(scope: Authorized<DataScope>, run: CheckRunTable, dossierNo: string): Promise<CheckRun> {
    const repo = checksRepository(this.deps.db, this.deps.kind);
    const full = toRun(run, dossierNo, await repo.findings(run.id));
    return withinScope(full, await repo.visibleDossierIds(scope, otherDossierIds(full)));
  }

  private async readScope(actor: Actor): Promise<Authorized<DataScope>> {
    if (!CHECK_PERMISSIONS.some((p) => hasPermission(actor, p))) throw forbidden('FORBIDDEN', '没有执行此操作的权限');
    return this.deps.access.scope(actor, 'dossier.read');
  }

  private async recordView(actor: Actor, dossier: { id: string; dossier_no: string; cadre_name: string }, run: CheckRun | null): Promise<void> {
    await this.deps.audit.record(actor.audit, {
      action: 'check.view', objectType: 'dossier', objectId: dossier.id, objectLabel: `${dossier.dossier_no}（${dossier.cadre_name}）`,
      detail: run ? { runId: run.id, state: run.state, failures: run.failures, warnings: run.warnings } : { runId: null },
    });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
