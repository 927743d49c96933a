/** Tables of the checks module (migration 0009_checks); joined into `Database` in schema.ts. */

/** One automatic check run (数据校验) of one dossier. */
export interface CheckRunTable {
  id: string;
  dossier_id: string;
  /** The project batch the run was requested for, if any. */
  batch_id: string | null;
  /** JSON `{ siblingDossierIds: string[] }`: the other dossiers of the batch, compared for duplicates. */
  context: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  requested_by: string;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  failures: number;
  warnings: number;
  /** JSON: the settings and thresholds the run used. */
  params: string | null;
  error: string | null;
}

/** One finding of a run, linked to the offending page and material where there is one. */
export interface CheckFindingTable {
  id: string;
  run_id: string;
  dossier_id: string;
  /** Order in the report: catalogue order, unlinked pages, then the dossier as a whole. */
  position: number;
  code: string;
  severity: 'failure' | 'warning';
  message: string;
  material_id: string | null;
  page_id: string | null;
  /** JSON: the page's place at the time of the run, related pages, and what was measured. */
  detail: string;
}

export interface ChecksTables {
  check_runs: CheckRunTable;
  check_findings: CheckFindingTable;
}
