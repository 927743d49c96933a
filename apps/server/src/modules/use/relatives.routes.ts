import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { RelativesService } from './relatives.service.js';

export function relativesRoutes(router: Router, relatives: RelativesService): void {
  const r = api.relatives;
  router.authed(r.list, async ({ session, params }) => relatives.list(session.actor, params.id));
  router.authed(r.create, async ({ session, params, body }) => relatives.create(session.actor, params.id, body));
  router.authed(r.update, async ({ session, params, body }) => relatives.update(session.actor, params.id, params.relativeId, body));
  router.authed(r.remove, async ({ session, params }) => {
    await relatives.remove(session.actor, params.id, params.relativeId);
    return { ok: true as const };
  });
}
