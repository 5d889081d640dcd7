import { randomUUID } from "node:crypto";
import { newestFirstRows, sqlRow, sqlRows, type InstantCursor, type Queryable } from "@rhizome/kit";
import type { HandOffStatus } from "../domain/hand-offs.js";

/** A tool passing from one member's hands to another's: proposed by one, confirmed by the other. */
export interface HandOffRow {
  id: string;
  circleId: string;
  toolId: string;
  fromMemberId: string;
  toMemberId: string;
  proposedByMemberId: string;
  status: HandOffStatus;
  proposedAt: Date;
  decidedAt: Date | null;
}

/** One link of a tool's chain of custody: who held it, from when until when (null: still). */
export interface CustodyRow {
  id: string;
  circleId: string;
  toolId: string;
  memberId: string;
  heldFrom: Date;
  heldUntil: Date | null;
  handOffId: string | null;
}

const HAND_OFF = `id, circle_id, tool_id, from_member_id, to_member_id, proposed_by_member_id, status, proposed_at, decided_at`;

export async function insertHandOff(
  tx: Queryable,
  handOff: { circleId: string; toolId: string; fromMemberId: string; toMemberId: string; proposedByMemberId: string },
  now: Date,
): Promise<HandOffRow> {
  const row = await sqlRow<HandOffRow>(
    tx,
    `INSERT INTO hand_offs (id, circle_id, tool_id, from_member_id, to_member_id, proposed_by_member_id, status, proposed_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'PROPOSED', $7) RETURNING ${HAND_OFF}`,
    [
      randomUUID(),
      handOff.circleId,
      handOff.toolId,
      handOff.fromMemberId,
      handOff.toMemberId,
      handOff.proposedByMemberId,
      now,
    ],
  );
  return row!;
}

export function handOffById(db: Queryable, id: string): Promise<HandOffRow | undefined> {
  return sqlRow<HandOffRow>(db, `SELECT ${HAND_OFF} FROM hand_offs WHERE id = $1`, [id]);
}

export function lockHandOff(tx: Queryable, id: string): Promise<HandOffRow | undefined> {
  return sqlRow<HandOffRow>(tx, `SELECT ${HAND_OFF} FROM hand_offs WHERE id = $1 FOR UPDATE`, [id]);
}

/** Confirms, declines or cancels a hand-off. */
export async function decideHandOff(tx: Queryable, id: string, status: HandOffStatus, now: Date): Promise<HandOffRow> {
  const row = await sqlRow<HandOffRow>(
    tx,
    `UPDATE hand_offs SET status = $2, decided_at = $3 WHERE id = $1 RETURNING ${HAND_OFF}`,
    [id, status, now],
  );
  return row!;
}

/** Cancels the tool's hand-off waiting for confirmation, if any (the tool is retired). */
export async function cancelPendingHandOffs(tx: Queryable, toolId: string, now: Date): Promise<void> {
  await tx.query(
    `UPDATE hand_offs SET status = 'CANCELLED', decided_at = $2 WHERE tool_id = $1 AND status = 'PROPOSED'`,
    [toolId, now],
  );
}

export function pendingHandOffsOf(db: Queryable, toolIds: string[]): Promise<HandOffRow[]> {
  return sqlRows<HandOffRow>(
    db,
    `SELECT ${HAND_OFF} FROM hand_offs WHERE tool_id = ANY($1::uuid[]) AND status = 'PROPOSED'`,
    [toolIds],
  );
}

/** Opens a link of the tool's custody: the member holds it from now. */
export async function openCustody(
  tx: Queryable,
  custody: { circleId: string; toolId: string; memberId: string; handOffId: string | null },
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO custody (id, circle_id, tool_id, member_id, held_from, hand_off_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [randomUUID(), custody.circleId, custody.toolId, custody.memberId, now, custody.handOffId],
  );
}

/** Closes the tool's open custody, which must be the giver's (the table allows one open spell per tool). */
export async function closeCustody(tx: Queryable, toolId: string, giverMemberId: string, now: Date): Promise<void> {
  const closed = await sqlRows<{ memberId: string }>(
    tx,
    `UPDATE custody SET held_until = $2 WHERE tool_id = $1 AND held_until IS NULL RETURNING member_id`,
    [toolId, now],
  );
  if (closed.length !== 1 || closed[0].memberId !== giverMemberId) {
    throw new Error(
      `Custody of tool ${toolId} was with ${closed.map((c) => c.memberId).join(", ") || "nobody"}, not with the giver ${giverMemberId}.`,
    );
  }
}

/** A tool's chain of custody, newest first. */
export function custodyOf(
  db: Queryable,
  toolId: string,
  after: InstantCursor | undefined,
  limit: number,
): Promise<CustodyRow[]> {
  const select = `id, circle_id, tool_id, member_id, held_from, held_until, hand_off_id`;
  const list = { select, from: "custody", instantColumn: "held_from", where: { tool_id: toolId } };
  return newestFirstRows<CustodyRow>(db, list, after, limit);
}
