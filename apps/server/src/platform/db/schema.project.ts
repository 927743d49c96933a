/** Tables of the project module (migration 0008_project); joined into `Database` in schema.ts. */

export interface ProjectBatchTable {
  id: string;
  code: string;
  year: number;
  seq: number;
  name: string;
  notes: string;
  state: string;
  unit_id: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  requested_by: string | null;
  requested_at: string | null;
  request_note: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approve_note: string | null;
  refused_by: string | null;
  refused_at: string | null;
  refuse_reason: string | null;
  sample_seed: number | null;
  sample_percent: number | null;
  sample_random_count: number | null;
  sampled_by: string | null;
  sampled_at: string | null;
  accepted_by: string | null;
  accepted_at: string | null;
  accept_note: string | null;
  acceptance_refused_by: string | null;
  acceptance_refused_at: string | null;
  acceptance_refuse_reason: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  closed_at: string | null;
}

export interface ProjectBatchDossierTable {
  batch_id: string;
  dossier_id: string;
  /** The dossier id while the batch is open, null after (unique: one open batch per dossier). */
  open_dossier_id: string | null;
  added_by: string;
  added_at: string;
  sample_reason: string | null;
  check_run_id: string | null;
  check_state: string | null;
  check_failures: number | null;
  check_warnings: number | null;
  check_finished_at: string | null;
}

export interface ProjectStageTable {
  batch_id: string;
  dossier_id: string;
  stage: string;
  status: string;
  started_by: string | null;
  started_at: string | null;
  finished_by: string | null;
  finished_at: string | null;
  note: string | null;
}

export interface ProjectStageEventTable {
  id: string;
  batch_id: string;
  dossier_id: string;
  stage: string;
  event: string;
  user_id: string | null;
  at: string;
  note: string | null;
}

export interface ProjectHandoverTable {
  id: string;
  batch_id: string;
  direction: string;
  giver_id: string;
  receiver_id: string;
  created_by: string;
  created_at: string;
  giver_confirmed_at: string | null;
  receiver_confirmed_at: string | null;
  completed_at: string | null;
  note: string;
}

export interface ProjectHandoverItemTable {
  handover_id: string;
  dossier_id: string;
  materials: number;
  pages: number;
  expected_materials: number;
  expected_pages: number;
  note: string | null;
}

export interface ProjectScanExplanationTable {
  id: string;
  batch_id: string;
  dossier_id: string;
  material_id: string;
  expected_pages: number;
  scanned_pages: number;
  note: string;
  user_id: string;
  at: string;
}

export interface ProjectInspectionTable {
  id: string;
  batch_id: string;
  dossier_id: string;
  round: number;
  inspector_id: string;
  opened_at: string;
  verdict: string | null;
  verdict_at: string | null;
  note: string | null;
}

export interface ProjectReworkTable {
  id: string;
  batch_id: string;
  dossier_id: string;
  inspection_id: string;
  assignee_id: string;
  state: string;
  created_by: string;
  created_at: string;
  submitted_at: string | null;
  submit_note: string | null;
  closed_at: string | null;
}

export interface ProjectDefectTable {
  id: string;
  inspection_id: string;
  batch_id: string;
  dossier_id: string;
  page_id: string | null;
  material_id: string | null;
  type: string;
  /** JSON [x, y, w, h] in master pixels. */
  box: string | null;
  note: string;
  created_by: string;
  created_at: string;
  rework_id: string | null;
  fixed_by: string | null;
  fixed_at: string | null;
  fix_note: string | null;
}

export interface ProjectTables {
  project_batches: ProjectBatchTable;
  project_batch_dossiers: ProjectBatchDossierTable;
  project_stages: ProjectStageTable;
  project_stage_events: ProjectStageEventTable;
  project_handovers: ProjectHandoverTable;
  project_handover_items: ProjectHandoverItemTable;
  project_scan_explanations: ProjectScanExplanationTable;
  project_inspections: ProjectInspectionTable;
  project_rework: ProjectReworkTable;
  project_defects: ProjectDefectTable;
}
