import type { AccessRequest } from '@dangan/contracts';
import type { Executor } from '../../platform/db/connect.js';
import { forUpdate, isUniqueViolation } from '../../platform/db/dialect.js';
import type { AccessRequestTable } from '../../platform/db/schema.use.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import { SYSTEM_CONTEXT, type AuditContext } from '../audit/audit.log.js';
import type { ModuleDeps } from '../project/project.deps.js';
import type { AvoidanceCheck } from './avoidance.service.js';
import { requestViews } from './requests.views.js';

type Refusal = { code: string; message: string };

/**
 * Decisions by 干部管理权限: level 1 by an approver whose unit is the cadre's managing unit or above it,
 * level 2 (when the setting asks for two) by one whose unit is strictly above the level-1 approver's;
 * never the requester, never anyone 回避 applies to, one decision per level. Then the grant's life:
 * revocation and expiry, which close the reader's open sessions.
 */
export class ApprovalRules {
  constructor(
    private readonly deps: ModuleDeps,
    private readonly avoidance: AvoidanceCheck,
  ) {}

  /** Why the actor may not decide the request's next level now, or null when he may. */
  async eligible(actor: Actor, row: AccessRequestTable, executor: Executor = this.deps.db): Promise<Refusal | null> {
    if (!actor.permissions.has('access.approve')) return { code: 'FORBIDDEN', message: '没有审批查阅申请的权限' };
    if (row.state !== 'pending') return { code: 'REQUEST_NOT_PENDING', message: '该申请已不在待审批状态' };
    if (row.requester_id === actor.userId) return { code: 'SELF_APPROVAL', message: '不能审批本人提交的查阅申请' };
    const scope = await this.deps.access.scope(actor, 'access.approve');
    const dossiers = await executor.selectFrom('access_request_dossiers').select('managing_unit_id').where('request_id', '=', row.id).execute();
    if (scope.unitIds && dossiers.some((d) => !scope.unitIds!.has(d.managing_unit_id))) {
      return { code: 'NOT_APPROVER', message: '该干部的管理单位不在您的审批范围内' };
    }
    const parents = new Map((await executor.selectFrom('units').select(['id', 'parent_id']).execute()).map((u) => [u.id, u.parent_id]));
    const above = (unitId: string): Set<string> => {
      const out = new Set<string>();
      for (let p = parents.get(unitId) ?? null; p && !out.has(p); p = parents.get(p) ?? null) out.add(p);
      return out;
    };
    const level = row.levels_done + 1;
    if (level === 1) {
      const ok = dossiers.every((d) => d.managing_unit_id === actor.unitId || above(d.managing_unit_id).has(actor.unitId));
      return ok ? null : { code: 'NOT_APPROVER', message: '按干部管理权限，须由干部管理单位（或其上级单位）的审批领导审批' };
    }
    const previous = await executor.selectFrom('access_approvals').select(['approver_id', 'approver_unit_id'])
      .where('request_id', '=', row.id).where('level', '=', level - 1).executeTakeFirst();
    if (!previous) return { code: 'NOT_APPROVER', message: '上一级审批尚未完成' };
    if (previous.approver_id === actor.userId) return { code: 'NOT_APPROVER', message: '同一人不能审批两级' };
    if (!above(previous.approver_unit_id).has(actor.unitId)) {
      return { code: 'NOT_APPROVER', message: `第 ${level} 级须由第 ${level - 1} 级审批人所在单位的上级单位审批领导审批` };
    }
    return null;
  }

