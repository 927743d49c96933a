import { avoidance, birthDatesAgree, type AvoidanceRelative, type AvoidanceRole } from '@dangan/domain';
import type { Executor } from '../../platform/db/connect.js';
import { invalid } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import { relationLabels } from './relatives.service.js';

/**
 * 回避 against the records: the user's own identity (users.id_number / birth_date, display name), the
 * cadres asked for with their recorded family, and the family recorded on the user's own cadre record
 * when he is a cadre himself. A match is refused with 422 `AVOIDANCE`, and that refusal is audited on its
 * own: it is the only thing written.
 */
export class AvoidanceCheck {
  constructor(
    private readonly db: Executor,
    private readonly audit: AuditLog,
  ) {}

  async enforce(actor: Actor, role: AvoidanceRole, cadreIds: readonly string[], context: { requestId?: string; requestNo?: string }): Promise<void> {
    const hit = await this.find(actor.userId, role, cadreIds);
    if (!hit) return;
    await this.audit.record(actor.audit, {
      action: 'access.request.avoid', result: 'denied', objectType: context.requestId ? 'access_request' : 'cadre',
      objectId: context.requestId ?? hit.cadreId, objectLabel: context.requestNo ?? hit.cadreName,
      detail: { role, cadreId: hit.cadreId, cadre: hit.cadreName, reason: hit.reason, by: hit.by },
    });
    throw invalid('AVOIDANCE', hit.reason);
  }

  async find(userId: string, role: AvoidanceRole, cadreIds: readonly string[]) {
    if (cadreIds.length === 0) return null;
    const user = await this.db.selectFrom('users').select(['display_name', 'id_number', 'birth_date']).where('id', '=', userId).executeTakeFirstOrThrow();
    const person = { name: user.display_name, idNumber: user.id_number, birthDate: user.birth_date };
    const cadres = await this.db.selectFrom('cadres').select(['id', 'name', 'id_number', 'birth_date']).where('id', 'in', [...cadreIds]).execute();
    const ownCadreIds = await this.ownCadreIds(person);
    const labels = await relationLabels(this.db);
    const relatives = await this.db.selectFrom('cadre_relatives').selectAll()
      .where('cadre_id', 'in', [...new Set([...cadreIds, ...ownCadreIds])]).execute();
    const asRelative = (r: (typeof relatives)[number]): AvoidanceRelative => ({
      relationLabel: labels.get(r.relation) ?? '亲属', name: r.name, idNumber: r.id_number, birthDate: r.birth_date,
    });
    const ownRelatives = relatives.filter((r) => ownCadreIds.includes(r.cadre_id)).map(asRelative);
    for (const c of cadres) {
      const match = avoidance(person, {
        name: c.name, idNumber: c.id_number, birthDate: c.birth_date, relatives: relatives.filter((r) => r.cadre_id === c.id).map(asRelative),
      }, { role, ownRelatives });
      if (match) return { cadreId: c.id, cadreName: c.name, reason: match.reason, by: match.by };
    }
    return null;
  }

  /** The user's own cadre record(s): the same ID number, or the same name and birth date. */
  private async ownCadreIds(person: { name: string; idNumber: string | null; birthDate: string | null }): Promise<string[]> {
    const ids = new Set<string>();
    if (person.idNumber) {
      for (const r of await this.db.selectFrom('cadres').select('id').where('id_number', '=', person.idNumber).execute()) ids.add(r.id);
    }
    if (person.birthDate) {
      const namesakes = await this.db.selectFrom('cadres').select(['id', 'birth_date']).where('name', '=', person.name).execute();
      for (const r of namesakes) if (birthDatesAgree(r.birth_date, person.birthDate)) ids.add(r.id);
    }
    return [...ids];
  }
}
