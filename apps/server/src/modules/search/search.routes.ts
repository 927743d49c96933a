import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { SearchService } from './search.service.js';

export function searchRoutes(router: Router, search: SearchService): void {
  router.authed(api.search.query, async ({ session, query }) => search.search(session.actor, query));
}
