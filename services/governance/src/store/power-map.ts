import { randomUUID } from "node:crypto";
import { changedCount, sqlRow, sqlRows, type InstantCursor, type MemberBloc, type Queryable } from "@rhizome/kit";
import { newestFirst, rowsByIds } from "./pages.js";
import type { PowerFlow, PowerNodeKind } from "../domain/power-map.js";

/** A row of `power_nodes`, without its running counts. */
export interface PowerNodeRow {
  id: string;
  circleId: string;
  kind: PowerNodeKind;
  label: string;
  flows: PowerFlow[];
  createdAt: Date;
}

export const MAX_POWER_NODES_PER_CIRCLE = 200;

/** The new node, or undefined when the circle's map holds MAX_POWER_NODES_PER_CIRCLE already. */
export async function insertPowerNode(
  tx: Queryable,
  node: Omit<PowerNodeRow, "id" | "createdAt">,
  now: Date,
): Promise<PowerNodeRow | undefined> {
  return sqlRow<PowerNodeRow>(
    tx,
    `INSERT INTO power_nodes (id, circle_id, kind, label, flows, created_at)
     SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM power_nodes WHERE circle_id = $2) < $7 RETURNING *`,
    [randomUUID(), node.circleId, node.kind, node.label, node.flows, now, MAX_POWER_NODES_PER_CIRCLE],
  );
}

export async function powerNodesByIds(db: Queryable, ids: readonly string[]): Promise<PowerNodeRow[]> {
  return rowsByIds<PowerNodeRow>(db, "power_nodes", ids);
}

export async function powerNodesOfCircle(
  db: Queryable,
  circleId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<PowerNodeRow[]> {
  return newestFirst<PowerNodeRow>(db, "power_nodes", "created_at", { circle_id: circleId }, after, limit);
}

/**
 * Records that a node can arbitrarily say no to the member, once per member, and counts it under the
 * member's bloc. The member's id and their bloc are stored in different tables, with nothing linking
 * them. Answers false when the member had declared it already (nothing changes).
 */
export async function insertRelation(
  tx: Queryable,
  node: { id: string; circleId: string },
  memberId: string,
  bloc: MemberBloc,
): Promise<boolean> {
  const inserted = await sqlRows<{ nodeId: string }>(
    tx,
    `INSERT INTO power_relations (node_id, circle_id, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING node_id`,
    [node.id, node.circleId, memberId],
  );
  if (inserted.length === 0) return false;
  await tx.query(`UPDATE power_nodes SET declarations = declarations + 1 WHERE id = $1`, [node.id]);
  await tx.query(
    `INSERT INTO power_relation_counts (node_id, circle_id, bloc, members) VALUES ($1, $2, $3, 1)
     ON CONFLICT (node_id, bloc) DO UPDATE SET members = power_relation_counts.members + 1`,
    [node.id, node.circleId, bloc],
  );
  return true;
}

/** Withdraws the member's relation to a node and lowers their bloc's count; false when there was none. */
export async function removeRelation(
  tx: Queryable,
  node: { id: string },
  memberId: string,
  bloc: MemberBloc,
): Promise<boolean> {
  const deleted = await changedCount(tx, `DELETE FROM power_relations WHERE node_id = $1 AND member_id = $2`, [
    node.id,
    memberId,
  ]);
  if (deleted === 0) return false;
  await tx.query(`UPDATE power_nodes SET withdrawals = withdrawals + 1 WHERE id = $1`, [node.id]);
  await tx.query(
    `UPDATE power_relation_counts SET members = members - 1 WHERE node_id = $1 AND bloc = $2 AND members > 0`,
    [node.id, bloc],
  );
  return true;
}
