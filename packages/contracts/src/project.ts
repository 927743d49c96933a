import { z } from 'zod';
import {
  BATCH_STATES,
  DEFECT_TYPES,
  STAGES,
  type BatchState as BatchStateCode,
  type DefectType as DefectTypeCode,
  type StageCode as StageCodeValue,
} from '@dangan/domain';
import { Id, IdParams, PageQuery, Timestamp, page, text } from './common.js';
import { endpoint } from './endpoint.js';

/** The digitization project: batches, hand-over, stages, scan register, sampling, inspection, acceptance. */

export const BatchState = z.enum(BATCH_STATES as [BatchStateCode, ...BatchStateCode[]]);
export const StageCode = z.enum(STAGES as [StageCodeValue, ...StageCodeValue[]]);
export const StageStatus = z.enum(['pending', 'in_progress', 'done']);
export const DefectType = z.enum(DEFECT_TYPES as [DefectTypeCode, ...DefectTypeCode[]]);
export const Verdict = z.enum(['pass', 'fail']);
export const ReworkState = z.enum(['open', 'submitted', 'closed']);
export const SampleReason = z.enum(['random', 'check_failed']);
export const HandoverDirection = z.enum(['out', 'in']);

/** A user as the project pages show him: who did or is to do something. */
export const UserRef = z.object({ id: Id, name: z.string() });
export type UserRef = z.infer<typeof UserRef>;

const LongText = (max: number) => z.string().trim().max(max);
const Reason = text(500);

export const DefectBox = z
  .tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(1), z.number().int().min(1)])
  .describe('框 [左, 上, 宽, 高]（母版图像像素）');

