import type { Role } from '@dangan/contracts';
import { missingToGrant, type Permission } from '@dangan/domain';
import { separationProblem } from '../../shared/duties';

/** Roles as options; those holding authority the current user lacks cannot be chosen (server rule too). */
export function roleOptions(roles: Role[] | undefined, mine: Permission[], current: string[] = []) {
  const own = new Set(mine);
  return (roles ?? []).map((r) => {
    const grantable = missingToGrant(own, r.permissions).length === 0;
    const suffix = [r.sensitive ? '须动态口令' : null, grantable ? null : '无权授予'].filter(Boolean).join('，');
    return {
      value: r.id,
      label: suffix ? `${r.name}（${suffix}）` : r.name,
      disabled: !grantable && !current.includes(r.id),
    };
  });
}

/** The 三员分立 problem of a set of roles, in Chinese, or null. */
export function rolesViolation(roles: Role[] | undefined, ids: string[] | undefined): string | null {
  const chosen = (roles ?? []).filter((r) => (ids ?? []).includes(r.id));
  return separationProblem(chosen.flatMap((r) => r.permissions));
}
