import type { Unit } from '@dangan/contracts';
import { wouldCycle } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/connect.js';
import { bool, fromBool, orConflict } from '../../platform/db/dialect.js';
import type { UnitTable } from '../../platform/db/schema.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AccessService } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { unitsRepository } from './units.repository.js';

export interface UnitInput {
  parentId: string | null;
  code: string;
  name: string;
  type: string | null;
  sortOrder: number;
}

export class UnitsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
  ) {}

  /**
   * The unit tree as the actor may see it: whole for those who manage units or users; otherwise the
   * units inside his data scope. Officers without either see only their own unit.
   */
  async list(actor: Actor): Promise<Unit[]> {
    const rows = await unitsRepository(this.db).all();
    if (actor.permissions.has('unit.manage') || actor.permissions.has('user.manage')) return rows.map(toUnit);
    if (!actor.permissions.has('unit.read')) return rows.filter((u) => u.id === actor.unitId).map(toUnit);
    const scope = await this.access.scope(actor, 'unit.read');
    return rows.filter((u) => scope.unitIds === null || scope.unitIds.has(u.id)).map(toUnit);
  }

  async create(actor: Actor, input: UnitInput): Promise<Unit> {
    return this.db.transaction().execute(async (trx) => {
      const repo = unitsRepository(trx);
      await this.assertParent(trx, input.parentId);
      await this.assertType(trx, input.type);
      if (await repo.byCode(input.code)) throw conflict('UNIT_CODE_TAKEN', `单位代码「${input.code}」已存在`, { code: '已存在' });
      const now = this.clock.now().toISOString();
      const row: UnitTable = {
        id: newId(), parent_id: input.parentId, code: input.code, name: input.name, type: input.type,
        sort_order: input.sortOrder, disabled: 0, created_at: now, updated_at: now,
      };
      await orConflict(repo.insert(row), () => conflict('UNIT_CODE_TAKEN', `单位代码「${input.code}」已存在`, { code: '已存在' }));
      await this.audit.append(trx, actor.audit, {
        action: 'unit.create', objectType: 'unit', objectId: row.id, objectLabel: row.name, detail: { after: toUnit(row) },
      });
      return toUnit(row);
    });
  }

  async update(actor: Actor, id: string, patch: Partial<UnitInput> & { disabled?: boolean }): Promise<Unit> {
    return this.db.transaction().execute(async (trx) => {
      const repo = unitsRepository(trx);
      const before = await repo.byId(id);
      if (!before) throw notFound('UNIT_NOT_FOUND', '单位不存在');
      if (patch.parentId !== undefined && patch.parentId !== before.parent_id) {
        await this.assertParent(trx, patch.parentId);
        const all = (await repo.all()).map((u) => ({ id: u.id, parentId: u.parent_id }));
        if (wouldCycle(all, id, patch.parentId)) {
          throw invalid('UNIT_CYCLE', '不能把单位移到它自己或它的下级单位之下', { parentId: '会形成循环' });
        }
      }
      if (patch.type !== undefined) await this.assertType(trx, patch.type);
      if (patch.code && patch.code !== before.code && (await repo.byCode(patch.code))) {
        throw conflict('UNIT_CODE_TAKEN', `单位代码「${patch.code}」已存在`, { code: '已存在' });
      }
      const after: UnitTable = {
        ...before,
        parent_id: patch.parentId === undefined ? before.parent_id : patch.parentId,
        code: patch.code ?? before.code,
        name: patch.name ?? before.name,
        type: patch.type === undefined ? before.type : patch.type,
        sort_order: patch.sortOrder ?? before.sort_order,
        disabled: patch.disabled === undefined ? before.disabled : bool(patch.disabled),
        updated_at: this.clock.now().toISOString(),
      };
      await repo.update(id, after);
      await this.audit.append(trx, actor.audit, {
        action: 'unit.update', objectType: 'unit', objectId: id, objectLabel: after.name,
        detail: { before: toUnit(before), after: toUnit(after) },
      });
      return toUnit(after);
    });
  }

  private async assertParent(trx: Executor, parentId: string | null): Promise<void> {
    if (parentId === null) return;
    const parent = await unitsRepository(trx).byId(parentId);
    if (!parent) throw invalid('UNIT_PARENT_NOT_FOUND', '上级单位不存在', { parentId: '上级单位不存在' });
    if (fromBool(parent.disabled)) throw invalid('UNIT_PARENT_DISABLED', '上级单位已停用', { parentId: '上级单位已停用' });
  }

  private async assertType(trx: Executor, type: string | null): Promise<void> {
    if (type === null) return;
    const entry = await trx
      .selectFrom('dictionary_entries')
      .select('id')
      .where('type', '=', 'unit_type')
      .where('code', '=', type)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    if (!entry) throw invalid('UNIT_TYPE_UNKNOWN', `单位类型「${type}」不在代码表中`, { type: '不在代码表中' });
  }
}

export function toUnit(u: UnitTable): Unit {
  return {
    id: u.id, parentId: u.parent_id, code: u.code, name: u.name, type: u.type, sortOrder: u.sort_order,
    disabled: fromBool(u.disabled), createdAt: u.created_at,
  };
}
