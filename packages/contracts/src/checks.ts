/** Automatic checks (数据校验) of a dossier's digitization results. */
import { z } from 'zod';
import { CHECK_CODE_LIST, type CheckCode } from '@dangan/domain';
import { Id, IdParams, Timestamp } from './common.js';
import { endpoint } from './endpoint.js';

/** Who may run a dossier's checks and read them (reading also needs dossier.read). */
const CHECK_ACCESS = ['batch.manage', 'qc.inspect', 'scan.ingest'] as const;

export const CheckRunState = z.enum(['queued', 'running', 'done', 'failed']);
export type CheckRunState = z.infer<typeof CheckRunState>;
export const CHECK_RUN_STATE_LABELS: Record<CheckRunState, string> = {
  queued: '排队中',
  running: '校验中',
  done: '已完成',
  failed: '校验出错',
};

export const CheckSeverity = z.enum(['failure', 'warning']);

/** A page a finding points at, where it was when the run looked, and where the web shows it. */
export const CheckPageRef = z.object({
  pageId: Id,
  dossierId: Id,
  dossierNo: z.string(),
  materialId: Id.nullable(),
  materialSeq: z.string().nullable().describe('材料序号（类号-份号），未挂接时为空'),
  materialName: z.string().nullable(),
  pageNo: z.number().int().nullable().describe('在材料中的页号'),
  unlinkedOrder: z.number().int().nullable().describe('未挂接页的次序'),
  fileName: z.string(),
  sourcePage: z.number().int().describe('在原文件中的页序（从 1 起）'),
  link: z.string().describe('网页端打开该页的地址'),
});
export type CheckPageRef = z.infer<typeof CheckPageRef>;

export const CheckFinding = z.object({
  id: Id,
  code: z.enum(CHECK_CODE_LIST as [CheckCode, ...CheckCode[]]),
  label: z.string().describe('问题类别（中文）'),
  severity: CheckSeverity.describe('failure 不合格（须全检）；warning 提示'),
  message: z.string(),
  materialId: Id.nullable(),
  pageId: Id.nullable(),
  page: CheckPageRef.nullable().describe('出问题的页'),
  related: z.array(CheckPageRef).describe('相关的页（如重复扫描的另一页）'),
  detail: z.record(z.string(), z.unknown()).describe('测得的数值等'),
});
export type CheckFinding = z.infer<typeof CheckFinding>;

export const CheckRun = z.object({
  id: Id,
  dossierId: Id,
  dossierNo: z.string(),
  batchId: Id.nullable(),
  siblingDossierIds: z.array(Id).describe('一并比对重复页的同批次档案'),
  state: CheckRunState,
  requestedBy: z.string(),
  requestedAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  failures: z.number().int(),
  warnings: z.number().int(),
  error: z.string().nullable(),
  findings: z.array(CheckFinding),
});
export type CheckRun = z.infer<typeof CheckRun>;

export const DossierChecks = z.object({
  dossierId: Id,
  dossierNo: z.string(),
  cadreName: z.string(),
  run: CheckRun.nullable().describe('最近一次校验；从未校验时为空'),
});
export type DossierChecks = z.infer<typeof DossierChecks>;

export const checksApi = {
  checks: {
    ofDossier: endpoint({
      method: 'GET', path: '/api/dossiers/:id/checks', summary: '档案最近一次自动校验的结果', tag: '数据校验',
      access: CHECK_ACCESS, params: IdParams, response: DossierChecks,
    }),
    run: endpoint({
      method: 'GET', path: '/api/check-runs/:id', summary: '一次自动校验的结果', tag: '数据校验',
      access: CHECK_ACCESS, params: IdParams, response: CheckRun,
    }),
    request: endpoint({
      method: 'POST', path: '/api/dossiers/:id/checks', summary: '立即校验档案（排队执行）', tag: '数据校验',
      access: CHECK_ACCESS, params: IdParams, response: CheckRun,
    }),
  },
} as const;
