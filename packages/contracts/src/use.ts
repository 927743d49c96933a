import { z } from 'zod';
import { Id, IdParams, PageQuery, Timestamp, page, text } from './common.js';
import { endpoint } from './endpoint.js';
import { UserRef } from './project.js';

/**
 * Controlled use, the asking side: cadres' family members (for 回避), access requests (查阅申请) with
 * their approvals by 干部管理权限, and the time-boxed grants they become (revoked or expiring).
 */

// ---------------------------------------------------------------- family members
export const Relative = z.object({
  id: Id,
  cadreId: Id,
  relation: z.string().describe('称谓代码（代码表 relation）'),
  relationLabel: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  birthDate: z.string().nullable().describe('出生日期（2003、2003-05 或 2003-05-07）'),
  workUnit: z.string().describe('工作单位及职务'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Relative = z.infer<typeof Relative>;

export const RelativeInput = z.object({
  relation: z.string().trim().min(1).max(16),
  name: text(40),
  idNumber: z.string().trim().max(20).nullable().default(null),
  birthDate: z.string().trim().max(20).nullable().default(null),
  workUnit: z.string().trim().max(100).default(''),
});
export const RelativePatch = RelativeInput.partial();
const RelativeParams = z.object({ id: Id, relativeId: Id });

// ---------------------------------------------------------------- access requests
export const AccessMode = z.enum(['read', 'print', 'excerpt', 'lend']);
export type AccessMode = z.infer<typeof AccessMode>;
export const ACCESS_MODE_LABELS: Record<AccessMode, string> = {
  read: '在线查阅', print: '打印', excerpt: '摘录', lend: '借阅纸质档案',
};
export const AccessScopeKind = z.enum(['dossier', 'classes', 'materials']);
export type AccessScopeKind = z.infer<typeof AccessScopeKind>;
export const ACCESS_SCOPE_LABELS: Record<AccessScopeKind, string> = { dossier: '整本档案', classes: '按类别', materials: '按材料' };
export const AccessRequestState = z.enum(['pending', 'approved', 'refused', 'withdrawn', 'revoked', 'expired']);
export type AccessRequestState = z.infer<typeof AccessRequestState>;
export const ACCESS_STATE_LABELS: Record<AccessRequestState, string> = {
  pending: '待审批', approved: '已批准', refused: '不批准', withdrawn: '已撤回', revoked: '已撤销', expired: '已到期',
};

export const AccessRequestCreate = z.object({
  dossierIds: z.array(Id).min(1).max(20).describe('申请查阅的档案（须在本人申请数据范围内）'),
  purpose: z.string().trim().min(1).max(16).describe('查阅目的（代码表 use_purpose）'),
  purposeNote: z.string().trim().max(500).default('').describe('说明'),
  mode: AccessMode,
  scopeKind: AccessScopeKind,
  classCodes: z.array(z.string().trim().max(8)).max(20).default([]).describe('按类别时：类别代码，大类含其子类'),
  materialIds: z.array(Id).max(500).default([]).describe('按材料时：所申请档案中的材料'),
  periodFrom: z.iso.datetime({ offset: true }),
  periodTo: z.iso.datetime({ offset: true }),
  printLimit: z.number().int().min(0).max(1000).default(0).describe('打印、摘录时的打印次数上限'),
});
export type AccessRequestCreate = z.input<typeof AccessRequestCreate>;

export const AccessRequestDossier = z.object({
  dossierId: Id,
  dossierNo: z.string(),
  cadreId: Id,
  cadreName: z.string(),
  managingUnitId: Id,
  managingUnitName: z.string(),
});

export const AccessDecision = z.object({
  level: z.number().int(),
  approver: UserRef,
  approverUnitName: z.string(),
  decision: z.enum(['approve', 'refuse']),
  comment: z.string(),
  at: Timestamp,
});
export type AccessDecision = z.infer<typeof AccessDecision>;

export const AccessRequest = z.object({
  id: Id,
  requestNo: z.string(),
  requester: UserRef,
  requesterUnitName: z.string(),
  purpose: z.string(),
  purposeLabel: z.string(),
  purposeNote: z.string(),
  mode: AccessMode,
  modeLabel: z.string(),
  scopeKind: AccessScopeKind,
  scopeSummary: z.string().describe('范围的文字说明'),
  classCodes: z.array(z.string()).nullable(),
  materials: z.array(z.object({ id: Id, dossierId: Id, classCode: z.string(), seq: z.string(), name: z.string() })).nullable(),
  dossiers: z.array(AccessRequestDossier),
  periodFrom: Timestamp,
  periodTo: Timestamp,
  printLimit: z.number().int(),
  printsUsed: z.number().int(),
  levelsRequired: z.number().int(),
  levelsDone: z.number().int(),
  state: AccessRequestState,
  stateLabel: z.string(),
  createdAt: Timestamp,
  decidedAt: Timestamp.nullable(),
  grantedFrom: Timestamp.nullable(),
  grantedUntil: Timestamp.nullable(),
  revokedBy: UserRef.nullable(),
  revokedAt: Timestamp.nullable(),
  revokeReason: z.string().nullable(),
  expiredAt: Timestamp.nullable(),
  decisions: z.array(AccessDecision),
});
export type AccessRequest = z.infer<typeof AccessRequest>;

export const AccessRequestQuery = PageQuery.extend({ state: AccessRequestState.optional() });
export const ApprovalQuery = PageQuery.extend({
  view: z.enum(['pending', 'approved', 'decided']).default('pending')
    .describe('pending 待我审批；approved 我批准且仍有效的授权；decided 我审批过的全部'),
});

export const GrantQuery = PageQuery.extend({
  state: z.enum(['running', 'ended']).default('running')
    .describe('running 生效中（已批准且未到截止时间）；ended 已结束（撤销或到期，最近的在前）'),
});

/** A grant as the security officer oversees it: who, whose dossier, how, until when; no catalogue or content. */
export const AccessGrant = z.object({
  id: Id,
  requestNo: z.string(),
  requester: UserRef,
  requesterUnitName: z.string(),
  dossiers: z.array(AccessRequestDossier),
  purposeLabel: z.string(),
  mode: AccessMode,
  modeLabel: z.string(),
  scopeKind: AccessScopeKind,
  scopeSummary: z.string(),
  grantedFrom: Timestamp.nullable(),
  grantedUntil: Timestamp.nullable(),
  printLimit: z.number().int(),
  printsUsed: z.number().int(),
  state: AccessRequestState,
  stateLabel: z.string().describe('生效中、已撤销、已到期'),
  running: z.boolean(),
  endedAt: Timestamp.nullable().describe('撤销或到期的时间'),
  revokedBy: UserRef.nullable(),
  revokeReason: z.string().nullable(),
});
export type AccessGrant = z.infer<typeof AccessGrant>;

export const ApproveBody = z.object({
  comment: z.string().trim().max(500).default(''),
  until: z.iso.datetime({ offset: true }).optional().describe('可缩短授权截止时间，不能延长'),
});
export const ReasonBody = z.object({ reason: text(500) });

// ---------------------------------------------------------------- requester's lookup
export const AccessCadre = z.object({
  cadreId: Id,
  name: z.string(),
  gender: z.string().nullable(),
  genderLabel: z.string().nullable(),
  managingUnitName: z.string(),
  dossierId: Id,
  dossierNo: z.string(),
  classes: z.array(z.object({ code: z.string(), label: z.string(), materials: z.number().int() })),
});
export type AccessCadre = z.infer<typeof AccessCadre>;

export const AccessMaterial = z.object({ id: Id, classCode: z.string(), seq: z.string(), name: z.string() });
export type AccessMaterial = z.infer<typeof AccessMaterial>;

const REQUEST_READERS = ['access.request', 'access.approve', 'use.manage', 'grant.manage'] as const;

export const useApi = {
  relatives: {
    list: endpoint({
      method: 'GET', path: '/api/cadres/:id/relatives', summary: '家庭成员', tag: '干部档案', access: 'cadre.read',
      params: IdParams, response: z.array(Relative),
    }),
    create: endpoint({
      method: 'POST', path: '/api/cadres/:id/relatives', summary: '登记家庭成员', tag: '干部档案', access: 'cadre.edit',
      params: IdParams, body: RelativeInput, response: Relative,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/cadres/:id/relatives/:relativeId', summary: '修改家庭成员', tag: '干部档案', access: 'cadre.edit',
      params: RelativeParams, body: RelativePatch, response: Relative,
    }),
    remove: endpoint({
      method: 'DELETE', path: '/api/cadres/:id/relatives/:relativeId', summary: '删除家庭成员', tag: '干部档案', access: 'cadre.edit',
      params: RelativeParams, response: z.object({ ok: z.literal(true) }),
    }),
  },

  accessRequests: {
    mine: endpoint({
      method: 'GET', path: '/api/access/requests', summary: '我的查阅申请', tag: '档案利用', access: 'access.request',
      query: AccessRequestQuery, response: page(AccessRequest),
    }),
    create: endpoint({
      method: 'POST', path: '/api/access/requests', summary: '提交查阅申请（回避自动检查）', tag: '档案利用', access: 'access.request',
      body: AccessRequestCreate, response: AccessRequest,
    }),
    get: endpoint({
      method: 'GET', path: '/api/access/requests/:id', summary: '查阅申请详情', tag: '档案利用', access: REQUEST_READERS,
      params: IdParams, response: AccessRequest,
    }),
    withdraw: endpoint({
      method: 'POST', path: '/api/access/requests/:id/withdraw', summary: '撤回查阅申请（待审批时）', tag: '档案利用',
      access: 'access.request', params: IdParams, response: AccessRequest,
    }),
    approvals: endpoint({
      method: 'GET', path: '/api/access/approvals', summary: '查阅审批：待我审批、我已批准', tag: '档案利用', access: 'access.approve',
      query: ApprovalQuery, response: page(AccessRequest),
    }),
    approve: endpoint({
      method: 'POST', path: '/api/access/requests/:id/approve', summary: '批准查阅申请（可缩短期限）', tag: '档案利用',
      access: 'access.approve', params: IdParams, body: ApproveBody, response: AccessRequest,
    }),
    refuse: endpoint({
      method: 'POST', path: '/api/access/requests/:id/refuse', summary: '不批准查阅申请', tag: '档案利用',
      access: 'access.approve', params: IdParams, body: ReasonBody, response: AccessRequest,
    }),
    revoke: endpoint({
      method: 'POST', path: '/api/access/requests/:id/revoke', summary: '撤销查阅授权', tag: '档案利用',
      access: ['access.approve', 'grant.manage'], params: IdParams, body: ReasonBody, response: AccessRequest,
    }),
    grants: endpoint({
      method: 'GET', path: '/api/access/grants', summary: '查阅授权：生效中、已结束（全部单位，仅授权信息）', tag: '档案利用',
      access: 'grant.manage', query: GrantQuery, response: page(AccessGrant),
    }),
    cadres: endpoint({
      method: 'GET', path: '/api/access/cadres', summary: '查阅申请：查找干部（姓名、拼音首字母或档案号）', tag: '档案利用',
      access: 'access.request', query: z.object({ q: z.string().trim().min(1).max(40) }), response: z.array(AccessCadre),
    }),
    materials: endpoint({
      method: 'GET', path: '/api/access/dossiers/:id/materials', summary: '查阅申请：选择材料（仅名称、类别、序号）', tag: '档案利用',
      access: 'access.request', params: IdParams, response: z.array(AccessMaterial),
    }),
  },
} as const;
