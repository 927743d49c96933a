import { z } from 'zod';
import type { JobDefinition } from '../../platform/queue/queue.js';
import type { ModuleDeps } from '../project/project.deps.js';
import type { ChecksService } from './checks.service.js';

export const DOSSIER_CHECK_JOB = 'dossier.check';

/**
 * `dossier.check`: run the automatic checks of one requested run. Idempotent: running a run id again
 * replaces its findings and counts.
 */
export function dossierCheckJob(_deps: ModuleDeps, checks: ChecksService): JobDefinition<{ runId: string }> {
  return {
    kind: DOSSIER_CHECK_JOB,
    payload: z.object({ runId: z.string().min(1).max(64) }),
    maxAttempts: 3,
    handle: async ({ runId }, job) => checks.execute(runId, job),
  };
}
