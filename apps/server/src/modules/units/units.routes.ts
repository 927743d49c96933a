import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { UnitsService } from './units.service.js';

export function unitsRoutes(router: Router, units: UnitsService): void {
  router.authed(api.units.list, async ({ session }) => units.list(session.actor));
  router.authed(api.units.create, async ({ session, body }) => units.create(session.actor, body));
  router.authed(api.units.update, async ({ session, params, body }) => units.update(session.actor, params.id, body));
}