// ---------------------------------------------------------------- batches
export const BatchSummary = z.object({
  id: Id,
  code: z.string().describe('批次号，如 PC-2026-001'),
  name: z.string(),
  notes: z.string(),
  state: BatchState,
  stateLabel: z.string(),
  dossierCount: z.number().int(),
  materialCount: z.number().int().describe('目录材料份数合计'),
  pageCount: z.number().int().describe('目录页数合计'),
  /** Dossiers per current stage (the first stage not done); `done` = all stages done. */
  progress: z.record(z.string(), z.number().int()),
  createdBy: UserRef,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const BatchQuery = PageQuery.extend({
  state: BatchState.optional(),
  q: z.string().trim().max(40).optional().describe('批次号或名称'),
});

export const BatchCreate = z.object({
  name: text(60),
  notes: LongText(500).default(''),
  dossierIds: z.array(Id).max(5000).default([]),
});
export const BatchUpdate = z.object({ name: text(60).optional(), notes: LongText(500).optional() });

export const StageView = z.object({
  stage: StageCode,
  label: z.string(),
  status: StageStatus,
  startedBy: UserRef.nullable(),
  startedAt: Timestamp.nullable(),
  finishedBy: UserRef.nullable(),
  finishedAt: Timestamp.nullable(),
  note: z.string().nullable(),
});
export type StageView = z.infer<typeof StageView>;

export const StageEvent = z.object({
  id: Id,
  dossierId: Id,
  stage: StageCode,
  stageLabel: z.string(),
  event: z.enum(['start', 'finish', 'rework']),
  by: UserRef.nullable().describe('null = 系统'),
  at: Timestamp,
  note: z.string().nullable().describe('返工原因或说明'),
});
export type StageEvent = z.infer<typeof StageEvent>;

export const BatchDossierCheck = z.object({
  runId: Id.nullable(),
  state: z.enum(['queued', 'running', 'done', 'failed']).nullable(),
  failures: z.number().int().nullable(),
  warnings: z.number().int().nullable(),
  finishedAt: Timestamp.nullable(),
});

export const BatchDossier = z.object({
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  /** The dossier's own state (在库, 出库加工 …). */
  state: z.string(),
  stateLabel: z.string(),
  materialCount: z.number().int().describe('目录材料份数'),
  pageCount: z.number().int().describe('目录页数合计'),
  scannedPages: z.number().int().describe('已扫描（未删除）页数'),
  currentStage: StageCode.nullable().describe('第一个未完成的环节；null = 全部完成'),
  stages: z.array(StageView),
  check: BatchDossierCheck,
  sample: z.object({ reason: SampleReason, label: z.string() }).nullable().describe('是否入选质检样本'),
  /** Verdicts of the inspection rounds in order (open rounds left out). */
  verdicts: z.array(Verdict),
  openRework: z.number().int().describe('未完成复检的整改数'),
});
export type BatchDossier = z.infer<typeof BatchDossier>;

export const HandoverItem = z.object({
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  materials: z.number().int(),
  pages: z.number().int(),
  /** At check-in: the counts handed out; at check-out: the catalogue's. */
  expectedMaterials: z.number().int(),
  expectedPages: z.number().int(),
  difference: z.boolean(),
  note: z.string().nullable(),
});

export const Handover = z.object({
  id: Id,
  batchId: Id,
  direction: HandoverDirection.describe('out = 出库交接；in = 入库交接'),
  giver: UserRef.describe('交出方'),
  receiver: UserRef.describe('接收方'),
  createdBy: UserRef,
  createdAt: Timestamp,
  giverConfirmedAt: Timestamp.nullable(),
  receiverConfirmedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable().describe('双方确认后'),
  note: z.string(),
  items: z.array(HandoverItem),
  totals: z.object({ dossiers: z.number().int(), materials: z.number().int(), pages: z.number().int() }),
});
export type Handover = z.infer<typeof Handover>;

export const BatchDecision = z.object({ by: UserRef, at: Timestamp, reason: z.string().nullable() });

export const PassRate = z.object({
  inspected: z.number().int(),
  passed: z.number().int(),
  rate: z.number().nullable(),
  firstPassed: z.number().int().describe('一次合格'),
  firstRate: z.number().nullable(),
});
export type PassRate = z.infer<typeof PassRate>;

export const Sampling = z.object({
  seed: z.number().int().describe('随机种子（可据此复核抽样）'),
  percent: z.number().int(),
  randomCount: z.number().int(),
  drawnBy: UserRef,
  drawnAt: Timestamp,
  selected: z.array(z.object({ dossierId: Id, dossierNo: z.string(), reason: SampleReason, label: z.string() })),
});
export type Sampling = z.infer<typeof Sampling>;

export const InspectionSummary = z.object({
  id: Id,
  batchId: Id,
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  round: z.number().int().describe('第几轮（复检递增）'),
  inspector: UserRef,
  openedAt: Timestamp,
  verdict: Verdict.nullable(),
  verdictAt: Timestamp.nullable(),
  note: z.string().nullable(),
  defectCount: z.number().int(),
});
export type InspectionSummary = z.infer<typeof InspectionSummary>;

export const ReworkSummary = z.object({
  id: Id,
  batchId: Id,
  batchCode: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  inspectionId: Id,
  round: z.number().int(),
  assignee: UserRef,
  state: ReworkState,
  stateLabel: z.string(),
  createdAt: Timestamp,
  submittedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  defectCount: z.number().int(),
  fixedCount: z.number().int(),
});
export type ReworkSummary = z.infer<typeof ReworkSummary>;

export const BatchDetail = BatchSummary.extend({
  dossiers: z.array(BatchDossier),
  /** Dossiers of the batch outside the viewer's data scope (not listed). */
  hiddenDossiers: z.number().int(),
  checkout: z.object({
    requested: BatchDecision.nullable(),
    approved: BatchDecision.nullable(),
    refused: BatchDecision.nullable().describe('最近一次退回（原因）'),
  }),
  handovers: z.array(Handover),
  sampling: Sampling.nullable(),
  passRate: PassRate,
  passPercent: z.number().int().describe('验收合格率标准（%）'),
  acceptance: z.object({ accepted: BatchDecision.nullable(), refused: BatchDecision.nullable().describe('最近一次验收不通过') }),
  inspections: z.array(InspectionSummary),
  rework: z.array(ReworkSummary),
  events: z.array(StageEvent).describe('各档案环节记录（含返工）'),
});
export type BatchDetail = z.infer<typeof BatchDetail>;

// ---------------------------------------------------------------- scan register
export const ScanRegisterRow = z.object({
  materialId: Id,
  classCode: z.string(),
  seq: z.string(),
  name: z.string(),
  expectedPages: z.number().int().describe('目录页数'),
  scannedPages: z.number().int().describe('已挂接的未删除页数'),
  difference: z.number().int().describe('scanned − expected'),
  explanation: z
    .object({ note: z.string(), by: UserRef, at: Timestamp, expectedPages: z.number().int(), scannedPages: z.number().int() })
    .nullable()
    .describe('最近一次差异说明'),
  /** A difference with no explanation for the current counts blocks finishing 扫描. */
  explained: z.boolean(),
});

export const ScanRegister = z.object({
  batchId: Id,
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  rows: z.array(ScanRegisterRow),
  unlinkedPages: z.number().int().describe('未挂接到材料的页数'),
  totals: z.object({ expected: z.number().int(), scanned: z.number().int() }),
  unexplained: z.number().int().describe('有差异而未说明的材料数'),
});
export type ScanRegister = z.infer<typeof ScanRegister>;

// ---------------------------------------------------------------- inspections and rework
export const Defect = z.object({
  id: Id,
  inspectionId: Id,
  pageId: Id.nullable(),
  materialId: Id.nullable(),
  pageLabel: z.string().nullable().describe('如「1-2 第 3 页」'),
  type: DefectType,
  typeLabel: z.string(),
  box: DefectBox.nullable(),
  note: z.string(),
  createdBy: UserRef,
  createdAt: Timestamp,
  fixed: z.object({ by: UserRef, at: Timestamp, note: z.string() }).nullable(),
});
export type Defect = z.infer<typeof Defect>;

export const InspectionDetail = InspectionSummary.extend({
  batchCode: z.string(),
  defects: z.array(Defect),
  rework: ReworkSummary.nullable().describe('不合格时派发的整改'),
  /** Earlier rounds of the same dossier, oldest first. */
  earlier: z.array(InspectionSummary),
});
export type InspectionDetail = z.infer<typeof InspectionDetail>;

export const ReworkDetail = ReworkSummary.extend({
  defects: z.array(Defect),
  note: z.string().nullable(),
});
export type ReworkDetail = z.infer<typeof ReworkDetail>;

export const DefectCreate = z.object({
  pageId: Id.nullable().default(null).describe('缺陷所在页；漏扫等可为空'),
  materialId: Id.nullable().default(null).describe('缺陷所在材料（页为空时）'),
  type: DefectType,
  box: DefectBox.nullable().default(null),
  note: LongText(500).default(''),
});

export const VerdictBody = z.object({
  verdict: Verdict,
  note: LongText(500).default(''),
  assigneeId: Id.optional().describe('整改人；缺省为该卷图像处理（或扫描）环节的完成人'),
});

export const ReworkQuery = z.object({
  mine: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('只看派给我的'),
  batchId: Id.optional(),
  state: ReworkState.optional(),
});

export const BatchOperator = z.object({ id: Id, name: z.string(), username: z.string(), roles: z.array(z.string()) });

export const CheckInItem = z.object({
  dossierId: Id,
  materials: z.number().int().min(0).max(100000),
  pages: z.number().int().min(0).max(1000000),
  note: LongText(500).default('').describe('与出库数量不一致时必填'),
});

const BatchDossierParams = z.object({ id: Id, dossierId: Id });
const StageParams = BatchDossierParams.extend({ stage: StageCode });

/** Anyone working on batches may read them; each action checks its own permission. */
const PROJECT_READERS = ['batch.manage', 'batch.approve', 'qc.inspect', 'scan.ingest', 'scan.link'] as const;
const REPORT_TYPES = ['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

export const projectApi = {
  batches: {
    list: endpoint({
      method: 'GET', path: '/api/batches', summary: '加工批次列表', tag: '数字化加工', access: PROJECT_READERS,
      query: BatchQuery, response: page(BatchSummary),
    }),
    create: endpoint({
      method: 'POST', path: '/api/batches', summary: '新建加工批次（自动编号）', tag: '数字化加工', access: 'batch.manage',
      body: BatchCreate, response: BatchDetail,
    }),
    get: endpoint({
      method: 'GET', path: '/api/batches/:id', summary: '批次详情（档案、环节、交接、抽检、质检、整改）', tag: '数字化加工',
      access: PROJECT_READERS, params: IdParams, response: BatchDetail,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/batches/:id', summary: '修改批次名称或备注', tag: '数字化加工', access: 'batch.manage',
      params: IdParams, body: BatchUpdate, response: BatchDetail,
    }),
    addDossiers: endpoint({
      method: 'POST', path: '/api/batches/:id/dossiers', summary: '加入档案（草稿批次）', tag: '数字化加工', access: 'batch.manage',
      params: IdParams, body: z.object({ dossierIds: z.array(Id).min(1).max(5000) }), response: BatchDetail,
    }),
    removeDossier: endpoint({
      method: 'DELETE', path: '/api/batches/:id/dossiers/:dossierId', summary: '移出档案（草稿批次）', tag: '数字化加工',
      access: 'batch.manage', params: BatchDossierParams, response: BatchDetail,
    }),
    cancel: endpoint({
      method: 'POST', path: '/api/batches/:id/cancellation', summary: '撤销批次（出库交接前）', tag: '数字化加工', access: 'batch.manage',
      params: IdParams, body: z.object({ reason: Reason }), response: BatchDetail,
    }),
    requestCheckout: endpoint({
      method: 'POST', path: '/api/batches/:id/checkout-request', summary: '申请出库', tag: '数字化加工', access: 'batch.manage',
      params: IdParams, body: z.object({ note: LongText(500).default('') }), response: BatchDetail,
    }),
    approveCheckout: endpoint({
      method: 'POST', path: '/api/batches/:id/checkout-approval', summary: '批准出库', tag: '数字化加工', access: 'batch.approve',
      params: IdParams, body: z.object({ note: LongText(500).default('') }), response: BatchDetail,
    }),
    refuseCheckout: endpoint({
      method: 'POST', path: '/api/batches/:id/checkout-refusal', summary: '退回出库申请（须说明原因）', tag: '数字化加工',
      access: 'batch.approve', params: IdParams, body: z.object({ reason: Reason }), response: BatchDetail,
    }),
    handOver: endpoint({
      method: 'POST', path: '/api/batches/:id/handover', summary: '登记出库交接（页数取自目录，双方确认后出库）', tag: '数字化加工',
      access: 'batch.manage', params: IdParams,
      body: z.object({ receiverId: Id.describe('接收方（加工方）用户'), note: LongText(500).default('') }),
      response: Handover,
    }),
    checkIn: endpoint({
      method: 'POST', path: '/api/batches/:id/check-in', summary: '登记入库交接（清点归还数量，差异须说明；双方确认后入库）', tag: '数字化加工',
      access: 'batch.manage', params: IdParams,
      body: z.object({ giverId: Id.describe('交还方（加工方）用户'), items: z.array(CheckInItem).min(1).max(5000), note: LongText(500).default('') }),
      response: Handover,
    }),
    startStage: endpoint({
      method: 'POST', path: '/api/batches/:id/dossiers/:dossierId/stages/:stage/start', summary: '开始环节', tag: '数字化加工',
      access: ['scan.ingest', 'scan.link', 'batch.manage'], params: StageParams, response: BatchDossier,
    }),
    finishStage: endpoint({
      method: 'POST', path: '/api/batches/:id/dossiers/:dossierId/stages/:stage/finish', summary: '完成环节', tag: '数字化加工',
      access: ['scan.ingest', 'scan.link', 'batch.manage'], params: StageParams, body: z.object({ note: LongText(500).default('') }),
      response: BatchDossier,
    }),
    reworkStage: endpoint({
      method: 'POST', path: '/api/batches/:id/dossiers/:dossierId/stages/:stage/rework', summary: '返工到此环节（须说明原因）',
      tag: '数字化加工', access: ['scan.ingest', 'scan.link', 'batch.manage', 'qc.inspect'], params: StageParams,
      body: z.object({ reason: Reason }), response: BatchDossier,
    }),
    scanRegister: endpoint({
      method: 'GET', path: '/api/batches/:id/dossiers/:dossierId/scan-register', summary: '扫描登记（目录页数与扫描页数）', tag: '数字化加工',
      access: PROJECT_READERS, params: BatchDossierParams, response: ScanRegister,
    }),
    explainScan: endpoint({
      method: 'PUT', path: '/api/batches/:id/materials/:materialId/scan-explanation', summary: '说明扫描页数差异', tag: '数字化加工',
      access: ['scan.ingest', 'batch.manage'], params: z.object({ id: Id, materialId: Id }), body: z.object({ note: text(500) }),
      response: ScanRegister,
    }),
    drawSample: endpoint({
      method: 'POST', path: '/api/batches/:id/sample', summary: '抽取质检样本（随机种子留存）', tag: '数字化加工',
      access: ['qc.inspect', 'batch.manage'], params: IdParams, response: BatchDetail,
    }),
    accept: endpoint({
      method: 'POST', path: '/api/batches/:id/acceptance', summary: '验收批次', tag: '数字化加工', access: 'batch.approve',
      params: IdParams, body: z.object({ note: LongText(500).default('') }), response: BatchDetail,
    }),
    refuseAcceptance: endpoint({
      method: 'POST', path: '/api/batches/:id/acceptance-refusal', summary: '验收不通过（须说明原因）', tag: '数字化加工',
      access: 'batch.approve', params: IdParams, body: z.object({ reason: Reason }), response: BatchDetail,
    }),
    reportPdf: endpoint({
      method: 'GET', path: '/api/batches/:id/report.pdf', summary: '验收报告（PDF）', tag: '数字化加工',
      access: ['batch.manage', 'batch.approve', 'qc.inspect'], params: IdParams, produces: [REPORT_TYPES[0]!],
    }),
    reportXlsx: endpoint({
      method: 'GET', path: '/api/batches/:id/report.xlsx', summary: '验收报告（Excel）', tag: '数字化加工',
      access: ['batch.manage', 'batch.approve', 'qc.inspect'], params: IdParams, produces: [REPORT_TYPES[1]!],
    }),
    operators: endpoint({
      method: 'GET', path: '/api/batch-operators', summary: '可作交接方、整改人的用户（扫描、挂接、质检）', tag: '数字化加工',
      access: ['batch.manage', 'qc.inspect'], response: z.array(BatchOperator),
    }),
  },
  handovers: {
    confirm: endpoint({
      method: 'POST', path: '/api/handovers/:id/confirmation', summary: '确认交接（交出方或接收方本人）', tag: '数字化加工',
      access: PROJECT_READERS, params: IdParams, response: Handover,
    }),
  },
  inspections: {
    open: endpoint({
      method: 'POST', path: '/api/inspections', summary: '开始质检（抽中的档案；复检为新一轮）', tag: '数字化加工', access: 'qc.inspect',
      body: z.object({ batchId: Id, dossierId: Id }), response: InspectionDetail,
    }),
    get: endpoint({
      method: 'GET', path: '/api/inspections/:id', summary: '质检记录（缺陷与结论）', tag: '数字化加工', access: PROJECT_READERS,
      params: IdParams, response: InspectionDetail,
    }),
    addDefect: endpoint({
      method: 'POST', path: '/api/inspections/:id/defects', summary: '登记缺陷', tag: '数字化加工', access: 'qc.inspect',
      params: IdParams, body: DefectCreate, response: InspectionDetail,
    }),
    removeDefect: endpoint({
      method: 'DELETE', path: '/api/inspections/:id/defects/:defectId', summary: '删除缺陷（结论前）', tag: '数字化加工',
      access: 'qc.inspect', params: z.object({ id: Id, defectId: Id }), response: InspectionDetail,
    }),
    verdict: endpoint({
      method: 'POST', path: '/api/inspections/:id/verdict', summary: '质检结论（不合格即派发整改）', tag: '数字化加工',
      access: 'qc.inspect', params: IdParams, body: VerdictBody, response: InspectionDetail,
    }),
  },
  rework: {
    list: endpoint({
      method: 'GET', path: '/api/rework', summary: '整改任务', tag: '数字化加工', access: PROJECT_READERS,
      query: ReworkQuery, response: z.array(ReworkSummary),
    }),
    get: endpoint({
      method: 'GET', path: '/api/rework/:id', summary: '整改任务详情', tag: '数字化加工', access: PROJECT_READERS,
      params: IdParams, response: ReworkDetail,
    }),
    fixDefect: endpoint({
      method: 'POST', path: '/api/rework/:id/defects/:defectId/fix', summary: '标记缺陷已整改', tag: '数字化加工',
      access: ['scan.ingest', 'scan.link'], params: z.object({ id: Id, defectId: Id }), body: z.object({ note: LongText(500).default('') }),
      response: ReworkDetail,
    }),
    submit: endpoint({
      method: 'POST', path: '/api/rework/:id/submission', summary: '提交整改（送复检）', tag: '数字化加工',
      access: ['scan.ingest', 'scan.link'], params: IdParams, body: z.object({ note: LongText(500).default('') }), response: ReworkDetail,
    }),
  },
} as const;
