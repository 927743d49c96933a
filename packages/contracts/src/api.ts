import { z } from 'zod';
import { ALL_PERMISSIONS, type Permission } from '@dangan/domain';
import { Id, IdParams, Ok, PageQuery, Timestamp, page, text } from './common.js';
import { endpoint } from './endpoint.js';
import { archiveApi } from './archive.js';
import { scanApi } from './scan.js';
import { searchApi } from './search.js';
import { projectApi } from './project.js';
import { checksApi } from './checks.js';
import { dashboardApi } from './dashboard.js';
import { alertsApi } from './alerts.js';
import { useApi } from './use.js';
import { readingApi } from './reading.js';
import { lendingApi } from './lending.js';
import { statsApi } from './stats.js';

const PermissionCode = z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]]);
const ScopeKind = z.enum(['own_unit', 'unit_and_below', 'named_units', 'all']);
/** User names are compared without regard to case: `LiWei` and `liwei` are one account. */
export const Username = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9._-]{2,31}$/, '用户名须以字母开头，3–32 位字母、数字或 . _ -')
  .toLowerCase();
const Password = z.string().min(1).max(128);
const TotpCode = z.string().trim().regex(/^\d{6}$/, '动态口令为 6 位数字');

// ---------------------------------------------------------------- health
export const Health = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
});

// ---------------------------------------------------------------- auth
export const LoginStage = z.enum(['totp', 'change_password', 'enrol_totp', 'active']);
export type LoginStage = z.infer<typeof LoginStage>;

export const RoleRef = z.object({ id: Id, code: z.string(), name: z.string() });

export const Me = z.object({
  stage: LoginStage,
  csrfToken: z.string(),
  idleMinutes: z.number().int(),
  expiresAt: Timestamp,
  passwordExpired: z.boolean(),
  user: z.object({
    id: Id,
    username: z.string(),
    displayName: z.string(),
    unitId: Id,
    unitName: z.string(),
    totpEnrolled: z.boolean(),
    totpRequired: z.boolean(),
    lastLoginAt: Timestamp.nullable(),
    lastLoginIp: z.string().nullable(),
  }),
  roles: z.array(RoleRef),
  permissions: z.array(PermissionCode),
  organizationName: z.string(),
  passwordPolicy: z.object({ minLength: z.number().int(), minClasses: z.number().int() }),
});
export type Me = z.infer<typeof Me>;

export const TotpEnrolment = z.object({
  secret: z.string().describe('Base32 密钥，供手工录入'),
  uri: z.string().describe('otpauth:// 地址'),
  qrSvg: z.string().describe('二维码（SVG 文本）'),
});

// ---------------------------------------------------------------- units
export const Unit = z.object({
  id: Id,
  parentId: Id.nullable(),
  code: z.string(),
  name: z.string(),
  type: z.string().nullable(),
  sortOrder: z.number().int(),
  disabled: z.boolean(),
  createdAt: Timestamp,
});
export type Unit = z.infer<typeof Unit>;

const UnitCode = z.string().trim().regex(/^[A-Za-z0-9-]{1,32}$/, '单位代码为 1–32 位字母、数字或 -');
const UnitFields = z.object({
  parentId: Id.nullable(),
  code: UnitCode,
  name: text(60),
  type: z.string().max(32).nullable(),
  sortOrder: z.number().int().min(0).max(100000),
});
export const UnitCreate = UnitFields.extend({ type: UnitFields.shape.type.default(null), sortOrder: UnitFields.shape.sortOrder.default(0) });
export const UnitUpdate = UnitFields.partial().extend({ disabled: z.boolean().optional() });

// ---------------------------------------------------------------- users
export const Scope = z.object({ kind: ScopeKind, unitIds: z.array(Id).max(500) });

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  unitId: Id,
  unitName: z.string(),
  disabled: z.boolean(),
  lockedUntil: Timestamp.nullable(),
  mustChangePassword: z.boolean(),
  totpEnrolled: z.boolean(),
  clearance: z.string().nullable(),
  roles: z.array(RoleRef),
  scope: Scope,
  lastLoginAt: Timestamp.nullable(),
  lastLoginIp: z.string().nullable(),
  idNumber: z.string().nullable().describe('本人公民身份号码（用于回避）'),
  birthDate: z.string().nullable().describe('本人出生日期（用于回避）'),
  createdAt: Timestamp,
});
export type User = z.infer<typeof User>;

