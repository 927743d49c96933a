import {
  LENDING_STATE_LABELS, type Lending, type LendingCandidate, type LendingQuery, type TaskItem,
} from '@dangan/contracts';
import { DOSSIER_STATE_LABELS, transition, type DossierState } from '@dangan/domain';
import { orConflict } from '../../platform/db/dialect.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../access/actor.js';
import { SYSTEM_CONTEXT } from '../audit/audit.log.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { ProjectSupport, doer } from '../project/project.support.js';
import { beijingDay, checkDueOn, dueWindow, lendingState, overdueDays, reminderDue } from './lending.models.js';
import { lendingRepository, type LendingRow, type Units } from './lending.repository.js';

const BEIJING_OFFSET = 8 * 3_600_000;

function toLending(r: LendingRow, today: string): Lending {
  const state = lendingState(r.due_on, today, r.returned_at);
  return {
    id: r.id, requestId: r.request_id, requestNo: r.request_no, dossierId: r.dossier_id, dossierNo: r.dossier_no, cadreName: r.cadre_name,
    borrower: { id: r.borrower_id, name: r.borrower_name }, borrowerUnitName: r.borrower_unit_name,
    lentBy: { id: r.lent_by, name: r.lent_by_name ?? r.lent_by },
    lentAt: r.lent_at, dueOn: r.due_on, lendNote: r.lend_note,
    returnedBy: r.returned_by ? { id: r.returned_by, name: r.returned_by_name ?? r.returned_by } : null,
    returnedAt: r.returned_at, returnNote: r.return_note, remindedAt: r.reminded_at, reminders: r.reminders,
    state, stateLabel: LENDING_STATE_LABELS[state], overdueDays: overdueDays(r.due_on, today, r.returned_at),
  };
}

/**
 * Paper lending (借阅) by the archivist (use.manage) within his data scope: the dossiers of approved
 * lend-mode requests are handed out with a due date inside the grant, come back, and are reminded
 * about once a day while overdue. The dossier moves by the dossier state machine (借出 / 借出归还)
 * through the same path as a batch's hand-overs, audited as `dossier.transition` beside `lending.*`.
 */
export class LendingService {
  private readonly support: ProjectSupport;

  constructor(private readonly deps: ModuleDeps) {
    this.support = new ProjectSupport(deps);
  }

  private repo(executor = this.deps.db) {
    return lendingRepository(executor, this.deps.kind);
  }

  private async units(actor: Actor): Promise<Units> {
    const scope = await this.deps.access.scope(actor, 'use.manage');
    return scope.unitIds === null ? null : [...scope.unitIds];
  }

  private today(): string {
    return beijingDay(this.deps.clock.now());
  }

  async pending(actor: Actor): Promise<LendingCandidate[]> {
    const units = await this.units(actor);
    const now = this.deps.clock.now();
    const lendingDays = await this.deps.settings.get('use.lendingDays');
    const rows = await this.repo().candidates(units, now.toISOString());
    return rows.map((r) => {
      const window = dueWindow(now, lendingDays, r.granted_until!);
      const move = transition(r.dossier_state as DossierState, 'lend');
      return {
        requestId: r.request_id, requestNo: r.request_no, requester: { id: r.requester_id, name: r.requester_name },
        requesterUnitName: r.requester_unit_name, purpose: r.purpose, purposeLabel: r.purpose_label ?? r.purpose,
        dossierId: r.dossier_id, dossierNo: r.dossier_no, cadreName: r.cadre_name, dossierState: r.dossier_state,
        dossierStateLabel: DOSSIER_STATE_LABELS[r.dossier_state as DossierState] ?? r.dossier_state,
        grantedFrom: r.granted_from!, grantedUntil: r.granted_until!,
        defaultDueOn: window.defaultDueOn, latestDueOn: window.latestDueOn,
        blockedReason: move.ok ? null : move.reason,
      };
    });
  }

  async list(actor: Actor, query: LendingQuery): Promise<{ items: Lending[]; total: number }> {
    const units = await this.units(actor);
    const today = this.today();
    const { rows, total } = await this.repo().list({
      units, state: query.state, q: query.q, today, limit: query.pageSize, offset: (query.page - 1) * query.pageSize,
    });
    return { items: rows.map((r) => toLending(r, today)), total };
  }

  /** The borrower's own lendings, whatever his permissions: he sees what he has to bring back. */
  async mine(actor: Actor): Promise<Lending[]> {
    const today = this.today();
    return (await this.repo().ofBorrower(actor.userId)).map((r) => toLending(r, today));
  }

