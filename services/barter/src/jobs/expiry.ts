import type { DataSource } from "typeorm";
import { createWorker, cycleByLabel, cycleContaining, followingCycle, type Job, type Logger, type LunarCycle, type Queue, type Worker } from "@rhizome/kit";
import type { Redis } from "ioredis";
import { cyclesDueForExpiry, expireCircleCycle, type ExpiryOutcome } from "../ledger/expiry.js";
import { EXPIRY_CONCURRENCY, EXPIRY_QUEUE } from "./queues.js";

/** Circles read per query when fanning out a boundary or catching up. */
export const CIRCLE_PAGE_SIZE = 1_000;

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

async function* circlePages(db: DataSource, seenBefore: Date): AsyncGenerator<string[]> {
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows: Array<{ circle_id: string }> = await db.query(
      `SELECT circle_id FROM circle_settings WHERE circle_id > $1 AND first_seen_at < $2 ORDER BY circle_id LIMIT $3`,
      [after, seenBefore, CIRCLE_PAGE_SIZE],
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
    for (const circleId of circleIds) await enqueueExpiry(queue, circleId, cycle.label);
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
  for await (const circleIds of circlePages(db, now)) {
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

export async function processExpiryJob(db: DataSource, queue: Queue, job: Job<ExpiryJobData>, now: Date, logger: Logger): Promise<unknown> {
  if (job.name === "boundary") {
    const { cycle } = job.data as BoundaryJobData;
    const circles = await fanOutExpiry(db, queue, cycle);
    const ended = cycleByLabel(cycle);
    if (ended) await scheduleBoundary(queue, followingCycle(ended), now);
    logger.info({ cycle, circles }, "new moon: expiry fanned out");
    return { circles };
  }
  if (job.name === "expire") {
    const { circleId, cycle } = job.data as ExpireJobData;
    const outcomes = await expireCircleThrough(db, circleId, cycle, now);
    for (const outcome of outcomes) logger.info(outcome, "circle cycle expired");
    return outcomes;
  }
  throw new Error(`Unknown expiry job "${job.name}".`);
}

export interface ExpiryWorkerOptions {
  db: DataSource;
  queue: Queue;
  connection: Redis;
  logger: Logger;
  prefix?: string;
  clock?: () => Date;
}

export function startExpiryWorker(options: ExpiryWorkerOptions): Worker<ExpiryJobData> {
  const clock = options.clock ?? (() => new Date());
  const worker = createWorker<ExpiryJobData, unknown>(
    EXPIRY_QUEUE,
    (job) => processExpiryJob(options.db, options.queue, job, clock(), options.logger),
    options.connection,
    { concurrency: EXPIRY_CONCURRENCY, ...(options.prefix ? { prefix: options.prefix } : {}) },
  );
  worker.on("failed", (job, error) => options.logger.error({ err: error, jobId: job?.id }, "expiry job failed"));
  return worker;
}
