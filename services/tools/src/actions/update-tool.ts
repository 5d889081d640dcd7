import { defineAction } from "@rhizome/kit";
import { toolChangeProblem, type ToolChanges } from "../domain/catalogue.js";
import { changeTool } from "../store/catalogue.js";
import { tellReservationQueued } from "../store/reservation-events.js";
import { waitingOfTool } from "../store/reservations.js";
import { lockedToolOfYourCircle, requireHostOrOrganizer, type ToolsStep } from "./access.js";

export interface UpdateToolInput {
  toolId: string;
  /** Already normalised (domain `toolChanges`): checked before the tool is looked up. */
  changes: ToolChanges;
}

/**
 * Changes what the host says about a tool. Leaving NEEDS_REPAIR takes a recorded repair, not an
 * edit. A new category is announced again for each waiting reservation (the needs board counts by it).
 */
export const updateTool = defineAction({
  authorize: async (step: ToolsStep, input: UpdateToolInput) => {
    const { row, membership } = await lockedToolOfYourCircle(step, input.toolId);
    requireHostOrOrganizer(row, membership);
    return row;
  },
  decide: (input, tool) => toolChangeProblem(tool, input.changes) ?? input.changes,
  apply: async ({ tx, now }, changes, before) => {
    const tool = await changeTool(tx, before.id, changes, now);
    if (tool.category !== before.category) {
      for (const reservation of await waitingOfTool(tx, tool.id))
        await tellReservationQueued(tx, reservation, tool.category, now);
    }
    return tool;
  },
});
