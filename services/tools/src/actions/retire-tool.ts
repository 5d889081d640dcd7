import { defineAction } from "@rhizome/kit";
import { retirementProblem } from "../domain/catalogue.js";
import { retireToolRow } from "../store/catalogue.js";
import { cancelPendingHandOffs } from "../store/hand-offs.js";
import { tellToolRetired } from "../store/notifications.js";
import { tellReservationsClosed } from "../store/reservation-events.js";
import { cancelQueueOf } from "../store/reservations.js";
import { lockedToolOfYourCircle, requireHostOrOrganizer, type ToolsStep } from "./access.js";

/** Retires a tool that is home with its host: pending hand-offs and the queue are closed with it, and those who waited are told. */
export const retireTool = defineAction({
  authorize: async (step: ToolsStep, input: { toolId: string }) => {
    const { row, membership } = await lockedToolOfYourCircle(step, input.toolId);
    requireHostOrOrganizer(row, membership);
    return row;
  },
  decide: (input, tool) => retirementProblem(tool) ?? tool,
  apply: async ({ tx, now }, tool) => {
    await cancelPendingHandOffs(tx, tool.id, now);
    const cancelled = await cancelQueueOf(tx, tool.id, now);
    // Whoever waited learns why their place is gone, instead of finding it vanished.
    await tellToolRetired(tx, tool, cancelled, now);
    await tellReservationsClosed(
      tx,
      tool.circleId,
      cancelled.map((reservation) => reservation.id),
      now,
    );
    return retireToolRow(tx, tool.id, now);
  },
});
