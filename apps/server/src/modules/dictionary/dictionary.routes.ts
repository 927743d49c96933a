import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { DictionaryService } from './dictionary.service.js';

export function dictionaryRoutes(router: Router, dictionary: DictionaryService): void {
  router.authed(api.dictionary.types, async () => dictionary.types());
  router.authed(api.dictionary.entries, async ({ params }) => dictionary.entries(params.type));
  router.authed(api.dictionary.create, async ({ session, params, body }) => dictionary.create(session.actor, params.type, body));
  router.authed(api.dictionary.update, async ({ session, params, body }) =>
    dictionary.update(session.actor, params.type, params.id, body),
  );
}
