/** Every audited action with its Chinese name, as the auditor's filter and exports show them. */
export const AUDIT_ACTIONS = {
  'auth.login': '登录',
  'auth.totp': '动态口令验证',
  'auth.logout': '退出登录',
  'auth.session_end': '会话结束',
  'auth.password_change': '修改本人密码',
  'auth.totp_enrol': '绑定动态口令',
  'access.denied': '越权访问被拒绝',
  'unit.create': '新建单位',
  'unit.update': '修改单位',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.roles': '设置用户角色',
  'user.password_reset': '重置用户密码',
  'user.lock': '锁定用户',
  'user.unlock': '解除用户锁定',
  'user.totp_reset': '重置动态口令',
  'role.create': '新建角色',
  'role.update': '修改角色',
  'session.revoke': '强制下线',
  'dictionary.create': '新增代码',
  'dictionary.update': '修改代码',
  'setting.update': '修改设置',
  'audit.query': '查询审计日志',
  'audit.export': '导出审计日志',
  'audit.verify': '校验审计链',
  'system.bootstrap': '系统初始化',
  'system.migrate': '数据库迁移',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function actionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