  async lend(actor: Actor, input: { requestId: string; dossierId: string; dueOn?: string; note: string }): Promise<Lending> {
    const units = await this.units(actor);
    const now = this.deps.clock.now();
    const lendingDays = await this.deps.settings.get('use.lendingDays');
    const id = newId();
    await this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo(trx);
      const rd = await repo.requestDossier(input.requestId, input.dossierId);
      if (!rd || (units !== null && !units.includes(rd.managing_unit_id))) {
        throw notFound('LENDING_REQUEST_NOT_FOUND', '借阅申请不存在、不含该档案，或档案不在您的数据范围内');
      }
      if (rd.mode !== 'lend') throw conflict('LENDING_NOT_LEND_MODE', `申请 ${rd.request_no} 不是借阅纸质档案的申请，不能借出`);
      const at = now.toISOString();
      if (rd.state !== 'approved' || !rd.granted_from || !rd.granted_until || rd.granted_from > at || rd.granted_until <= at) {
        throw conflict('LENDING_NOT_GRANTED', `申请 ${rd.request_no} 未批准、尚未生效、已过期或已被撤销，不能借出`);
      }
      const previous = await repo.lendingOf(rd.id, rd.dossier_id);
      if (previous) throw conflict('LENDING_ALREADY_LENT', `档案 ${rd.dossier_no} 已按申请 ${rd.request_no} 借出过，不能重复借出`);
      const move = transition(rd.dossier_state as DossierState, 'lend');
      if (!move.ok) throw conflict('DOSSIER_NOT_IN_STORE', `档案 ${rd.dossier_no}（${rd.cadre_name}）${move.reason}`);
      if (await repo.openOn(rd.dossier_id)) throw conflict('DOSSIER_ALREADY_LENT', `档案 ${rd.dossier_no} 已借出，尚未归还`);
      const due = checkDueOn(input.dueOn, dueWindow(now, lendingDays, rd.granted_until));
      if (!due.ok) throw invalid('LENDING_DUE_INVALID', due.reason, { dueOn: due.reason });

      await orConflict(
        repo.insert({
          id, request_id: rd.id, dossier_id: rd.dossier_id, open_dossier_id: rd.dossier_id, borrower_id: rd.requester_id,
          lent_by: actor.userId, lent_at: at, due_on: due.dueOn, lend_note: input.note, reminders: 0,
        }),
        () => conflict('DOSSIER_ALREADY_LENT', `档案 ${rd.dossier_no} 已借出，尚未归还`),
      );
      await this.support.moveDossier(trx, doer(actor), rd.dossier_id, 'lend', `借阅申请 ${rd.request_no}`);
      await this.deps.audit.append(trx, actor.audit, {
        action: 'lending.lend', objectType: 'dossier', objectId: rd.dossier_id, objectLabel: rd.dossier_no,
        detail: { lendingId: id, requestId: rd.id, requestNo: rd.request_no, borrowerId: rd.requester_id, dueOn: due.dueOn, note: input.note },
      });
    });
    return toLending((await this.repo().one(id))!, this.today());
  }

  async returnLoan(actor: Actor, id: string, input: { note: string }): Promise<Lending> {
    const units = await this.units(actor);
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo(trx);
      const row = await repo.lock(id);
      const view = row ? await repo.one(id, units) : undefined;
      if (!row || !view) throw notFound('LENDING_NOT_FOUND', '借阅记录不存在或不在您的数据范围内');
      if (row.returned_at) throw conflict('LENDING_ALREADY_RETURNED', `档案 ${view.dossier_no} 已于 ${beijingDay(row.returned_at)} 归还`);
      await repo.markReturned(id, actor.userId, now, input.note);
      await this.support.moveDossier(trx, doer(actor), row.dossier_id, 'return_loan', `借阅申请 ${view.request_no} 归还`);
      await this.deps.audit.append(trx, actor.audit, {
        action: 'lending.return', objectType: 'dossier', objectId: row.dossier_id, objectLabel: view.dossier_no,
        detail: {
          lendingId: id, requestNo: view.request_no, borrowerId: row.borrower_id, dueOn: row.due_on,
          overdueDays: overdueDays(row.due_on, this.today(), now), note: input.note,
        },
      });
    });
    return toLending((await this.repo().one(id))!, this.today());
  }

  /**
   * The hourly chore: each open lending past due is reminded at most once per Beijing day — the
   * reminder is recorded on the lending (reminded_at, reminders) and in the audit log. Returns how
   * many were reminded.
   */
  async remindOverdue(): Promise<number> {
    const now = this.deps.clock.now();
    const today = beijingDay(now);
    const dayStart = new Date(Date.parse(`${today}T00:00:00.000Z`) - BEIJING_OFFSET).toISOString();
    let reminded = 0;
    for (const r of await this.repo().overdue(today)) {
      if (!reminderDue(r.due_on, r.reminded_at, now)) continue;
      const done = await this.deps.db.transaction().execute(async (trx) => {
        if (!(await this.repo(trx).markReminded(r.id, now.toISOString(), dayStart))) return false;
        await this.deps.audit.append(trx, SYSTEM_CONTEXT, {
          action: 'lending.remind', objectType: 'dossier', objectId: r.dossier_id, objectLabel: r.dossier_no,
          detail: {
            lendingId: r.id, requestNo: r.request_no, borrowerId: r.borrower_id, borrower: r.borrower_name, dueOn: r.due_on,
            overdueDays: overdueDays(r.due_on, today, null), reminder: r.reminders + 1,
          },
        });
        return true;
      });
      if (done) reminded++;
    }
    return reminded;
  }

  /** 我的待办 of an archivist: overdue lendings of his scope, each a task until the paper comes back. */
  async overdueTasks(units: Units): Promise<Omit<TaskItem, 'kindLabel'>[]> {
    const today = this.today();
    return (await this.repo().overdue(today, units)).map((r) => ({
      key: `lending-overdue:${r.id}`,
      kind: 'overdue' as const,
      title: `借阅逾期：${r.dossier_no}（${r.cadre_name}）`,
      detail: `借阅人 ${r.borrower_name}（${r.borrower_unit_name}），应于 ${r.due_on} 归还，已逾期 ${overdueDays(r.due_on, today, null)} 天${r.reminders > 0 ? `，已提醒 ${r.reminders} 次` : ''}`,
      link: '/use/lending?tab=overdue',
      since: new Date(Date.parse(`${r.due_on}T00:00:00.000Z`) + 86_400_000 - BEIJING_OFFSET).toISOString(),
      overdue: true,
    }));
  }
}
