/**
 * Periodic chores of the running server (search catch-up, grants running out, overdue lending,
 * the alert scanner): each registered once in the composition root, run by `serve` on its own
 * interval, never two rounds of one chore at once. Tests call `runOnce` instead of waiting.
 */
export interface Chore {
  name: string;
  /** Chinese, for the warning when a round fails. */
  label: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export class Housekeeping {
  readonly #chores: Chore[] = [];

  add(chore: Chore): this {
    if (this.#chores.some((c) => c.name === chore.name)) throw new Error(`chore ${chore.name} registered twice`);
    this.#chores.push(chore);
    return this;
  }

  list(): readonly Chore[] {
    return this.#chores;
  }

  /** One round of every chore (or of those named), in registration order. */
  async runOnce(names?: readonly string[]): Promise<void> {
    for (const c of this.#chores) {
      if (!names || names.includes(c.name)) await c.run();
    }
  }

  /** Starts every chore on its interval; a failed round is reported and the next one tries again. */
  start(report: (chore: Chore, err: unknown) => void): { stop(): void } {
    const timers = this.#chores.map((chore) => {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        chore.run()
          .catch((err: unknown) => report(chore, err))
          .finally(() => (busy = false));
      }, chore.everyMs);
      timer.unref();
      return timer;
    });
    return { stop: () => timers.forEach((t) => clearInterval(t)) };
  }
}