export const UserCreate = z.object({
  username: Username,
  displayName: text(40),
  unitId: Id,
  password: Password.describe('初始密码，首次登录须修改'),
  roleIds: z.array(Id).max(20).default([]),
  scope: Scope.default({ kind: 'own_unit', unitIds: [] }),
  clearance: z.string().max(16).nullable().default(null),
  idNumber: z.string().trim().max(20).nullable().optional().describe('本人公民身份号码（用于回避，可不填）'),
  birthDate: z.string().trim().max(20).nullable().optional().describe('本人出生日期（用于回避，可不填）'),
});
export const UserUpdate = z.object({
  displayName: text(40).optional(),
  unitId: Id.optional(),
  scope: Scope.optional(),
  clearance: z.string().max(16).nullable().optional(),
  disabled: z.boolean().optional(),
  idNumber: z.string().trim().max(20).nullable().optional(),
  birthDate: z.string().trim().max(20).nullable().optional(),
});
export const UserQuery = PageQuery.extend({
  unitId: Id.optional(),
  q: z.string().trim().max(40).optional(),
});

// ---------------------------------------------------------------- roles
export const Role = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(PermissionCode),
  sensitive: z.boolean(),
  builtIn: z.boolean(),
  userCount: z.number().int(),
});
export type Role = z.infer<typeof Role>;
const RoleFields = z.object({
  code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,31}$/, '角色代码为 2–32 位小写字母、数字或下划线，以字母开头'),
  name: text(30),
  description: z.string().trim().max(200),
  permissions: z.array(PermissionCode).min(1).max(100),
  sensitive: z.boolean(),
});
export const RoleCreate = RoleFields.extend({
  description: RoleFields.shape.description.default(''),
  sensitive: RoleFields.shape.sensitive.default(false),
});
export const RoleUpdate = RoleFields.omit({ code: true }).partial();

export const PermissionInfo = z.object({
  code: PermissionCode,
  label: z.string(),
  group: z.string(),
  duty: z.enum(['system', 'security', 'audit']).nullable(),
});

// ---------------------------------------------------------------- sessions
export const SessionInfo = z.object({
  id: Id,
  userId: Id,
  username: z.string(),
  displayName: z.string(),
  clientIp: z.string(),
  userAgent: z.string(),
  stage: LoginStage,
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  current: z.boolean(),
});

// ---------------------------------------------------------------- audit
export const AuditResult = z.enum(['success', 'failure', 'denied']);
export const AuditEvent = z.object({
  seq: z.number().int(),
  at: Timestamp,
  userId: Id.nullable(),
  username: z.string().nullable(),
  roles: z.string(),
  clientIp: z.string().nullable(),
  action: z.string(),
  actionLabel: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  objectLabel: z.string().nullable(),
  result: AuditResult,
  detail: z.unknown().nullable(),
  algorithm: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = PageQuery.extend({
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  username: z.string().trim().max(40).optional(),
  action: z.string().trim().max(60).optional(),
  objectType: z.string().trim().max(40).optional(),
  objectId: z.string().trim().max(64).optional(),
  result: AuditResult.optional(),
});
export const AuditExportQuery = AuditQuery.omit({ page: true, pageSize: true }).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});
export const AuditVerification = z.object({
  intact: z.boolean(),
  checked: z.number().int(),
  lastSeq: z.number().int(),
  firstBroken: z
    .object({ seq: z.number().int(), reason: z.string() })
    .nullable(),
  verifiedAt: Timestamp,
});
export type AuditVerification = z.infer<typeof AuditVerification>;
export const AuditAction = z.object({ code: z.string(), label: z.string() });

// ---------------------------------------------------------------- dictionary
export const DictionaryType = z.object({
  type: z.string(),
  label: z.string(),
  standard: z.string().nullable(),
  hierarchical: z.boolean(),
  entryCount: z.number().int(),
});
export const DictionaryEntry = z.object({
  id: Id,
  type: z.string(),
  code: z.string(),
  label: z.string(),
  parentCode: z.string().nullable(),
  sortOrder: z.number().int(),
  enabled: z.boolean(),
});
export type DictionaryEntry = z.infer<typeof DictionaryEntry>;
const DictCode = z.string().trim().regex(/^[A-Za-z0-9._-]{1,16}$/, '代码为 1–16 位字母、数字或 . _ -');
export const DictionaryEntryCreate = z.object({
  code: DictCode,
  label: text(60),
  parentCode: DictCode.nullable().default(null),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});
