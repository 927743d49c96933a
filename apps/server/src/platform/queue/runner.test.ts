import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/databases.js';
import { systemClock } from '../clock.js';
import { openDatabase, type DbHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { JobQueue, JobRegistry } from './queue.js';
import { JobRunner } from './runner.js';

let database: TestDatabase;
let handle: DbHandle;

beforeEach(async () => {
  database = await createTestDatabase();
  handle = openDatabase({ url: database.url });
  await migrateToLatest(handle.db);
});
afterEach(async () => {
  await handle.close();
  await database.drop();
});

/** Waits for a condition (a bound for a stuck runner, not a speed test: the answer is the same at any speed). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('job runner', () => {
  it('keeps a limited kind within its slots, and the other kinds run meanwhile', async () => {
    const queue = new JobQueue(handle.db, handle.kind, systemClock, 60_000);
    const events: string[] = [];
    let slowRunning = 0;
    let slowPeak = 0;
    const releases: (() => void)[] = [];
    const registry = new JobRegistry()
      .register({
        kind: 'slow', payload: z.object({ n: z.number() }),
        handle: async ({ n }) => {
          slowRunning++;
          slowPeak = Math.max(slowPeak, slowRunning);
          events.push(`slow ${n} start`);
          await new Promise<void>((resolve) => releases.push(resolve));
          slowRunning--;
        },
      })
      .register({ kind: 'fast', payload: z.object({ n: z.number() }), handle: async ({ n }) => void events.push(`fast ${n}`) });
    // The slow jobs are queued first and with the higher priority: without the limit they would take
    // every slot and the fast ones would wait for them.
    for (let n = 0; n < 4; n++) await queue.enqueue(handle.db, 'slow', { n }, { priority: 9 });
    for (let n = 0; n < 3; n++) await queue.enqueue(handle.db, 'fast', { n });
    const runner = new JobRunner(queue, registry, { concurrency: 3, kindLimits: { slow: 1 } });
    const idle = runner.runUntilIdle();
    await until(() => events.filter((e) => e.startsWith('fast')).length === 3 && releases.length === 1);
    expect(events.filter((e) => e.startsWith('slow'))).toEqual(['slow 0 start']);
    // Release the slow jobs one by one as they start.
    await until(() => {
      releases.shift()?.();
      return events.filter((e) => e.startsWith('slow')).length === 4 && releases.length === 0;
    });
    releases.shift()?.();
    await idle;
    expect(slowPeak).toBe(1);
    expect((await queue.counts()).done).toBe(7);
  });
});
