import { TASK_KINDS, TASK_KIND_LABELS, type TaskItem, type TaskKind, type TaskList } from '@dangan/contracts';
import { STAGE_LABELS, passRate, percentText, type Permission } from '@dangan/domain';
import type { Actor } from '../access/actor.js';
import type { ModuleDeps } from '../project/project.deps.js';
import { LendingService } from '../use/lending.service.js';
import { cutoff, stageAt, wholeDays } from './dashboard.models.js';
import { dashboardRepository, type DashboardRepository, type Units } from './dashboard.repository.js';

/** Everyone who works on batches; a task shows only when its batch or dossier is in the user's scope. */
const PROJECT_READERS: readonly Permission[] = ['batch.manage', 'batch.approve', 'qc.inspect', 'scan.ingest', 'scan.link'];

type ScopeOf = (actor: Actor, permissions: readonly Permission[]) => Promise<Units | undefined>;
type Draft = Omit<TaskItem, 'kindLabel' | 'overdue'> & { overdue?: boolean };

/**
 * A user's task list, derived by query from the project's tables every time it is asked for — no
 * task table to fall out of step: rework assigned to him, approvals waiting for batch.approve,
 * hand-overs he has still to confirm, sampled dossiers waiting for qc.inspect, and for batch.manage
 * whatever is overdue. A task is overdue when it has waited more than `project.stuckDays` days.
 */
export class TaskLists {
  constructor(
    private readonly deps: ModuleDeps,
    private readonly scopeOf: ScopeOf,
  ) {}

  async list(actor: Actor): Promise<TaskList> {
    const now = this.deps.clock.now();
    const stuckDays = await this.deps.settings.get('project.stuckDays');
    const before = cutoff(now, stuckDays);
    const repo = dashboardRepository(this.deps.db);
    const drafts: Draft[] = [];
    const readable = await this.scopeOf(actor, PROJECT_READERS);
    if (readable !== undefined) {
      drafts.push(...(await this.rework(repo, readable, actor.userId)));
      drafts.push(...(await this.handovers(repo, readable, actor.userId)));
    }
    const approver = await this.scopeOf(actor, ['batch.approve']);
    if (approver !== undefined) drafts.push(...(await this.approvals(repo, approver)));
    const inspector = await this.scopeOf(actor, ['qc.inspect']);
    if (inspector !== undefined) drafts.push(...(await this.inspections(repo, inspector, actor.userId)));
    const manager = await this.scopeOf(actor, ['batch.manage']);
    if (manager !== undefined) drafts.push(...(await this.overdue(repo, manager, actor.userId, before, now, stuckDays)));
    const lender = await this.scopeOf(actor, ['use.manage']);
    if (lender !== undefined) drafts.push(...(await new LendingService(this.deps).overdueTasks(lender)));

    const items: TaskItem[] = drafts
      .map((d) => ({ ...d, kindLabel: TASK_KIND_LABELS[d.kind], overdue: d.overdue ?? d.since < before }))
      .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
    const byKind = Object.fromEntries(TASK_KINDS.map((k) => [k, items.filter((i) => i.kind === k).length])) as Record<TaskKind, number>;
    return { items, summary: { total: items.length, overdue: items.filter((i) => i.overdue).length, byKind }, stuckDays };
  }

  /** 整改 assigned to me and not yet submitted. */
  private async rework(repo: DashboardRepository, units: Units, userId: string): Promise<Draft[]> {
    return (await repo.openRework(units, { assigneeId: userId })).map((r) => ({
      key: `rework:${r.id}`,
      kind: 'rework',
      title: `整改：${r.batch_code}·${r.dossier_no}（${r.cadre_name}）`,
      detail: `第 ${r.round} 轮质检不合格，共 ${r.defects} 项缺陷，已整改 ${r.fixed} 项；整改完毕后提交复检`,
      link: `/rework/${r.id}`,
      since: r.created_at,
    }));
  }

  /** Hand-overs in which I am a party and have not confirmed. */
  private async handovers(repo: DashboardRepository, units: Units, userId: string): Promise<Draft[]> {
    const rows = await repo.handoversToConfirm(units, userId);
    const names = await repo.userNames(rows.flatMap((h) => [h.giver_id, h.receiver_id]));
    return rows.map((h) => {
      const giving = h.giver_id === userId && !h.giver_confirmed_at;
      const other = giving ? h.receiver_id : h.giver_id;
      const otherConfirmed = giving ? h.receiver_confirmed_at : h.giver_confirmed_at;
      const what = h.direction === 'out' ? '出库交接' : '入库交接';
      return {
        key: `handover:${h.id}:${giving ? 'giver' : 'receiver'}`,
        kind: 'handover',
        title: `${what}待确认：${h.code}（${h.name}）`,
        detail: `您是${giving ? '交出方' : '接收方'}；${h.dossiers} 卷、${h.pages} 页；对方 ${names.get(other) ?? other} ${otherConfirmed ? '已确认' : '尚未确认'}`,
        link: `/batches/${h.batch_id}`,
        since: h.created_at,
      };
    });
  }

