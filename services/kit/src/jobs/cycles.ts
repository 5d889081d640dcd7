import type { DataSource } from "typeorm";
import type { Redis } from "ioredis";
import type { Clock } from "../runtime/clock.js";
import { DEFAULT_DATABASE_POOL_SIZE, type BaseConfig } from "../runtime/config.js";
import type { Logger } from "../runtime/logger.js";
import type { MetricsRegistry } from "../runtime/metrics.js";
import { knownCirclePages } from "../data/circles.js";
import { sqlRow, sqlRows } from "../data/sql.js";
import {
  cycleByLabelOrThrow,
  cycleContaining,
  followingCycle,
  precedingCycle,
  type LunarCycle,
} from "../rules/lunar.js";
import {
  createQueue,
  createWorker,
  queueName,
  type Job,
  type Queue,
  type Worker,
  type WorkerOptions,
} from "./queues.js";
import type { Tracing } from "../runtime/tracing.js";
import { DEFAULT_CYCLE_JOB_PACE, cycleJobPacer, type CycleJobPacer, type PacingTimer } from "./pacing.js";

/**
 * "Run this once per circle and lunar cycle": credit expiry, caretaker and role rotation, sunsets,
 * scores. New moons are not a cron pattern, so a delayed `boundary` job waits for the new moon that
 * ends a cycle, fans out one `run` job per known circle and schedules the next boundary. A `run`
 * handles, oldest first, every ended cycle of its circle that has no finished run record, so a hub
 * that was down catches up in order. Job ids make a second fan-out a no-op; the run record
 * (cycle_runs) makes a second run a no-op; its `progress` lets a killed run resume.
 *
 * Redis may lose its data: a keeper in each worker process checks every interval that each
 * purpose's next boundary and its hourly watchdog exist and rebuilds them when they do not, and
 * the readiness check reports a missing schedule until then.
 */
export interface CycleJobInput<Progress> {
  db: DataSource;
  circleId: string;
  cycle: LunarCycle;
  /** The instant the run happens at (the service's clock, read once per run). */
  now: Date;
  logger: Logger;
  /** The service's metrics, for the job's own counters. */
  registry: MetricsRegistry;
  /** What an earlier, killed run of this circle and cycle saved; undefined on a first run. */
  progress: Progress | undefined;
  saveProgress(progress: Progress): Promise<void>;
  /** The service's settings, when the runner has them (the worker always does); e.g. the key that opens witnesses' sealed seeds. */
  config?: BaseConfig;
}

/** Many circles' runs of one ended cycle, handed to a job that can do them together. */
export interface CyclePageInput {
  db: DataSource;
  /** Circles whose oldest unfinished cycle is `cycle`, each with an open run record and no saved progress. */
  circleIds: readonly string[];
  cycle: LunarCycle;
  now: Date;
  logger: Logger;
  registry: MetricsRegistry;
  config?: BaseConfig;
}

export interface CycleJob<Progress = unknown, Outcome = unknown> {
  /** Lower-case words and dashes, e.g. "expiry"; names the run records and job ids. */
  purpose: string;
  run(input: CycleJobInput<Progress>): Promise<Outcome>;
  /**
   * Optional: runs a page of circles at once, with the same result for each circle as `run`. A
   * circle's run is a chain of round trips, and at a new moon over thousands of circles those
   * round trips are what the hub waits on; a page pays them once for many circles. Answers the
   * outcome of each circle it finished; a circle it leaves out (too large to go with others,
   * waiting on something) gets a run of its own. Throwing leaves every circle of the page to its own run.
   */
  runPage?(input: CyclePageInput): Promise<ReadonlyMap<string, Outcome>>;
}

export const CYCLE_WATCHDOG_INTERVAL_MS = 60 * 60 * 1000;
export const DEFAULT_SCHEDULE_CHECK_INTERVAL_MS = 30_000;
/** A hub down for longer than this many cycles (about eight years) needs an operator, not a loop. */
export const MAX_CATCH_UP_CYCLES = 100;
/**
 * The most cycle job runs a worker process takes on at once by default, whatever its pool: a
 * page's statements keep Postgres busy, and eight at once in each of four services took both
 * cores from members' requests at a new moon (home view p95 seven times longer). Two, paced
 * (DEFAULT_CYCLE_JOB_PACE), leave the cores and the pool to members most of the time.
 */
