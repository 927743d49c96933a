import type { Executor } from '../../platform/db/connect.js';
import type { AuditContext } from '../audit/audit.log.js';

/** The outcome of one automatic check run of a dossier, as the project module sees it. */
export interface DossierCheckSummary {
  dossierId: string;
  runId: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** Findings that fail the dossier (it must then be inspected in full). */
  failures: number;
  /** Findings shown to the inspector that do not fail the dossier. */
  warnings: number;
  requestedAt: string;
  finishedAt: string | null;
}

/** Who asks for a run and in what setting. */
export interface CheckRequestContext {
  batchId: string | null;
  /** Stored with the run as given (the project module passes a user id). */
  requestedBy: string;
  /**
   * The other dossiers of the batch: the run also looks for this dossier's pages among theirs (a page
   * filed twice). Omitted = within the dossier only.
   */
  siblingDossierIds?: readonly string[];
  /** Who the audit log names for the request; without it, `requestedBy` as the user name. */
  audit?: AuditContext;
}

/**
 * What the project module asks of the automatic checks (数据校验). The checks module implements it;
 * the project module is given it, never the checks' tables.
 */
export interface ChecksPort {
  /**
   * Queue a check run of the dossier, in the caller's transaction (the run row, its `dossier.check`
   * job and the audit event commit with the caller's change); returns the run id.
   */
  request(executor: Executor, dossierId: string, context: CheckRequestContext): Promise<string>;
  /** The latest run of each dossier that has one. */
  latest(executor: Executor, dossierIds: readonly string[]): Promise<Map<string, DossierCheckSummary>>;
}

/** Called by the checks job, in its transaction, when a run has finished (done or failed). */
export type ChecksFinishedListener = (executor: Executor, summary: DossierCheckSummary & { batchId: string | null }) => Promise<void>;
