import type { DataSource } from "typeorm";
import type { LunarCycle } from "@rhizome/kit";
import { EXPIRY_BATCH_SIZE } from "../domain/expiry.js";
import {
  expirePage,
  openExpiryRunsOf,
  pageableCircles,
  type ExpiryOutcome,
  type PageableCircle,
} from "../store/expiry.js";

export interface PageExpiryOptions {
  /** The instant the expiry runs at; it must be at or after the cycle's end (the kit checks it). */
  now: Date;
  /** Read when each transaction completes, for the finish time it records; defaults to `now`. */
  clock?: () => Date;
  /** Accounts one transaction closes at most; a circle with as many goes through its own run, in batches. */
  batchSize?: number;
  /** Called inside each transaction just before it commits; throwing there rolls it back, as a crash would. */
  beforeCommit?: (transaction: { index: number; circleIds: readonly string[] }) => void | Promise<void>;
}

/** Circles in groups of at most `batchSize` accounts, in order; a circle alone never reaches it (it is left to its own run). */
function transactionsOf(circles: readonly PageableCircle[], batchSize: number): PageableCircle[][] {
  const groups: PageableCircle[][] = [];
  let group: PageableCircle[] = [];
  let accounts = 0;
  for (const circle of circles) {
    if (group.length > 0 && accounts + circle.accountsInCycle > batchSize) {
      groups.push(group);
      group = [];
      accounts = 0;
    }
    group.push(circle);
    accounts += circle.accountsInCycle;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * Expires a page of circles' cycle together, with the same ledger, run record, figures and event
 * for each circle as expireCircleCycle leaves: one statement reads what the page needs, then each
 * group of circles of at most a batch of accounts (normally the whole page) is one transaction
 * that takes their barriers, opens and locks their run records, closes every account and completes
 * every run. A crash rolls the group back whole; a rerun finds finished runs and writes nothing.
 * Answers the outcome of each circle it expired; the others (no commons, a run under way, an
 * exchange with another hub in doubt, a batch of accounts or more) are left to their own runs.
 */
export async function expireCirclesCycle(
  db: DataSource,
  circleIds: readonly string[],
  cycle: LunarCycle,
  options: PageExpiryOptions,
): Promise<Map<string, ExpiryOutcome>> {
  const batchSize = options.batchSize ?? EXPIRY_BATCH_SIZE;
  const { now } = options;
  const finishedAt = () => options.clock?.() ?? now;
  const pageable = (await pageableCircles(db, circleIds, cycle.label)).filter((c) => c.accountsInCycle < batchSize);
  const outcomes = new Map<string, ExpiryOutcome>();
  for (const [index, group] of transactionsOf(pageable, batchSize).entries()) {
    const expired = await db.transaction(async (tx) => {
      const untouched = await openExpiryRunsOf(
        tx,
        group.map((c) => c.circleId),
        cycle.label,
        now,
      );
      const circles = group.filter((c) => untouched.has(c.circleId));
      const done = await expirePage(tx, circles, cycle, { now, finishedAt }, batchSize);
      await options.beforeCommit?.({ index, circleIds: circles.map((c) => c.circleId) });
      return done;
    });
    for (const outcome of expired) outcomes.set(outcome.circleId, outcome);
  }
  return outcomes;
}