export const MAX_DEFAULT_CYCLE_JOB_CONCURRENCY = 2;
/** Connections of the pool a worker leaves to requests by default while cycle jobs run. */
export const CONNECTIONS_KEPT_FOR_REQUESTS = 2;
/** The most circles one page of a job with `runPage` holds: one page is one job, and its transaction holds them all. */
export const MAX_CYCLE_PAGE_CIRCLES = 100;

/**
 * How many circles go in each page at a new moon: spread over the runs a worker takes on at once
 * (a few circles fill every slot instead of one page holding them all), at most MAX_CYCLE_PAGE_CIRCLES.
 */
export function cyclePageSizeFor(circles: number, concurrency: number): number {
  return Math.max(1, Math.min(MAX_CYCLE_PAGE_CIRCLES, Math.ceil(circles / Math.max(1, concurrency))));
}

/**
 * How many cycle job runs a worker process runs at once unless CYCLE_JOB_CONCURRENCY says
 * otherwise. A run holds a connection, sometimes two at a moment, so the pool bounds it, less
 * what requests need meanwhile; the new moon's pages (cyclePageSizeFor) pay their round trips
 * once for many circles; CYCLE_JOB_CONCURRENCY and CYCLE_JOB_PACE (cycleJobPacer) leave more
 * of the pool and the cores to requests during a new moon.
 */
export function cycleJobConcurrencyFor(poolSize: number): number {
  return Math.max(1, Math.min(MAX_DEFAULT_CYCLE_JOB_CONCURRENCY, poolSize - CONNECTIONS_KEPT_FOR_REQUESTS));
}

interface BoundaryData {
  purpose: string;
  cycle: string;
}
interface RunData {
  purpose: string;
  circleId: string;
  cycle: string;
}
interface WatchdogData {
  purpose: string;
}
interface PageData {
  purpose: string;
  cycle: string;
  circleIds: string[];
}

// BullMQ 6.7 rejects custom ids containing ':', hence '-'.
export const boundaryJobId = (purpose: string, cycle: string) => `${purpose}-boundary-${cycle}`;
export const cycleRunJobId = (purpose: string, circleId: string, cycle: string) => `${purpose}-${circleId}-${cycle}`;
export const watchdogSchedulerId = (purpose: string) => `${purpose}-watchdog`;
/** A page is named after its cycle and its first circle: a second fan-out of the same circles adds nothing. */
export const cyclePageJobId = (purpose: string, cycle: string, circleIds: readonly string[]) =>
  `${purpose}-page-${cycle}-${circleIds[0]}-${circleIds.length}`;

export class CycleJobError extends Error {
  override name = "CycleJobError";
}

/** The circle's ended cycles with no finished run for this purpose, oldest first. */
export async function cyclesDue(db: DataSource, purpose: string, circleId: string, now: Date): Promise<string[]> {
  const [row]: Array<{ first_seen_at: Date; last_finished: string | null }> = await db.query(
    `SELECT k.first_seen_at,
       (SELECT max(r.cycle) FROM cycle_runs r WHERE r.purpose = $1 AND r.circle_id = k.circle_id AND r.finished_at IS NOT NULL) AS last_finished
     FROM known_circles k WHERE k.circle_id = $2`,
    [purpose, circleId],
  );
  if (!row) return [];
  return dueCyclesOf({ purpose, circleId, firstSeenAt: row.first_seen_at, lastFinished: row.last_finished }, now);
}

/** The ended cycles after the last finished one (or since the circle was first seen), oldest first. */
function dueCyclesOf(
  circle: { purpose: string; circleId: string; firstSeenAt: Date; lastFinished: string | null },
  now: Date,
): string[] {
  const { purpose, circleId } = circle;
  let cycle = circle.lastFinished
    ? followingCycle(cycleByLabelOrThrow(circle.lastFinished))
    : cycleContaining(circle.firstSeenAt);
  const due: string[] = [];
  while (cycle.endsAt.getTime() <= now.getTime()) {
    if (due.length >= MAX_CATCH_UP_CYCLES) {
      throw new CycleJobError(
        `Circle ${circleId} has more than ${MAX_CATCH_UP_CYCLES} cycles awaiting ${purpose}; run them with an explicit maintenance job.`,
      );
    }
    due.push(cycle.label);
    cycle = followingCycle(cycle);
  }
  return due;
}

