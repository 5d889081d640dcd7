import {
  cycleContaining,
  mayReplaceSnapshot,
  precedingCycle,
  sqlRow,
  sqlRows,
  type LunarCycle,
  type Queryable,
} from "@rhizome/kit";
import { compositionToPublish, type PublishedComposition } from "../domain/composition.js";

/** A row of `body_compositions`, without its body and circle. */
interface CompositionRow {
  cycle: string;
  countedAt: Date;
  seated: number;
  /** Null when the count published nothing (fewer than 5 seats, or no cohort yet). */
  holds: boolean | null;
}

type BodyKey = { id: string; circleId: string; createdAt: Date };

function publishedOf(row: CompositionRow | undefined): PublishedComposition | undefined {
  return row && row.holds !== null ? { seated: row.seated, holds: row.holds } : undefined;
}

/** Cycles a body's counts catch up at most in one reading (about 19 years of new moons). */
export const MAX_CYCLES_COUNTED_AT_ONCE = 240;

/**
 * A body's composition as members read it, and as it decides, during the cycle that contains `now`;
 * undefined when nothing is published. Counted once per cycle and body from the seats as they stood at
 * the cycle's first instant (the new moon), never live and never on anyone's action, so nothing a
 * member does during a cycle changes what anyone reads in it. What a count publishes is the domain's
 * `compositionToPublish`: nothing under 5 seats; a first publication only after a cohort of seat
 * changes (kit's mayReplaceSnapshot: at least 5 taken, and none or at least 5 left) in the cycle that
 * ended; later, a new one only after a cohort since the published one, otherwise that one stays. A
 * change of bloc is one seat left and one taken. A body created in this cycle is first counted at the
 * next new moon. Cycles nobody read are counted first, oldest first, so what a count publishes never
 * depends on when anyone happened to read the body.
 */
export async function publishedCompositionOf(
  db: Queryable,
  body: BodyKey,
  now: Date,
): Promise<PublishedComposition | undefined> {
  const cycle = cycleContaining(now);
  const stored = await sqlRows<{ cycle: string }>(db, `SELECT cycle FROM body_compositions WHERE body_id = $1`, [
    body.id,
  ]);
  const counted = new Set(stored.map((r) => r.cycle));
  const uncounted: LunarCycle[] = [];
  for (let c = cycle; !counted.has(c.label) && body.createdAt.getTime() < c.startsAt.getTime(); c = precedingCycle(c)) {
    uncounted.push(c);
    if (uncounted.length > MAX_CYCLES_COUNTED_AT_ONCE)
      throw new Error(`invariant: body ${body.id} has more than ${MAX_CYCLES_COUNTED_AT_ONCE} cycles to count`);
  }
  for (const c of uncounted.reverse()) await countCycle(db, body, c);
  const row = await sqlRow<CompositionRow>(
    db,
    `SELECT cycle, counted_at, seated, holds FROM body_compositions WHERE body_id = $1 AND cycle = $2`,
    [body.id, cycle.label],
  );
  return publishedOf(row);
}

interface SeatHistoryCounts {
  edge: number;
  advantaged: number;
  joinedSincePublished: number;
  leftSincePublished: number;
  joinedLastCycle: number;
  leftLastCycle: number;
}

/** Counts a body at the start of `cycle` (its earlier cycles counted already) and stores what it publishes. */
async function countCycle(db: Queryable, body: BodyKey, cycle: LunarCycle): Promise<void> {
  const countedAt = cycle.startsAt;
  const lastCycleStartedAt = precedingCycle(cycle).startsAt;
  const lastPublished = await sqlRow<CompositionRow>(
    db,
    `SELECT cycle, counted_at, seated, holds FROM body_compositions WHERE body_id = $1 AND holds IS NOT NULL AND counted_at < $2
     ORDER BY counted_at DESC LIMIT 1`,
    [body.id, countedAt],
  );
  const seats = await sqlRow<SeatHistoryCounts>(
    db,
    `SELECT (count(*) FILTER (WHERE taken_at <= $2 AND (left_at IS NULL OR left_at > $2) AND kind = 'EDGE'))::int AS edge,
            (count(*) FILTER (WHERE taken_at <= $2 AND (left_at IS NULL OR left_at > $2) AND kind = 'ADVANTAGED'))::int AS advantaged,
            (count(*) FILTER (WHERE taken_at > $3 AND taken_at <= $2))::int AS joined_since_published,
            (count(*) FILTER (WHERE left_at > $3 AND left_at <= $2))::int AS left_since_published,
            (count(*) FILTER (WHERE taken_at > $4 AND taken_at <= $2))::int AS joined_last_cycle,
            (count(*) FILTER (WHERE left_at > $4 AND left_at <= $2))::int AS left_last_cycle
     FROM seat_history WHERE body_id = $1`,
    [body.id, countedAt, lastPublished?.countedAt ?? new Date(0), lastCycleStartedAt],
  );
  if (!seats) throw new Error("invariant: an aggregate answered no row");
  const counts = { edge: seats.edge, advantaged: seats.advantaged };
  const toPublish = compositionToPublish(counts, {
    published: publishedOf(lastPublished),
    mayReplace: mayReplaceSnapshot({ joined: seats.joinedSincePublished, left: seats.leftSincePublished }),
    cohortInLastCycle: mayReplaceSnapshot({ joined: seats.joinedLastCycle, left: seats.leftLastCycle }),
  });
  const row =
    toPublish === "keep"
      ? { countedAt: lastPublished!.countedAt, seated: lastPublished!.seated, holds: lastPublished!.holds }
      : toPublish
        ? { countedAt, seated: toPublish.seated, holds: toPublish.holds }
        : { countedAt, seated: counts.edge + counts.advantaged, holds: null };
  await db.query(
    `INSERT INTO body_compositions (body_id, circle_id, cycle, counted_at, seated, holds) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (body_id, cycle) DO NOTHING`,
    [body.id, body.circleId, cycle.label, row.countedAt, row.seated, row.holds],
  );
}

/** The published compositions of many bodies: one query when the cycle's are counted already (the usual case), else each counted once. */
export async function publishedCompositionsOf(
  db: Queryable,
  bodies: readonly BodyKey[],
  now: Date,
): Promise<Array<PublishedComposition | undefined>> {
  const cycle = cycleContaining(now);
  const rows = await sqlRows<{ bodyId: string; seated: number; holds: boolean | null }>(
    db,
    `SELECT body_id, seated, holds FROM body_compositions WHERE body_id = ANY($1::uuid[]) AND cycle = $2`,
    [bodies.map((b) => b.id), cycle.label],
  );
  const counted = new Map(rows.map((r) => [r.bodyId, r]));
  const published: Array<PublishedComposition | undefined> = [];
  for (const body of bodies) {
    const row = counted.get(body.id);
    published.push(
      row
        ? row.holds === null
          ? undefined
          : { seated: row.seated, holds: row.holds }
        : await publishedCompositionOf(db, body, now),
    );
  }
  return published;
}
