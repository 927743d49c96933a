/**
 * Table types for Kysely. Storage conventions, the same on SQLite and PostgreSQL:
 * - ids are text (UUIDv7, so they sort by creation time);
 * - times are ISO-8601 text in UTC with milliseconds (`2026-01-02T03:04:05.678Z`), which sorts as text;
 * - booleans are integers 0/1;
 * - JSON is text.
 */
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

export interface Database {
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
