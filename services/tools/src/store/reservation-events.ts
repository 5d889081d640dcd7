import { emitEvent, type Queryable } from "@rhizome/kit";

/**
 * A waiting reservation is a need on sovereignty's public board, counted by the tool's category;
 * the board learns the member's id only to count distinct people, never the tool or the queue.
 */
export async function tellReservationQueued(
  manager: Queryable,
  reservation: { id: string; circleId: string; memberId: string },
  category: string,
  now: Date,
): Promise<void> {
  await emitEvent(
    manager,
    "reservation.queued",
    { circleId: reservation.circleId, reservationId: reservation.id, memberId: reservation.memberId, category },
    now,
  );
}

/** Reservations that left their queue (fulfilled, cancelled, retired with their tool, or their member gone). */
export async function tellReservationsClosed(
  manager: Queryable,
  circleId: string,
  reservationIds: readonly string[],
  now: Date,
): Promise<void> {
  for (const reservationId of reservationIds)
    await emitEvent(manager, "reservation.closed", { circleId, reservationId }, now);
}
