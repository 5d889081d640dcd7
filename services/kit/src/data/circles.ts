import type { EntityManager } from "typeorm";

type Queryable = Pick<EntityManager, "query">;

/**
 * The circles a service knows of, kept the same way in every service: the kit records each circle
 * the first time an event about it arrives (or the service itself first sees it). Lunar cycle jobs
 * fan out over this registry. `firstSeenAt` is when the circle's first event happened, so every
 * service agrees on a circle's first cycle however late it learned of it.
 */
export async function registerKnownCircle(db: Queryable, circleId: string, firstSeenAt: Date): Promise<void> {
  await db.query(
    `INSERT INTO known_circles (circle_id, first_seen_at) VALUES ($1, $2)
     ON CONFLICT (circle_id) DO UPDATE SET first_seen_at = LEAST(known_circles.first_seen_at, EXCLUDED.first_seen_at)`,
    [circleId, firstSeenAt],
  );
}

export const KNOWN_CIRCLES_PAGE_SIZE = 1_000;
const NO_CIRCLE = "00000000-0000-0000-0000-000000000000";

/** Known circles first seen before `seenBefore`, a page at a time, in id order. */
export async function* knownCirclePages(
  db: Queryable,
  seenBefore: Date,
  where: { excludeFinished?: { purpose: string; cycle: string } } = {},
): AsyncGenerator<string[]> {
  let after = NO_CIRCLE;
  const finished = where.excludeFinished;
  for (;;) {
    const rows: Array<{ circle_id: string }> = await db.query(
      `SELECT k.circle_id FROM known_circles k
       WHERE k.circle_id > $1 AND k.first_seen_at < $2
         AND ($4::text IS NULL OR NOT EXISTS (
           SELECT 1 FROM cycle_runs r WHERE r.purpose = $4 AND r.circle_id = k.circle_id AND r.cycle = $5 AND r.finished_at IS NOT NULL))
       ORDER BY k.circle_id LIMIT $3`,
      [after, seenBefore, KNOWN_CIRCLES_PAGE_SIZE, finished?.purpose ?? null, finished?.cycle ?? null],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => r.circle_id);
    if (rows.length < KNOWN_CIRCLES_PAGE_SIZE) return;
    after = rows[rows.length - 1].circle_id;
  }
}
