import type { Executor } from '../../platform/db/connect.js';
import type { ModuleDeps } from '../project/project.deps.js';
import type { ChecksFinishedListener, ChecksPort, DossierCheckSummary } from './checks.port.js';

/** Automatic checks (数据校验) of a dossier's digitization results. */
export class ChecksService implements ChecksPort {
  private listener: ChecksFinishedListener = async () => {};

  constructor(private readonly deps: ModuleDeps) {}

  /** The project module listens for finished runs (wired in the composition root). */
  onFinished(listener: ChecksFinishedListener): void {
    this.listener = listener;
  }

  async request(_executor: Executor, _dossierId: string, _context: { batchId: string | null; requestedBy: string }): Promise<string> {
    void this.deps;
    void this.listener;
    throw new Error('not implemented');
  }

  async latest(_executor: Executor, _dossierIds: readonly string[]): Promise<Map<string, DossierCheckSummary>> {
    return new Map();
  }
}
