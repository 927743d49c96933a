/** Tables of controlled use (migration 0012_use); joined into `Database` in schema.ts. */

export interface CadreRelativeTable {
  id: string;
  cadre_id: string;
  relation: string;
  name: string;
  id_number: string | null;
  birth_date: string | null;
  work_unit: string;
  created_at: string;
  updated_at: string;
}

export type AccessMode = 'read' | 'print' | 'excerpt' | 'lend';
export type AccessScopeKind = 'dossier' | 'classes' | 'materials';
export type AccessRequestState = 'pending' | 'approved' | 'refused' | 'withdrawn' | 'revoked' | 'expired';

export interface AccessRequestTable {
  id: string;
  request_no: string;
  year: number;
  seq: number;
  requester_id: string;
  requester_unit_id: string;
  purpose: string;
  purpose_note: string;
  mode: AccessMode;
  scope_kind: AccessScopeKind;
  /** JSON array of class codes when scope_kind = classes. */
  scope_classes: string | null;
  period_from: string;
  period_to: string;
  print_limit: number;
  prints_used: number;
  levels_required: number;
  levels_done: number;
  state: AccessRequestState;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
  granted_from: string | null;
  granted_until: string | null;
  revoked_by: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  expired_at: string | null;
}

export interface AccessRequestDossierTable {
  request_id: string;
  dossier_id: string;
  cadre_id: string;
  managing_unit_id: string;
}

export interface AccessRequestMaterialTable {
  request_id: string;
  material_id: string;
}

export interface AccessApprovalTable {
  id: string;
  request_id: string;
  level: number;
  approver_id: string;
  /** The approver's unit when he decided: a level-2 approver's unit must be a strict ancestor of it. */
  approver_unit_id: string;
  decision: 'approve' | 'refuse';
  comment: string;
  at: string;
}

export interface ReadingSessionTable {
  id: string;
  request_id: string;
  dossier_id: string;
  user_id: string;
  login_session_id: string;
  client_ip: string | null;
  opened_at: string;
  last_seen_at: string;
  closed_at: string | null;
  close_reason: string | null;
}

export interface ReadingLogTable {
  id: string;
  reading_session_id: string;
  request_id: string;
  user_id: string;
  dossier_id: string;
  material_id: string;
  page_id: string;
  viewed_at: string;
  duration_ms: number;
  client_ip: string | null;
}

export interface AccessPrintTable {
  id: string;
  serial_no: string;
  year: number;
  seq: number;
  request_id: string;
  user_id: string;
  dossier_id: string;
  /** JSON array of material ids. */
  material_ids: string;
  page_count: number;
  sha256: string;
  client_ip: string | null;
  created_at: string;
}

export interface LendingTable {
  id: string;
  request_id: string;
  dossier_id: string;
  open_dossier_id: string | null;
  borrower_id: string;
  lent_by: string;
  lent_at: string;
  due_on: string;
  lend_note: string;
  returned_by: string | null;
  returned_at: string | null;
  return_note: string | null;
  reminded_at: string | null;
  reminders: number;
}

export type AlertRule = 'fast_paging' | 'off_hours' | 'failed_logins' | 'new_address' | 'bulk_export';
export type AlertState = 'new' | 'acknowledged' | 'closed';

export interface AlertTable {
  id: string;
  rule: AlertRule;
  severity: 'high' | 'medium' | 'low';
  user_id: string | null;
  username: string | null;
  client_ip: string | null;
  /** user:<id>, name:<username> or ip:<address>: whose burst it is. */
  subject: string;
  dedupe_key: string;
  title: string;
  /** JSON. */
  detail: string;
  first_seq: number;
  last_seq: number;
  event_count: number;
  state: AlertState;
  raised_at: string;
  updated_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
  /** The acknowledgement's note. */
  note: string;
  close_note: string;
}

export interface AlertCursorTable {
  id: number;
  last_seq: number;
}

export interface UserLoginAddressTable {
  user_id: string;
  client_ip: string;
  first_seen_at: string;
  last_seen_at: string;
}

export interface UseTables {
  cadre_relatives: CadreRelativeTable;
  access_requests: AccessRequestTable;
  access_request_dossiers: AccessRequestDossierTable;
  access_request_materials: AccessRequestMaterialTable;
  access_approvals: AccessApprovalTable;
  reading_sessions: ReadingSessionTable;
  reading_log: ReadingLogTable;
  access_prints: AccessPrintTable;
  lendings: LendingTable;
  alerts: AlertTable;
  alert_cursor: AlertCursorTable;
  user_login_addresses: UserLoginAddressTable;
}
