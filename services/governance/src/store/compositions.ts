import { cycleContaining, mayReplaceSnapshot, type CohortChanges } from "@rhizome/kit";
import { compositionHolds, type PublishedComposition } from "../domain/composition.js";
import type { Queryable } from "./queryable.js";

interface CompositionSql {
  cycle: string;
  counted_at: Date;
  seated: number;
  holds: boolean;
}

/**
 * A body's composition as members read it, and as it decides, during the cycle that contains `now`;
 * undefined until the body is first counted. Decided once per cycle and body from the seats as they
 * stood at the cycle's first instant (the new moon), never live, so nothing a member does during a
 * cycle changes what anyone reads in it, whenever they read. The one exception is a body's first
 * count, in the cycle it was created in: taken when its first proposal is put (isFirstProposal), from
 * the seats of that moment, and kept like any other. Under the kit's rule, a new count
 * replaces the published one only when the seats changed by a cohort since (kit's mayReplaceSnapshot:
 * at least 5 seats taken, and none or at least 5 left; a change of bloc is one seat left and one taken);
 * otherwise the published one stays, so comparing two counts never singles one member out. A body
 * that nobody sat in when it was first counted is counted again at the next new moon.
 */
export async function publishedCompositionOf(
  db: Queryable,
  body: { id: string; circleId: string; createdAt: Date },
  now: Date,
  options: { isFirstProposal?: boolean } = {},
): Promise<PublishedComposition | undefined> {
  const cycle = cycleContaining(now);
  const [latest]: CompositionSql[] = await db.query(
    `SELECT cycle, counted_at, seated, holds FROM body_compositions WHERE body_id = $1 ORDER BY counted_at DESC, cycle DESC LIMIT 1`,
    [body.id],
  );
  if (latest?.cycle === cycle.label) return { seated: latest.seated, holds: latest.holds };
  const isCreatedThisCycle = body.createdAt.getTime() >= cycle.startsAt.getTime();
  if (isCreatedThisCycle && !(options.isFirstProposal && !latest)) return undefined;

  // A body's first count is taken at the new moon after it was created, or at its first proposal if
  // that comes first (so a new body can decide at once); every later one at a new moon.
  const countedAt = isCreatedThisCycle ? now : cycle.startsAt;
  const [seats]: Array<{ edge: string; advantaged: string; joined: string; left: string }> = await db.query(
    `SELECT count(*) FILTER (WHERE taken_at <= $2 AND (left_at IS NULL OR left_at > $2) AND kind = 'EDGE') AS edge,
            count(*) FILTER (WHERE taken_at <= $2 AND (left_at IS NULL OR left_at > $2) AND kind = 'ADVANTAGED') AS advantaged,
            count(*) FILTER (WHERE taken_at > $3 AND taken_at <= $2) AS joined,
            count(*) FILTER (WHERE left_at > $3 AND left_at <= $2) AS left
     FROM seat_history WHERE body_id = $1`,
    [body.id, countedAt, latest?.counted_at ?? new Date(0)],
  );
  const counts = { edge: Number(seats.edge), advantaged: Number(seats.advantaged) };
  const changes: CohortChanges = { joined: Number(seats.joined), left: Number(seats.left) };
  const isReplaced = !latest || latest.seated === 0 || mayReplaceSnapshot(changes);
  const published = isReplaced
    ? { counted_at: countedAt, seated: counts.edge + counts.advantaged, holds: compositionHolds(counts) }
    : { counted_at: latest.counted_at, seated: latest.seated, holds: latest.holds };
  await db.query(
    `INSERT INTO body_compositions (body_id, circle_id, cycle, counted_at, seated, holds) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (body_id, cycle) DO NOTHING`,
    [body.id, body.circleId, cycle.label, published.counted_at, published.seated, published.holds],
  );
  const [stored]: CompositionSql[] = await db.query(
    `SELECT cycle, counted_at, seated, holds FROM body_compositions WHERE body_id = $1 AND cycle = $2`,
    [body.id, cycle.label],
  );
  return { seated: stored.seated, holds: stored.holds };
}

/** The published compositions of many bodies: one query when the cycle's are counted already (the usual case), else each counted once. */
export async function publishedCompositionsOf(
  db: Queryable,
  bodies: ReadonlyArray<{ id: string; circleId: string; createdAt: Date }>,
  now: Date,
): Promise<Array<PublishedComposition | undefined>> {
  const cycle = cycleContaining(now);
  const rows: Array<{ body_id: string; seated: number; holds: boolean }> = await db.query(
    `SELECT body_id, seated, holds FROM body_compositions WHERE body_id = ANY($1::uuid[]) AND cycle = $2`,
    [bodies.map((b) => b.id), cycle.label],
  );
  const counted = new Map(rows.map((r) => [r.body_id, { seated: r.seated, holds: r.holds }]));
  const published: Array<PublishedComposition | undefined> = [];
  for (const body of bodies) published.push(counted.get(body.id) ?? (await publishedCompositionOf(db, body, now)));
  return published;
}
