import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { LendingService } from './lending.service.js';

export function lendingRoutes(router: Router, lending: LendingService): void {
  const l = api.lendings;
  router.authed(l.pending, async ({ session }) => lending.pending(session.actor));
  router.authed(l.list, async ({ session, query }) => lending.list(session.actor, query));
  router.authed(l.mine, async ({ session }) => lending.mine(session.actor));
  router.authed(l.lend, async ({ session, body }) => lending.lend(session.actor, body));
  router.authed(l.return, async ({ session, params, body }) => lending.returnLoan(session.actor, params.id, body));
}
