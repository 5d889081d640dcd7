import { cycleContaining, mayReplaceSnapshot, sqlRow, sqlRows, type CohortChanges, type Queryable } from "@rhizome/kit";

export interface PowerMapCounts {
  edge: number;
  advantaged: number;
}

/** A row of `power_map_snapshots`, without its node and circle; running counters as Postgres answers bigint. */
interface SnapshotRow extends PowerMapCounts {
  cycle: string;
  countedAt: Date;
  declarations: string;
  withdrawals: string;
}

/**
 * How many members a node can say no to, by bloc, as members may read it during the cycle that
 * contains `now`; undefined in the cycle the node was added in. Decided once per node and cycle, at
 * the first reading after the cycle began, under the kit's rule: the counts of that moment when a
 * cohort changed since the published counts (at least 5 declarations, and none or at least 5
 * withdrawals; a member's change of bloc is one of each), otherwise the published counts again.
 * Nothing a member does during a cycle changes what anyone reads in it. Locks the node's row, so run
 * it in a transaction.
 */
export async function powerMapSnapshotOf(
  tx: Queryable,
  node: { id: string; circleId: string; createdAt: Date },
  now: Date,
): Promise<PowerMapCounts | undefined> {
  const cycle = cycleContaining(now);
  if (node.createdAt.getTime() >= cycle.startsAt.getTime()) return undefined;
  const counters = await sqlRow<{ declarations: string; withdrawals: string }>(
    tx,
    `SELECT declarations, withdrawals FROM power_nodes WHERE id = $1 FOR UPDATE`,
    [node.id],
  );
  if (!counters) return undefined;
  const latest = await sqlRow<SnapshotRow>(
    tx,
    `SELECT cycle, counted_at, edge, advantaged, declarations, withdrawals FROM power_map_snapshots WHERE node_id = $1 ORDER BY counted_at DESC, cycle DESC LIMIT 1`,
    [node.id],
  );
  if (latest?.cycle === cycle.label) return { edge: latest.edge, advantaged: latest.advantaged };
  const changes: CohortChanges = latest
    ? {
        joined: Number(counters.declarations) - Number(latest.declarations),
        left: Number(counters.withdrawals) - Number(latest.withdrawals),
      }
    : { joined: 0, left: 0 };
  const published =
    !latest || mayReplaceSnapshot(changes)
      ? { countedAt: now, ...(await liveCounts(tx, node.id)), ...counters }
      : latest;
  await tx.query(
    `INSERT INTO power_map_snapshots (node_id, circle_id, cycle, counted_at, edge, advantaged, declarations, withdrawals) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (node_id, cycle) DO NOTHING`,
    [
      node.id,
      node.circleId,
      cycle.label,
      published.countedAt,
      published.edge,
      published.advantaged,
      published.declarations,
      published.withdrawals,
    ],
  );
  return { edge: published.edge, advantaged: published.advantaged };
}

/** The node's per-bloc counts as they stand. */
async function liveCounts(tx: Queryable, nodeId: string): Promise<PowerMapCounts> {
  const counts = await sqlRows<{ bloc: string; members: number }>(
    tx,
    `SELECT bloc, members FROM power_relation_counts WHERE node_id = $1`,
    [nodeId],
  );
  return {
    edge: counts.find((c) => c.bloc === "EDGE")?.members ?? 0,
    advantaged: counts.find((c) => c.bloc === "ADVANTAGED")?.members ?? 0,
  };
}
