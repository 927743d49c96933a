import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { SettingsService } from './settings.service.js';

export function settingsRoutes(router: Router, settings: SettingsService): void {
  router.authed(api.settings.list, async ({ session }) => settings.list(session.actor));
  router.authed(api.settings.update, async ({ session, params, body }) => settings.update(session.actor, params.key, body.value));
}
