/**
 * Cycle jobs share the machine with members' requests: a new moon has hours, a member reading has
 * a fraction of a second. Like Postgres's vacuum_cost_delay, each slot of a worker rests after a
 * run or page in proportion to what it took (a duty cycle), so the jobs leave the cores and the
 * database to requests most of the time. Measuring what a run took, not counting work, makes the
 * rest grow on its own when the machine is busy: a page that waited for the cores rests longer.
 */

/**
 * Rest after a run, as a multiple of what it took, unless CYCLE_JOB_PACE says otherwise: a slot
 * works two thirds of the time. At a million members on two cores, with the services in one
 * process and two slots each (MAX_DEFAULT_CYCLE_JOB_CONCURRENCY), members' home view p95 during
 * the new moon was 160 ms and the new moon took 478 s; at 1, 164-170 ms and 594-638 s.
 */
export const DEFAULT_CYCLE_JOB_PACE = 0.5;
/** The longest rest after one run: a run slowed by an outage must not leave its slot idle for minutes. */
export const MAX_CYCLE_JOB_REST_MS = 10_000;

/** How long a slot rests after a run that took `tookMs`, at the given pace (0: not at all). */
export function cycleJobRestMs(tookMs: number, pace: number): number {
  if (!(pace > 0) || !(tookMs > 0)) return 0;
  return Math.min(MAX_CYCLE_JOB_REST_MS, Math.round(tookMs * pace));
}

/** Milliseconds from an arbitrary origin that only move forward (performance.now), and a way to wait. */
export interface PacingTimer {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realTimer: PacingTimer = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    }),
};

export interface CycleJobPacer {
  /** Runs `work` in a free, rested slot; the slot then rests `pace` times what the work took. */
  paced<T>(work: () => Promise<T>): Promise<T>;
  /** Ends every rest at once (a worker shutting down finishes what it took without resting). */
  stop(): void;
}

/**
 * At most `slots` runs at once in this process; after each, its slot rests before the next run
 * takes it, so over time the jobs are busy at most 1 / (1 + pace) of each slot's time.
 */
export function cycleJobPacer(slots: number, pace: number, timer: PacingTimer = realTimer): CycleJobPacer {
  const stopping = new AbortController();
  let free = Math.max(1, slots);
  const waiting: Array<() => void> = [];
  const take = (): Promise<void> => {
    if (free > 0) {
      free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const give = () => {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };
  return {
    async paced(work) {
      await take();
      const startedAt = timer.now();
      try {
        return await work();
      } finally {
        const restMs = cycleJobRestMs(timer.now() - startedAt, pace);
        if (restMs > 0 && !stopping.signal.aborted) void timer.sleep(restMs, stopping.signal).then(give);
        else give();
      }
    },
    stop() {
      stopping.abort();
    },
  };
}
