import { defineAction } from "@rhizome/kit";
import { cancellationProblem } from "../domain/reservations.js";
import { queueShrank } from "../store/catalogue.js";
import { tellReservationsClosed } from "../store/reservation-events.js";
import { cancelReservationRow, reservationById } from "../store/reservations.js";
import { lockToolOf, NO_SUCH_RESERVATION, requireYours, type ToolsStep } from "./access.js";

/** Takes the member out of the queue; those behind move up. */
export const cancelReservation = defineAction({
  authorize: async (step: ToolsStep, input: { reservationId: string }) => {
    const { row } = await requireYours(
      step.caller,
      input.reservationId,
      (id) => reservationById(step.tx, id),
      NO_SUCH_RESERVATION,
      (reservation, memberId) => reservation.memberId === memberId,
    );
    await lockToolOf(step, row.toolId);
    // Read again under the tool's lock: a hand-off may have fulfilled it meanwhile.
    return (await reservationById(step.tx, row.id))!;
  },
  decide: (input, reservation) => cancellationProblem(reservation.status) ?? reservation,
  apply: async ({ tx, now }, reservation) => {
    const cancelled = await cancelReservationRow(tx, reservation.id, now);
    await queueShrank(tx, reservation.toolId);
    await tellReservationsClosed(tx, reservation.circleId, [reservation.id], now);
    return cancelled;
  },
  emitsEvents: true,
});
