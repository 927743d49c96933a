import type { AuditEvent, AuditVerification } from '@dangan/contracts';
import type { Clock } from '../../platform/clock.js';
import type { DatabaseKind, Db } from '../../platform/db/connect.js';
import type { AuditEventTable } from '../../platform/db/schema.js';
import type { AuditContext, AuditLog } from './audit.log.js';
import { AUDIT_ACTIONS, actionLabel } from './audit.actions.js';
import { checkLink, type ChainBreak } from './audit.chain.js';
import { auditRepository, type AuditFilter } from './audit.repository.js';

const BATCH = 2000;

export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    private readonly log: AuditLog,
  ) {}

  /** The auditor's own queries are audited too (三员: every officer's actions are recorded). */
  async list(ctx: AuditContext, filter: AuditFilter, page: number, pageSize: number) {
    const { rows, total } = await auditRepository(this.db, this.kind).page(filter, (page - 1) * pageSize, pageSize);
    if (page === 1) await this.log.record(ctx, { action: 'audit.query', objectType: 'audit', detail: { filter, total } });
    return { items: rows.map(toEvent), total };
  }

  async actions() {
    const used = new Set(await auditRepository(this.db, this.kind).distinctActions());
    const known = Object.entries(AUDIT_ACTIONS).map(([code, label]) => ({ code, label }));
    const extra = [...used].filter((a) => !(a in AUDIT_ACTIONS)).map((code) => ({ code, label: code }));
    return [...known, ...extra];
  }

  /** Events in chronological order matching the filter, in batches: memory stays flat however many. */
  async *stream(filter: AuditFilter): AsyncGenerator<AuditEvent[]> {
    const repo = auditRepository(this.db, this.kind);
    let after = 0;
    for (;;) {
      const rows = await repo.after(after, BATCH, filter);
      if (rows.length === 0) return;
      yield rows.map(toEvent);
      after = rows[rows.length - 1]!.seq;
    }
  }

  async verify(ctx: AuditContext | null): Promise<AuditVerification> {
    const result = await this.check();
    if (ctx) {
      await this.log.record(ctx, {
        action: 'audit.verify', objectType: 'audit', result: result.intact ? 'success' : 'failure',
        detail: { checked: result.checked, firstBroken: result.firstBroken },
      });
    }
    return result;
  }

  /** Walks the whole chain in seq order, then checks the head so a removed tail is caught too. */
  private async check(): Promise<AuditVerification> {
    const repo = auditRepository(this.db, this.kind);
    // The head is read first and the walk stops at it: events appended while we walk (the server keeps
    // working) belong to a later verification, not to a false "tail mismatch" in this one.
    const head = await repo.head();
    let previous: { seq: number; hash: string } | null = null;
    let checked = 0;
    let broken: ChainBreak | null = null;
    let beyondHead: number | null = null;
    outer: for (;;) {
      const rows = await repo.after(previous?.seq ?? 0, BATCH);
      if (rows.length === 0) break;
      for (const e of rows) {
        if (e.seq > head.last_seq) {
          beyondHead = e.seq;
          break outer;
        }
        broken = checkLink(previous, e);
        if (broken) break outer;
        previous = { seq: e.seq, hash: e.hash };
        checked += 1;
      }
    }
    if (!broken) {
      const lastSeq = previous?.seq ?? 0;
      // A row past the head is fine only if the head has since moved over it (appended while we walked);
      // one the head never recorded was put there by hand.
      if (beyondHead !== null && (await repo.head()).last_seq < beyondHead) {
        broken = { seq: beyondHead, reason: `链头之后有未登记的记录：链头最后序号为 ${head.last_seq}，却存在第 ${beyondHead} 条` };
      } else if (head.last_seq !== lastSeq || head.last_hash !== (previous?.hash ?? '')) {
        broken = {
          seq: Math.min(head.last_seq, lastSeq + 1),
          reason: `链尾不符：链头记录最后序号为 ${head.last_seq}，实际最后一条为 ${lastSeq}（末尾记录被删除或链头被改动）`,
        };
      }
    }
    return {
      intact: broken === null,
      checked,
      lastSeq: previous?.seq ?? 0,
      firstBroken: broken,
      verifiedAt: this.clock.now().toISOString(),
    };
  }
}

export function toEvent(r: AuditEventTable): AuditEvent {
  return {
    seq: r.seq,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    roles: r.roles,
    clientIp: r.client_ip,
    action: r.action,
    actionLabel: actionLabel(r.action),
    objectType: r.object_type,
    objectId: r.object_id,
    objectLabel: r.object_label,
    result: r.result as AuditEvent['result'],
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    algorithm: r.algorithm,
    hash: r.hash,
  };
}
