import type { ChecksPort } from '../checks/checks.port.js';
import type { ModuleDeps } from './project.deps.js';

/** The digitization project: batches, hand-over, stages, scan register, sampling, inspection, acceptance. */
export class ProjectService {
  constructor(
    private readonly deps: ModuleDeps,
    private readonly checks: ChecksPort,
  ) {
    void this.deps;
    void this.checks;
  }
}