export interface CycleRunOutcome<Outcome = unknown> {
  purpose: string;
  circleId: string;
  cycle: string;
  outcome: Outcome;
  finishedAt: Date;
  wasAlreadyFinished: boolean;
}

interface RunRecord<Progress, Outcome> {
  finishedAt: Date | null;
  progress: Progress | null;
  outcome: Outcome | null;
}

/** The run's record: new, or the one an earlier run left. */
async function openRunRecord<Progress, Outcome>(
  db: DataSource,
  purpose: string,
  circleId: string,
  cycle: string,
  now: Date,
): Promise<RunRecord<Progress, Outcome>> {
  // One round trip: the new record, or the one an earlier run left (the statement's snapshot may
  // predate a record another run committed meanwhile: then it is read again).
  const record = await sqlRow<RunRecord<Progress, Outcome>>(
    db,
    `WITH added AS (
       INSERT INTO cycle_runs (purpose, circle_id, cycle, started_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
       RETURNING finished_at, progress, outcome)
     SELECT finished_at, progress, outcome FROM added
     UNION ALL SELECT finished_at, progress, outcome FROM cycle_runs
       WHERE purpose = $1 AND circle_id = $2 AND cycle = $3 AND NOT EXISTS (SELECT FROM added)`,
    [purpose, circleId, cycle, now],
  );
  if (record) return record;
  const committedMeanwhile = await sqlRow<RunRecord<Progress, Outcome>>(
    db,
    `SELECT finished_at, progress, outcome FROM cycle_runs WHERE purpose = $1 AND circle_id = $2 AND cycle = $3`,
    [purpose, circleId, cycle],
  );
  if (!committedMeanwhile) throw new Error(`The run record of ${purpose} for ${circleId} in ${cycle} vanished.`);
  return committedMeanwhile;
}

/** Runs one purpose for one circle and one ended cycle, at most once. */
export async function runCycleOnce<Progress, Outcome>(
  db: DataSource,
  job: CycleJob<Progress, Outcome>,
  circleId: string,
  cycleLabel: string,
  now: Date,
  logger: Logger,
  registry: MetricsRegistry,
  config?: BaseConfig,
): Promise<CycleRunOutcome<Outcome>> {
  const cycle = cycleByLabelOrThrow(cycleLabel);
  if (now.getTime() < cycle.endsAt.getTime()) {
    throw new CycleJobError(
      `Cycle ${cycle.label} ends at ${cycle.endsAt.toISOString()}; its ${job.purpose} cannot run at ${now.toISOString()}.`,
    );
  }
  const record = await openRunRecord<Progress, Outcome>(db, job.purpose, circleId, cycle.label, now);
  if (record.finishedAt) {
    return {
      purpose: job.purpose,
      circleId,
      cycle: cycle.label,
      outcome: record.outcome as Outcome,
      finishedAt: record.finishedAt,
      wasAlreadyFinished: true,
    };
  }
  const outcome = await job.run({
    db,
    circleId,
    cycle,
    now,
    logger,
    registry,
    config,
    progress: record.progress ?? undefined,
    saveProgress: async (progress) => {
      await db.query(`UPDATE cycle_runs SET progress = $4 WHERE purpose = $1 AND circle_id = $2 AND cycle = $3`, [
        job.purpose,
        circleId,
        cycle.label,
        JSON.stringify(progress),
      ]);
    },
  });
  // A run that got here first wins; the record then says when the run really finished.
  const finished = await sqlRows<{ finishedAt: Date }>(
    db,
    `UPDATE cycle_runs SET finished_at = $4, outcome = $5 WHERE purpose = $1 AND circle_id = $2 AND cycle = $3 AND finished_at IS NULL RETURNING finished_at`,
    [job.purpose, circleId, cycle.label, now, JSON.stringify(outcome ?? null)],
  );
  return {
    purpose: job.purpose,
    circleId,
    cycle: cycle.label,
    outcome,
    finishedAt: finished[0]?.finishedAt ?? now,
    wasAlreadyFinished: finished.length === 0,
  };
}

