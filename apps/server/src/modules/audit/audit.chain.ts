import { digestHex, type HashAlgorithm } from '../../platform/crypto/hash.js';
import type { AuditEventTable } from '../../platform/db/schema.js';

type Hashed = Omit<AuditEventTable, 'hash'>;

/**
 * The hash of an event covers every stored column but the hash itself, including the previous
 * event's hash, so changing, removing or inserting any row breaks the chain from there on.
 * The fields are hashed as a JSON array in a fixed order: unambiguous, and the same on any database.
 */
export function eventHash(e: Hashed): string {
  const content = JSON.stringify([
    e.seq, e.at, e.user_id, e.username, e.roles, e.client_ip, e.action, e.object_type, e.object_id,
    e.object_label, e.result, e.detail, e.algorithm, e.prev_hash,
  ]);
  return digestHex(e.algorithm as HashAlgorithm, content);
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

const KNOWN: ReadonlySet<string> = new Set(['sm3', 'sha256']);

/** Walks events in seq order; `previous` is the last event already checked (or null at the start). */
export function checkLink(previous: { seq: number; hash: string } | null, e: AuditEventTable): ChainBreak | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (e.seq !== expectedSeq) {
    return { seq: e.seq, reason: `序号不连续：应为 ${expectedSeq}，实为 ${e.seq}（其间记录被删除或序号被改动）` };
  }
  const expectedPrev = previous ? previous.hash : '';
  if (e.prev_hash !== expectedPrev) {
    return { seq: e.seq, reason: '前序哈希与上一条记录不符（上一条记录被改动、删除或在其前插入了记录）' };
  }
  if (!KNOWN.has(e.algorithm)) return { seq: e.seq, reason: `未知的哈希算法「${e.algorithm}」` };
  if (eventHash(e) !== e.hash) return { seq: e.seq, reason: '记录内容与其哈希不符（记录被改动）' };
  return null;
}
