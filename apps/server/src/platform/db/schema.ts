/**
 * Table types for Kysely. Storage conventions, the same on SQLite and PostgreSQL:
 * - ids are text (UUIDv7, so they sort by creation time);
 * - times are ISO-8601 text in UTC with milliseconds (`2026-01-02T03:04:05.678Z`), which sorts as text;
 * - booleans are integers 0/1;
 * - JSON is text.
 */
import type { ChecksTables } from './schema.checks.js';
import type { ProjectTables } from './schema.project.js';
import type { UseTables } from './schema.use.js';

export type Bool = 0 | 1;

export interface UnitTable {
  id: string;
  parent_id: string | null;
  code: string;
  name: string;
  type: string | null;
  sort_order: number;
  disabled: Bool;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  unit_id: string;
  password_hash: string;
  must_change_password: Bool;
  password_changed_at: string;
  failed_logins: number;
  locked_until: string | null;
  disabled: Bool;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  scope_kind: string;
  clearance: string | null;
  last_login_at: string | null;
  last_login_ip: string | null;
  /** The user's own identity, for 回避 (migration 0012). */
  id_number: string | null;
  birth_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserScopeUnitTable {
  user_id: string;
  unit_id: string;
}

export interface RoleTable {
  id: string;
  code: string;
  name: string;
  description: string;
  sensitive: Bool;
  built_in: Bool;
  created_at: string;
  updated_at: string;
}

export interface RolePermissionTable {
  role_id: string;
  permission: string;
}

export interface UserRoleTable {
  user_id: string;
  role_id: string;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  stage: string;
  csrf_token: string;
  client_ip: string;
  user_agent: string;
  previous_login_at: string | null;
  previous_login_ip: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
}

export interface AuditEventTable {
  seq: number;
  at: string;
  user_id: string | null;
  username: string | null;
  roles: string;
  client_ip: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  object_label: string | null;
  result: string;
  detail: string | null;
  algorithm: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
}

export interface DictionaryTypeTable {
  type: string;
  label: string;
  standard: string | null;
  hierarchical: Bool;
  sort_order: number;
}

export interface DictionaryEntryTable {
  id: string;
  type: string;
  code: string;
  label: string;
  parent_code: string | null;
  sort_order: number;
  enabled: Bool;
  created_at: string;
  updated_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string | null;
}

export interface CadreTable {
  id: string;
  name: string;
  name_initials: string;
  gender: string | null;
  birth_date: string | null;
  id_number: string | null;
  id_number_check: string | null;
  ethnicity: string | null;
  native_place: string | null;
  birth_place: string | null;
  political_status: string | null;
  party_join_date: string | null;
  work_start_date: string | null;
  education: string | null;
  degree: string | null;
  position: string | null;
  rank: string | null;
  personnel_status: string | null;
  managing_unit_id: string;
  created_at: string;
  updated_at: string;
}

export interface DossierTable {
  id: string;
  dossier_no: string;
  cadre_id: string;
  custodian_unit_id: string;
  location: string;
  state: string;
  secrecy_level: string | null;
  material_count: number;
  page_count: number;
  /** The last completeness evaluation, kept for list filters: complete | incomplete, null = not evaluated. */
  completeness_status: string | null;
  missing_count: number | null;
  created_at: string;
  updated_at: string;
}

export interface MaterialTable {
  id: string;
  dossier_id: string;
  class_code: string;
  piece_no: number;
  seq: string;
  name: string;
  /** Partial date as an ISO prefix: `2003`, `2003-05` or `2003-05-07`. */
  formed_on: string | null;
  copies: number;
  pages: number;
  remark: string;
  importance: number | null;
  manual_position: number | null;
  created_seq: number;
  /** 份号 as an imported catalogue gave it: the import's key, which renumbering never changes. */
  source_piece_no: number | null;
  deleted_at: string | null;
  deleted_by: string | null;
  delete_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface CompletenessRuleTable {
  code: string;
  label: string;
  class_code: string;
  /** JSON: the rule's condition, expectation, synonyms and basis. */
  definition: string;
  enabled: Bool;
  sort_order: number;
  updated_at: string;
  updated_by: string | null;
}

export interface MissingMaterialTable {
  id: string;
  dossier_id: string;
  rule_code: string | null;
  item: string;
  state: string;
  noted_at: string;
  requested_at: string | null;
  filed_at: string | null;
  remark: string;
  updated_at: string;
}


export interface BlobTable {
  /** `<algorithm>:<hex>` of the plaintext. */
  id: string;
  algorithm: string;
  hash: string;
  size: number | string;
  kind: 'original' | 'master' | 'web' | 'thumb';
  format: string;
  created_at: string;
}

export interface JobTable {
  id: string;
  kind: string;
  /** JSON, validated by the job's schema when taken off the queue. */
  payload: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  priority: number;
  attempts: number;
  max_attempts: number;
  run_after: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface ScanBatchTable {
  id: string;
  dossier_id: string | null;
  source: string;
  station: string | null;
  created_by: string;
  created_by_id: string | null;
  created_at: string;
}

export interface ScanFileTable {
  id: string;
  batch_id: string;
  dossier_id: string | null;
  name: string;
  size: number | string;
  blob_id: string | null;
  format: string | null;
  page_count: number;
  status: 'stored' | 'duplicate' | 'rejected';
  error_code: string | null;
  error_message: string | null;
  /** The scan_files id this file repeats. */
  duplicate_of: string | null;
  created_at: string;
}

export interface PageTable {
  id: string;
  dossier_id: string;
  material_id: string | null;
  page_no: number | null;
  unlinked_order: number | null;
  file_id: string;
  /** 1-based page inside the original file. */
  source_page: number;
  original_blob_id: string;
  master_blob_id: string | null;
  web_blob_id: string | null;
  thumb_blob_id: string | null;
  /** JSON PageOps: a human's corrections. */
  ops: string;
  /** JSON: the imaging analysis and its steps. */
  analysis: string | null;
  steps: string | null;
  status: 'pending' | 'processing' | 'processed' | 'failed';
  error_code: string | null;
  error_message: string | null;
  version: number;
  skew_deg: number | null;
  rotation: number | null;
  blank: Bool | null;
  blurry: Bool | null;
  blur_score: number | null;
  dpi: number | null;
  dpi_low: Bool | null;
  color_mode: string | null;
  edge_cut: Bool | null;
  phash: string | null;
  processed_at: string | null;
  replaces_page_id: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  delete_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface PageStatusTable {
  page_id: string;
  stored_at: string;
  processed_version: number;
  processed_at: string | null;
  /** How many times the processing step ran (a resumed crash may add one for the page in flight). */
  process_runs: number;
  /** The page version whose text was read (0 = not yet), when, and how often OCR ran. */
  ocr_version: number;
  ocr_at: string | null;
  ocr_runs: number;
  /** The page version whose text is in the search index. */
  indexed_version: number;
  indexed_at: string | null;
}

export interface PageTextTable {
  page_id: string;
  version: number;
  engine: string;
  /** JSON: [{ text, box: [x, y, w, h] in master pixels, confidence, chars? }] in reading order. */
  lines: string;
  /** The lines joined with "\n", proofreading edits applied. */
  text: string;
  mean_confidence: number | null;
  low_confidence_chars: number;
  edited: Bool;
  created_at: string;
  updated_at: string;
}

export interface PageTextEditTable {
  id: string;
  page_id: string;
  line_index: number;
  before: string;
  after: string;
  edited_by: string;
  edited_at: string;
}

/** One searchable document; its full-text part (FTS5 row or tsvector) is the search module's own. */
export interface SearchDocTable {
  doc_id: string;
  kind: 'cadre' | 'material' | 'page';
  cadre_id: string;
  dossier_id: string | null;
  material_id: string | null;
  page_id: string | null;
  updated_at: string;
}

export interface SearchStateTable {
  key: string;
  value: string;
}

export interface Database extends ProjectTables, ChecksTables, UseTables {
  blobs: BlobTable;
  jobs: JobTable;
  scan_batches: ScanBatchTable;
  scan_files: ScanFileTable;
  pages: PageTable;
  page_status: PageStatusTable;
  page_text: PageTextTable;
  page_text_edits: PageTextEditTable;
  search_docs: SearchDocTable;
  search_state: SearchStateTable;
  cadres: CadreTable;
  dossiers: DossierTable;
  materials: MaterialTable;
  completeness_rules: CompletenessRuleTable;
  missing_materials: MissingMaterialTable;
  units: UnitTable;
  users: UserTable;
  user_scope_units: UserScopeUnitTable;
  roles: RoleTable;
  role_permissions: RolePermissionTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  audit_events: AuditEventTable;
  audit_head: AuditHeadTable;
  dictionary_types: DictionaryTypeTable;
  dictionary_entries: DictionaryEntryTable;
  settings: SettingTable;
}
