import { followingCycle, sqlRow, sqlRows, type LunarCycle, type Queryable } from "@rhizome/kit";
import { isSovereigntyEventKind } from "../domain/kinds.js";
import { publishFigures, sovereigntyMetrics, type CycleTally, type PublishedFigures } from "../domain/scores.js";

/** The published figures of an ended cycle (table `cycle_scores`), kept when it closes and never changed. */
export interface CycleScoreRow {
  circleId: string;
  cycle: string;
  figures: PublishedFigures;
  computedAt: Date;
}

/** Everything a circle's cycle adds up to, before suppression: a few index range reads. */
export async function tallyCycle(db: Queryable, circleId: string, cycle: string): Promise<CycleTally> {
  const kinds = await sqlRows<{
    kind: string;
    count: number;
    records: number;
    minutes: number;
    people: number;
    pseudonyms: number;
  }>(
    db,
    `SELECT e.kind, sum(e.count)::int AS count, count(*)::int AS records, sum(e.minutes)::int AS minutes,
            (SELECT count(*)::int FROM active_members a WHERE a.circle_id = $1 AND a.cycle = $2 AND a.kind = e.kind) AS people,
            (SELECT count(*)::int FROM helped_people h WHERE h.circle_id = $1 AND h.cycle = $2 AND h.kind = e.kind) AS pseudonyms
     FROM sovereignty_events e WHERE e.circle_id = $1 AND e.cycle = $2 GROUP BY e.kind`,
    [circleId, cycle],
  );
  const members = await sqlRow<{ active: number }>(
    db,
    `SELECT count(DISTINCT member_id)::int AS active FROM active_members WHERE circle_id = $1 AND cycle = $2`,
    [circleId, cycle],
  );
  return {
    kinds: kinds.flatMap((row) => (isSovereigntyEventKind(row.kind) ? [{ ...row, kind: row.kind }] : [])),
    activeMembers: members?.active ?? 0,
  };
}

/** Serialises the closing of one circle's cycle with the events counted in it, so neither misses the other. */
async function lockCycleScore(tx: Queryable, circleId: string, cycle: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sovereignty-score:${circleId}:${cycle}`]);
}

async function keptFiguresOf(db: Queryable, circleId: string, cycle: string): Promise<PublishedFigures | undefined> {
  const row = await sqlRow<Pick<CycleScoreRow, "figures">>(
    db,
    `SELECT figures FROM cycle_scores WHERE circle_id = $1 AND cycle = $2`,
    [circleId, cycle],
  );
  return row?.figures;
}

/**
 * Publishes an ended cycle's figures once: computed from the ledger and kept (the cycle's score,
 * and, when the circle existed in it, one row per published figure for comparisons and trends).
 * Once kept they never change; run again, it returns them as they were. Events that arrive later
 * count in a later cycle (`cycleToCountIn`).
 */
export async function closeCycleScore(
  tx: Queryable,
  circleId: string,
  cycle: string,
  now: Date,
  isComparable = true,
): Promise<PublishedFigures> {
  await lockCycleScore(tx, circleId, cycle);
  const kept = await keptFiguresOf(tx, circleId, cycle);
  if (kept) return kept;
  const figures = publishFigures(await tallyCycle(tx, circleId, cycle));
  await tx.query(`INSERT INTO cycle_scores (circle_id, cycle, figures, computed_at) VALUES ($1, $2, $3, $4)`, [
    circleId,
    cycle,
    figures,
    now,
  ]);
  if (!isComparable) return figures;
  const published = sovereigntyMetrics.filter((metric) => figures[metric] !== null);
  await tx.query(
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
export async function cycleToCountIn(tx: Queryable, circleId: string, named: LunarCycle): Promise<LunarCycle> {
  const rows = await sqlRows<Pick<CycleScoreRow, "cycle">>(
    tx,
    `SELECT cycle FROM cycle_scores WHERE circle_id = $1 AND cycle >= $2`,
    [circleId, named.label],
  );
  const kept = new Set(rows.map((row) => row.cycle));
  let cycle = named;
  for (;;) {
    while (kept.has(cycle.label)) cycle = followingCycle(cycle);
    await lockCycleScore(tx, circleId, cycle.label);
    // Closed while we waited for the lock: the next one, then.
    if (!(await keptFiguresOf(tx, circleId, cycle.label))) return cycle;
    kept.add(cycle.label);
  }
}

/** An ended cycle of a known circle whose figures are not kept yet. */
export interface UnpublishedCycle {
  circleId: string;
  cycle: string;
  /** When the service first heard of the circle. */
  firstSeenAt: Date;
  /** Whether anything was recorded in the cycle (an organizer may record by hand into a cycle before that). */
  hasEvents: boolean;
}

/**
 * Of the circles and ended cycles named, those whose figures are not kept yet, oldest cycle first.
 * Only circles the service knows (real circles, not any id a reader sends) are answered.
 */
export function unpublishedCycles(
  db: Queryable,
  circleIds: readonly string[],
  endedCycles: readonly string[],
): Promise<UnpublishedCycle[]> {
  return sqlRows<UnpublishedCycle>(
    db,
    `SELECT k.circle_id, c.cycle, k.first_seen_at,
            EXISTS (SELECT 1 FROM sovereignty_events e WHERE e.circle_id = k.circle_id AND e.cycle = c.cycle) AS has_events
     FROM known_circles k CROSS JOIN unnest($2::text[]) AS c(cycle)
     WHERE k.circle_id = ANY($1::uuid[])
       AND NOT EXISTS (SELECT 1 FROM cycle_scores s WHERE s.circle_id = k.circle_id AND s.cycle = c.cycle)
     ORDER BY c.cycle`,
    [[...circleIds], [...endedCycles]],
  );
}

/** The kept figures of a circle's closed cycles among `cycles`, by cycle label. */
export async function keptScores(
  db: Queryable,
  circleId: string,
  cycles: string[],
): Promise<Map<string, PublishedFigures>> {
  const rows = await sqlRows<Pick<CycleScoreRow, "cycle" | "figures">>(
    db,
    `SELECT cycle, figures FROM cycle_scores WHERE circle_id = $1 AND cycle = ANY($2::text[])`,
    [circleId, cycles],
  );
  return new Map(rows.map((row) => [row.cycle, row.figures]));
}
