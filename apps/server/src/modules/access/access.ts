import { type Permission, resolveScope } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/connect.js';
import type { AccessMode } from '../../platform/db/schema.use.js';
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
 * What an approved access request lets its requester see of one dossier, while it runs. A reader
 * holds no data scope: this is all he may see, and nothing outside it is even listed.
 */
export interface GrantScope {
  requestId: string;
  requestNo: string;
  mode: AccessMode;
  dossierId: string;
  /** Granted class codes (a class covers its subclasses: '4' covers '4-1'); null = not limited by class. */
  classCodes: ReadonlySet<string> | null;
  /** Granted materials; null = not limited to a list. */
  materialIds: ReadonlySet<string> | null;
  from: string;
  until: string;
  printLimit: number;
  printsUsed: number;
}

/** Whether a material falls inside a grant. */
export function materialGranted(grant: GrantScope, material: { id: string; class_code: string }): boolean {
  if (grant.materialIds && !grant.materialIds.has(material.id)) return false;
  if (grant.classCodes) {
    for (const c of grant.classCodes) {
      if (material.class_code === c || material.class_code.startsWith(`${c}-`)) return true;
    }
    return false;
  }
  return true;
}

/** Grants that let their holder read pages on screen (lending is for the paper only). */
const ONLINE_MODES: readonly AccessMode[] = ['read', 'print', 'excerpt'];

/**
 * The one place where archive access is decided: data scope by unit for the archive's staff, and
 * approved, unexpired grants for readers. Every query that returns archive data is filtered by what
 * this returns.
 */
export class AccessService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

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

  /**
   * The actor's running grants for on-screen use: approved, inside their window, not revoked. The state
   * column may still say `approved` a moment after the window closed (the expiry job marks it); the
   * window decides.
   */
  async grants(actor: Actor, dossierId?: string): Promise<Authorized<GrantScope>[]> {
    requirePermission(actor, 'access.read');
    const now = this.clock.now().toISOString();
    let q = this.db
      .selectFrom('access_requests as r')
      .innerJoin('access_request_dossiers as d', 'd.request_id', 'r.id')
      .select([
        'r.id', 'r.request_no', 'r.mode', 'r.scope_kind', 'r.scope_classes', 'r.granted_from', 'r.granted_until',
        'r.print_limit', 'r.prints_used', 'd.dossier_id',
      ])
      .where('r.requester_id', '=', actor.userId)
      .where('r.state', '=', 'approved')
      .where('r.mode', 'in', ONLINE_MODES)
      .where('r.granted_from', '<=', now)
      .where('r.granted_until', '>', now);
    if (dossierId) q = q.where('d.dossier_id', '=', dossierId);
    const rows = await q.orderBy('r.granted_until', 'desc').execute();
    const materialRows = rows.some((r) => r.scope_kind === 'materials')
      ? await this.db.selectFrom('access_request_materials').select(['request_id', 'material_id'])
        .where('request_id', 'in', rows.filter((r) => r.scope_kind === 'materials').map((r) => r.id)).execute()
      : [];
    return rows.map((r) => ({
      requestId: r.id,
      requestNo: r.request_no,
      mode: r.mode,
      dossierId: r.dossier_id,
      classCodes: r.scope_kind === 'classes' ? new Set(JSON.parse(r.scope_classes ?? '[]') as string[]) : null,
      materialIds: r.scope_kind === 'materials'
        ? new Set(materialRows.filter((m) => m.request_id === r.id).map((m) => m.material_id))
        : null,
      from: r.granted_from!,
      until: r.granted_until!,
      printLimit: r.print_limit,
      printsUsed: r.prints_used,
    }) as Authorized<GrantScope>);
  }

  /** The running grant of one request on one dossier, or a refusal naming why. */
  async grant(actor: Actor, requestId: string, dossierId: string): Promise<Authorized<GrantScope>> {
    const grant = (await this.grants(actor, dossierId)).find((g) => g.requestId === requestId);
    if (!grant) throw forbidden('NO_GRANT', '没有有效的查阅授权：申请未批准、已过期或已被撤销');
    return grant;
  }
}
