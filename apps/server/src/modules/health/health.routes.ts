import { api } from '@dangan/contracts';
import type { Router } from '../../platform/http/routing.js';
import type { DatabaseKind } from '../../platform/db/connect.js';

export function healthRoutes(router: Router, deps: { kind: DatabaseKind; version: string; ping: () => Promise<void> }): void {
  router.public(api.health, async () => {
    await deps.ping();
    return { status: 'ok' as const, database: deps.kind, version: deps.version };
  });
}
