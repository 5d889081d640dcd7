import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { ReservationStatus } from "../domain/reservations.js";

/** A member's place in a tool's queue; `position` is the order of arrival, never reused. */
export interface ReservationRow {
  id: string;
  circleId: string;
  toolId: string;
  memberId: string;
  position: number;
  status: ReservationStatus;
  reservedAt: Date;
  closedAt: Date | null;
}

const RESERVATION = `id, circle_id, tool_id, member_id, position, status, reserved_at, closed_at`;

/**
 * Holds the member's queue lock for the rest of the transaction: their cap counts open reservations
 * across tools, so two of their reservations never count at once.
 */
export async function lockMemberQueues(tx: Queryable, memberId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`tools.member:${memberId}`]);
}

/** How many reservations the member has waiting for this tool, and for any tool of the circle. */
export async function waitingCountsOf(
  tx: Queryable,
  circleId: string,
  memberId: string,
  toolId: string,
): Promise<{ waitingHere: number; waitingAnywhere: number }> {
  const row = await sqlRow<{ waitingHere: number; waitingAnywhere: number }>(
    tx,
    `SELECT count(*) FILTER (WHERE tool_id = $3)::int AS waiting_here, count(*)::int AS waiting_anywhere
     FROM reservations WHERE circle_id = $1 AND member_id = $2 AND status = 'WAITING'`,
    [circleId, memberId, toolId],
  );
  return row!;
}

/** A waiting reservation with the given number of the tool's queue. */
export async function insertReservation(
  tx: Queryable,
  reservation: { circleId: string; toolId: string; memberId: string; position: number },
  now: Date,
): Promise<ReservationRow> {
  const row = await sqlRow<ReservationRow>(
    tx,
    `INSERT INTO reservations (id, circle_id, tool_id, member_id, position, status, reserved_at)
     VALUES ($1, $2, $3, $4, $5, 'WAITING', $6) RETURNING ${RESERVATION}`,
    [randomUUID(), reservation.circleId, reservation.toolId, reservation.memberId, reservation.position, now],
  );
  return row!;
}

export function reservationById(db: Queryable, id: string): Promise<ReservationRow | undefined> {
  return sqlRow<ReservationRow>(db, `SELECT ${RESERVATION} FROM reservations WHERE id = $1`, [id]);
}

export async function cancelReservationRow(tx: Queryable, id: string, now: Date): Promise<ReservationRow> {
  const row = await sqlRow<ReservationRow>(
    tx,
    `UPDATE reservations SET status = 'CANCELLED', closed_at = $2 WHERE id = $1 RETURNING ${RESERVATION}`,
    [id, now],
  );
  return row!;
}

/** Closes every waiting reservation of the tool (retired with it). */
export function cancelQueueOf(
  tx: Queryable,
  toolId: string,
  now: Date,
): Promise<Array<{ id: string; memberId: string }>> {
  return sqlRows<{ id: string; memberId: string }>(
    tx,
    `UPDATE reservations SET status = 'CANCELLED', closed_at = $2 WHERE tool_id = $1 AND status = 'WAITING' RETURNING id, member_id`,
    [toolId, now],
  );
}

/** Closes every waiting reservation of a member who left the circle. */
export function cancelQueuesOfMember(
  tx: Queryable,
  circleId: string,
  memberId: string,
  now: Date,
): Promise<Array<{ id: string; toolId: string }>> {
  return sqlRows<{ id: string; toolId: string }>(
    tx,
    `UPDATE reservations SET status = 'CANCELLED', closed_at = $3 WHERE circle_id = $1 AND member_id = $2 AND status = 'WAITING' RETURNING id, tool_id`,
    [circleId, memberId, now],
  );
}

/** The receiver's waiting reservation of the tool, fulfilled by the hand-off (none when nobody waited). */
export function fulfilReservation(
  tx: Queryable,
  toolId: string,
  memberId: string,
  now: Date,
): Promise<Array<{ id: string }>> {
  return sqlRows<{ id: string }>(
    tx,
    `UPDATE reservations SET status = 'FULFILLED', closed_at = $3 WHERE tool_id = $1 AND member_id = $2 AND status = 'WAITING' RETURNING id`,
    [toolId, memberId, now],
  );
}

/** Who waits for the tool, in order. */
export function waitingOfTool(
  tx: Queryable,
  toolId: string,
): Promise<Array<{ id: string; circleId: string; memberId: string }>> {
  return sqlRows(
    tx,
    `SELECT id, circle_id, member_id FROM reservations WHERE tool_id = $1 AND status = 'WAITING' ORDER BY position`,
    [toolId],
  );
}

/** The member first in the tool's queue, if anyone waits. */
export async function queueHead(tx: Queryable, toolId: string): Promise<string | undefined> {
  const head = await sqlRow<{ memberId: string }>(
    tx,
    `SELECT member_id FROM reservations WHERE tool_id = $1 AND status = 'WAITING' ORDER BY position LIMIT 1`,
    [toolId],
  );
  return head?.memberId;
}

/** A page of the tool's queue in order: the waiting reservations after `afterPosition`. */
export function queueAfter(
  db: Queryable,
  toolId: string,
  afterPosition: number,
  limit: number,
): Promise<ReservationRow[]> {
  return sqlRows<ReservationRow>(
    db,
    `SELECT ${RESERVATION} FROM reservations WHERE tool_id = $1 AND status = 'WAITING' AND position > $2 ORDER BY position LIMIT $3`,
    [toolId, afterPosition, limit],
  );
}

/** The member's place in the queue (1: next) of a waiting reservation. */
export async function placeInQueue(db: Queryable, reservation: { toolId: string; position: number }): Promise<number> {
  const row = await sqlRow<{ ahead: number }>(
    db,
    `SELECT count(*)::int AS ahead FROM reservations WHERE tool_id = $1 AND status = 'WAITING' AND position < $2`,
    [reservation.toolId, reservation.position],
  );
  return row!.ahead + 1;
}

/** A member's waiting reservations in a circle, oldest first. */
export function waitingReservationsOfMember(
  db: Queryable,
  circleId: string,
  memberId: string,
): Promise<ReservationRow[]> {
  return sqlRows<ReservationRow>(
    db,
    `SELECT ${RESERVATION} FROM reservations WHERE circle_id = $1 AND member_id = $2 AND status = 'WAITING' ORDER BY reserved_at, id`,
    [circleId, memberId],
  );
}
