import { defineAction, requireOwned } from "@rhizome/kit";
import { reservationProblem } from "../domain/reservations.js";
import { circleOfTool, queueGrew } from "../store/catalogue.js";
import { rememberMember } from "../store/members.js";
import { tellReservationQueued } from "../store/reservation-events.js";
import { insertReservation, lockMemberQueues, waitingCountsOf } from "../store/reservations.js";
import { librarySettingsOf } from "../store/settings.js";
import { lockToolOf, NO_SUCH_TOOL, type ToolsStep } from "./access.js";

/**
 * Puts the member at the end of the tool's queue. The member is locked first (their cap counts open
 * reservations across tools), then the tool: reservations of one tool queue on its row lock, and
 * each takes the next number of its counter, so fifty at once get 1 to 50, no two alike, none skipped.
 */
export const reserveTool = defineAction({
  authorize: async (step: ToolsStep, input: { toolId: string }) => {
    // The tool's circle names the member, whose lock comes before the tool's: read it unlocked first.
    const { membership } = await requireOwned(
      step.caller,
      input.toolId,
      (id) => circleOfTool(step.tx, id),
      NO_SUCH_TOOL,
    );
    await lockMemberQueues(step.tx, membership.memberId);
    const tool = await lockToolOf(step, input.toolId);
    const waiting = await waitingCountsOf(step.tx, tool.circleId, membership.memberId, tool.id);
    const { maxOpenReservations } = await librarySettingsOf(step.tx, tool.circleId);
    return { tool, memberId: membership.memberId, ...waiting, maxOpenReservations };
  },
  decide: (input, situation) => reservationProblem(situation) ?? situation,
  apply: async ({ tx, now }, { tool, memberId }) => {
    await rememberMember(tx, tool.circleId, memberId, now);
    const reservation = await insertReservation(
      tx,
      { circleId: tool.circleId, toolId: tool.id, memberId, position: tool.reservationsTaken + 1 },
      now,
    );
    await queueGrew(tx, tool.id);
    await tellReservationQueued(tx, reservation, tool.category, now);
    return { reservation, place: tool.waitingCount + 1 };
  },
  emitsEvents: true,
});