/** Runs, oldest first, every due cycle of the circle up to `throughCycle`. */
export async function runDueCycles<Outcome>(
  db: DataSource,
  job: CycleJob<unknown, Outcome>,
  circleId: string,
  throughCycle: string,
  now: Date,
  logger: Logger,
  registry: MetricsRegistry,
  config?: BaseConfig,
): Promise<Array<CycleRunOutcome<Outcome>>> {
  const outcomes: Array<CycleRunOutcome<Outcome>> = [];
  for (const due of await cyclesDue(db, job.purpose, circleId, now)) {
    if (due > throughCycle) break;
    outcomes.push(await runCycleOnce(db, job, circleId, due, now, logger, registry, config));
  }
  return outcomes;
}

export interface CyclePageOutcome<Outcome = unknown> {
  /** Runs the page finished, by circle. */
  finished: Map<string, Outcome>;
  /** Circles whose oldest unfinished cycle is this one but which the page left to a run of their own. */
  leftToOwnRuns: string[];
  /** Circles with an older cycle still to run (or a killed run's saved progress): a run of their own does them in order. */
  notInStep: string[];
}

/**
 * Runs one purpose for a page of circles and one ended cycle, each at most once: opens every run
 * record in one statement, hands the circles whose oldest unfinished cycle is this one to the
 * job's `runPage`, and finishes the records of those it did in one statement. Circles behind (an
 * older cycle to run first) or resuming a killed run, and those the page leaves out or a page
 * that fails, are answered for their own runs (runCycleOnce), which the caller enqueues.
 */
export async function runCyclePage<Outcome>(
  db: DataSource,
  job: CycleJob<unknown, Outcome>,
  circleIds: readonly string[],
  cycleLabel: string,
  now: Date,
  logger: Logger,
  registry: MetricsRegistry,
  config?: BaseConfig,
): Promise<CyclePageOutcome<Outcome>> {
  const cycle = cycleByLabelOrThrow(cycleLabel);
  if (!job.runPage) throw new CycleJobError(`The cycle job "${job.purpose}" runs one circle at a time.`);
  if (now.getTime() < cycle.endsAt.getTime()) {
    throw new CycleJobError(
      `Cycle ${cycle.label} ends at ${cycle.endsAt.toISOString()}; its ${job.purpose} cannot run at ${now.toISOString()}.`,
    );
  }
  const circles = await sqlRows<{ circleId: string; firstSeenAt: Date; lastFinished: string | null }>(
    db,
    `SELECT k.circle_id, k.first_seen_at,
       (SELECT max(r.cycle) FROM cycle_runs r WHERE r.purpose = $1 AND r.circle_id = k.circle_id AND r.finished_at IS NOT NULL) AS last_finished
     FROM known_circles k WHERE k.circle_id = ANY($2::uuid[]) ORDER BY k.circle_id`,
    [job.purpose, circleIds],
  );
  const notInStep: string[] = [];
  const inStep: string[] = [];
  for (const circle of circles) {
    const due = dueCyclesOf({ purpose: job.purpose, ...circle }, now);
    if (due.length === 0 || due[0] > cycle.label) continue; // done already
    (due[0] === cycle.label ? inStep : notInStep).push(circle.circleId);
  }
  // One round trip: every record opened; those an earlier run left (finished meanwhile, or with saved progress) named.
  const earlier = await sqlRows<{ circleId: string; isFinished: boolean }>(
    db,
    `WITH added AS (
       INSERT INTO cycle_runs (purpose, circle_id, cycle, started_at) SELECT $1, c, $3, $4 FROM unnest($2::uuid[]) AS c
       ON CONFLICT DO NOTHING RETURNING circle_id)
     SELECT circle_id, finished_at IS NOT NULL AS is_finished FROM cycle_runs
     WHERE purpose = $1 AND cycle = $3 AND circle_id = ANY($2::uuid[]) AND (finished_at IS NOT NULL OR progress IS NOT NULL)`,
    [job.purpose, inStep, cycle.label, now],
  );
  const finishedMeanwhile = new Set(earlier.filter((r) => r.isFinished).map((r) => r.circleId));
  const resuming = new Set(earlier.filter((r) => !r.isFinished).map((r) => r.circleId));
  notInStep.push(...resuming);
  const page = inStep.filter((circleId) => !finishedMeanwhile.has(circleId) && !resuming.has(circleId));
  if (page.length === 0) return { finished: new Map(), leftToOwnRuns: [], notInStep };
  let outcomes: ReadonlyMap<string, Outcome>;
  try {
    outcomes = await job.runPage({ db, circleIds: page, cycle, now, logger, registry, config });
  } catch (error) {
    logger.warn(
      { err: error, purpose: job.purpose, cycle: cycle.label, circles: page.length },
      "a page of cycle job runs failed; each circle gets a run of its own",
    );
    return { finished: new Map(), leftToOwnRuns: page, notInStep };
  }
  const done = page.filter((circleId) => outcomes.has(circleId));
  // A run that got here first wins (finished_at IS NULL), as in runCycleOnce.
  await db.query(
    `UPDATE cycle_runs r SET finished_at = $4, outcome = o.outcome
     FROM unnest($2::uuid[], $5::jsonb[]) AS o(circle_id, outcome)
     WHERE r.purpose = $1 AND r.cycle = $3 AND r.circle_id = o.circle_id AND r.finished_at IS NULL`,
    [job.purpose, done, cycle.label, now, done.map((circleId) => JSON.stringify(outcomes.get(circleId) ?? null))],
  );
  return {
    finished: new Map(done.map((circleId) => [circleId, outcomes.get(circleId) as Outcome])),
    leftToOwnRuns: page.filter((circleId) => !outcomes.has(circleId)),
    notInStep,
  };
}

