import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { SessionsService } from './sessions.service.js';

export function sessionsRoutes(router: Router, sessions: SessionsService): void {
  router.authed(api.sessions.list, async ({ session }) => sessions.list(session.actor));
  router.authed(api.sessions.revoke, async ({ session, params }) => {
    await sessions.revoke(session.actor, params.id);
    return { ok: true as const };
  });
}
