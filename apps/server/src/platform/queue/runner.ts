import type { ClaimedJob, JobQueue, JobRegistry } from './queue.js';

export interface RunnerOptions {
  /** Jobs in flight at once; the image pool's threads bound the real CPU work. */
  concurrency: number;
  /**
   * At most this many jobs of a kind in flight (within `concurrency`), so long jobs of one kind (OCR)
   * leave slots for the others (image processing) instead of queueing up in front of their pool.
   */
  kindLimits?: Readonly<Record<string, number>>;
  pollMs?: number;
  onError?: (job: ClaimedJob, error: unknown) => void;
}

/** Error a handler throws for input that will never succeed (a corrupt file): no retry. */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * Takes jobs off the queue and runs their handlers, `concurrency` at a time. Payloads are validated by
 * the job's schema when taken off the queue.
 */
export class JobRunner {
  private running = false;
  private claiming = 0;
  private readonly inFlight = new Map<string, { kind: string; done: Promise<void> }>();
  private readonly claimingKind = new Map<string, number>();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly registry: JobRegistry,
    private readonly options: RunnerOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.queue.recoverAbandoned();
    this.unsubscribe = this.queue.onNotify(() => this.wake?.());
    this.heartbeat = setInterval(() => void this.queue.extend([...this.inFlight.keys()]).catch(() => undefined), Math.max(500, this.queue.leaseMs / 3));
    this.heartbeat.unref();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled(this.runningJobs());
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.unsubscribe?.();
  }

  /**
   * Runs until nothing is queued and nothing is in flight (tests, the console import). With
   * `waitForLeases`, also waits for jobs another (perhaps dead) worker holds until their leases expire
   * and they can be taken over.
   */
  async runUntilIdle(options: { waitForLeases?: boolean } = {}): Promise<void> {
    for (;;) {
      const claimed = await this.fill();
      if (claimed === 0 && this.inFlight.size === 0) {
        if (this.claiming > 0) {
          // The background loop is claiming right now: its jobs are not idle work.
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        if (!options.waitForLeases || (await this.queue.counts()).running === 0) return;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, this.queue.leaseMs / 4)));
        continue;
      }
      if (this.inFlight.size > 0) await Promise.race(this.runningJobs());
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.fill();
      } catch (err) {
        process.emitWarning(`任务队列读取失败：${err instanceof Error ? err.message : String(err)}`);
      }
      if (!this.running) break;
      if (claimed === 0 || this.inFlight.size >= this.options.concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
          if (this.inFlight.size > 0) void Promise.race(this.runningJobs()).then(() => this.wake?.());
        });
        this.wake = null;
      }
    }
  }

  private runningJobs(): Promise<void>[] {
    return [...this.inFlight.values()].map((f) => f.done);
  }

  private async fill(): Promise<number> {
    const limits = Object.entries(this.options.kindLimits ?? {});
    // Unlimited kinds first, then each limited kind within the room it has left.
    let claimed = await this.claimInto(this.options.concurrency, { except: limits.map(([k]) => k) });
    for (const [kind, limit] of limits) {
      let taken = this.claimingKind.get(kind) ?? 0;
      for (const f of this.inFlight.values()) if (f.kind === kind) taken++;
      claimed += await this.claimInto(limit - taken, { only: [kind] }, kind);
    }
    return claimed;
  }

  /** Claims into the free slots (at most `cap`); slots being claimed by a concurrent fill count as taken. */
  private async claimInto(cap: number, kinds: { only?: string[]; except?: string[] }, kind?: string): Promise<number> {
    const free = Math.min(cap, this.options.concurrency - this.inFlight.size - this.claiming);
    if (free <= 0) return 0;
    this.claiming += free;
    if (kind) this.claimingKind.set(kind, (this.claimingKind.get(kind) ?? 0) + free);
    let jobs;
    try {
      jobs = await this.queue.claim(free, kinds);
    } finally {
      this.claiming -= free;
      if (kind) this.claimingKind.set(kind, this.claimingKind.get(kind)! - free);
    }
    for (const job of jobs) {
      const done = this.execute(job).finally(() => this.inFlight.delete(job.id));
      this.inFlight.set(job.id, { kind: job.kind, done });
    }
    return jobs.length;
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const def = this.registry.get(job.kind);
    if (!def) {
      await this.queue.fail(job, `未知的任务类型：${job.kind}`, false);
      return;
    }
    const parsed = def.payload.safeParse(job.payload);
    if (!parsed.success) {
      await this.queue.fail(job, `任务参数无效：${parsed.error.message}`, false);
      return;
    }
    try {
      await def.handle(parsed.data, job);
      await this.queue.complete(job.id);
    } catch (err) {
      this.options.onError?.(job, err);
      const message = err instanceof Error ? err.message : String(err);
      await this.queue.fail(job, message, !(err instanceof PermanentJobError)).catch(() => undefined);
    }
  }
}
