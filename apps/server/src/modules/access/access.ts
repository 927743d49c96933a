import { type Permission, resolveScope } from '@dangan/domain';
import type { Db } from '../../platform/db/connect.js';
import { forbidden } from '../../platform/errors.js';
import type { Actor } from './actor.js';

declare const authorizedBrand: unique symbol;

/**
 * A value only the access check below can make. Functions that read or change archive data take an
 * `Authorized<…>` argument, so code that skipped the check does not compile.
 */
export type Authorized<T> = T & { readonly [authorizedBrand]: true };

/** Which units' archive data a permission reaches for one actor; `unitIds: null` means all units. */
export interface DataScope {
  permission: Permission;
  unitIds: ReadonlySet<string> | null;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) throw forbidden('FORBIDDEN', '没有执行此操作的权限');
}

/**
 * The one place where archive access is decided. Later features add checks here (grants, 回避,
 * secrecy); every query that returns archive data is filtered by the scope this returns.
 */
export class AccessService {
  constructor(private readonly db: Db) {}

  async scope(actor: Actor, permission: Permission): Promise<Authorized<DataScope>> {
    requirePermission(actor, permission);
    const units = await this.db.selectFrom('units').select(['id', 'parent_id']).execute();
    const unitIds = resolveScope(
      units.map((u) => ({ id: u.id, parentId: u.parent_id })),
      { kind: actor.scope.kind, unitId: actor.unitId, namedUnitIds: actor.scope.unitIds },
    );
    return { permission, unitIds } as Authorized<DataScope>;
  }

  /** For a set of unit ids at once: all must be inside the actor's scope for `permission`. */
  async requireUnits(actor: Actor, permission: Permission, unitIds: Iterable<string>): Promise<Authorized<DataScope>> {
    const scope = await this.scope(actor, permission);
    if (scope.unitIds) {
      for (const id of unitIds) {
        if (!scope.unitIds.has(id)) throw forbidden('OUT_OF_SCOPE', '所请求的数据不在您的数据范围内');
      }
    }
    return scope;
  }
}
