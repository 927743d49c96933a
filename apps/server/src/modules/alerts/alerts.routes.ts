import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { AlertsService } from './alerts.service.js';

export function alertsRoutes(router: Router, alerts: AlertsService): void {
  router.authed(api.alerts.list, async ({ query }) => alerts.list(query));
  router.authed(api.alerts.summary, async () => alerts.summary());
  router.authed(api.alerts.get, async ({ params }) => alerts.get(params.id));
  router.authed(api.alerts.acknowledge, async ({ session, params, body }) => alerts.acknowledge(session.actor, params.id, body.note));
  router.authed(api.alerts.close, async ({ session, params, body }) => alerts.close(session.actor, params.id, body.note));
}
