import { api } from '@dangan/contracts';
import type { Core } from '../../app.js';
import type { Router } from '../../platform/http/routing.js';
import { SaneScanner, SaneService } from './sane.js';

export type SaneDeps = Pick<Core, 'handle' | 'clock' | 'settings' | 'scans'> & { scanner?: SaneScanner };

/** The SANE service over the core's parts (the scanner reads SANE_CONFIG_DIR etc. from the environment). */
export function saneService(deps: SaneDeps): SaneService {
  return new SaneService({
    db: deps.handle.db, kind: deps.handle.kind, clock: deps.clock, settings: deps.settings, scans: deps.scans, scanner: deps.scanner ?? new SaneScanner(),
  });
}

/** Scanners attached to the server (SANE): list them, and scan into a batch. `deps` may be the core itself. */
export function saneRoutes(router: Router, deps: SaneDeps): void {
  const sane = saneService(deps);
  router.authed(api.scans.scanners, async () => sane.devices());
  router.authed(api.scans.sane, async ({ session, params, body }) => sane.scanIntoBatch(session.actor, params.id, body));
}
