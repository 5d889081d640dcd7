import { randomUUID } from "node:crypto";
import { changedCount, sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirst, rowsByIds } from "./pages.js";
import type { SeatCounts, SeatKind } from "../domain/composition.js";
import type { DecisionRule } from "../domain/decision-rules.js";

export type BodyKind = "STEWARD_TEAM" | "ASSEMBLY";

/** A row of `bodies`. */
export interface BodyRow {
  id: string;
  circleId: string;
  name: string;
  kind: BodyKind;
  decisionRule: DecisionRule;
  size: number;
  quorumPercent: number;
  createdAt: Date;
}

/** A body to create: its row's fields but the id and instant, and who created it. */
export type NewBody = Omit<BodyRow, "id" | "createdAt"> & { createdBy: string };

/** The new body, or undefined when the circle already has a body of that name. */
export async function insertBody(tx: Queryable, body: NewBody, now: Date): Promise<BodyRow | undefined> {
  return sqlRow<BodyRow>(
    tx,
    `INSERT INTO bodies (id, circle_id, name, kind, decision_rule, size, quorum_percent, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (circle_id, name) DO NOTHING RETURNING *`,
    [
      randomUUID(),
      body.circleId,
      body.name,
      body.kind,
      body.decisionRule,
      body.size,
      body.quorumPercent,
      body.createdBy,
      now,
    ],
  );
}

export async function bodiesByIds(db: Queryable, ids: readonly string[]): Promise<BodyRow[]> {
  return rowsByIds<BodyRow>(db, "bodies", ids);
}

export async function bodiesOfCircle(
  db: Queryable,
  circleId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<BodyRow[]> {
  return newestFirst<BodyRow>(db, "bodies", "created_at", { circle_id: circleId }, after, limit);
}

/** Seat counts by kind for many bodies in one query (what composition is computed from). */
export async function seatCountsOf(db: Queryable, bodyIds: readonly string[]): Promise<SeatCounts[]> {
  const rows = await sqlRows<{ bodyId: string } & SeatCounts>(
    db,
    `SELECT body_id, (count(*) FILTER (WHERE kind = 'EDGE'))::int AS edge, (count(*) FILTER (WHERE kind = 'ADVANTAGED'))::int AS advantaged
     FROM seats WHERE body_id = ANY($1::uuid[]) GROUP BY body_id`,
    [bodyIds],
  );
  const byBody = new Map(rows.map((r) => [r.bodyId, { edge: r.edge, advantaged: r.advantaged }]));
  return bodyIds.map((id) => byBody.get(id) ?? { edge: 0, advantaged: 0 });
}

/** The seat kind of each (body, member) asked for; undefined where the member holds no seat. */
export async function seatKindsOf(
  db: Queryable,
  keys: ReadonlyArray<{ bodyId: string; memberId: string }>,
): Promise<Array<SeatKind | undefined>> {
  const rows = await sqlRows<{ bodyId: string; memberId: string; kind: SeatKind }>(
    db,
    `SELECT s.body_id, s.member_id, s.kind FROM seats s JOIN unnest($1::uuid[], $2::uuid[]) AS k(body_id, member_id)
     ON s.body_id = k.body_id AND s.member_id = k.member_id`,
    [keys.map((k) => k.bodyId), keys.map((k) => k.memberId)],
  );
  const found = new Map(rows.map((r) => [`${r.bodyId}/${r.memberId}`, r.kind]));
  return keys.map((k) => found.get(`${k.bodyId}/${k.memberId}`));
}

/** The member's seat kind in one body, or undefined. */
export async function seatKindOf(db: Queryable, bodyId: string, memberId: string): Promise<SeatKind | undefined> {
  return (await seatKindsOf(db, [{ bodyId, memberId }]))[0];
}

/** Who sits in each body (ids only, never their seat kind), for many bodies in one query. */
export async function seatHoldersOf(db: Queryable, bodyIds: readonly string[]): Promise<string[][]> {
  const rows = await sqlRows<{ bodyId: string; memberId: string }>(
    db,
    `SELECT body_id, member_id FROM seats WHERE body_id = ANY($1::uuid[]) ORDER BY taken_at, member_id`,
    [bodyIds],
  );
  return bodyIds.map((id) => rows.filter((r) => r.bodyId === id).map((r) => r.memberId));
}

/** Locks a body's row (seats taken at the same moment then never exceed its size); undefined when absent. */
export async function lockBody(tx: Queryable, bodyId: string): Promise<BodyRow | undefined> {
  return sqlRow<BodyRow>(tx, `SELECT * FROM bodies WHERE id = $1 FOR UPDATE`, [bodyId]);
}

/** Seats a member with the kind their bloc gives them; the seat history records it for the next new moon's count. */
export async function insertSeat(
  tx: Queryable,
  body: { id: string; circleId: string; size: number },
  memberId: string,
  kind: SeatKind,
  now: Date,
): Promise<void> {
  const values = [body.id, body.circleId, memberId, kind, now];
  await tx.query(
    `INSERT INTO seats (body_id, circle_id, member_id, kind, taken_at) VALUES ($1, $2, $3, $4, $5)`,
    values,
  );
  await tx.query(
    `INSERT INTO seat_history (body_id, circle_id, member_id, kind, taken_at) VALUES ($1, $2, $3, $4, $5)`,
    values,
  );
  const [after] = await seatCountsOf(tx, [body.id]);
  if (after.edge + after.advantaged > body.size) throw new Error("invariant: a seat exceeded the body's size");
}

/** Frees the member's seat (closing it in the seat history) and any role of the body they held; answers the seats freed. */
export async function removeSeat(tx: Queryable, bodyId: string, memberId: string, now: Date): Promise<number> {
  const freed = await changedCount(tx, `DELETE FROM seats WHERE body_id = $1 AND member_id = $2`, [bodyId, memberId]);
  if (freed === 0) return 0;
  await tx.query(
    `UPDATE seat_history SET left_at = GREATEST(taken_at, $3) WHERE body_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [bodyId, memberId, now],
  );
  await tx.query(
    `DELETE FROM role_holders h USING roles r WHERE h.role_id = r.id AND r.body_id = $1 AND h.member_id = $2`,
    [bodyId, memberId],
  );
  return freed;
}

/** Locks bodies in share mode while their proposals close, so none changes its rule meanwhile. */
export async function shareLockBodies(tx: Queryable, bodyIds: readonly string[]): Promise<BodyRow[]> {
  return sqlRows<BodyRow>(tx, `SELECT * FROM bodies WHERE id = ANY($1::uuid[]) FOR SHARE`, [bodyIds]);
}
