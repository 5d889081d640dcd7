import { randomUUID } from "node:crypto";
import { In, type DataSource } from "typeorm";
import { badInput, conflict, isUuid, membershipIn, notFound, type Caller } from "@rhizome/kit";
import { ReservationRow } from "../entities/reservation.js";
import { ToolRow } from "../entities/tool.js";
import { lockTool } from "./catalogue.js";
import { rememberMember } from "./members.js";
import { tellReservationQueued, tellReservationsClosed } from "./reservation-events.js";
import { librarySettingsOf } from "./settings.js";

export const NO_SUCH_RESERVATION = "No reservation with that id among yours.";

export interface PlacedReservation {
  reservation: ReservationRow;
  /** 1 when next in line. */
  place: number;
}

/**
 * Puts the member at the end of the tool's queue. The member is locked first (their cap counts open
 * reservations across tools), then the tool: reservations of one tool queue on its row lock, and
 * each takes the next number of its counter, so fifty at once get 1 to 50, no two alike, none skipped.
 */
export async function reserveTool(
  db: DataSource,
  toolId: string,
  caller: Caller,
  now: Date,
): Promise<PlacedReservation> {
  return db.transaction(async (manager) => {
    const circleOf = isUuid(toolId)
      ? await manager.getRepository(ToolRow).findOne({ where: { id: toolId }, select: { id: true, circleId: true } })
      : null;
    const member = circleOf && membershipIn(caller, circleOf.circleId);
    if (!circleOf || !member) throw notFound("No tool with that id in your circles.");
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`tools.member:${member.memberId}`]);
    const { tool } = await lockTool(manager, toolId, caller);
    if (tool.retiredAt) throw conflict("This tool is retired and can no longer be reserved.");
    if (tool.holderMemberId === member.memberId)
      throw badInput("You hold this tool already; there is nothing to reserve.");
    const [mine]: Array<{ waiting_here: number; waiting_anywhere: number }> = await manager.query(
      `SELECT count(*) FILTER (WHERE tool_id = $3)::int AS waiting_here, count(*)::int AS waiting_anywhere
       FROM reservations WHERE circle_id = $1 AND member_id = $2 AND status = 'WAITING'`,
      [tool.circleId, member.memberId, tool.id],
    );
    if (mine.waiting_here > 0) throw conflict("You are already in this tool's queue.");
    const { maxOpenReservations } = await librarySettingsOf(manager, tool.circleId);
    if (mine.waiting_anywhere >= maxOpenReservations) {
      throw badInput(
        `You already wait for ${mine.waiting_anywhere} tools, this circle's limit of open reservations (${maxOpenReservations}); cancel one first.`,
      );
    }
    await rememberMember(manager, tool.circleId, member.memberId, now);
    const reservation = Object.assign(new ReservationRow(), {
      id: randomUUID(),
      circleId: tool.circleId,
      toolId: tool.id,
      memberId: member.memberId,
      position: tool.reservationsTaken + 1,
      status: "WAITING",
      reservedAt: now,
      closedAt: null,
    });
    await manager.getRepository(ReservationRow).insert(reservation);
    await manager.query(
      `UPDATE tools SET reservations_taken = reservations_taken + 1, waiting_count = waiting_count + 1 WHERE id = $1`,
      [tool.id],
    );
    await tellReservationQueued(manager, reservation, tool.category, now);
    return { reservation, place: tool.waitingCount + 1 };
  });
}

/** Takes the member out of the queue; those behind move up. */
export async function cancelReservation(
  db: DataSource,
  reservationId: string,
  caller: Caller,
  now: Date,
): Promise<ReservationRow> {
  return db.transaction(async (manager) => {
    const found = isUuid(reservationId)
      ? await manager.getRepository(ReservationRow).findOneBy({ id: reservationId })
      : null;
    const member = found && membershipIn(caller, found.circleId);
    if (!found || !member || found.memberId !== member.memberId) throw notFound(NO_SUCH_RESERVATION);
    await lockTool(manager, found.toolId, caller);
    const reservation = await manager.getRepository(ReservationRow).findOneByOrFail({ id: reservationId });
    if (reservation.status !== "WAITING")
      throw conflict(`This reservation is ${reservation.status.toLowerCase()}; only a waiting one can be cancelled.`);
    Object.assign(reservation, { status: "CANCELLED", closedAt: now });
    await manager.getRepository(ReservationRow).save(reservation);
    await manager.query(`UPDATE tools SET waiting_count = waiting_count - 1 WHERE id = $1`, [reservation.toolId]);
    await tellReservationsClosed(manager, reservation.circleId, [reservation.id], now);
    return reservation;
  });
}

export function reservationsByIds(db: DataSource, ids: string[]): Promise<ReservationRow[]> {
  return db.getRepository(ReservationRow).findBy({ id: In(ids) });
}

/** The waiting reservations of these tools, first in line first. */
export function waitingReservations(db: DataSource, toolIds: string[]): Promise<ReservationRow[]> {
  return db
    .getRepository(ReservationRow)
    .find({ where: { toolId: In(toolIds), status: "WAITING" }, order: { toolId: "ASC", position: "ASC" } });
}

/** The member's place in the queue (1: next), or null unless waiting. */
export async function placeInQueue(db: DataSource, reservation: ReservationRow): Promise<number | null> {
  if (reservation.status !== "WAITING") return null;
  const [{ ahead }]: Array<{ ahead: number }> = await db.query(
    `SELECT count(*)::int AS ahead FROM reservations WHERE tool_id = $1 AND status = 'WAITING' AND position < $2`,
    [reservation.toolId, reservation.position],
  );
  return ahead + 1;
}

/** A member's waiting reservations in a circle, oldest first. */
export function waitingReservationsOfMember(
  db: DataSource,
  circleId: string,
  memberId: string,
): Promise<ReservationRow[]> {
  return db
    .getRepository(ReservationRow)
    .find({ where: { circleId, memberId, status: "WAITING" }, order: { reservedAt: "ASC", id: "ASC" } });
}
