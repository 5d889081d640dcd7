import type { DataSource } from "typeorm";
import { createWorker, cycleByLabel, cycleContaining, followingCycle, precedingCycle, type Job, type Logger, type LunarCycle, type Queue, type Worker } from "@rhizome/kit";
import type { Redis } from "ioredis";
import { cyclesDueForExpiry, expireCircleCycle, type ExpiryOutcome } from "../store/expiry.js";
import { EXPIRY_CONCURRENCY, EXPIRY_QUEUE } from "./queues.js";
import { recordExpiries, type BarterMetrics } from "../metrics.js";

/** Circles read per query when fanning out a boundary or catching up. */
export const CIRCLE_PAGE_SIZE = 1_000;
/**
 * How often a running worker re-checks that the next boundary is scheduled and nothing was
 * missed: a lost boundary job (Redis wiped, a bug) then delays expiry by an hour, not forever.
 */
export const EXPIRY_WATCHDOG_INTERVAL_MS = 60 * 60 * 1000;
export const EXPIRY_WATCHDOG_SCHEDULER_ID = "expiry-watchdog";

export interface BoundaryJobData {
  /** The cycle that ends at this boundary. */
  cycle: string;
}

export interface ExpireJobData {
  circleId: string;
  /** Expire this cycle and any earlier one of the circle still awaiting expiry. */
  cycle: string;
}

export type ExpiryJobData = BoundaryJobData | ExpireJobData;

// BullMQ 6.7 rejects custom ids containing ':' (except its legacy three-part form), so ids use '-'.
export const boundaryJobId = (cycle: string) => `boundary-${cycle}`;
export const expireJobId = (circleId: string, cycle: string) => `expire-${circleId}-${cycle}`;

/**
 * New moons are not a cron pattern, so each boundary is a delayed job, and the job that handles
 * one schedules the next. The job id makes scheduling the same boundary twice a no-op.
 */
export async function scheduleBoundary(queue: Queue, cycle: LunarCycle, now: Date): Promise<Job<BoundaryJobData>> {
  const delayMs = Math.max(0, cycle.endsAt.getTime() - now.getTime());
  // BullMQ runs a delayed job at timestamp + delay; stamping it with `now` makes that the boundary itself.
  return queue.add("boundary", { cycle: cycle.label } satisfies BoundaryJobData, { jobId: boundaryJobId(cycle.label), delay: delayMs, timestamp: now.getTime() });
}

/** Schedules the boundary that ends the cycle containing `now`. */
export function scheduleNextBoundary(queue: Queue, now: Date): Promise<Job<BoundaryJobData>> {
  return scheduleBoundary(queue, cycleContaining(now), now);
}

/** Adds an expire job, or revives it when an earlier attempt with the same id ran out of retries. */
async function enqueueExpiry(queue: Queue, circleId: string, cycle: string): Promise<string> {
  const jobId = expireJobId(circleId, cycle);
  const existing = await queue.getJob(jobId);
  if (existing && (await existing.isFailed())) {
    await existing.retry();
    return jobId;
  }
  await queue.add("expire", { circleId, cycle } satisfies ExpireJobData, { jobId });
  return jobId;
}

const NO_CIRCLE = "00000000-0000-0000-0000-000000000000";

/**
 * Circles barter first saw before `seenBefore`, a page at a time; with `unexpiredCycle`, only
 * those whose expiry of that cycle has not completed.
 */
async function* circlePages(db: DataSource, seenBefore: Date, unexpiredCycle?: string): AsyncGenerator<string[]> {
  let after = NO_CIRCLE;
  for (;;) {
    const rows: Array<{ circle_id: string }> = await db.query(
      `SELECT s.circle_id FROM circle_settings s
       WHERE s.circle_id > $1 AND s.first_seen_at < $2
         AND ($4::text IS NULL OR NOT EXISTS (
           SELECT 1 FROM expiry_runs r WHERE r.circle_id = s.circle_id AND r.cycle = $4 AND r.finished_at IS NOT NULL))
       ORDER BY s.circle_id LIMIT $3`,
      [after, seenBefore, CIRCLE_PAGE_SIZE, unexpiredCycle ?? null],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => r.circle_id);
    if (rows.length < CIRCLE_PAGE_SIZE) return;
    after = rows[rows.length - 1].circle_id;
  }
}

