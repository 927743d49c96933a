import type { Relative } from '@dangan/contracts';
import { calendarDateAt, checkIdNumber } from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import type { CadreRelativeTable } from '../../platform/db/schema.use.js';
import { withinUnits } from '../../platform/db/scope.js';
import { invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import { parseDateField } from '../catalogue/dates.js';
import { assertDictionaryCode } from '../dictionary/dictionary.service.js';
import type { ModuleDeps } from '../project/project.deps.js';

export interface RelativeFields {
  relation?: string;
  name?: string;
  idNumber?: string | null;
  birthDate?: string | null;
  workUnit?: string;
}

/**
 * A cadre's family members (家庭成员), recorded so that 回避 can recognise a relative asking for or
 * approving access to his dossier. Read with the cadre (cadre.read), changed with it (cadre.edit).
 */
export class RelativesService {
  constructor(private readonly deps: ModuleDeps) {}

  async list(actor: Actor, cadreId: string): Promise<Relative[]> {
    const scope = await this.deps.access.scope(actor, 'cadre.read');
    const cadre = await this.cadre(this.deps.db, scope, cadreId);
    const rows = await this.deps.db.selectFrom('cadre_relatives').selectAll().where('cadre_id', '=', cadreId)
      .orderBy('relation').orderBy('created_at').execute();
    await this.deps.audit.record(actor.audit, {
      action: 'cadre.view', objectType: 'cadre', objectId: cadreId, objectLabel: cadre.name, detail: { section: '家庭成员', count: rows.length },
    });
    return this.views(this.deps.db, rows);
  }

  async create(actor: Actor, cadreId: string, input: Required<Omit<RelativeFields, 'idNumber' | 'birthDate'>> & RelativeFields): Promise<Relative> {
    const scope = await this.deps.access.scope(actor, 'cadre.edit');
    return this.deps.db.transaction().execute(async (trx) => {
      const cadre = await this.cadre(trx, scope, cadreId);
      const now = this.deps.clock.now().toISOString();
      const fields = await this.validated(trx, input, null);
      const row: CadreRelativeTable = {
        id: newId(), cadre_id: cadreId, relation: input.relation, name: input.name, id_number: null, birth_date: null,
        work_unit: input.workUnit, ...fields, created_at: now, updated_at: now,
      };
      await trx.insertInto('cadre_relatives').values(row).execute();
      const [after] = await this.views(trx, [row]);
      await this.deps.audit.append(trx, actor.audit, {
        action: 'relative.create', objectType: 'cadre', objectId: cadreId, objectLabel: cadre.name, detail: { after: summary(after!) },
      });
      return after!;
    });
  }

  async update(actor: Actor, cadreId: string, relativeId: string, patch: RelativeFields): Promise<Relative> {
    const scope = await this.deps.access.scope(actor, 'cadre.edit');
    return this.deps.db.transaction().execute(async (trx) => {
      const cadre = await this.cadre(trx, scope, cadreId);
      const current = await this.relative(trx, cadreId, relativeId);
      const [before] = await this.views(trx, [current]);
      const fields = await this.validated(trx, patch, current);
      const next: CadreRelativeTable = {
        ...current, ...fields,
        ...(patch.relation !== undefined ? { relation: patch.relation } : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.workUnit !== undefined ? { work_unit: patch.workUnit } : {}),
        updated_at: this.deps.clock.now().toISOString(),
      };
      await trx.updateTable('cadre_relatives').set(next).where('id', '=', relativeId).execute();
      const [after] = await this.views(trx, [next]);
      await this.deps.audit.append(trx, actor.audit, {
        action: 'relative.update', objectType: 'cadre', objectId: cadreId, objectLabel: cadre.name,
        detail: { before: summary(before!), after: summary(after!) },
      });
      return after!;
    });
  }

  async remove(actor: Actor, cadreId: string, relativeId: string): Promise<void> {
    const scope = await this.deps.access.scope(actor, 'cadre.edit');
    await this.deps.db.transaction().execute(async (trx) => {
      const cadre = await this.cadre(trx, scope, cadreId);
      const current = await this.relative(trx, cadreId, relativeId);
      const [before] = await this.views(trx, [current]);
      await trx.deleteFrom('cadre_relatives').where('id', '=', relativeId).execute();
      await this.deps.audit.append(trx, actor.audit, {
        action: 'relative.delete', objectType: 'cadre', objectId: cadreId, objectLabel: cadre.name, detail: { before: summary(before!) },
      });
    });
  }

  private async cadre(executor: Executor, scope: Authorized<DataScope>, cadreId: string) {
    const cadre = await executor
      .selectFrom('cadres')
      .select(['id', 'name', 'managing_unit_id'])
      .where('id', '=', cadreId)
      .where(withinUnits('managing_unit_id', scope.unitIds))
      .executeTakeFirst();
    if (!cadre) throw notFound('CADRE_NOT_FOUND', '干部不存在或不在您的数据范围内');
    return cadre;
  }

  private async relative(executor: Executor, cadreId: string, relativeId: string): Promise<CadreRelativeTable> {
    const row = await executor.selectFrom('cadre_relatives').selectAll().where('id', '=', relativeId).where('cadre_id', '=', cadreId).executeTakeFirst();
    if (!row) throw notFound('RELATIVE_NOT_FOUND', '家庭成员不存在');
    return row;
  }

  /** Relation from the dictionary; the ID number checked (GB 11643); a missing birth date taken from it. */
  private async validated(trx: Executor, input: RelativeFields, current: CadreRelativeTable | null): Promise<Partial<CadreRelativeTable>> {
    const out: Partial<CadreRelativeTable> = {};
    if (input.relation !== undefined) await assertDictionaryCode(trx, 'relation', input.relation, 'relation', '称谓');
    const now = this.deps.clock.now();
    if (input.birthDate !== undefined) out.birth_date = parseDateField(input.birthDate, 'birthDate', '出生日期', now);
    if (input.idNumber !== undefined) {
      if (!input.idNumber) out.id_number = null;
      else {
        const checked = checkIdNumber(input.idNumber, calendarDateAt(now));
        if (!checked.ok) throw invalid('ID_NUMBER_INVALID', `公民身份号码不正确：${checked.reason}`, { idNumber: checked.reason });
        out.id_number = checked.normalized;
        const birth = out.birth_date !== undefined ? out.birth_date : current?.birth_date ?? null;
        if (!birth) out.birth_date = checked.birthDate;
      }
    }
    return out;
  }

  private async views(executor: Executor, rows: CadreRelativeTable[]): Promise<Relative[]> {
    const labels = await relationLabels(executor);
    return rows.map((r) => ({
      id: r.id, cadreId: r.cadre_id, relation: r.relation, relationLabel: labels.get(r.relation) ?? r.relation, name: r.name,
      idNumber: r.id_number, birthDate: r.birth_date, workUnit: r.work_unit, createdAt: r.created_at, updatedAt: r.updated_at,
    }));
  }
}

export async function relationLabels(executor: Executor): Promise<Map<string, string>> {
  const rows = await executor.selectFrom('dictionary_entries').select(['code', 'label']).where('type', '=', 'relation').execute();
  return new Map(rows.map((r) => [r.code, r.label]));
}

function summary(r: Relative) {
  return { relation: r.relationLabel, name: r.name, idNumber: r.idNumber, birthDate: r.birthDate, workUnit: r.workUnit };
}
