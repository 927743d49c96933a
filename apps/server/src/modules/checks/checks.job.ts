import { z } from 'zod';
import type { JobDefinition } from '../../platform/queue/queue.js';
import type { ModuleDeps } from '../project/project.deps.js';
import type { ChecksService } from './checks.service.js';

export const DOSSIER_CHECK_JOB = 'dossier.check';

/** `dossier.check`: run the automatic checks of one requested run. Idempotent. */
export function dossierCheckJob(_deps: ModuleDeps, _checks: ChecksService): JobDefinition<{ runId: string }> {
  return {
    kind: DOSSIER_CHECK_JOB,
    payload: z.object({ runId: z.string().min(1).max(64) }),
    handle: async () => {
      throw new Error('not implemented');
    },
  };
}
