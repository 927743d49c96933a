import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { RolesService } from './roles.service.js';

export function rolesRoutes(router: Router, roles: RolesService): void {
  router.authed(api.roles.list, async () => roles.list());
  router.authed(api.roles.create, async ({ session, body }) => roles.create(session.actor, body));
  router.authed(api.roles.update, async ({ session, params, body }) => roles.update(session.actor, params.id, body));
  router.authed(api.roles.permissions, async () => roles.permissionCatalogue());
}
