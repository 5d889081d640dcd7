import { sqlRow, type Queryable } from "@rhizome/kit";
import type { BlocSnapshot, CountsSince } from "../domain/bloc.js";
import { blocInForceSql } from "./bloc-changes.js";

/** The circle's latest published bloc counts, undefined before the first. */
export function latestBlocSnapshot(tx: Queryable, circleId: string): Promise<BlocSnapshot | undefined> {
  return sqlRow<BlocSnapshot>(
    tx,
    `SELECT cycle, counted_at, edge, advantaged FROM bloc_snapshots WHERE circle_id = $1 ORDER BY counted_at DESC, cycle DESC LIMIT 1`,
    [circleId],
  );
}

/**
 * Present members per bloc in force at `now`, and how many joined, left or changed bloc after `since`
 * (a member who changed bloc left one group and joined the other: counted in both).
 */
export async function blocCountsSince(tx: Queryable, circleId: string, since: Date, now: Date): Promise<CountsSince> {
  const members = await sqlRow<{ edge: number; advantaged: number; joined: number; left: number }>(
    tx,
    `SELECT count(*) FILTER (WHERE left_at IS NULL AND bloc = 'EDGE')::int AS edge,
            count(*) FILTER (WHERE left_at IS NULL AND bloc = 'ADVANTAGED')::int AS advantaged,
            count(*) FILTER (WHERE joined_at > $2)::int AS joined,
            count(*) FILTER (WHERE left_at > $2)::int AS left
     FROM (SELECT m.joined_at, m.left_at, ${blocInForceSql("$3")} AS bloc FROM members m WHERE m.circle_id = $1 AND m.joined_at <= $3) AS m`,
    [circleId, since, now],
  );
  const changed = await sqlRow<{ count: number }>(
    tx,
    `SELECT count(DISTINCT member_id)::int AS count FROM bloc_changes WHERE circle_id = $1 AND effective_at > $2 AND effective_at <= $3`,
    [circleId, since, now],
  );
  if (!members || !changed) throw new Error("counting a circle's blocs returned no row");
  return { ...members, changedBloc: changed.count };
}

/** Records what members read during `snapshot.cycle`; the first reading of a cycle wins. */
export async function insertBlocSnapshot(tx: Queryable, circleId: string, snapshot: BlocSnapshot): Promise<void> {
  await tx.query(
    `INSERT INTO bloc_snapshots (circle_id, cycle, counted_at, edge, advantaged) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (circle_id, cycle) DO NOTHING`,
    [circleId, snapshot.cycle, snapshot.countedAt, snapshot.edge, snapshot.advantaged],
  );
}
