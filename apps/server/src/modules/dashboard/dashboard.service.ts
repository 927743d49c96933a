import type {
  Dashboard, DashboardQuery, DashboardTable, Defects, OperatorDay, Operators, Progress, Stuck, TaskList, TaskSummary,
} from '@dangan/contracts';
import { BATCH_STATE_LABELS, DEFECT_TYPES, DEFECT_TYPE_LABELS, STAGES, STAGE_LABELS, type BatchState, type Permission } from '@dangan/domain';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import type { ModuleDeps } from '../project/project.deps.js';
import {
  beijingDate, beijingDayStart, cutoff, dayWindow, defectFigures, mondayOf, stageAt, weekLabel, weekWindow, wholeDays,
} from './dashboard.models.js';
import { dashboardRepository, type DashboardRepository, type Units } from './dashboard.repository.js';
import { TaskLists } from './dashboard.tasks.js';
import { dashboardWorkbook, TABLE_TITLES } from './dashboard.xlsx.js';

const READERS: readonly Permission[] = ['batch.manage', 'batch.approve', 'qc.inspect', 'stats.read'];

/** A scan station's uploads carry its name (`station:…`, `sane:…`) instead of a user. */
function sourceName(label: string): string {
  const m = /^(station|sane):(.+)$/.exec(label);
  return m ? `扫描工作站 ${m[2]}` : label;
}

/**
 * The project seen whole, over the project's tables: progress by stage and batch, each operator's
 * pages per day, defect rates by week and type, dossiers stuck longer than `project.stuckDays`; and
 * each user's task list. Every figure counts only the dossiers of the reader's data scope.
 */
export class DashboardService {
  private readonly taskLists: TaskLists;

  constructor(private readonly deps: ModuleDeps) {
    this.taskLists = new TaskLists(deps, (actor, permissions) => this.units(actor, permissions));
  }

  private repo(): DashboardRepository {
    return dashboardRepository(this.deps.db);
  }

  /** The units of the actor's scope under the first of `permissions` he holds; undefined when none. */
  private async units(actor: Actor, permissions: readonly Permission[]): Promise<Units | undefined> {
    const held = permissions.find((p) => actor.permissions.has(p));
    if (!held) return undefined;
    const scope = await this.deps.access.scope(actor, held);
    return scope.unitIds === null ? null : [...scope.unitIds];
  }

  async dashboard(actor: Actor, query: DashboardQuery): Promise<Dashboard> {
    const units = (await this.units(actor, READERS)) ?? [];
    const repo = this.repo();
    if (query.batchId && !(await repo.batchVisible(units, query.batchId))) {
      throw notFound('BATCH_NOT_FOUND', '加工批次不存在或不在您的数据范围内');
    }
    const now = this.deps.clock.now();
    const stuckDays = await this.deps.settings.get('project.stuckDays');
    const stuck = await this.stuck(repo, units, query.batchId, now, stuckDays);
    return {
      generatedAt: now.toISOString(),
      batchId: query.batchId ?? null,
      progress: await this.progress(repo, units, query.batchId, stuck),
      operators: await this.operators(repo, units, query, now),
      defects: await this.defects(repo, units, query, now),
      stuck,
    };
  }

  /** One table of the dashboard as a workbook; the export is audited. */
  async export(actor: Actor, table: DashboardTable, query: DashboardQuery): Promise<{ filename: string; data: Buffer }> {
    const dashboard = await this.dashboard(actor, query);
    const organization = await this.deps.settings.get('system.organizationName');
    const data = await dashboardWorkbook(table, dashboard, organization);
    const batch = query.batchId ? dashboard.progress.batches.find((b) => b.batchId === query.batchId) : undefined;
    await this.deps.audit.record(actor.audit, {
      action: 'dashboard.export', objectType: batch ? 'batch' : 'dashboard', objectId: batch?.batchId, objectLabel: TABLE_TITLES[table],
      detail: { table, batch: batch?.code ?? null, days: query.days, weeks: query.weeks },
    });
    const date = beijingDate(dashboard.generatedAt);
    return { filename: `加工统计-${TABLE_TITLES[table]}${batch ? `-${batch.code}` : ''}-${date}.xlsx`, data };
  }

  async tasks(actor: Actor): Promise<TaskList> {
    return this.taskLists.list(actor);
  }

  async taskSummary(actor: Actor): Promise<TaskSummary> {
    return (await this.taskLists.list(actor)).summary;
  }

  // ------------------------------------------------------------------ figures

