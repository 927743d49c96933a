import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { DatabaseKind, Db, Executor } from '../db/connect.js';
import type { JobTable } from '../db/schema.js';
import { newId } from '../ids.js';

/**
 * Jobs live in the database, so they survive restarts and crashes. A job is claimed with a lease; a
 * worker that dies leaves its lease to expire and another claims the job again. On PostgreSQL any number
 * of worker processes claim safely with `FOR UPDATE SKIP LOCKED`; on SQLite one process owns the queue
 * and, on start, takes back what it was running when it stopped.
 *
 * Handlers must be idempotent per step (the page ledger says which steps are done), because a job
 * whose worker died after the work but before `complete` runs again.
 */
export interface JobDefinition<P> {
  kind: string;
  payload: z.ZodType<P>;
  maxAttempts?: number;
  handle(payload: P, job: ClaimedJob): Promise<void>;
}

export type ClaimedJob = Pick<JobTable, 'id' | 'kind' | 'attempts' | 'max_attempts'> & { payload: unknown };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

export class JobRegistry {
  private readonly defs = new Map<string, AnyJobDefinition>();

  register<P>(def: JobDefinition<P>): this {
    if (this.defs.has(def.kind)) throw new Error(`任务类型重复注册：${def.kind}`);
    this.defs.set(def.kind, def as AnyJobDefinition);
    return this;
  }

  get(kind: string): AnyJobDefinition | undefined {
    return this.defs.get(kind);
  }

  kinds(): string[] {
    return [...this.defs.keys()];
  }
}

export interface EnqueueOptions {
  dedupeKey?: string;
  priority?: number;
  maxAttempts?: number;
}

export class JobQueue {
  readonly workerId = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private listeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly kind: DatabaseKind,
    private readonly clock: Clock,
    readonly leaseMs = 60_000,
  ) {}

  /** Adds a job inside the caller's transaction; a job with the same dedupe key is not added twice. */
  async enqueue(executor: Executor, kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<void> {
    const now = this.clock.now().toISOString();
    await executor
      .insertInto('jobs')
      .values({
        id: newId(), kind, payload: JSON.stringify(payload), state: 'queued', priority: options.priority ?? 0,
        attempts: 0, max_attempts: options.maxAttempts ?? 3, run_after: now, locked_by: null, locked_until: null,
        last_error: null, dedupe_key: options.dedupeKey ?? null, created_at: now, updated_at: now, finished_at: null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  /** Tells in-process runners that work arrived (call after the enqueuing transaction committed). */
  notify(): void {
    for (const l of this.listeners) l();
  }

  onNotify(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Claims up to `limit` ready jobs, highest priority first; `kinds` restricts or excludes job kinds. */
  async claim(limit: number, kinds: { only?: readonly string[]; except?: readonly string[] } = {}): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const now = this.clock.now();
    const nowText = now.toISOString();
    const until = new Date(now.getTime() + this.leaseMs).toISOString();
    let ready = this.db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', nowText)]),
          eb.and([eb('state', '=', 'running'), eb('locked_until', '<', nowText)]),
        ]),
      )
      .$if(!!kinds.only, (q) => q.where('kind', 'in', kinds.only!))
      .$if(!!kinds.except?.length, (q) => q.where('kind', 'not in', kinds.except!))
      .orderBy('priority', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit);
    if (this.kind === 'postgres') ready = ready.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('jobs')
      .set({ state: 'running', locked_by: this.workerId, locked_until: until, attempts: sql<number>`attempts + 1`, updated_at: nowText })
      .where('id', 'in', ready)
      .returning(['id', 'kind', 'payload', 'attempts', 'max_attempts'])
      .execute();
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
  }

  async extend(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const until = new Date(this.clock.now().getTime() + this.leaseMs).toISOString();
    await this.db.updateTable('jobs').set({ locked_until: until }).where('id', 'in', ids).where('locked_by', '=', this.workerId).execute();
  }

  async complete(id: string): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db
      .updateTable('jobs')
      .set({ state: 'done', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** A failed attempt: queued again after a back-off, or failed for good when attempts are used up. */
  async fail(job: ClaimedJob, error: string, retryable: boolean): Promise<'retry' | 'failed'> {
    const now = this.clock.now();
    const final = !retryable || job.attempts >= job.max_attempts;
    const backoff = Math.min(60_000, 1000 * 2 ** job.attempts);
    await this.db
      .updateTable('jobs')
      .set({
        state: final ? 'failed' : 'queued', locked_by: null, locked_until: null, last_error: error.slice(0, 2000),
        run_after: new Date(now.getTime() + (final ? 0 : backoff)).toISOString(), updated_at: now.toISOString(),
        finished_at: final ? now.toISOString() : null,
      })
      .where('id', '=', job.id)
      .execute();
    return final ? 'failed' : 'retry';
  }

  /**
   * SQLite: one process owns the queue, so what is marked running belongs to a run of this process that
   * stopped (a crash, kill -9): it is queued again at once instead of waiting for its lease.
   */
  async recoverAbandoned(): Promise<number> {
    if (this.kind !== 'sqlite') return 0;
    const r = await this.db
      .updateTable('jobs')
      .set({ state: 'queued', locked_by: null, locked_until: null, updated_at: this.clock.now().toISOString() })
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async counts(): Promise<Record<JobTable['state'], number>> {
    const rows = await this.db.selectFrom('jobs').select(['state', sql<number>`count(*)`.as('n')]).groupBy('state').execute();
    const out = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of rows) out[r.state] = Number(r.n);
    return out;
  }
}