export interface CycleJobsOptions {
  service: string;
  db: DataSource;
  redis: Redis;
  jobs: ReadonlyArray<CycleJob<never, unknown>>;
  clock: Clock;
  logger: Logger;
  registry: MetricsRegistry;
  /** Handed to every run. */
  config?: BaseConfig;
  scheduleCheckIntervalMs?: number;
  /** BullMQ key prefix; tests give each in-process service its own. */
  prefix?: string;
  /** A span per cycle job run, when tracing is on. */
  tracing?: Tracing;
  /** Runs at once in this process; default cycleJobConcurrencyFor the default pool. */
  concurrency?: number;
  /** After each run or page, its slot rests this many times what it took (0: back to back); default DEFAULT_CYCLE_JOB_PACE. */
  pace?: number;
  /** What measures a run and times the rest after it; tests give their own. */
  pacingTimer?: PacingTimer;
  /** The worker's hold on a job and how often it looks for jobs whose worker died (lockDuration, stalledInterval). */
  stalledJobs?: Pick<WorkerOptions, "lockDuration" | "stalledInterval">;
}

export interface CycleJobs {
  queue: Queue;
  /** Throws naming the missing schedule; what /ready reports. */
  checkSchedules(): Promise<void>;
  /** Schedules what is missing and enqueues runs missed while the hub was down; returns the run job ids added. */
  ensureSchedules(): Promise<string[]>;
  /** One round of the schedule keeper: rebuilds what Redis lost; returns what was missing. */
  keepSchedules(): Promise<string[]>;
  stop(): Promise<void>;
}

/** A boundary job in one of these states has yet to schedule the following boundary. */
const BOUNDARY_STATES_STILL_TO_RUN: ReadonlySet<string> = new Set([
  "delayed",
  "waiting",
  "prioritized",
  "waiting-children",
  "active",
]);

export function cycleJobsQueueName(service: string): string {
  return queueName(service, "cycles");
}

type CycleQueueData = BoundaryData | RunData | WatchdogData | PageData;

/** One service's cycle jobs as BullMQ keeps them: boundaries at new moons, a watchdog, a run per circle and cycle. */
class CycleSchedule {
  private readonly jobs: Map<string, CycleJob<unknown, unknown>>;

