import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { ChecksService } from './checks.service.js';

export function checksRoutes(router: Router, checks: ChecksService): void {
  router.authed(api.checks.ofDossier, async ({ session, params }) => checks.ofDossier(session.actor, params.id));
  router.authed(api.checks.run, async ({ session, params }) => checks.run(session.actor, params.id));
  router.authed(api.checks.request, async ({ session, params }) => checks.requestNow(session.actor, params.id));
}
