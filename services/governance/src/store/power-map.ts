import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { conflict, notFound, type MemberBloc } from "@rhizome/kit";
import type { PowerFlow, PowerNodeKind } from "../domain/power-map.js";
import type { Queryable } from "./queryable.js";

export interface PowerNodeRow {
  id: string;
  circleId: string;
  kind: PowerNodeKind;
  label: string;
  flows: PowerFlow[];
  createdAt: Date;
}

function nodeFromSql(raw: Record<string, unknown>): PowerNodeRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    kind: raw.kind as PowerNodeKind,
    label: raw.label as string,
    flows: raw.flows as PowerFlow[],
    createdAt: raw.created_at as Date,
  };
}

export const MAX_POWER_NODES_PER_CIRCLE = 200;

export async function addPowerNode(
  db: Queryable,
  node: Omit<PowerNodeRow, "id" | "createdAt">,
  now: Date,
): Promise<PowerNodeRow> {
  const rows: Array<Record<string, unknown>> = await db.query(
    `INSERT INTO power_nodes (id, circle_id, kind, label, flows, created_at)
     SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM power_nodes WHERE circle_id = $2) < $7 RETURNING *`,
    [randomUUID(), node.circleId, node.kind, node.label, node.flows, now, MAX_POWER_NODES_PER_CIRCLE],
  );
  if (!rows[0]) throw conflict(`A circle's power map holds at most ${MAX_POWER_NODES_PER_CIRCLE} nodes.`);
  return nodeFromSql(rows[0]);
}

export async function powerNodesByIds(db: Queryable, ids: readonly string[]): Promise<PowerNodeRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM power_nodes WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
  return raws.map(nodeFromSql);
}

export async function powerNodesOfCircle(
  db: Queryable,
  circleId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<PowerNodeRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM power_nodes WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid)) ORDER BY created_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(nodeFromSql);
}

/**
 * Records that a node can arbitrarily say no to the member, once per member, and counts it under the
 * member's bloc. The member's id and their bloc are stored in different tables, with nothing linking them.
 */
export async function declareRelation(
  db: DataSource,
  node: PowerNodeRow,
  memberId: string,
  bloc: MemberBloc,
): Promise<void> {
  await db.transaction(async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO power_relations (node_id, circle_id, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING node_id`,
      [node.id, node.circleId, memberId],
    );
    if (inserted.length === 0) throw conflict("You already declared this relation.");
    await manager.query(`UPDATE power_nodes SET declarations = declarations + 1 WHERE id = $1`, [node.id]);
    await manager.query(
      `INSERT INTO power_relation_counts (node_id, circle_id, bloc, members) VALUES ($1, $2, $3, 1)
       ON CONFLICT (node_id, bloc) DO UPDATE SET members = power_relation_counts.members + 1`,
      [node.id, node.circleId, bloc],
    );
  });
}

/** Withdraws the member's relation to a node (their bloc, asked again of network, says which count to lower). */
export async function withdrawRelation(
  db: DataSource,
  node: PowerNodeRow,
  memberId: string,
  bloc: MemberBloc,
): Promise<void> {
  await db.transaction(async (manager) => {
    const deleted = (await manager.query(`DELETE FROM power_relations WHERE node_id = $1 AND member_id = $2`, [
      node.id,
      memberId,
    ])) as [unknown[], number];
    if (deleted[1] === 0) throw notFound("You have not declared this relation.");
    await manager.query(`UPDATE power_nodes SET withdrawals = withdrawals + 1 WHERE id = $1`, [node.id]);
    await manager.query(
      `UPDATE power_relation_counts SET members = members - 1 WHERE node_id = $1 AND bloc = $2 AND members > 0`,
      [node.id, bloc],
    );
  });
}

export async function relationCountsOf(
  db: Queryable,
  nodeIds: readonly string[],
): Promise<Array<{ edge: number; advantaged: number }>> {
  const rows: Array<{ node_id: string; bloc: MemberBloc; members: number }> = await db.query(
    `SELECT node_id, bloc, members FROM power_relation_counts WHERE node_id = ANY($1::uuid[])`,
    [nodeIds],
  );
  return nodeIds.map((id) => ({
    edge: rows.find((r) => r.node_id === id && r.bloc === "EDGE")?.members ?? 0,
    advantaged: rows.find((r) => r.node_id === id && r.bloc === "ADVANTAGED")?.members ?? 0,
  }));
}