/** One expire job per circle that existed before the cycle ended. */
export async function fanOutExpiry(db: DataSource, queue: Queue, cycleLabel: string): Promise<number> {
  const cycle = cycleByLabel(cycleLabel);
  if (!cycle) throw new Error(`"${cycleLabel}" is not a lunar cycle label.`);
  let count = 0;
  for await (const circleIds of circlePages(db, cycle.endsAt)) {
    // Ids already in the queue are ignored, so a boundary handled twice adds nothing.
    await queue.addBulk(
      circleIds.map((circleId) => ({ name: "expire", data: { circleId, cycle: cycle.label } satisfies ExpireJobData, opts: { jobId: expireJobId(circleId, cycle.label) } })),
    );
    count += circleIds.length;
  }
  return count;
}

/**
 * Boundaries that passed while the hub was down: for every circle with ended cycles not yet
 * expired, one job that expires them in order. Returns the job ids it enqueued.
 */
export async function catchUpMissedExpiries(db: DataSource, queue: Queue, now: Date): Promise<string[]> {
  const jobIds: string[] = [];
  const lastEnded = precedingCycle(cycleContaining(now));
  // Expiry runs in order, so a circle whose last ended cycle is expired has nothing to catch up.
  for await (const circleIds of circlePages(db, lastEnded.endsAt, lastEnded.label)) {
    for (const circleId of circleIds) {
      const due = await cyclesDueForExpiry(db, circleId, now);
      if (due.length > 0) jobIds.push(await enqueueExpiry(queue, circleId, due[due.length - 1]));
    }
  }
  return jobIds;
}

/** Expires, oldest first, every cycle of the circle up to `cycle` that has not been expired. */
export async function expireCircleThrough(db: DataSource, circleId: string, cycle: string, now: Date): Promise<ExpiryOutcome[]> {
  const outcomes: ExpiryOutcome[] = [];
  for (const due of await cyclesDueForExpiry(db, circleId, now)) {
    if (due > cycle) break;
    outcomes.push(await expireCircleCycle(db, circleId, due, { now }));
  }
  return outcomes;
}

export async function processExpiryJob(db: DataSource, queue: Queue, job: Job<ExpiryJobData>, now: Date, logger: Logger, metrics?: BarterMetrics): Promise<unknown> {
  if (job.name === "boundary") {
    const { cycle } = job.data as BoundaryJobData;
    const circles = await fanOutExpiry(db, queue, cycle);
    const ended = cycleByLabel(cycle);
    if (ended) await scheduleBoundary(queue, followingCycle(ended), now);
    logger.info({ cycle, circles }, "new moon: expiry fanned out");
    return { circles };
  }
  if (job.name === "watchdog") {
    await scheduleNextBoundary(queue, now);
    const caughtUp = await catchUpMissedExpiries(db, queue, now);
    if (caughtUp.length > 0) logger.warn({ jobs: caughtUp }, "expiry watchdog enqueued missed expiries");
    return { caughtUp: caughtUp.length };
  }
  if (job.name === "expire") {
    const { circleId, cycle } = job.data as ExpireJobData;
    const stopTimer = metrics?.expirySeconds.startTimer();
    const outcomes = await expireCircleThrough(db, circleId, cycle, now);
    stopTimer?.();
    recordExpiries(metrics, outcomes);
    for (const outcome of outcomes) logger.info(outcome, "circle cycle expired");
    return outcomes;
  }
  throw new Error(`Unknown expiry job "${job.name}".`);
}

/**
 * What a worker does on start: schedule the coming new moon, catch up on any that passed while
 * the hub was down, and keep a watchdog that repeats both.
 */
export async function startExpiryScheduling(db: DataSource, queue: Queue, now: Date): Promise<string[]> {
  await scheduleNextBoundary(queue, now);
  await queue.upsertJobScheduler(EXPIRY_WATCHDOG_SCHEDULER_ID, { every: EXPIRY_WATCHDOG_INTERVAL_MS }, { name: "watchdog" });
  return catchUpMissedExpiries(db, queue, now);
}

export interface ExpiryWorkerOptions {
  db: DataSource;
  queue: Queue;
  connection: Redis;
  logger: Logger;
  metrics?: BarterMetrics;
  prefix?: string;
  clock?: () => Date;
}

export function startExpiryWorker(options: ExpiryWorkerOptions): Worker<ExpiryJobData> {
  const clock = options.clock ?? (() => new Date());
  const worker = createWorker<ExpiryJobData, unknown>(
    EXPIRY_QUEUE,
    (job) => processExpiryJob(options.db, options.queue, job, clock(), options.logger, options.metrics),
    options.connection,
    { concurrency: EXPIRY_CONCURRENCY, ...(options.prefix ? { prefix: options.prefix } : {}) },
  );
  worker.on("failed", (job, error) => options.logger.error({ err: error, jobId: job?.id }, "expiry job failed"));
  return worker;
}
