import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { endpoint } from './endpoint.js';
import { BatchState, DefectType, StageCode, UserRef } from './project.js';

/** The digitization project seen whole: dashboard figures, task lists and notifications. */

/** Who may read the dashboard; each sees only the batches and dossiers of his data scope. */
export const DASHBOARD_READERS = ['batch.manage', 'batch.approve', 'qc.inspect', 'stats.read'] as const;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const DashboardQuery = z.object({
  batchId: Id.optional().describe('只统计一个批次'),
  days: z.coerce.number().int().min(1).max(366).default(30).describe('操作员日产量：统计最近几天（北京时间，含今天）'),
  weeks: z.coerce.number().int().min(1).max(104).default(12).describe('缺陷趋势：统计最近几周（周一起算，含本周）'),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const Count = z.number().int();

// ---------------------------------------------------------------- progress
export const StageProgress = z.object({
  stage: StageCode,
  label: z.string(),
  done: Count.describe('此环节已完成的档案数'),
  inProgress: Count.describe('此环节进行中的档案数'),
  pending: Count.describe('此环节未开始的档案数'),
  current: Count.describe('当前停在此环节（第一个未完成环节）的档案数'),
});
export type StageProgress = z.infer<typeof StageProgress>;

export const BatchProgressRow = z.object({
  batchId: Id,
  code: z.string(),
  name: z.string(),
  state: BatchState,
  stateLabel: z.string(),
  dossiers: Count.describe('本人数据范围内的档案数'),
  /** Dossiers per current stage (the first stage not done). */
  current: z.record(z.string(), Count),
  inProgress: Count.describe('有环节正在进行的档案数'),
  done: Count.describe('全部环节已完成的档案数'),
  stuck: Count.describe('滞留档案数'),
});
export type BatchProgressRow = z.infer<typeof BatchProgressRow>;

export const Progress = z.object({
  totals: z.object({
    batches: Count,
    dossiers: Count,
    inProgress: Count.describe('有环节正在进行的档案数'),
    waiting: Count.describe('当前环节尚未开始的档案数（全部完成的除外）'),
    done: Count.describe('全部环节已完成的档案数'),
    stuck: Count,
  }),
  stages: z.array(StageProgress),
  batches: z.array(BatchProgressRow),
});
export type Progress = z.infer<typeof Progress>;

// ---------------------------------------------------------------- operators
export const OperatorDay = z.object({
  date: z.string().describe('日期 YYYY-MM-DD（北京时间）'),
  operator: z.object({ id: Id.nullable().describe('null = 扫描工作站等非用户来源'), name: z.string() }),
  scannedPages: Count.describe('当天由其上传的扫描文件产生的页数（含之后删除或重扫替换的页）'),
  processedDossiers: Count.describe('当天由其完成「图像处理」环节的档案卷次'),
  processedPages: Count.describe('这些档案的现有页数之和'),
  linkedDossiers: Count.describe('当天由其完成「著录/挂接」环节的档案卷次'),
  linkedPages: Count.describe('这些档案的现有页数之和'),
});
export type OperatorDay = z.infer<typeof OperatorDay>;

export const Operators = z.object({
  from: z.string().describe('起始日期（北京时间）'),
  to: z.string().describe('截止日期（北京时间，今天）'),
  dates: z.array(z.string()).describe('区间内的每一天'),
  rows: z.array(OperatorDay),
});
export type Operators = z.infer<typeof Operators>;

// ---------------------------------------------------------------- defects
const DefectFigures = z.object({
  inspections: Count.describe('作出结论的质检（卷次，复检另计）'),
  failed: Count.describe('其中结论为不合格的'),
  defects: Count.describe('这些质检登记的缺陷数'),
  pages: Count.describe('受检档案的现有页数之和'),
  perDossier: z.number().nullable().describe('每卷缺陷数 = 缺陷数 ÷ 质检卷次'),
  per1000Pages: z.number().nullable().describe('每千页缺陷数 = 缺陷数 × 1000 ÷ 受检页数'),
  failRate: z.number().nullable().describe('不合格率 = 不合格 ÷ 质检卷次'),
  byType: z.record(z.string(), Count).describe('缺陷类型 → 个数'),
});

export const DefectWeek = DefectFigures.extend({
  week: z.string().describe('周一日期 YYYY-MM-DD（北京时间）'),
  label: z.string().describe('如「3月2日—3月8日」'),
});
export type DefectWeek = z.infer<typeof DefectWeek>;

export const Defects = z.object({
  weeks: z.array(DefectWeek),
  totals: DefectFigures,
  types: z.array(z.object({ type: DefectType, label: z.string(), count: Count })),
});
export type Defects = z.infer<typeof Defects>;

// ---------------------------------------------------------------- stuck
export const StuckDossier = z.object({
  batchId: Id,
  batchCode: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  stage: StageCode,
  stageLabel: z.string(),
  status: z.enum(['in_progress', 'pending']).describe('in_progress = 已开始未完成；pending = 等待开始'),
  since: Timestamp.describe('最近一次环节变动（开始、完成、返工；尚无变动的为出库交接登记时间）'),
  days: Count.describe('已停留整天数'),
  startedBy: UserRef.nullable().describe('当前环节的开始人'),
});
export type StuckDossier = z.infer<typeof StuckDossier>;

export const Stuck = z.object({
  stuckDays: Count.describe('设置 project.stuckDays'),
  items: z.array(StuckDossier),
});
export type Stuck = z.infer<typeof Stuck>;

export const Dashboard = z.object({
  generatedAt: Timestamp,
  batchId: Id.nullable(),
  progress: Progress,
  operators: Operators,
  defects: Defects,
  stuck: Stuck,
});
export type Dashboard = z.infer<typeof Dashboard>;

// ---------------------------------------------------------------- tasks
export const TASK_KINDS = ['rework', 'approval', 'handover', 'inspection', 'overdue'] as const;
export const TaskKind = z.enum(TASK_KINDS);
export type TaskKind = z.infer<typeof TaskKind>;

export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  rework: '整改',
  approval: '待审批',
  handover: '交接确认',
  inspection: '待质检',
  overdue: '逾期',
};

export const TaskItem = z.object({
  key: z.string().describe('稳定的标识（同一待办每次相同）'),
  kind: TaskKind,
  kindLabel: z.string(),
  title: z.string(),
  detail: z.string(),
  link: z.string().describe('网页路由，如 /batches/:id、/inspections/:id、/rework/:id'),
  since: Timestamp.describe('待办产生的时间'),
  overdue: z.boolean().describe('超过 project.stuckDays 天未处理'),
});
export type TaskItem = z.infer<typeof TaskItem>;

export const TaskSummary = z.object({
  total: Count,
  overdue: Count,
  byKind: z.record(z.string(), Count),
});
export type TaskSummary = z.infer<typeof TaskSummary>;

export const TaskList = z.object({
  items: z.array(TaskItem),
  summary: TaskSummary,
  stuckDays: Count,
});
export type TaskList = z.infer<typeof TaskList>;

const exportEndpoint = (path: string, summary: string) =>
  endpoint({
    method: 'GET', path: `/api/dashboard/${path}.xlsx`, summary, tag: '加工统计', access: DASHBOARD_READERS,
    query: DashboardQuery, produces: [XLSX],
  });

export const DASHBOARD_TABLES = ['stages', 'batches', 'operators', 'defects', 'stuck'] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

export const dashboardApi = {
  dashboard: {
    get: endpoint({
      method: 'GET', path: '/api/dashboard', summary: '加工进度看板（环节进度、操作员日产量、缺陷率趋势、滞留档案）', tag: '加工统计',
      access: DASHBOARD_READERS, query: DashboardQuery, response: Dashboard,
    }),
    stagesXlsx: exportEndpoint('stages', '导出各环节进度（Excel）'),
    batchesXlsx: exportEndpoint('batches', '导出各批次进度（Excel）'),
    operatorsXlsx: exportEndpoint('operators', '导出操作员日产量（Excel）'),
    defectsXlsx: exportEndpoint('defects', '导出缺陷率（按周、按类型，Excel）'),
    stuckXlsx: exportEndpoint('stuck', '导出滞留档案（Excel）'),
  },
  tasks: {
    list: endpoint({
      method: 'GET', path: '/api/tasks', summary: '我的待办（整改、审批、交接确认、质检、逾期）', tag: '加工统计', access: 'user',
      response: TaskList,
    }),
    summary: endpoint({
      method: 'GET', path: '/api/tasks/summary', summary: '待办数量（通知铃）', tag: '加工统计', access: 'user',
      response: TaskSummary,
    }),
  },
} as const;
