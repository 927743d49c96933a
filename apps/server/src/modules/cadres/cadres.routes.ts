import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { CadresService } from './cadres.service.js';
import type { DossiersService } from './dossiers.service.js';

export function cadresRoutes(router: Router, cadres: CadresService, dossiers: DossiersService): void {
  router.authed(api.cadres.list, async ({ session, query }) => {
    const { page, pageSize, ...filter } = query;
    return cadres.list(session.actor, filter, page, pageSize);
  });
  router.authed(api.cadres.get, async ({ session, params }) => cadres.get(session.actor, params.id));
  router.authed(api.cadres.create, async ({ session, body }) => {
    const { dossier, ...input } = body;
    return cadres.create(session.actor, input, dossier);
  });
  router.authed(api.cadres.update, async ({ session, params, body }) => cadres.update(session.actor, params.id, body));
  router.authed(api.dossiers.create, async ({ session, params, body }) => cadres.createDossier(session.actor, params.id, body));
  router.authed(api.dossiers.update, async ({ session, params, body }) => dossiers.update(session.actor, params.id, body));
  router.authed(api.dossiers.transition, async ({ session, params, body }) =>
    dossiers.transition(session.actor, params.id, body.event, body.reason),
  );
}
