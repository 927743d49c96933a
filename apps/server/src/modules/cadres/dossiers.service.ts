import type { DossierSummary } from '@dangan/contracts';
import { BATCH_DOSSIER_EVENTS, DOSSIER_EVENT_LABELS, transition, type DossierEvent, type DossierState } from '@dangan/domain';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import type { AccessService, Authorized, DataScope } from '../access/access.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { assertDictionaryCode } from '../dictionary/dictionary.service.js';
import { unitsRepository } from '../units/units.repository.js';
import { dossierSummary } from './cadres.service.js';

/** The dossier as a physical object: where it is kept, its secrecy, and its state machine. */
export class DossiersService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly access: AccessService,
  ) {}

  async update(actor: Actor, id: string, patch: { custodianUnitId?: string; location?: string; secrecyLevel?: string | null }): Promise<DossierSummary> {
    const scope = await this.access.scope(actor, 'dossier.edit');
    return this.db.transaction().execute(async (trx) => {
      const before = await this.summary(trx, scope, id);
      if (patch.custodianUnitId && !(await unitsRepository(trx).byId(patch.custodianUnitId))) {
        throw invalid('UNIT_NOT_FOUND', '保管单位不存在', { custodianUnitId: '单位不存在' });
      }
      await assertDictionaryCode(trx, 'secrecy_level', patch.secrecyLevel, 'secrecyLevel', '密级');
      await trx
        .updateTable('dossiers')
        .set({
          ...(patch.custodianUnitId ? { custodian_unit_id: patch.custodianUnitId } : {}),
          ...(patch.location !== undefined ? { location: patch.location } : {}),
          ...(patch.secrecyLevel !== undefined ? { secrecy_level: patch.secrecyLevel } : {}),
          updated_at: this.clock.now().toISOString(),
        })
        .where('id', '=', id)
        .execute();
      const after = await this.summary(trx, scope, id);
      await this.audit.append(trx, actor.audit, {
        action: 'dossier.update', objectType: 'dossier', objectId: id, objectLabel: after.dossierNo, detail: { before, after },
      });
      return after;
    });
  }

  async transition(actor: Actor, id: string, eventText: string, reason: string): Promise<DossierSummary> {
    if (!Object.hasOwn(DOSSIER_EVENT_LABELS, eventText)) {
      throw invalid('DOSSIER_EVENT_UNKNOWN', `未知的档案状态操作「${eventText}」`, { event: '未知的操作' });
    }
    const event = eventText as DossierEvent;
    if (BATCH_DOSSIER_EVENTS.includes(event)) {
      throw conflict('DOSSIER_EVENT_BY_BATCH', `「${DOSSIER_EVENT_LABELS[event]}」须在数字化加工批次中办理（出库交接、入库交接双方确认），不能直接变更档案状态`);
    }
    const scope = await this.access.scope(actor, 'dossier.edit');
    return this.db.transaction().execute(async (trx) => {
      await catalogueRepository(trx, this.kind).lockDossier(id);
      const before = await this.summary(trx, scope, id);
      const result = transition(before.state as DossierState, event);
      if (!result.ok) throw conflict('DOSSIER_TRANSITION_REFUSED', result.reason);
      await trx.updateTable('dossiers').set({ state: result.to, updated_at: this.clock.now().toISOString() }).where('id', '=', id).execute();
      const after = await this.summary(trx, scope, id);
      await this.audit.append(trx, actor.audit, {
        action: 'dossier.transition', objectType: 'dossier', objectId: id, objectLabel: after.dossierNo,
        detail: { event: DOSSIER_EVENT_LABELS[event], before: before.stateLabel, after: after.stateLabel, reason },
      });
      return after;
    });
  }

  private async summary(executor: Executor, scope: Authorized<DataScope>, id: string): Promise<DossierSummary> {
    const row = await catalogueRepository(executor, this.kind).dossier(scope, id);
    if (!row) throw notFound('DOSSIER_NOT_FOUND', '档案不存在或不在您的数据范围内');
    const unit = await unitsRepository(executor).byId(row.custodian_unit_id);
    return dossierSummary(row, unit?.name ?? '');
  }
}
