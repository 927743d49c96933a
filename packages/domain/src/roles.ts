import { type Duty, type Permission, DUTY_LABELS, PERMISSIONS, dutyOf } from './permissions.js';

export interface BuiltInRole {
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly Permission[];
  /** Two-factor login is required for holders of a sensitive role. */
  readonly sensitive: boolean;
}

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    code: 'sysadmin',
    name: '系统管理员',
    description: '负责系统设置、数据字典、后台任务与备份；不接触档案内容与审计日志',
    permissions: ['system.settings', 'system.dictionary', 'system.jobs', 'system.backup'],
    sensitive: true,
  },
  {
    code: 'secadmin',
    name: '安全保密管理员',
    description: '负责单位、用户、角色、授权、密级与安全策略；不接触档案内容',
    permissions: [
      'security.settings', 'security.dictionary', 'unit.manage', 'user.manage', 'role.manage',
      'role.assign', 'grant.manage', 'secrecy.manage', 'session.manage', 'alert.manage',
    ],
    sensitive: true,
  },
  {
    code: 'auditor',
    name: '安全审计员',
    description: '查看、导出与校验审计日志；无其他权限',
    permissions: ['audit.read', 'audit.export', 'audit.verify'],
    sensitive: true,
  },
  {
    code: 'archivist',
    name: '档案管理员',
    description: '干部信息、档案与目录的日常管理',
    permissions: [
      'unit.read', 'cadre.read', 'cadre.edit', 'dossier.read', 'dossier.edit', 'catalogue.edit',
      'catalogue.import', 'material.restore', 'completeness.manage', 'scan.link', 'batch.manage', 'stats.read', 'use.manage',
    ],
    sensitive: false,
  },
  {
    code: 'scanner',
    name: '扫描员',
    description: '扫描、图像处理与挂接',
    permissions: ['unit.read', 'dossier.read', 'scan.ingest', 'scan.link'],
    sensitive: false,
  },
  {
    code: 'inspector',
    name: '质检员',
    description: '数字化成果的质量检查',
    permissions: ['unit.read', 'dossier.read', 'qc.inspect'],
    sensitive: false,
  },
  {
    code: 'reviewer',
    name: '审核员',
    description: '三龄两历一身份专项审核',
    permissions: ['unit.read', 'cadre.read', 'dossier.read', 'review.perform'],
    sensitive: false,
  },
  {
    code: 'leader',
    name: '审批领导',
    description: '审批查阅申请、复核审核认定、审批数字化出库与验收',
    permissions: ['unit.read', 'cadre.read', 'access.approve', 'review.approve', 'batch.approve', 'stats.read'],
    sensitive: true,
  },
  {
    code: 'reader',
    name: '查阅人',
    description: '提交查阅申请，在授权范围和期限内查阅',
    permissions: ['access.request', 'access.read'],
    sensitive: false,
  },
];

export const OFFICER_ROLE_CODES = ['sysadmin', 'secadmin', 'auditor'] as const;

export type RoleRuleViolation =
  | { kind: 'mixed_duties'; duties: Duty[] }
  | { kind: 'duty_with_content'; duty: Duty; permissions: Permission[] };

/**
 * 三员分立 on a set of permissions (one role, or the union of a user's roles): the administrative
 * permissions must belong to one officer's duty at most, and an officer holds no archive permission.
 */
export function checkSeparationOfDuties(permissions: Iterable<Permission>): RoleRuleViolation | null {
  const duties = new Set<Duty>();
  const content: Permission[] = [];
  for (const p of permissions) {
    const duty = dutyOf(p);
    if (duty) duties.add(duty);
    else content.push(p);
  }
  if (duties.size > 1) return { kind: 'mixed_duties', duties: [...duties].sort() };
  const [duty] = duties;
  if (duty && content.length > 0) return { kind: 'duty_with_content', duty, permissions: content.sort() };
  return null;
}

export function describeViolation(v: RoleRuleViolation): string {
  if (v.kind === 'mixed_duties') {
    return `三员分立：不能同时具有${v.duties.map((d) => DUTY_LABELS[d]).join('与')}的权限`;
  }
  const labels = v.permissions.map((p) => PERMISSIONS[p].label).join('、');
  return `三员分立：${DUTY_LABELS[v.duty]}不能具有档案业务权限（${labels}）`;
}

/**
 * May `grantor` give a role holding `rolePermissions`? Archive (non-duty) permissions are given by
 * whoever holds `role.assign`; an administrative permission only by someone who holds it already,
 * so nobody can hand out authority they lack. Officer roles other than one's own duty are therefore
 * assigned only from the console (`dangan user add --role`).
 */
export function missingToGrant(
  grantorPermissions: ReadonlySet<Permission>,
  rolePermissions: Iterable<Permission>,
): Permission[] {
  const canAssign = grantorPermissions.has('role.assign');
  const missing: Permission[] = [];
  for (const p of rolePermissions) {
    if (grantorPermissions.has(p)) continue;
    if (canAssign && !dutyOf(p)) continue;
    missing.push(p);
  }
  return missing;
}
