import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { UsersService } from './users.service.js';

export function usersRoutes(router: Router, users: UsersService): void {
  router.authed(api.users.list, async ({ query }) => users.list({ unitId: query.unitId, q: query.q }, query.page, query.pageSize));
  router.authed(api.users.get, async ({ params }) => users.get(params.id));
  router.authed(api.users.create, async ({ session, body }) => users.create({ kind: 'actor', actor: session.actor }, body));
  router.authed(api.users.update, async ({ session, params, body }) => users.update(session.actor, params.id, body));
  router.authed(api.users.setRoles, async ({ session, params, body }) =>
    users.setRoles({ kind: 'actor', actor: session.actor }, params.id, body.roleIds),
  );
  router.authed(api.users.resetPassword, async ({ session, params, body }) =>
    users.resetPassword({ kind: 'actor', actor: session.actor }, params.id, body.password),
  );
  router.authed(api.users.unlock, async ({ session, params }) => users.unlock(session.actor, params.id));
  router.authed(api.users.resetTotp, async ({ session, params }) => users.resetTotp({ kind: 'actor', actor: session.actor }, params.id));
}