  private async progress(repo: DashboardRepository, units: Units, batchId: string | undefined, stuck: Stuck): Promise<Progress> {
    const [batches, counts, statuses] = await Promise.all([
      repo.visibleBatches(units, batchId), repo.doneCounts(units, batchId), repo.stageStatuses(units, batchId),
    ]);
    const stuckPerBatch = new Map<string, number>();
    for (const s of stuck.items) stuckPerBatch.set(s.batchId, (stuckPerBatch.get(s.batchId) ?? 0) + 1);
    const blank = () => Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<string, number>;
    const perBatch = new Map(batches.map((b) => [b.id, { dossiers: 0, current: blank(), inProgress: 0, done: 0 }]));
    const current = blank();
    for (const c of counts) {
      const row = perBatch.get(c.batchId);
      if (!row) continue;
      row.dossiers += c.dossiers;
      const stage = stageAt(c.done);
      if (stage === null) row.done += c.dossiers;
      else {
        row.current[stage]! += c.dossiers;
        current[stage]! += c.dossiers;
      }
      if (c.active) row.inProgress += c.dossiers;
    }
    const rows = batches.map((b) => ({
      batchId: b.id, code: b.code, name: b.name, state: b.state as BatchState, stateLabel: BATCH_STATE_LABELS[b.state as BatchState] ?? b.state,
      ...perBatch.get(b.id)!, stuck: stuckPerBatch.get(b.id) ?? 0,
    }));
    const dossiers = rows.reduce((s, r) => s + r.dossiers, 0);
    const inProgress = rows.reduce((s, r) => s + r.inProgress, 0);
    const done = rows.reduce((s, r) => s + r.done, 0);
    const status = (stage: string, st: string) => statuses.find((x) => x.stage === stage && x.status === st)?.n ?? 0;
    return {
      totals: { batches: rows.length, dossiers, inProgress, waiting: dossiers - inProgress - done, done, stuck: stuck.items.length },
      stages: STAGES.map((stage) => {
        const d = status(stage, 'done');
        const p = status(stage, 'in_progress');
        return { stage, label: STAGE_LABELS[stage], done: d, inProgress: p, pending: dossiers - d - p, current: current[stage]! };
      }),
      batches: rows,
    };
  }

  private async operators(repo: DashboardRepository, units: Units, query: DashboardQuery, now: Date): Promise<Operators> {
    const dates = dayWindow(now, query.days);
    const from = beijingDayStart(dates[0]!).toISOString();
    const [scanned, finishes] = await Promise.all([repo.scannedPages(units, query.batchId, from), repo.stageFinishes(units, query.batchId, from)]);
    const names = await repo.userNames([...scanned.map((s) => s.userId), ...finishes.map((f) => f.userId)]);
    const rows = new Map<string, OperatorDay>();
    const row = (date: string, id: string | null, label: string): OperatorDay => {
      const key = `${date}|${id ?? `~${label}`}`;
      let r = rows.get(key);
      if (!r) {
        const name = id ? (names.get(id) ?? label) : sourceName(label);
        r = { date, operator: { id, name }, scannedPages: 0, processedDossiers: 0, processedPages: 0, linkedDossiers: 0, linkedPages: 0 };
        rows.set(key, r);
      }
      return r;
    };
    for (const s of scanned) row(beijingDate(`${s.hour}:00:00.000Z`), s.userId, s.label).scannedPages += s.pages;
    for (const f of finishes) {
      const r = row(beijingDate(f.at), f.userId, f.userId);
      if (f.stage === 'process') {
        r.processedDossiers += 1;
        r.processedPages += f.pages;
      } else {
        r.linkedDossiers += 1;
        r.linkedPages += f.pages;
      }
    }
    const list = [...rows.values()].sort((a, b) => (a.date === b.date ? a.operator.name.localeCompare(b.operator.name, 'zh-CN') : a.date < b.date ? 1 : -1));
    return { from: dates[0]!, to: dates.at(-1)!, dates, rows: list };
  }

  private async defects(repo: DashboardRepository, units: Units, query: DashboardQuery, now: Date): Promise<Defects> {
    const weeks = weekWindow(now, query.weeks);
    const from = beijingDayStart(weeks[0]!).toISOString();
    const [rounds, counts] = await Promise.all([repo.inspectedRounds(units, query.batchId, from), repo.defectCounts(units, query.batchId, from)]);
    const totals = defectFigures(rounds, counts);
    return {
      weeks: weeks.map((week) => ({
        week, label: weekLabel(week),
        ...defectFigures(rounds.filter((r) => mondayOf(beijingDate(r.verdictAt)) === week), counts),
      })),
      totals,
      types: DEFECT_TYPES.map((type) => ({ type, label: DEFECT_TYPE_LABELS[type], count: totals.byType[type] ?? 0 })),
    };
  }

  private async stuck(repo: DashboardRepository, units: Units, batchId: string | undefined, now: Date, stuckDays: number): Promise<Stuck> {
    const candidates = (await repo.stuck(units, batchId, cutoff(now, stuckDays))).filter((c) => stageAt(c.done) !== null);
    const stageRows = await repo.stageRows(candidates.map((c) => c.batch_id), candidates.map((c) => c.dossier_id));
    const names = await repo.userNames(stageRows.map((s) => s.started_by));
    const items = candidates.map((c) => {
      const stage = stageAt(c.done)!;
      const row = stageRows.find((s) => s.batch_id === c.batch_id && s.dossier_id === c.dossier_id && s.stage === stage);
      const started = row?.status === 'in_progress';
      return {
        batchId: c.batch_id, batchCode: c.batch_code, dossierId: c.dossier_id, dossierNo: c.dossier_no, cadreName: c.cadre_name,
        stage, stageLabel: STAGE_LABELS[stage], status: started ? ('in_progress' as const) : ('pending' as const),
        since: c.since, days: wholeDays(c.since, now),
        startedBy: started && row.started_by ? { id: row.started_by, name: names.get(row.started_by) ?? row.started_by } : null,
      };
    });
    return { stuckDays, items };
  }
}
