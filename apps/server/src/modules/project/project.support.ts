import type { UserRef } from '@dangan/contracts';
import {
  BATCH_STATE_LABELS,
  DOSSIER_EVENT_LABELS,
  DOSSIER_STATE_LABELS,
  STAGES,
  STAGE_LABELS,
  batchTransition,
  transition,
  type BatchEvent,
  type BatchState,
  type DossierEvent,
  type DossierState,
  type Permission,
  type StageCode,
  type StageStatus,
  type StageStatuses,
} from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditContext } from '../audit/audit.log.js';
import type { ModuleDeps } from './project.deps.js';
import { projectRepository, type BatchRow, type DossierInfo, type StageRow } from './project.repository.js';

/** Who acts: a user, or the system (the check run) with `userId` null. */
export interface Doer {
  userId: string | null;
  audit: AuditContext;
}

export function doer(actor: Actor): Doer {
  return { userId: actor.userId, audit: actor.audit };
}

/** Everyone who works on batches may read them, each with the scope of a permission he holds. */
export const READ_PERMISSIONS: readonly Permission[] = ['batch.manage', 'batch.approve', 'qc.inspect', 'scan.ingest', 'scan.link'];

export function statusesOf(rows: readonly Pick<StageRow, 'stage' | 'status'>[]): StageStatuses {
  const out = Object.fromEntries(STAGES.map((s) => [s, 'pending'])) as StageStatuses;
  for (const r of rows) out[r.stage as StageCode] = r.status as StageStatus;
  return out;
}

export function batchLabel(batch: { code: string; name: string }): string {
  return `${batch.code}（${batch.name}）`;
}

/** The rules every part of the project module shares: scope, loading, stage moves, dossier moves. */
export class ProjectSupport {
  constructor(readonly deps: ModuleDeps) {}

  repo(executor: Executor = this.deps.db) {
    return projectRepository(executor, this.deps.kind);
  }

  now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** The scope of the first of `permissions` the actor holds (403 when none). */
  async scopeOf(actor: Actor, permissions: readonly Permission[]): Promise<Authorized<DataScope>> {
    const held = permissions.find((p) => actor.permissions.has(p));
    if (!held) throw forbidden('FORBIDDEN', '没有执行此操作的权限');
    return this.deps.access.scope(actor, held);
  }

  async viewScope(actor: Actor): Promise<Authorized<DataScope>> {
    return this.scopeOf(actor, READ_PERMISSIONS);
  }

  units(scope: DataScope): string[] | null {
    return scope.unitIds === null ? null : [...scope.unitIds];
  }

  inScope(scope: DataScope, unitId: string): boolean {
    return scope.unitIds === null || scope.unitIds.has(unitId);
  }

  /** The batch, when it is the scope's own or holds one of the scope's dossiers. */
  async visibleBatch(executor: Executor, scope: DataScope, batchId: string, lock = false): Promise<BatchRow> {
    const repo = this.repo(executor);
    const batch = lock ? await repo.lockBatch(batchId) : await repo.batch(batchId);
    if (!batch) throw notFound('BATCH_NOT_FOUND', '加工批次不存在');
    if (this.inScope(scope, batch.unit_id)) return batch;
    const ids = (await repo.batchDossiers(batchId)).map((d) => d.dossier_id);
    if ((await repo.dossiers(ids, this.units(scope))).length > 0) return batch;
    throw notFound('BATCH_NOT_FOUND', '加工批次不存在或不在您的数据范围内');
  }

  /** For actions on the whole batch: the batch is visible and every one of its dossiers in scope. */
  async wholeBatch(executor: Executor, scope: DataScope, batchId: string, lock = true): Promise<{ batch: BatchRow; dossiers: DossierInfo[] }> {
    const batch = await this.visibleBatch(executor, scope, batchId, lock);
    const repo = this.repo(executor);
    const dossiers = await repo.dossiers((await repo.batchDossiers(batchId)).map((d) => d.dossier_id));
    const outside = dossiers.filter((d) => !this.inScope(scope, d.managing_unit_id));
    if (outside.length > 0) {
      throw forbidden('OUT_OF_SCOPE', `批次中有 ${outside.length} 卷档案不在您的数据范围内（如 ${outside[0]!.dossier_no}），不能对整个批次操作`);
    }
    return { batch, dossiers };
  }