export const DictionaryEntryUpdate = z.object({
  label: text(60).optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
  enabled: z.boolean().optional(),
});
const DictTypeParams = z.object({ type: z.string().regex(/^[a-z_]{1,40}$/) });

// ---------------------------------------------------------------- settings
export const SettingView = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  category: z.enum(['security', 'system']),
  value: z.unknown(),
  defaultValue: z.unknown(),
  updatedAt: Timestamp.nullable(),
  updatedBy: z.string().nullable(),
});
export const SettingUpdate = z.object({ value: z.unknown() });

// ================================================================ endpoints
export const api = {
  health: endpoint({
    method: 'GET', path: '/api/health', summary: '健康检查', tag: '系统', access: 'public', response: Health,
  }),

  auth: {
    login: endpoint({
      method: 'POST', path: '/api/auth/login', summary: '登录', tag: '认证', access: 'public',
      body: z.object({ username: z.string().trim().min(1).max(64).toLowerCase(), password: Password }),
      response: Me,
    }),
    logout: endpoint({
      method: 'POST', path: '/api/auth/logout', summary: '退出登录', tag: '认证', access: 'session', response: Ok,
    }),
    me: endpoint({
      method: 'GET', path: '/api/auth/me', summary: '当前会话', tag: '认证', access: 'session', response: Me,
    }),
    verifyTotp: endpoint({
      method: 'POST', path: '/api/auth/totp', summary: '输入动态口令', tag: '认证', access: 'session',
      body: z.object({ code: TotpCode }), response: Me,
    }),
    changePassword: endpoint({
      method: 'POST', path: '/api/auth/password', summary: '修改本人密码', tag: '认证', access: 'session',
      body: z.object({ currentPassword: Password, newPassword: Password }), response: Me,
    }),
    startTotpEnrolment: endpoint({
      method: 'POST', path: '/api/auth/totp/enrolment', summary: '开始绑定动态口令', tag: '认证',
      access: 'session', response: TotpEnrolment,
    }),
    confirmTotpEnrolment: endpoint({
      method: 'POST', path: '/api/auth/totp/enrolment/confirm', summary: '确认绑定动态口令', tag: '认证',
      access: 'session', body: z.object({ code: TotpCode }), response: Me,
    }),
  },

  units: {
    list: endpoint({
      method: 'GET', path: '/api/units', summary: '单位列表（按数据范围）', tag: '单位', access: 'user',
      response: z.array(Unit),
    }),
    create: endpoint({
      method: 'POST', path: '/api/units', summary: '新建单位', tag: '单位', access: 'unit.manage',
      body: UnitCreate, response: Unit,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/units/:id', summary: '修改单位', tag: '单位', access: 'unit.manage',
      params: IdParams, body: UnitUpdate, response: Unit,
    }),
  },

  users: {
    list: endpoint({
      method: 'GET', path: '/api/users', summary: '用户列表', tag: '用户', access: 'user.manage',
      query: UserQuery, response: page(User),
    }),
    get: endpoint({
      method: 'GET', path: '/api/users/:id', summary: '用户详情', tag: '用户', access: 'user.manage',
      params: IdParams, response: User,
    }),
    create: endpoint({
      method: 'POST', path: '/api/users', summary: '新建用户', tag: '用户', access: 'user.manage',
      body: UserCreate, response: User,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/users/:id', summary: '修改用户', tag: '用户', access: 'user.manage',
      params: IdParams, body: UserUpdate, response: User,
    }),
    setRoles: endpoint({
      method: 'PUT', path: '/api/users/:id/roles', summary: '设置用户角色', tag: '用户', access: 'role.assign',
      params: IdParams, body: z.object({ roleIds: z.array(Id).max(20) }), response: User,
    }),
    resetPassword: endpoint({
      method: 'POST', path: '/api/users/:id/password-reset', summary: '重置密码', tag: '用户',
      access: 'user.manage', params: IdParams, body: z.object({ password: Password }), response: User,
    }),
    unlock: endpoint({
      method: 'POST', path: '/api/users/:id/unlock', summary: '解除锁定', tag: '用户', access: 'user.manage',
      params: IdParams, response: User,
    }),
    resetTotp: endpoint({
      method: 'POST', path: '/api/users/:id/totp-reset', summary: '重置动态口令', tag: '用户',
      access: 'user.manage', params: IdParams, response: User,
    }),
  },

  roles: {
    list: endpoint({
      method: 'GET', path: '/api/roles', summary: '角色列表', tag: '角色', access: 'role.assign',
      response: z.array(Role),
    }),
    create: endpoint({
      method: 'POST', path: '/api/roles', summary: '新建角色', tag: '角色', access: 'role.manage',
      body: RoleCreate, response: Role,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/roles/:id', summary: '修改角色', tag: '角色', access: 'role.manage',
      params: IdParams, body: RoleUpdate, response: Role,
    }),
    permissions: endpoint({
      method: 'GET', path: '/api/permissions', summary: '权限目录', tag: '角色', access: 'role.assign',
      response: z.array(PermissionInfo),
    }),
  },

  sessions: {
    list: endpoint({
      method: 'GET', path: '/api/sessions', summary: '在线会话', tag: '会话', access: 'session.manage',
      response: z.array(SessionInfo),
    }),
    revoke: endpoint({
      method: 'DELETE', path: '/api/sessions/:id', summary: '强制下线', tag: '会话', access: 'session.manage',
      params: IdParams, response: Ok,
    }),
  },

  audit: {
    list: endpoint({
      method: 'GET', path: '/api/audit/events', summary: '审计日志查询', tag: '审计', access: 'audit.read',
      query: AuditQuery, response: page(AuditEvent),
    }),
    actions: endpoint({
      method: 'GET', path: '/api/audit/actions', summary: '审计事件类型', tag: '审计', access: 'audit.read',
      response: z.array(AuditAction),
    }),
    export: endpoint({
      method: 'GET', path: '/api/audit/export', summary: '导出审计日志（Excel/CSV）', tag: '审计',
      access: 'audit.export', query: AuditExportQuery,
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
    }),
    verify: endpoint({
      method: 'POST', path: '/api/audit/verify', summary: '校验审计哈希链', tag: '审计', access: 'audit.verify',
      response: AuditVerification,
    }),
  },

  dictionary: {
    types: endpoint({
      method: 'GET', path: '/api/dictionary', summary: '代码表目录', tag: '数据字典', access: 'user',
      response: z.array(DictionaryType),
    }),
    entries: endpoint({
      method: 'GET', path: '/api/dictionary/:type', summary: '代码表条目', tag: '数据字典', access: 'user',
      params: DictTypeParams, response: z.array(DictionaryEntry),
    }),
    create: endpoint({
      method: 'POST', path: '/api/dictionary/:type', summary: '新增代码', tag: '数据字典',
      access: ['system.dictionary', 'security.dictionary'], params: DictTypeParams, body: DictionaryEntryCreate, response: DictionaryEntry,
    }),
    update: endpoint({
      method: 'PATCH', path: '/api/dictionary/:type/:id', summary: '修改代码', tag: '数据字典',
      access: ['system.dictionary', 'security.dictionary'], params: DictTypeParams.extend({ id: Id }), body: DictionaryEntryUpdate,
      response: DictionaryEntry,
    }),
  },

  ...archiveApi,

  ...scanApi,

  ...searchApi,

  ...projectApi,

  ...checksApi,

  ...dashboardApi,

  ...alertsApi,

  ...useApi,

  ...readingApi,

  ...lendingApi,

  ...statsApi,

  settings: {
    list: endpoint({
      method: 'GET', path: '/api/settings', summary: '系统与安全设置', tag: '设置',
      access: ['system.settings', 'security.settings'],
      response: z.array(SettingView),
    }),
    update: endpoint({
      method: 'PUT', path: '/api/settings/:key', summary: '修改设置', tag: '设置',
      access: ['system.settings', 'security.settings'],
      params: z.object({ key: z.string().max(64) }), body: SettingUpdate, response: SettingView,
    }),
  },
} as const;
