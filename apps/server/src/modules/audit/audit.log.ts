import type { DatabaseKind, Db, Executor } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/clock.js';
import type { HashAlgorithm } from '../../platform/crypto/hash.js';
import type { AuditAction } from './audit.actions.js';
import { eventHash } from './audit.chain.js';
import { auditRepository } from './audit.repository.js';

/** Who did it, from where: taken from the request's session. */
export interface AuditContext {
  userId: string | null;
  username: string | null;
  /** Role codes held at the time, comma-separated. */
  roles: string;
  clientIp: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  objectType?: string;
  objectId?: string;
  objectLabel?: string;
  result?: 'success' | 'failure' | 'denied';
  /** For changes: `{ before, after }`; otherwise what is worth knowing (reason, counts, filters). */
  detail?: unknown;
}

const MAX_DETAIL = 16_000;

/**
 * Appends events to the hash chain. Written by application code inside the caller's transaction, so
 * an event exists exactly when the change it records does.
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly algorithm: (executor: Executor) => Promise<HashAlgorithm>,
  ) {}

  async append(trx: Executor, ctx: AuditContext, entry: AuditEntry): Promise<number> {
    const repo = auditRepository(trx, this.kind);
    const head = await repo.lockHead();
    let detail = entry.detail === undefined ? null : JSON.stringify(entry.detail);
    if (detail !== null && detail.length > MAX_DETAIL) {
      detail = JSON.stringify({ truncated: true, excerpt: detail.slice(0, MAX_DETAIL) });
    }
    const base = {
      seq: head.last_seq + 1,
      at: this.clock.now().toISOString(),
      user_id: ctx.userId,
      username: ctx.username,
      roles: ctx.roles,
      client_ip: ctx.clientIp,
      action: entry.action,
      object_type: entry.objectType ?? null,
      object_id: entry.objectId ?? null,
      object_label: entry.objectLabel ?? null,
      result: entry.result ?? 'success',
      detail,
      algorithm: await this.algorithm(trx),
      prev_hash: head.last_hash,
    };
    await repo.insert({ ...base, hash: eventHash(base) });
    return base.seq;
  }

  /** An event on its own, in a transaction of its own (failed logins, denials, reads). */
  async record(ctx: AuditContext, entry: AuditEntry): Promise<number> {
    return this.db.transaction().execute((trx) => this.append(trx, ctx, entry));
  }
}

export const SYSTEM_CONTEXT: AuditContext = { userId: null, username: 'system', roles: '', clientIp: null };
