import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { CompletenessService } from './completeness.service.js';

export function completenessRoutes(router: Router, completeness: CompletenessService): void {
  router.authed(api.completeness.report, async ({ session, params }) => completeness.report(session.actor, params.id));
  router.authed(api.completeness.note, async ({ session, params, body }) => completeness.note(session.actor, params.id, body));
  router.authed(api.completeness.advance, async ({ session, params, body }) =>
    completeness.advance(session.actor, params.id, body.state, body.remark),
  );
  router.authed(api.completeness.rules, async () => completeness.rules());
  router.authed(api.completeness.updateRule, async ({ session, params, body }) => completeness.updateRule(session.actor, params.code, body));
}