  /** Check-out requests and batches ready for the acceptance decision. */
  private async approvals(repo: DashboardRepository, units: Units): Promise<Draft[]> {
    const requests = await repo.batchesInState(units, 'checkout_requested');
    const names = await repo.userNames(requests.map((b) => b.requested_by));
    const out: Draft[] = requests.map((b) => ({
      key: `checkout:${b.id}:${b.requested_at}`,
      kind: 'approval',
      title: `出库审批：${b.code}（${b.name}）`,
      detail: `${b.requested_by ? (names.get(b.requested_by) ?? b.requested_by) : '—'} 申请出库 ${b.dossiers} 卷档案${b.request_note ? `：${b.request_note}` : ''}`,
      link: `/batches/${b.id}`,
      since: b.requested_at ?? '',
    }));
    for (const b of await repo.readyForAcceptance(units)) {
      // A refusal stands until the inspectors have given a new verdict after it.
      if (b.acceptance_refused_at && (!b.last_verdict_at || b.last_verdict_at <= b.acceptance_refused_at)) continue;
      const rate = passRate(await repo.sampleVerdicts(b.id));
      out.push({
        key: `acceptance:${b.id}:${b.last_verdict_at ?? ''}`,
        kind: 'approval',
        title: `验收：${b.code}（${b.name}）`,
        detail: `抽检 ${rate.inspected} 卷已全部质检，合格率 ${percentText(rate.rate)}（${rate.passed}/${rate.inspected}），待验收`,
        link: `/batches/${b.id}`,
        since: b.last_verdict_at ?? b.sampled_at!,
      });
    }
    return out;
  }

  /**
   * Sampled dossiers through 自动校验 and not through 质检: a first round to open, a round I opened and
   * have not concluded, or a re-inspection after rework was submitted. A round someone else has open,
   * or rework still being done, is not mine to do.
   */
  private async inspections(repo: DashboardRepository, units: Units, userId: string): Promise<Draft[]> {
    const waiting = await repo.awaitingInspection(units);
    const rounds = await repo.rounds(waiting.map((w) => w.batch_id));
    const out: Draft[] = [];
    for (const w of waiting) {
      const latest = rounds.filter((r) => r.batch_id === w.batch_id && r.dossier_id === w.dossier_id).at(-1);
      const what = `${w.batch_code}·${w.dossier_no}（${w.cadre_name}）`;
      const reason = w.sample_reason === 'check_failed' ? '自动校验不通过，全检' : '随机抽检';
      if (!latest) {
        const checked = w.checked_at ?? w.sampled_at ?? '';
        out.push({
          key: `inspection:${w.batch_id}:${w.dossier_id}:1`, kind: 'inspection', title: `质检：${what}`,
          detail: `${reason}，待首次质检`, link: `/batches/${w.batch_id}`,
          since: w.sampled_at && w.sampled_at > checked ? w.sampled_at : checked,
        });
      } else if (latest.verdict === null && latest.inspector_id === userId) {
        out.push({
          key: `inspection:${latest.id}`, kind: 'inspection', title: `继续质检：${what}`,
          detail: `第 ${latest.round} 轮质检已开始，尚未作出结论`, link: `/inspections/${latest.id}`, since: latest.opened_at,
        });
      } else if (latest.verdict === 'fail' && latest.rework_state === 'submitted') {
        out.push({
          key: `inspection:${w.batch_id}:${w.dossier_id}:${latest.round + 1}`, kind: 'inspection', title: `复检：${what}`,
          detail: `第 ${latest.round} 轮不合格，整改已提交，待第 ${latest.round + 1} 轮复检`, link: `/batches/${w.batch_id}`,
          since: latest.submitted_at ?? latest.opened_at,
        });
      }
    }
    return out;
  }

  /** For batch.manage: batches with stuck dossiers, and others' rework left open too long. */
  private async overdue(repo: DashboardRepository, units: Units, userId: string, before: string, now: Date, stuckDays: number): Promise<Draft[]> {
    const stuck = (await repo.stuck(units, undefined, before)).filter((s) => stageAt(s.done) !== null);
    const perBatch = new Map<string, typeof stuck>();
    for (const s of stuck) perBatch.set(s.batch_id, [...(perBatch.get(s.batch_id) ?? []), s]);
    const out: Draft[] = [...perBatch.values()].map((list) => {
      const oldest = list[0]!;
      return {
        key: `stuck:${oldest.batch_id}`,
        kind: 'overdue',
        title: `滞留：${oldest.batch_code}（${oldest.batch_name}）`,
        detail: `${list.length} 卷档案停留超过 ${stuckDays} 天；最久的 ${oldest.dossier_no}（${oldest.cadre_name}）在「${STAGE_LABELS[stageAt(oldest.done)!]}」环节已 ${wholeDays(oldest.since, now)} 天`,
        link: `/batches/${oldest.batch_id}`,
        since: oldest.since,
        overdue: true,
      };
    });
    const late = (await repo.openRework(units, { before })).filter((r) => r.assignee_id !== userId);
    const names = await repo.userNames(late.map((r) => r.assignee_id));
    for (const r of late) {
      out.push({
        key: `rework-late:${r.id}`,
        kind: 'overdue',
        title: `整改逾期：${r.batch_code}·${r.dossier_no}（${r.cadre_name}）`,
        detail: `派给 ${names.get(r.assignee_id) ?? r.assignee_id}，已 ${wholeDays(r.created_at, now)} 天未提交（${r.fixed}/${r.defects} 项已整改）`,
        link: `/rework/${r.id}`,
        since: r.created_at,
        overdue: true,
      });
    }
    return out;
  }
}