  readonly pacer: CycleJobPacer;

  constructor(
    private readonly options: CycleJobsOptions,
    readonly queue: Queue,
  ) {
    this.jobs = new Map(options.jobs.map((job) => [job.purpose, job as CycleJob<unknown, unknown>]));
    this.pacer = cycleJobPacer(this.concurrency, options.pace ?? DEFAULT_CYCLE_JOB_PACE, options.pacingTimer);
  }

  get purposes(): string[] {
    return [...this.jobs.keys()];
  }

  private jobOf(purpose: string): CycleJob<unknown, unknown> {
    const job = this.jobs.get(purpose);
    if (!job) throw new CycleJobError(`${this.options.service} has no cycle job "${purpose}".`);
    return job;
  }

  async scheduleBoundary(purpose: string, cycle: LunarCycle, now: Date): Promise<void> {
    const delayMs = Math.max(0, cycle.endsAt.getTime() - now.getTime());
    // BullMQ runs a delayed job at timestamp + delay; stamping it with `now` makes that the new moon itself.
    await this.queue.add("boundary", { purpose, cycle: cycle.label } satisfies BoundaryData, {
      jobId: boundaryJobId(purpose, cycle.label),
      delay: delayMs,
      timestamp: now.getTime(),
    });
  }

  /** Adds a run job, or revives it when an earlier attempt with the same id ran out of retries. */
  private async enqueueRun(purpose: string, circleId: string, cycle: string): Promise<string> {
    const jobId = cycleRunJobId(purpose, circleId, cycle);
    const existing = await this.queue.getJob(jobId);
    if (existing && (await existing.isFailed())) await existing.retry();
    else await this.queue.add("run", { purpose, circleId, cycle } satisfies RunData, { jobId });
    return jobId;
  }

  /** Adds one page job: the runs of many circles of one ended cycle. */
  private async enqueuePage(purpose: string, cycle: string, circleIds: string[]): Promise<string> {
    const jobId = cyclePageJobId(purpose, cycle, circleIds);
    const existing = await this.queue.getJob(jobId);
    if (existing && (await existing.isFailed())) await existing.retry();
    else await this.queue.add("page", { purpose, cycle, circleIds } satisfies PageData, { jobId });
    return jobId;
  }

  private get concurrency(): number {
    return this.options.concurrency ?? cycleJobConcurrencyFor(DEFAULT_DATABASE_POOL_SIZE);
  }

  /** A new moon for a job with `runPage`: every circle still to run, in pages spread over the worker's slots. */
  private async fanOutPages(purpose: string, cycle: LunarCycle): Promise<number> {
    const circleIds: string[] = [];
    for await (const page of knownCirclePages(this.options.db, cycle.endsAt, {
      excludeFinished: { purpose, cycle: cycle.label },
    }))
      circleIds.push(...page);
    const size = cyclePageSizeFor(circleIds.length, this.concurrency);
    const pages: string[][] = [];
    for (let i = 0; i < circleIds.length; i += size) pages.push(circleIds.slice(i, i + size));
    await this.queue.addBulk(
      pages.map((page) => ({
        name: "page",
        data: { purpose, cycle: cycle.label, circleIds: page } satisfies PageData,
        opts: { jobId: cyclePageJobId(purpose, cycle.label, page) },
      })),
    );
    return circleIds.length;
  }

  private async fanOut(purpose: string, cycle: LunarCycle): Promise<number> {
    if (this.jobOf(purpose).runPage) return this.fanOutPages(purpose, cycle);
    let count = 0;
    for await (const circleIds of knownCirclePages(this.options.db, cycle.endsAt, {
      excludeFinished: { purpose, cycle: cycle.label },
    })) {
      await this.queue.addBulk(
        circleIds.map((circleId) => ({
          name: "run",
          data: { purpose, circleId, cycle: cycle.label } satisfies RunData,
          opts: { jobId: cycleRunJobId(purpose, circleId, cycle.label) },
        })),
      );
      count += circleIds.length;
    }
    return count;
  }

