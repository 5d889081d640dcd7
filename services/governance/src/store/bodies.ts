import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { badInput, conflict, notFound, type InstantCursor } from "@rhizome/kit";
import { seatRefusal, type SeatCounts, type SeatKind } from "../domain/composition.js";
import type { DecisionRule } from "../domain/decision-rules.js";
import type { Queryable } from "./queryable.js";

export type BodyKind = "STEWARD_TEAM" | "ASSEMBLY";

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

export function bodyFromSql(raw: Record<string, unknown>): BodyRow {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    name: raw.name as string,
    kind: raw.kind as BodyKind,
    decisionRule: raw.decision_rule as DecisionRule,
    size: raw.size as number,
    quorumPercent: raw.quorum_percent as number,
    createdAt: raw.created_at as Date,
  };
}

export interface NewBody {
  circleId: string;
  name: string;
  kind: BodyKind;
  decisionRule: DecisionRule;
  size: number;
  quorumPercent: number;
  createdBy: string;
}

export async function createBody(db: DataSource, body: NewBody, now: Date): Promise<BodyRow> {
  const id = randomUUID();
  const rows: Array<Record<string, unknown>> = await db.query(
    `INSERT INTO bodies (id, circle_id, name, kind, decision_rule, size, quorum_percent, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (circle_id, name) DO NOTHING RETURNING *`,
    [id, body.circleId, body.name, body.kind, body.decisionRule, body.size, body.quorumPercent, body.createdBy, now],
  );
  if (rows.length === 0) throw conflict(`Your circle already has a body named "${body.name}".`);
  return bodyFromSql(rows[0]);
}

export async function bodiesByIds(db: Queryable, ids: readonly string[]): Promise<BodyRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(`SELECT * FROM bodies WHERE id = ANY($1::uuid[])`, [ids]);
  return raws.map(bodyFromSql);
}

export async function bodiesOfCircle(
  db: Queryable,
  circleId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<BodyRow[]> {
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM bodies WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [circleId, after?.at ?? null, after?.id ?? null, limit],
  );
  return raws.map(bodyFromSql);
}

/** Seat counts by kind for many bodies in one query (what composition is computed from). */
export async function seatCountsOf(db: Queryable, bodyIds: readonly string[]): Promise<SeatCounts[]> {
  const rows: Array<{ body_id: string; edge: string; advantaged: string }> = await db.query(
    `SELECT body_id, count(*) FILTER (WHERE kind = 'EDGE') AS edge, count(*) FILTER (WHERE kind = 'ADVANTAGED') AS advantaged
     FROM seats WHERE body_id = ANY($1::uuid[]) GROUP BY body_id`,
    [bodyIds],
  );
  const byBody = new Map(rows.map((r) => [r.body_id, { edge: Number(r.edge), advantaged: Number(r.advantaged) }]));
  return bodyIds.map((id) => byBody.get(id) ?? { edge: 0, advantaged: 0 });
}

/** The seat kind of each (body, member) asked for; undefined where the member holds no seat. */
export async function seatKindsOf(
  db: Queryable,
  keys: ReadonlyArray<{ bodyId: string; memberId: string }>,
): Promise<Array<SeatKind | undefined>> {
  const rows: Array<{ body_id: string; member_id: string; kind: SeatKind }> = await db.query(
    `SELECT s.body_id, s.member_id, s.kind FROM seats s JOIN unnest($1::uuid[], $2::uuid[]) AS k(body_id, member_id)
     ON s.body_id = k.body_id AND s.member_id = k.member_id`,
    [keys.map((k) => k.bodyId), keys.map((k) => k.memberId)],
  );
  const found = new Map(rows.map((r) => [`${r.body_id}/${r.member_id}`, r.kind]));
  return keys.map((k) => found.get(`${k.bodyId}/${k.memberId}`));
}

/** Who sits in each body (ids only, never their seat kind), for many bodies in one query. */
export async function seatHoldersOf(db: Queryable, bodyIds: readonly string[]): Promise<string[][]> {
  const rows: Array<{ body_id: string; member_id: string }> = await db.query(
    `SELECT body_id, member_id FROM seats WHERE body_id = ANY($1::uuid[]) ORDER BY taken_at, member_id`,
    [bodyIds],
  );
  return bodyIds.map((id) => rows.filter((r) => r.body_id === id).map((r) => r.member_id));
}

async function lockBody(db: Queryable, bodyId: string): Promise<BodyRow> {
  const rows: Array<Record<string, unknown>> = await db.query(`SELECT * FROM bodies WHERE id = $1 FOR UPDATE`, [
    bodyId,
  ]);
  if (!rows[0]) throw notFound("No body with that id in your circles.");
  return bodyFromSql(rows[0]);
}

/**
 * Seats a member, with the kind their private bloc gives them kept for the rules that count it. The
 * seat is never refused by bloc (only a full body refuses anyone), so taking one tells nobody anything.
 * The body row is locked first, so seats taken at the same moment never exceed its size. The seat
 * history records it, for the composition counted at the next new moon.
 */
export async function takeSeat(
  db: DataSource,
  bodyId: string,
  memberId: string,
  kind: SeatKind,
  now: Date,
): Promise<void> {
  await db.transaction(async (manager) => {
    const body = await lockBody(manager, bodyId);
    const [counts] = await seatCountsOf(manager, [bodyId]);
    const [current] = await seatKindsOf(manager, [{ bodyId, memberId }]);
    if (current) throw conflict("You already hold a seat in this body.");
    const refusal = seatRefusal(counts.edge + counts.advantaged, body.size);
    if (refusal) throw badInput(refusal);
    await manager.query(
      `INSERT INTO seats (body_id, circle_id, member_id, kind, taken_at) VALUES ($1, $2, $3, $4, $5)`,
      [bodyId, body.circleId, memberId, kind, now],
    );
    await manager.query(
      `INSERT INTO seat_history (body_id, circle_id, member_id, kind, taken_at) VALUES ($1, $2, $3, $4, $5)`,
      [bodyId, body.circleId, memberId, kind, now],
    );
    const [after] = await seatCountsOf(manager, [bodyId]);
    if (after.edge + after.advantaged > body.size) throw new Error("invariant: a seat exceeded the body's size");
  });
}

/** Frees the member's seat (and any role of the body they held). What the body may decide follows at the next new moon's count. */
export async function leaveSeat(db: DataSource, bodyId: string, memberId: string, now: Date): Promise<void> {
  await db.transaction(async (manager) => {
    await lockBody(manager, bodyId);
    const deleted: [unknown[], number] = await manager.query(
      `DELETE FROM seats WHERE body_id = $1 AND member_id = $2`,
      [bodyId, memberId],
    );
    if (deleted[1] === 0) throw badInput("You hold no seat in this body.");
    await manager.query(
      `UPDATE seat_history SET left_at = GREATEST(taken_at, $3) WHERE body_id = $1 AND member_id = $2 AND left_at IS NULL`,
      [bodyId, memberId, now],
    );
    await manager.query(
      `DELETE FROM role_holders h USING roles r WHERE h.role_id = r.id AND r.body_id = $1 AND h.member_id = $2`,
      [bodyId, memberId],
    );
  });
}
