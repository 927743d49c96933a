import type { ModuleDeps } from '../project/project.deps.js';

/** Dashboard figures, task lists and notifications over the project's and checks' tables. */
export class DashboardService {
  constructor(private readonly deps: ModuleDeps) {
    void this.deps;
  }
}
