import type { Permission, ScopeKind } from '@dangan/domain';
import type { AuditContext } from '../audit/audit.log.js';

/** The signed-in user behind a request, as the access checks and the audit log see him. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  unitId: string;
  sessionId: string;
  roleCodes: readonly string[];
  permissions: ReadonlySet<Permission>;
  scope: { kind: ScopeKind; unitIds: readonly string[] };
  audit: AuditContext;
}
