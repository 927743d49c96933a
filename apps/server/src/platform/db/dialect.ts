import { sql, type SelectQueryBuilder } from 'kysely';
import type { DatabaseKind, Executor } from './connect.js';
import type { Bool } from './schema.js';

/** Every difference between SQLite and PostgreSQL that the code relies on lives here. */

export function bool(v: boolean): Bool {
  return v ? 1 : 0;
}

export function fromBool(v: number): boolean {
  return v === 1;
}

/**
 * Lock the selected rows until the transaction ends. PostgreSQL needs `FOR UPDATE`; SQLite has one
 * writer at a time and every transaction we open writes, so the lock is already held.
 */
export function forUpdate<DB, TB extends keyof DB, O>(
  kind: DatabaseKind,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return kind === 'postgres' ? query.forUpdate() : query;
}

/** Case-insensitive `LIKE` with the pattern's own wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function likeOperator(kind: DatabaseKind): 'ilike' | 'like' {
  return kind === 'postgres' ? 'ilike' : 'like';
}

export async function serverVersion(db: Executor, kind: DatabaseKind): Promise<string> {
  const q = kind === 'postgres' ? sql<{ v: string }>`select version() as v` : sql<{ v: string }>`select sqlite_version() as v`;
  const { rows } = await q.execute(db);
  return rows[0]?.v ?? '';
}

/** A unique constraint refused the write: a concurrent request got there first. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs a write, turning a unique violation into the conflict the caller names. */
export async function orConflict<T>(write: Promise<T>, conflictError: () => Error): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw conflictError();
    throw err;
  }
}