  /** Requests awaiting the actor's decision, those he approved that still run, or all he decided. */
  async list(actor: Actor, query: { view: 'pending' | 'approved' | 'decided'; page: number; pageSize: number }) {
    const db = this.deps.db;
    let rows: AccessRequestTable[];
    if (query.view === 'pending') {
      const pending = await db.selectFrom('access_requests').selectAll().where('state', '=', 'pending').where('requester_id', '!=', actor.userId)
        .orderBy('created_at').limit(2000).execute();
      rows = [];
      for (const r of pending) if ((await this.eligible(actor, r)) === null) rows.push(r);
    } else {
      let q = db.selectFrom('access_requests').selectAll()
        .where('id', 'in', db.selectFrom('access_approvals').select('request_id').where('approver_id', '=', actor.userId));
      if (query.view === 'approved') {
        q = q.where('state', '=', 'approved').where('granted_until', '>', this.deps.clock.now().toISOString());
      }
      rows = await q.orderBy('updated_at', 'desc').limit(2000).execute();
    }
    const start = (query.page - 1) * query.pageSize;
    return { items: await requestViews(db, rows.slice(start, start + query.pageSize)), total: rows.length };
  }

  async approve(actor: Actor, id: string, input: { comment: string; until?: string }): Promise<AccessRequest> {
    return this.decide(actor, id, 'approve', input.comment, input.until);
  }

  async refuse(actor: Actor, id: string, reason: string): Promise<AccessRequest> {
    return this.decide(actor, id, 'refuse', reason);
  }