  async catchUp(purpose: string, now: Date): Promise<string[]> {
    const lastEnded = precedingCycle(cycleContaining(now));
    const jobIds: string[] = [];
    const isPaged = this.jobOf(purpose).runPage !== undefined;
    // Runs go in order, so a circle whose last ended cycle is done has nothing to catch up.
    for await (const circleIds of knownCirclePages(this.options.db, lastEnded.endsAt, {
      excludeFinished: { purpose, cycle: lastEnded.label },
    })) {
      // A circle behind by only the last ended cycle goes in a page (whose id a fan-out of the same circles shares).
      const inStep: string[] = [];
      for (const circleId of circleIds) {
        const due = await cyclesDue(this.options.db, purpose, circleId, now);
        if (due.length === 0) continue;
        if (isPaged && due.length === 1) inStep.push(circleId);
        else jobIds.push(await this.enqueueRun(purpose, circleId, due[due.length - 1]));
      }
      const size = cyclePageSizeFor(inStep.length, this.concurrency);
      for (let i = 0; i < inStep.length; i += size)
        jobIds.push(await this.enqueuePage(purpose, lastEnded.label, inStep.slice(i, i + size)));
    }
    return jobIds;
  }

  /**
   * Whether the current cycle's boundary is scheduled, or about to be: at each new moon the ended
   * cycle's boundary job schedules the next one only once it has run (it waits for a worker, then
   * fans out to every circle), so until then the current one is not missing. Without that, every
   * new moon looked like lost Redis data to the keeper and made /ready fail.
   */
  private async isBoundaryKept(purpose: string, current: LunarCycle): Promise<boolean> {
    const boundary = await this.queue.getJob(boundaryJobId(purpose, current.label));
    if (boundary) return !(await boundary.isFailed());
    const ended = await this.queue.getJob(boundaryJobId(purpose, precedingCycle(current).label));
    return ended !== undefined && BOUNDARY_STATES_STILL_TO_RUN.has(await ended.getState());
  }

  async missingSchedules(now: Date): Promise<string[]> {
    const missing: string[] = [];
    const current = cycleContaining(now);
    for (const purpose of this.purposes) {
      if (!(await this.isBoundaryKept(purpose, current)))
        missing.push(`${purpose}: the boundary of cycle ${current.label}`);
      if (!(await this.queue.getJobScheduler(watchdogSchedulerId(purpose)))) missing.push(`${purpose}: the watchdog`);
    }
    return missing;
  }

  async ensureSchedules(now: Date): Promise<string[]> {
    const added: string[] = [];
    for (const purpose of this.purposes) {
      await this.scheduleBoundary(purpose, cycleContaining(now), now);
      await this.queue.upsertJobScheduler(
        watchdogSchedulerId(purpose),
        { every: CYCLE_WATCHDOG_INTERVAL_MS },
        { name: "watchdog", data: { purpose } satisfies WatchdogData },
      );
      added.push(...(await this.catchUp(purpose, now)));
    }
    return added;
  }

  /** A new moon: a run for every circle that has not finished the ended cycle, then the next boundary. */
  private async onBoundary({ purpose, cycle: label }: BoundaryData, now: Date) {
    const ended = cycleByLabelOrThrow(label);
    const circles = await this.fanOut(purpose, ended);
    await this.scheduleBoundary(purpose, followingCycle(ended), now);
    this.options.logger.info({ purpose, cycle: label, circles }, "new moon: cycle job fanned out");
    return { circles };
  }

  /** Every CYCLE_WATCHDOG_INTERVAL_MS: puts back a lost boundary and enqueues runs that were missed. */
  private async onWatchdog({ purpose }: WatchdogData, now: Date) {
    await this.scheduleBoundary(purpose, cycleContaining(now), now);
    const caughtUp = await this.catchUp(purpose, now);
    if (caughtUp.length > 0)
      this.options.logger.warn({ purpose, jobs: caughtUp }, "cycle watchdog enqueued missed runs");
    return { caughtUp: caughtUp.length };
  }

