/**
 * The permission catalogue. Every route names one of these; roles are sets of them.
 *
 * `duty` marks the administrative permissions of the three officers (三员分立): a role or a user may
 * hold the permissions of at most one duty, and a role with a duty holds no archive-content permission.
 */
export type Duty = 'system' | 'security' | 'audit';

export interface PermissionDef {
  readonly label: string;
  readonly group: string;
  readonly duty?: Duty;
}

export const PERMISSIONS = {
  'system.settings': { label: '管理系统设置', group: '系统管理', duty: 'system' },
  'system.dictionary': { label: '维护数据字典', group: '系统管理', duty: 'system' },
  'system.jobs': { label: '管理后台任务', group: '系统管理', duty: 'system' },
  'system.backup': { label: '备份与恢复', group: '系统管理', duty: 'system' },

  'security.settings': { label: '管理安全策略', group: '安全保密管理', duty: 'security' },
  'security.dictionary': { label: '维护数据字典', group: '安全保密管理', duty: 'security' },
  'unit.manage': { label: '管理单位', group: '安全保密管理', duty: 'security' },
  'user.manage': { label: '管理用户', group: '安全保密管理', duty: 'security' },
  'role.manage': { label: '管理角色', group: '安全保密管理', duty: 'security' },
  'role.assign': { label: '为用户授予角色', group: '安全保密管理', duty: 'security' },
  'grant.manage': { label: '管理查阅授权', group: '安全保密管理', duty: 'security' },
  'secrecy.manage': { label: '管理密级与涉密等级', group: '安全保密管理', duty: 'security' },
  'session.manage': { label: '管理在线会话', group: '安全保密管理', duty: 'security' },

  'audit.read': { label: '查看审计日志', group: '安全审计', duty: 'audit' },
  'audit.export': { label: '导出审计日志', group: '安全审计', duty: 'audit' },
  'audit.verify': { label: '校验审计链', group: '安全审计', duty: 'audit' },

  'unit.read': { label: '查看单位', group: '档案业务' },
  'cadre.read': { label: '查看干部信息', group: '档案业务' },
  'cadre.edit': { label: '编辑干部信息', group: '档案业务' },
  'dossier.read': { label: '查看档案', group: '档案业务' },
  'dossier.edit': { label: '编辑档案', group: '档案业务' },
  'catalogue.edit': { label: '编辑目录', group: '档案业务' },
  'catalogue.import': { label: '导入目录', group: '档案业务' },
  'material.restore': { label: '恢复已删除材料', group: '档案业务' },
  'completeness.manage': { label: '维护材料完整性规则', group: '档案业务' },
  'scan.ingest': { label: '扫描与图像处理', group: '数字化加工' },
  'scan.link': { label: '图像挂接', group: '数字化加工' },
  'qc.inspect': { label: '质量检查', group: '数字化加工' },
  'batch.manage': { label: '管理加工批次', group: '数字化加工' },
  'batch.approve': { label: '审批出库与验收', group: '数字化加工' },
  'review.perform': { label: '专项审核（三龄两历一身份）', group: '审核' },
  'review.approve': { label: '审核认定复核', group: '审核' },
  'access.request': { label: '提交查阅申请', group: '档案利用' },
  'access.approve': { label: '审批查阅申请', group: '档案利用' },
  'access.read': { label: '在线查阅已授权档案', group: '档案利用' },
  'use.manage': { label: '查阅登记与借阅管理', group: '档案利用' },
  'stats.read': { label: '查看统计', group: '档案利用' },
  'alert.manage': { label: '处置安全预警', group: '安全保密管理', duty: 'security' },
} as const satisfies Record<string, PermissionDef>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function dutyOf(permission: Permission): Duty | undefined {
  const def: PermissionDef = PERMISSIONS[permission];
  return def.duty;
}

export const DUTY_LABELS: Record<Duty, string> = {
  system: '系统管理员',
  security: '安全保密管理员',
  audit: '安全审计员',
};
