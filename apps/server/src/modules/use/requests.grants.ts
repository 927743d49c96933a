import type { AccessGrant } from '@dangan/contracts';
import type { ModuleDeps } from '../project/project.deps.js';
import { requestViews } from './requests.views.js';

/**
 * 查阅授权 for the security officer (grant.manage): every running grant, and those that ended (revoked or
 * expired), across all units. The officer holds no data scope; the list is by his duty and shows only
 * the grant's metadata (who, whose dossier, mode, scope in words, period, prints), never a catalogue.
 * A grant past its end that the expiry chore has not reached yet counts as ended.
 */
export async function listGrants(
  deps: Pick<ModuleDeps, 'db' | 'clock'>,
  query: { state: 'running' | 'ended'; page: number; pageSize: number },
): Promise<{ items: AccessGrant[]; total: number }> {
  const now = deps.clock.now().toISOString();
  const base = deps.db.selectFrom('access_requests').where((eb) => query.state === 'running'
    ? eb.and([eb('state', '=', 'approved'), eb('granted_until', '>', now)])
    : eb.or([eb('state', 'in', ['revoked', 'expired']), eb.and([eb('state', '=', 'approved'), eb('granted_until', '<=', now)])]));
  const offset = (query.page - 1) * query.pageSize;
  const ordered = query.state === 'running'
    ? base.selectAll().orderBy('granted_until').orderBy('seq')
    : base.selectAll().orderBy((eb) => eb.fn.coalesce('revoked_at', 'expired_at', 'granted_until'), 'desc').orderBy('updated_at', 'desc');
  const [rows, count] = await Promise.all([
    ordered.offset(offset).limit(query.pageSize).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const views = await requestViews(deps.db, rows);
  return {
    total: Number(count.n),
    items: views.map((r) => {
      const running = r.state === 'approved' && !!r.grantedUntil && r.grantedUntil > now;
      return {
        id: r.id, requestNo: r.requestNo, requester: r.requester, requesterUnitName: r.requesterUnitName, dossiers: r.dossiers,
        purposeLabel: r.purposeLabel, mode: r.mode, modeLabel: r.modeLabel, scopeKind: r.scopeKind, scopeSummary: r.scopeSummary,
        grantedFrom: r.grantedFrom, grantedUntil: r.grantedUntil, printLimit: r.printLimit, printsUsed: r.printsUsed,
        state: r.state, stateLabel: running ? '生效中' : r.state === 'approved' ? '已到期' : r.stateLabel, running,
        endedAt: running ? null : r.revokedAt ?? r.expiredAt ?? r.grantedUntil,
        revokedBy: r.revokedBy, revokeReason: r.revokeReason,
      };
    }),
  };
}