  /** One circle's due cycles, oldest first, each once. */
  private async onRun({ purpose, circleId, cycle }: RunData, now: Date) {
    const { db, logger, registry, config } = this.options;
    const outcomes = await runDueCycles(db, this.jobOf(purpose), circleId, cycle, now, logger, registry, config);
    for (const outcome of outcomes) {
      if (!outcome.wasAlreadyFinished) logger.info({ purpose, circleId, cycle: outcome.cycle }, "cycle job ran");
    }
    return outcomes.map((o) => ({ cycle: o.cycle, wasAlreadyFinished: o.wasAlreadyFinished }));
  }

  /** Many circles' runs of one cycle together; those the page cannot do get runs of their own. */
  private async onPage({ purpose, cycle, circleIds }: PageData, now: Date) {
    const { db, logger, registry, config } = this.options;
    const outcome = await runCyclePage(db, this.jobOf(purpose), circleIds, cycle, now, logger, registry, config);
    const ownRuns = [...outcome.leftToOwnRuns, ...outcome.notInStep];
    for (const circleId of ownRuns) await this.enqueueRun(purpose, circleId, cycle);
    if (outcome.finished.size > 0)
      logger.info({ purpose, cycle, circles: outcome.finished.size }, "cycle job ran a page");
    return { finished: outcome.finished.size, ownRuns: ownRuns.length };
  }

  async process(job: Job<CycleQueueData>): Promise<unknown> {
    const { clock } = this.options;
    // Boundaries and watchdogs only enqueue; the runs and pages they add do the work, paced (and
    // read the clock once their slot is theirs).
    if (job.name === "page") return this.pacer.paced(() => this.onPage(job.data as PageData, clock()));
    if (job.name === "boundary") return this.onBoundary(job.data as BoundaryData, clock());
    if (job.name === "watchdog") return this.onWatchdog(job.data as WatchdogData, clock());
    if (job.name === "run") return this.pacer.paced(() => this.onRun(job.data as RunData, clock()));
    throw new CycleJobError(`Unknown cycle job "${job.name}".`);
  }
}

export async function startCycleJobs(options: CycleJobsOptions): Promise<CycleJobs> {
  const { logger, clock, tracing } = options;
  const prefix = options.prefix ? { prefix: options.prefix } : {};
  const queue = createQueue(cycleJobsQueueName(options.service), options.redis, prefix);
  const schedule = new CycleSchedule(options, queue);
  const process = (job: Job<CycleQueueData>) => schedule.process(job);
  const worker: Worker = createWorker(
    queue.name,
    tracing ? (job: Job<CycleQueueData>) => tracing.job(queue.name, job, () => process(job)) : process,
    options.redis,
    {
      concurrency: options.concurrency ?? cycleJobConcurrencyFor(DEFAULT_DATABASE_POOL_SIZE),
      ...options.stalledJobs,
      ...prefix,
    },
  );
  worker.on("failed", (job, error) => logger.error({ err: error, jobId: job?.id }, "cycle job failed"));

  const ensureSchedules = () => schedule.ensureSchedules(clock());
  const caughtUp = await ensureSchedules();
  if (caughtUp.length > 0)
    logger.info({ jobs: caughtUp.length }, "catching up on cycle jobs missed while the hub was down");

  async function keepSchedules(): Promise<string[]> {
    const missing = await schedule.missingSchedules(clock());
    if (missing.length === 0) return missing;
    logger.warn({ missing }, "cycle schedules were missing (Redis lost data?); rebuilding");
    await ensureSchedules();
    return missing;
  }

  let keeping: Promise<unknown> | undefined;
  const keeper = setInterval(() => {
    keeping ??= keepSchedules()
      .catch((error) => logger.warn({ err: error }, "could not check cycle schedules; will retry"))
      .finally(() => {
        keeping = undefined;
      });
  }, options.scheduleCheckIntervalMs ?? DEFAULT_SCHEDULE_CHECK_INTERVAL_MS);
  keeper.unref();

  return {
    queue,
    async checkSchedules() {
      const missing = await schedule.missingSchedules(clock());
      if (missing.length > 0) throw new Error(`missing schedules, being rebuilt: ${missing.join("; ")}`);
    },
    ensureSchedules,
    keepSchedules,
    async stop() {
      clearInterval(keeper);
      await keeping;
      schedule.pacer.stop();
      await worker.close();
      await queue.close();
    },
  };
}
