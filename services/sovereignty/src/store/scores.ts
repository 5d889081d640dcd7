import type { DataSource, EntityManager } from "typeorm";
import { followingCycle, type LunarCycle } from "@rhizome/kit";
import { isSovereigntyEventKind } from "../domain/kinds.js";
import {
  publishFigures,
  publishOpenCycleFigures,
  sovereigntyMetrics,
  type CycleTally,
  type PublishedFigures,
} from "../domain/scores.js";

type Queryable = Pick<EntityManager, "query">;

/** Everything a circle's cycle adds up to, before suppression: a few index range reads. */
export async function tallyCycle(db: Queryable, circleId: string, cycle: string): Promise<CycleTally> {
  const kinds: Array<{
    kind: string;
    count: number;
    records: number;
    minutes: number;
    people: number;
    pseudonyms: number;
  }> = await db.query(
    `SELECT e.kind, sum(e.count)::int AS count, count(*)::int AS records, sum(e.minutes)::int AS minutes,
            (SELECT count(*)::int FROM active_members a WHERE a.circle_id = $1 AND a.cycle = $2 AND a.kind = e.kind) AS people,
            (SELECT count(*)::int FROM helped_people h WHERE h.circle_id = $1 AND h.cycle = $2 AND h.kind = e.kind) AS pseudonyms
     FROM sovereignty_events e WHERE e.circle_id = $1 AND e.cycle = $2 GROUP BY e.kind`,
    [circleId, cycle],
  );
  const [{ active }]: Array<{ active: number }> = await db.query(
    `SELECT count(DISTINCT member_id)::int AS active FROM active_members WHERE circle_id = $1 AND cycle = $2`,
    [circleId, cycle],
  );
  return {
    kinds: kinds.flatMap((row) => (isSovereigntyEventKind(row.kind) ? [{ ...row, kind: row.kind }] : [])),
    activeMembers: active,
  };
}

/** Serialises the closing of one circle's cycle with the events counted in it, so neither misses the other. */
async function lockCycleScore(manager: Queryable, circleId: string, cycle: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `sovereignty-score:${circleId}:${cycle}`,
  ]);
}

async function keptFiguresOf(db: Queryable, circleId: string, cycle: string): Promise<PublishedFigures | undefined> {
  const rows: Array<{ figures: PublishedFigures }> = await db.query(
    `SELECT figures FROM cycle_scores WHERE circle_id = $1 AND cycle = $2`,
    [circleId, cycle],
  );
  return rows[0]?.figures;
}

/**
 * Publishes an ended cycle's figures once: computed from the ledger and kept (the cycle's score,
 * and, when the circle existed in it, one row per published figure for comparisons and trends).
 * Once kept they never change; run again, it returns them as they were. Events that arrive later
 * count in a later cycle (`cycleToCountIn`).
 */
export async function closeCycleScore(
  manager: EntityManager,
  circleId: string,
  cycle: string,
  now: Date,
  isComparable = true,
): Promise<PublishedFigures> {
  await lockCycleScore(manager, circleId, cycle);
  const kept = await keptFiguresOf(manager, circleId, cycle);
  if (kept) return kept;
  const figures = publishFigures(await tallyCycle(manager, circleId, cycle));
  await manager.query(`INSERT INTO cycle_scores (circle_id, cycle, figures, computed_at) VALUES ($1, $2, $3, $4)`, [
    circleId,
    cycle,
    figures,
    now,
  ]);
  if (!isComparable) return figures;
  const published = sovereigntyMetrics.filter((metric) => figures[metric] !== null);
  await manager.query(
    `INSERT INTO published_figures (circle_id, metric, cycle, value) SELECT $1, m.metric, $2, m.value FROM unnest($3::text[], $4::float8[]) AS m(metric, value)`,
    [circleId, cycle, published, published.map((metric) => figures[metric])],
  );
  return figures;
}

/**
 * The cycle an event of `named` counts in: that cycle while its figures are unpublished, otherwise
 * the first later cycle whose figures are not (the current one, or an ended one not yet closed).
 * Returns with that cycle's lock held, so it cannot be published before the event's transaction ends.
 */
export async function cycleToCountIn(manager: Queryable, circleId: string, named: LunarCycle): Promise<LunarCycle> {
  const rows: Array<{ cycle: string }> = await manager.query(
    `SELECT cycle FROM cycle_scores WHERE circle_id = $1 AND cycle >= $2`,
    [circleId, named.label],
  );
  const kept = new Set(rows.map((row) => row.cycle));
  let cycle = named;
  for (;;) {
    while (kept.has(cycle.label)) cycle = followingCycle(cycle);
    await lockCycleScore(manager, circleId, cycle.label);
    // Closed while we waited for the lock: the next one, then.
    if (!(await keptFiguresOf(manager, circleId, cycle.label))) return cycle;
    kept.add(cycle.label);
  }
}

/**
 * Publishes, for each of the circles, the ended cycles among `cycles` whose figures are not kept yet
 * (the cycle job has not reached them), so that nobody ever reads an ended cycle's figure that could
 * still change. Only circles the service knows (real circles, not any id a reader sends) are closed;
 * an empty cycle that ended before the service first heard of the circle is kept for its score but
 * joins no comparison or trend (the circle was not there), as the cycle job never sees it.
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
  const missing: Array<{ circle_id: string; cycle: string; first_seen_at: Date; has_events: boolean }> = await db.query(
    `SELECT k.circle_id, c.cycle, k.first_seen_at,
            EXISTS (SELECT 1 FROM sovereignty_events e WHERE e.circle_id = k.circle_id AND e.cycle = c.cycle) AS has_events
     FROM known_circles k CROSS JOIN unnest($2::text[]) AS c(cycle)
     WHERE k.circle_id = ANY($1::uuid[])
       AND NOT EXISTS (SELECT 1 FROM cycle_scores s WHERE s.circle_id = k.circle_id AND s.cycle = c.cycle)
     ORDER BY c.cycle`,
    [[...circleIds], ended.map((cycle) => cycle.label)],
  );
  const endOf = new Map(ended.map((cycle) => [cycle.label, cycle.endsAt.getTime()]));
  for (const row of missing) {
    // An organizer may have recorded by hand into a cycle that ended before the service heard of the circle: it counts then.
    const isComparable = row.has_events || new Date(row.first_seen_at).getTime() < endOf.get(row.cycle)!;
    // Trends and comparisons read only comparable cycles: they need not keep the others.
    if (!isComparable && options.comparableOnly) continue;
    await db.transaction((manager) => closeCycleScore(manager, row.circle_id, row.cycle, now, isComparable));
  }
}

/** The kept figures of a circle's closed cycles among `cycles`, by cycle label. */
export async function keptScores(
  db: Queryable,
  circleId: string,
  cycles: string[],
): Promise<Map<string, PublishedFigures>> {
  const rows: Array<{ cycle: string; figures: PublishedFigures }> = await db.query(
    `SELECT cycle, figures FROM cycle_scores WHERE circle_id = $1 AND cycle = ANY($2::text[])`,
    [circleId, cycles],
  );
  return new Map(rows.map((row) => [row.cycle, row.figures]));
}

/**
 * The published figures of each of a circle's cycles: for an ended cycle, the ones kept when it was
 * published (publishing it now if nobody had); for the open one, counted live (members only, without
 * the kinds that describe someone's trouble, `publishOpenCycleFigures`). A
 * circle the service has never heard of has nothing in its ledger: its figures are counted (zeros).
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
