import { cycleContaining, mayReplaceSnapshot, type CohortChanges } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import { blocInForceSql } from "./bloc-changes.js";
import type { BlocCounts } from "./members.js";

interface SnapshotSql {
  cycle: string;
  counted_at: Date;
  edge: number;
  advantaged: number;
}

/**
 * The bloc breakdown of a circle as members may read it during the cycle that contains `now`, or
 * undefined before the circle's first cycle has closed. Decided once per cycle, at the first
 * reading after it began: the counts of that moment when enough people joined or left since the
 * published counts (kit's mayReplaceSnapshot), otherwise the published counts again. Nothing a
 * member does during a cycle changes what anyone reads in it.
 */
export async function blocSnapshotOf(db: DataSource, circleId: string, now: Date): Promise<BlocCounts | undefined> {
  const cycle = cycleContaining(now);
  return db.transaction(async (manager) => {
    const [circle]: Array<{ created_at: Date }> = await manager.query(
      `SELECT created_at FROM circles WHERE id = $1 FOR UPDATE`,
      [circleId],
    );
    if (!circle || new Date(circle.created_at).getTime() >= cycle.startsAt.getTime()) return undefined;
    const [latest]: SnapshotSql[] = await manager.query(
      `SELECT cycle, counted_at, edge, advantaged FROM bloc_snapshots WHERE circle_id = $1 ORDER BY counted_at DESC, cycle DESC LIMIT 1`,
      [circleId],
    );
    if (latest?.cycle === cycle.label) return { edge: latest.edge, advantaged: latest.advantaged };

    const [now_]: Array<{ edge: string; advantaged: string; joined: string; left: string }> = await manager.query(
      `SELECT count(*) FILTER (WHERE left_at IS NULL AND bloc = 'EDGE') AS edge,
              count(*) FILTER (WHERE left_at IS NULL AND bloc = 'ADVANTAGED') AS advantaged,
              count(*) FILTER (WHERE joined_at > $2) AS joined,
              count(*) FILTER (WHERE left_at > $2) AS left
       FROM (SELECT m.joined_at, m.left_at, ${blocInForceSql("$3")} AS bloc FROM members m WHERE m.circle_id = $1 AND m.joined_at <= $3) AS m`,
      [circleId, latest?.counted_at ?? new Date(0), now],
    );
    // A member who changed bloc left one group and joined the other: both count as changes.
    const [changed]: Array<{ count: string }> = await manager.query(
      `SELECT count(DISTINCT member_id) AS count FROM bloc_changes WHERE circle_id = $1 AND effective_at > $2 AND effective_at <= $3`,
      [circleId, latest?.counted_at ?? new Date(0), now],
    );
    const changes: CohortChanges = {
      joined: Number(now_.joined) + Number(changed.count),
      left: Number(now_.left) + Number(changed.count),
    };
    const published =
      !latest || mayReplaceSnapshot(changes)
        ? { counted_at: now, edge: Number(now_.edge), advantaged: Number(now_.advantaged) }
        : { counted_at: latest.counted_at, edge: latest.edge, advantaged: latest.advantaged };
    await manager.query(
      `INSERT INTO bloc_snapshots (circle_id, cycle, counted_at, edge, advantaged) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (circle_id, cycle) DO NOTHING`,
      [circleId, cycle.label, published.counted_at, published.edge, published.advantaged],
    );
    return { edge: published.edge, advantaged: published.advantaged };
  });
}
