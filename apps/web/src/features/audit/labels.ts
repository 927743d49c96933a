import { BUILT_IN_ROLES, PERMISSIONS, SCOPE_LABELS, isPermission, type ScopeKind } from '@dangan/domain';
import { formatDateTime } from '../../shared/format';

export const RESULT_LABELS = {
  success: { text: '成功', color: 'green' },
  failure: { text: '失败', color: 'red' },
  denied: { text: '拒绝', color: 'volcano' },
} as const;

export const OBJECT_TYPE_LABELS: Record<string, string> = {
  user: '用户',
  unit: '单位',
  role: '角色',
  session: '会话',
  dictionary: '数据字典',
  setting: '系统设置',
  audit: '审计日志',
  route: '接口',
};

/** Chinese names of the keys that appear in audit details. */
const KEY_LABELS: Record<string, string> = {
  id: '标识',
  username: '用户名',
  displayName: '姓名',
  unit: '所属单位',
  unitId: '所属单位标识',
  disabled: '已停用',
  roles: '角色',
  scope: '数据范围',
  clearance: '涉密等级',
  name: '名称',
  code: '代码',
  label: '名称',
  parentId: '上级单位标识',
  parentCode: '上级代码',
  type: '类型',
  sortOrder: '排序号',
  enabled: '启用',
  createdAt: '创建时间',
  description: '说明',
  sensitive: '敏感角色（须动态口令）',
  permissions: '权限',
  reason: '原因',
  failures: '连续失败次数',
  locked: '已锁定',
  minutes: '锁定时长（分钟）',
  until: '锁定至',
  wasLockedUntil: '原锁定至',
  stage: '登录阶段',
  sessionId: '会话标识',
  otherSessionsEnded: '结束的其他会话数',
  rebound: '重新绑定',
  needed: '所需权限',
  filter: '查询条件',
  total: '结果条数',
  format: '导出格式',
  checked: '已校验条数',
  firstBroken: '首个断点',
  seq: '序号',
  userId: '用户标识',
  clientIp: '地址',
  officers: '初始化的三员账号',
  from: '起始时间',
  to: '截止时间',
  action: '事件',
  objectType: '对象类型',
  objectId: '对象标识',
  result: '结果',
  kind: '范围类型',
  unitIds: '指定单位',
  value: '值',
  before: '修改前',
  after: '修改后',
};

const STAGE_LABELS: Record<string, string> = {
  active: '已登录',
  totp: '待输入动态口令',
  change_password: '待修改密码',
  enrol_totp: '待绑定动态口令',
};

const ROLE_NAMES = new Map(BUILT_IN_ROLES.map((r) => [r.code, r.name]));

export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? key;
}

export function roleNames(codes: string): string {
  if (!codes) return '—';
  return codes
    .split(',')
    .map((c) => ROLE_NAMES.get(c.trim()) ?? c.trim())
    .join('、');
}

export function userLabel(username: string | null): string {
  if (!username) return '—';
  return username === 'system' ? '系统' : username;
}

export interface ValueContext {
  actionLabel: (code: string) => string;
  codeLabel: (key: string, code: string) => string | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A detail value as Chinese text. */
export function formatValue(key: string, value: unknown, ctx: ValueContext): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (isPermission(value)) return PERMISSIONS[value].label;
    if (ISO.test(value)) return formatDateTime(value);
    if (key === 'stage') return STAGE_LABELS[value] ?? value;
    if (key === 'kind' && value in SCOPE_LABELS) return SCOPE_LABELS[value as ScopeKind];
    if (key === 'result' && value in RESULT_LABELS) return RESULT_LABELS[value as keyof typeof RESULT_LABELS].text;
    if (key === 'objectType') return OBJECT_TYPE_LABELS[value] ?? value;
    if (key === 'action') return ctx.actionLabel(value);
    if (key === 'format') return value === 'xlsx' ? 'Excel' : value === 'csv' ? 'CSV' : value;
    if (key === 'roles') return roleNames(value);
    return ctx.codeLabel(key, value) ?? value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '（无）';
    if (key === 'roles') return value.map((v) => roleNames(String(v))).join('、');
    return value.map((v) => formatValue(key, v, ctx)).join('、');
  }
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (key === 'scope' && typeof obj.kind === 'string') {
      const label = SCOPE_LABELS[obj.kind as ScopeKind] ?? obj.kind;
      const ids = Array.isArray(obj.unitIds) ? obj.unitIds : [];
      return ids.length ? `${label}（${ids.length} 个单位）` : label;
    }
    return Object.entries(obj)
      .map(([k, v]) => `${keyLabel(k)}：${formatValue(k, v, ctx)}`)
      .join('；');
  }
  return String(value);
}
