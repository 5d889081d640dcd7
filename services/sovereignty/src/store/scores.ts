import type { EntityManager } from "typeorm";
import type { LunarCycle } from "@rhizome/kit";
import { isSovereigntyEventKind } from "../domain/kinds.js";
import { publishFigures, sovereigntyMetrics, type CycleTally, type PublishedFigures } from "../domain/scores.js";

type Queryable = Pick<EntityManager, "query">;

/** Everything a circle's cycle adds up to, before suppression: a few index range reads. */
export async function tallyCycle(db: Queryable, circleId: string, cycle: string): Promise<CycleTally> {
  const kinds: Array<{ kind: string; count: number; records: number; minutes: number; people: number }> = await db.query(
    `SELECT e.kind, sum(e.count)::int AS count, count(*)::int AS records, sum(e.minutes)::int AS minutes,
            (SELECT count(*)::int FROM active_members a WHERE a.circle_id = $1 AND a.cycle = $2 AND a.kind = e.kind) AS people
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

/** Serialises the closing of one circle's cycle, so a late event and the cycle job never miss each other. */
async function lockCycleScore(manager: Queryable, circleId: string, cycle: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sovereignty-score:${circleId}:${cycle}`]);
}

/**
 * Computes an ended cycle's published figures and keeps them (the cycle's score, and one row per
 * published figure for comparisons). Idempotent: run again, it writes the same figures.
 */
export async function closeCycleScore(manager: EntityManager, circleId: string, cycle: string, now: Date): Promise<PublishedFigures> {
  await lockCycleScore(manager, circleId, cycle);
  const figures = publishFigures(await tallyCycle(manager, circleId, cycle));
  await manager.query(
    `INSERT INTO cycle_scores (circle_id, cycle, figures, computed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (circle_id, cycle) DO UPDATE SET figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at`,
    [circleId, cycle, figures, now],
  );
  await manager.query(`DELETE FROM published_figures WHERE circle_id = $1 AND cycle = $2`, [circleId, cycle]);
  const published = sovereigntyMetrics.filter((metric) => figures[metric] !== null);
  await manager.query(
    `INSERT INTO published_figures (circle_id, metric, cycle, value) SELECT $1, m.metric, $2, m.value FROM unnest($3::text[], $4::float8[]) AS m(metric, value)`,
    [circleId, cycle, published, published.map((metric) => figures[metric])],
  );
  return figures;
}

/**
 * After an event of `cycle` was written: if the cycle has ended (by `now`) or was already closed,
 * its kept figures are recomputed in the same transaction, so an event that arrives after the new
 * moon (debts annulled at the boundary, a late confirmation) still counts.
 */
export async function amendEndedCycle(manager: EntityManager, circleId: string, cycle: LunarCycle, now: Date): Promise<void> {
  await lockCycleScore(manager, circleId, cycle.label);
  const hasEnded = cycle.endsAt.getTime() <= now.getTime();
  const kept: unknown[] = hasEnded ? [] : await manager.query(`SELECT 1 FROM cycle_scores WHERE circle_id = $1 AND cycle = $2`, [circleId, cycle.label]);
  if (hasEnded || kept.length > 0) await closeCycleScore(manager, circleId, cycle.label, now);
}

/** The kept figures of a circle's closed cycles among `cycles`, by cycle label. */
export async function keptScores(db: Queryable, circleId: string, cycles: string[]): Promise<Map<string, PublishedFigures>> {
  const rows: Array<{ cycle: string; figures: PublishedFigures }> = await db.query(
    `SELECT cycle, figures FROM cycle_scores WHERE circle_id = $1 AND cycle = ANY($2::text[])`,
    [circleId, cycles],
  );
  return new Map(rows.map((row) => [row.cycle, row.figures]));
}

/**
 * The published figures of each of a circle's cycles: kept ones for closed cycles, counted live for
 * the open one (and for an ended cycle its job has not closed yet, with the same rules).
 */
export async function figuresOfCycles(db: Queryable, circleId: string, cycles: readonly LunarCycle[]): Promise<Map<string, PublishedFigures>> {
  const kept = await keptScores(
    db,
    circleId,
    cycles.map((cycle) => cycle.label),
  );
  const figures = new Map<string, PublishedFigures>();
  for (const cycle of cycles) figures.set(cycle.label, kept.get(cycle.label) ?? publishFigures(await tallyCycle(db, circleId, cycle.label)));
  return figures;
}
