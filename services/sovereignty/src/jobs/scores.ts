import type { DataSource } from "typeorm";
import type { CycleJob, LunarCycle } from "@rhizome/kit";
import { publishFigures, publishOpenCycleFigures, type PublishedFigures } from "../domain/scores.js";
import { closeCycleScore, keptScores, tallyCycle, unpublishedCycles } from "../store/scores.js";

/**
 * Closes a circle's cycle at the new moon (S2): its published figures are computed once and kept,
 * so reading a past cycle or comparing 10,000 circles never re-counts the ledger. Idempotent (an
 * upsert under a per-cycle lock); events that arrive later amend the kept figures themselves.
 */
export const scoresJob: CycleJob<never, PublishedFigures> = {
  purpose: "scores",
  async run({ db, circleId, cycle, now }) {
    return db.transaction((tx) => closeCycleScore(tx, circleId, cycle.label, now));
  },
  async runPage({ db, circleIds, cycle, now }) {
    return closeCycleScores(db, circleIds, cycle.label, now);
  },
};

/**
 * The scores job for a page of circles: each circle's figures closed exactly as its own run closes
 * them, all in one transaction, so a page pays one begin and commit and none of the run records'
 * round trips per circle. A crash rolls the page back whole. `beforeCommit` runs inside the
 * transaction just before it commits (throwing there rolls it back, as a crash would).
 */
export async function closeCycleScores(
  db: DataSource,
  circleIds: readonly string[],
  cycle: string,
  now: Date,
  beforeCommit?: (outcomes: ReadonlyMap<string, PublishedFigures>) => void | Promise<void>,
): Promise<Map<string, PublishedFigures>> {
  return db.transaction(async (tx) => {
    const outcomes = new Map<string, PublishedFigures>();
    for (const circleId of circleIds) outcomes.set(circleId, await closeCycleScore(tx, circleId, cycle, now));
    await beforeCommit?.(outcomes);
    return outcomes;
  });
}

/**
 * The scores job run early, by a read: publishes, for each of the circles, the ended cycles among
 * `cycles` whose figures are not kept yet (the cycle job has not reached them), so that nobody ever
 * reads an ended cycle's figure that could still change; one transaction per cycle, as the job's.
 * Only circles the service knows are closed; an empty cycle that ended before the service first
 * heard of the circle is kept for its score but joins no comparison or trend (the circle was not
 * there), as the cycle job never sees it.
 */
export async function publishEndedCycles(
  db: DataSource,
  circleIds: readonly string[],
  cycles: readonly LunarCycle[],
  now: Date,
  options: { comparableOnly?: boolean } = {},
): Promise<void> {
  const ended = cycles.filter((cycle) => cycle.endsAt.getTime() <= now.getTime());
  if (ended.length === 0 || circleIds.length === 0) return;
  const missing = await unpublishedCycles(
    db,
    circleIds,
    ended.map((cycle) => cycle.label),
  );
  const endOf = new Map(ended.map((cycle) => [cycle.label, cycle.endsAt.getTime()]));
  for (const row of missing) {
    // An organizer may have recorded by hand into a cycle that ended before the service heard of the circle: it counts then.
    const isComparable = row.hasEvents || new Date(row.firstSeenAt).getTime() < endOf.get(row.cycle)!;
    // Trends and comparisons read only comparable cycles: they need not keep the others.
    if (!isComparable && options.comparableOnly) continue;
    await db.transaction((tx) => closeCycleScore(tx, row.circleId, row.cycle, now, isComparable));
  }
}

/**
 * The published figures of each of a circle's cycles: for an ended cycle, the ones kept when it was
 * published (publishing it now if nobody had); for the open one, counted live (members only, without
 * the kinds that describe someone's trouble, `publishOpenCycleFigures`). A circle the service has
 * never heard of has nothing in its ledger: its figures are counted (zeros).
 */
export async function figuresOfCycles(
  db: DataSource,
  circleId: string,
  cycles: readonly LunarCycle[],
  now: Date,
): Promise<Map<string, PublishedFigures>> {
  await publishEndedCycles(db, [circleId], cycles, now);
  const kept = await keptScores(
    db,
    circleId,
    cycles.map((cycle) => cycle.label),
  );
  const figures = new Map<string, PublishedFigures>();
  for (const cycle of cycles) {
    const isOpen = cycle.endsAt.getTime() > now.getTime();
    figures.set(
      cycle.label,
      kept.get(cycle.label) ??
        (isOpen ? publishOpenCycleFigures : publishFigures)(await tallyCycle(db, circleId, cycle.label)),
    );
  }
  return figures;
}
