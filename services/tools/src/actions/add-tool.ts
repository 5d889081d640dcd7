import { defineAction, requireMembership } from "@rhizome/kit";
import { describeNewTool, type ToolDescriptionInput } from "../domain/catalogue.js";
import { insertTool } from "../store/catalogue.js";
import { openCustody } from "../store/hand-offs.js";
import { rememberMember } from "../store/members.js";
import type { ToolsStep } from "./access.js";

export interface AddToolInput extends ToolDescriptionInput {
  circleId: string;
}

/** Adds a tool to a circle's library: the member who adds it hosts it, and holds it first (the first link of its custody). */
export const addTool = defineAction({
  authorize: ({ caller }: ToolsStep, input: AddToolInput) => requireMembership(caller, input.circleId),
  decide: (input) => describeNewTool(input),
  apply: async ({ tx, now }, description, membership) => {
    await rememberMember(tx, membership.circleId, membership.memberId, now);
    const tool = await insertTool(
      tx,
      { ...description, circleId: membership.circleId, hostMemberId: membership.memberId },
      now,
    );
    await openCustody(
      tx,
      { circleId: tool.circleId, toolId: tool.id, memberId: tool.hostMemberId, handOffId: null },
      now,
    );
    return tool;
  },
});
