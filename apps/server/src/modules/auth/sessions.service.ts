import { addMinutes, type Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/connect.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../access/actor.js';
import type { AuditLog } from '../audit/audit.log.js';
import type { SettingsService } from '../settings/settings.service.js';
import { sessionsRepository } from './sessions.repository.js';

/** Live sessions as the security officer sees them, and forced sign-out. */
export class SessionsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    private readonly audit: AuditLog,
  ) {}

  async list(actor: Actor) {
    const now = this.clock.now();
    const idle = await this.settings.get('session.idleMinutes');
    const rows = await sessionsRepository(this.db).open(addMinutes(now, -idle).toISOString(), now.toISOString());
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      username: r.username,
      displayName: r.display_name,
      clientIp: r.client_ip,
      userAgent: r.user_agent,
      stage: r.stage as 'active',
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      current: r.id === actor.sessionId,
    }));
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const repo = sessionsRepository(trx);
      const session = await repo.byId(id);
      if (!session || session.ended_at) throw notFound('SESSION_NOT_FOUND', '会话不存在或已结束');
      await repo.update(id, { ended_at: this.clock.now().toISOString(), end_reason: `被 ${actor.username} 强制下线` });
      await this.audit.append(trx, actor.audit, {
        action: 'session.revoke', objectType: 'session', objectId: id, detail: { userId: session.user_id, clientIp: session.client_ip },
      });
    });
  }
}