  /** One dossier of a batch, in the scope. */
  async batchDossier(executor: Executor, scope: DataScope, batchId: string, dossierId: string, lock = false) {
    const batch = await this.visibleBatch(executor, scope, batchId, lock);
    const repo = this.repo(executor);
    const row = await repo.batchDossier(batchId, dossierId);
    const [dossier] = row ? await repo.dossiers([dossierId], this.units(scope)) : [];
    if (!row || !dossier) throw notFound('BATCH_DOSSIER_NOT_FOUND', '该档案不在此批次中或不在您的数据范围内');
    return { batch, row, dossier };
  }

  moveBatch(batch: BatchRow, event: BatchEvent): BatchState {
    const r = batchTransition(batch.state as BatchState, event);
    if (!r.ok) throw conflict('BATCH_STATE_REFUSED', r.reason);
    return r.to;
  }

  requireState(batch: BatchRow, states: readonly BatchState[], doing: string): void {
    if (!states.includes(batch.state as BatchState)) {
      throw conflict('BATCH_STATE_REFUSED', `批次当前为「${BATCH_STATE_LABELS[batch.state as BatchState]}」，不能${doing}`);
    }
  }

  /**
   * A stage starts or finishes: the row, its history and the audit event, in the caller's transaction.
   * The domain's order rule has been applied by the caller.
   */
  async stageMove(
    trx: Executor,
    who: Doer,
    batch: BatchRow,
    dossier: { id: string; dossier_no: string },
    stage: StageCode,
    move: 'start' | 'finish',
    note: string | null,
  ): Promise<void> {
    const at = this.now();
    const repo = this.repo(trx);
    await repo.updateStage(
      batch.id, dossier.id, stage,
      move === 'start'
        ? { status: 'in_progress', started_by: who.userId, started_at: at, finished_by: null, finished_at: null, note }
        : { status: 'done', finished_by: who.userId, finished_at: at, ...(note ? { note } : {}) },
    );
    await repo.insertStageEvent({ id: newId(), batch_id: batch.id, dossier_id: dossier.id, stage, event: move, user_id: who.userId, at, note });
    await this.deps.audit.append(trx, who.audit, {
      action: move === 'start' ? 'batch.stage.start' : 'batch.stage.finish',
      objectType: 'dossier', objectId: dossier.id, objectLabel: `${batch.code}·${dossier.dossier_no}`,
      detail: { batchId: batch.id, stage, stageLabel: STAGE_LABELS[stage], note },
    });
  }

  /**
   * A dossier changes place by the dossier state machine, exactly as the dossier service does it:
   * row locked, the domain's transition, the state written, `dossier.transition` audited.
   */
  async moveDossier(trx: Executor, who: Doer, dossierId: string, event: DossierEvent, reason: string): Promise<void> {
    const repo = this.repo(trx);
    await repo.lockDossier(dossierId);
    const [d] = await repo.dossiers([dossierId]);
    if (!d) throw notFound('DOSSIER_NOT_FOUND', '档案不存在');
    const from = d.state as DossierState;
    const r = transition(from, event);
    if (!r.ok) throw conflict('DOSSIER_TRANSITION_REFUSED', `档案 ${d.dossier_no}（${d.cadre_name}）${r.reason}`);
    await repo.setDossierState(dossierId, r.to, this.now());
    await this.deps.audit.append(trx, who.audit, {
      action: 'dossier.transition', objectType: 'dossier', objectId: dossierId, objectLabel: d.dossier_no,
      detail: { event: DOSSIER_EVENT_LABELS[event], before: DOSSIER_STATE_LABELS[from], after: DOSSIER_STATE_LABELS[r.to], reason },
    });
  }

  /** An active user who holds one of the permissions (the other side of a hand-over, a rework assignee). */
  async requireWorker(executor: Executor, userId: string, permissions: readonly Permission[], role: string): Promise<{ id: string; display_name: string }> {
    const repo = this.repo(executor);
    const user = await repo.activeUser(userId);
    if (!user) throw notFound('USER_NOT_FOUND', `${role}用户不存在或已停用`);
    const held = await repo.permissionsOf(userId);
    if (!permissions.some((p) => held.has(p))) {
      throw conflict('USER_NOT_WORKER', `${role}「${user.display_name}」没有相应的加工权限`);
    }
    return user;
  }
}

export function userRef(names: Map<string, string>, id: string): UserRef;
export function userRef(names: Map<string, string>, id: string | null): UserRef | null;
export function userRef(names: Map<string, string>, id: string | null): UserRef | null {
  return id === null ? null : { id, name: names.get(id) ?? id };
}
