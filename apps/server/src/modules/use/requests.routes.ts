import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { RequestsService } from './requests.service.js';

export function requestsRoutes(router: Router, requests: RequestsService): void {
  const r = api.accessRequests;
  router.authed(r.mine, async ({ session, query }) => requests.mine(session.actor, query));
  router.authed(r.create, async ({ session, body }) => requests.create(session.actor, body));
  router.authed(r.get, async ({ session, params }) => requests.get(session.actor, params.id));
  router.authed(r.withdraw, async ({ session, params }) => requests.withdraw(session.actor, params.id));
  router.authed(r.approvals, async ({ session, query }) => requests.approvals.list(session.actor, query));
  router.authed(r.approve, async ({ session, params, body }) => requests.approvals.approve(session.actor, params.id, body));
  router.authed(r.refuse, async ({ session, params, body }) => requests.approvals.refuse(session.actor, params.id, body.reason));
  router.authed(r.revoke, async ({ session, params, body }) => requests.approvals.revoke(session.actor, params.id, body.reason));
  router.authed(r.grants, async ({ query }) => requests.grants(query));
  router.authed(r.cadres, async ({ session, query }) => requests.lookup(session.actor, query.q));
  router.authed(r.materials, async ({ session, params }) => requests.materials(session.actor, params.id));
}
