import { DUTY_LABELS, PERMISSIONS, checkSeparationOfDuties, type Permission } from '@dangan/domain';

/**
 * 三员分立 for a set of permissions, in Chinese with permission names (the domain's own description
 * names permissions by code).
 */
export function separationProblem(permissions: Iterable<Permission>): string | null {
  const v = checkSeparationOfDuties(permissions);
  if (!v) return null;
  if (v.kind === 'mixed_duties') return `三员分立：不能同时具有${v.duties.map((d) => DUTY_LABELS[d]).join('与')}的权限`;
  return `三员分立：${DUTY_LABELS[v.duty]}不能具有档案业务权限（${v.permissions.map((p) => PERMISSIONS[p].label).join('、')}）`;
}