  /**
   * One level's decision. The rules and 回避 are checked before anything is written (a 回避 refusal is
   * audited on its own); the unique (request, level) and the conditional update keep two approvers
   * deciding at once from both recording the same level. An approver's shorter end is kept in
   * granted_until while the request is pending (grants only read approved requests) and applies when
   * the last level approves.
   */
  private async decide(actor: Actor, id: string, decision: 'approve' | 'refuse', comment: string, until?: string): Promise<AccessRequest> {
    const row = await this.deps.db.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('REQUEST_NOT_FOUND', '查阅申请不存在');
    const refusal = await this.eligible(actor, row);
    if (refusal) throw refusal.code === 'REQUEST_NOT_PENDING' ? conflict(refusal.code, refusal.message) : forbidden(refusal.code, refusal.message);
    const cadreIds = (await this.deps.db.selectFrom('access_request_dossiers').select('cadre_id').where('request_id', '=', id).execute()).map((d) => d.cadre_id);
    await this.avoidance.enforce(actor, '审批人', cadreIds, { requestId: id, requestNo: row.request_no });
    const now = this.deps.clock.now();
    const end = decision === 'approve' ? this.grantEnd(row, now, until) : null;
    const level = row.levels_done + 1;
    const last = level >= row.levels_required;
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const at = now.toISOString();
        await trx.insertInto('access_approvals').values({
          id: newId(), request_id: id, level, approver_id: actor.userId, approver_unit_id: actor.unitId, decision, comment, at,
        }).execute();
        const patch: Partial<AccessRequestTable> = { levels_done: level, updated_at: at };
        if (decision === 'refuse') Object.assign(patch, { state: 'refused', decided_at: at, granted_until: null });
        else if (last) {
          const from = row.period_from > at ? row.period_from : at;
          Object.assign(patch, { state: 'approved', decided_at: at, granted_from: from, granted_until: end });
        } else patch.granted_until = end;
        const done = await trx.updateTable('access_requests').set(patch)
          .where('id', '=', id).where('state', '=', 'pending').where('levels_done', '=', level - 1).executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) throw conflict('ALREADY_DECIDED', '该级审批已由他人作出，请刷新');
        const [after] = await requestViews(trx, [{ ...row, ...patch }]);
        await this.deps.audit.append(trx, actor.audit, {
          action: decision === 'approve' ? 'access.request.approve' : 'access.request.refuse',
          objectType: 'access_request', objectId: id, objectLabel: row.request_no,
          detail: {
            level, of: row.levels_required, comment, ...(decision === 'approve' ? { until: end, shortened: end !== row.period_to } : {}),
            ...(after!.state === 'approved' ? { grantedFrom: after!.grantedFrom, grantedUntil: after!.grantedUntil } : {}),
          },
        });
        return after!;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('ALREADY_DECIDED', '该级审批已由他人作出，请刷新');
      throw err;
    }
  }

  /** The end of the grant: the requested end, or an approver's earlier one; never later. */
  private grantEnd(row: AccessRequestTable, now: Date, until?: string): string {
    const current = row.granted_until ?? row.period_to;
    const start = row.period_from > now.toISOString() ? row.period_from : now.toISOString();
    if (current <= start) throw conflict('PERIOD_OVER', '申请的查阅期限已过，不能再批准，请申请人重新申请');
    if (until === undefined) return current;
    const end = new Date(until).toISOString();
    if (end > current) throw invalid('UNTIL_EXTENDS', '批准时只能缩短查阅期限，不能延长', { until: '不能晚于申请的结束时间' });
    if (end <= start) throw invalid('UNTIL_INVALID', '授权截止时间须晚于授权开始时间', { until: '须晚于开始时间' });
    return end;
  }

  /** An approver of the request, or a holder of grant.manage, ends a grant; its open readings close. */
  async revoke(actor: Actor, id: string, reason: string): Promise<AccessRequest> {
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await forUpdate(this.deps.kind, trx.selectFrom('access_requests').selectAll().where('id', '=', id)).executeTakeFirst();
      if (!row) throw notFound('REQUEST_NOT_FOUND', '查阅申请不存在');
      const approver = await trx.selectFrom('access_approvals').select('id').where('request_id', '=', id)
        .where('approver_id', '=', actor.userId).where('decision', '=', 'approve').executeTakeFirst();
      if (!actor.permissions.has('grant.manage') && !(approver && actor.permissions.has('access.approve'))) {
        throw forbidden('NOT_APPROVER', '只有该申请的审批人或授权管理员可以撤销授权');
      }
      if (row.state !== 'approved') throw conflict('GRANT_NOT_ACTIVE', '该申请没有生效中的授权');
      const at = this.deps.clock.now().toISOString();
      const patch = { state: 'revoked' as const, revoked_by: actor.userId, revoked_at: at, revoke_reason: reason, updated_at: at };
      await trx.updateTable('access_requests').set(patch).where('id', '=', id).execute();
      const closed = await this.closeSessions(trx, id, at, 'revoked');
      await this.deps.audit.append(trx, actor.audit, {
        action: 'access.grant.revoke', objectType: 'access_request', objectId: id, objectLabel: row.request_no,
        detail: { reason, grantedUntil: row.granted_until, closedSessions: closed },
      });
      return (await requestViews(trx, [{ ...row, ...patch }]))[0]!;
    });
  }

  /** The `access.expire` chore: approved grants past their end become expired; their readings close. */
  async expire(audit: AuditContext = SYSTEM_CONTEXT): Promise<number> {
    const at = this.deps.clock.now().toISOString();
    const due = await this.deps.db.selectFrom('access_requests').select(['id', 'request_no', 'granted_until'])
      .where('state', '=', 'approved').where('granted_until', '<=', at).orderBy('granted_until').limit(500).execute();
    let count = 0;
    for (const r of due) {
      await this.deps.db.transaction().execute(async (trx) => {
        const done = await trx.updateTable('access_requests').set({ state: 'expired', expired_at: at, updated_at: at })
          .where('id', '=', r.id).where('state', '=', 'approved').executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) return;
        const closed = await this.closeSessions(trx, r.id, at, 'expired');
        await this.deps.audit.append(trx, audit, {
          action: 'access.grant.expire', objectType: 'access_request', objectId: r.id, objectLabel: r.request_no,
          detail: { grantedUntil: r.granted_until, closedSessions: closed },
        });
        count++;
      });
    }
    return count;
  }

  private async closeSessions(trx: Executor, requestId: string, at: string, reason: 'revoked' | 'expired'): Promise<number> {
    const res = await trx.updateTable('reading_sessions').set({ closed_at: at, close_reason: reason })
      .where('request_id', '=', requestId).where('closed_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows);
  }
}
