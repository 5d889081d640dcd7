import { defineAction } from "@rhizome/kit";
import { proposal } from "../domain/hand-offs.js";
import { insertHandOff } from "../store/hand-offs.js";
import { rememberMember } from "../store/members.js";
import { lockedToolOfYourCircle, queueHeadAndPending, type ToolsStep } from "./access.js";

/** A member asks the holder for the tool (they must be next in the queue, or nobody waits); the holder confirms. */
export const requestHandOff = defineAction({
  authorize: async (step: ToolsStep, input: { toolId: string }) => {
    const { row: tool, membership } = await lockedToolOfYourCircle(step, input.toolId);
    return { tool, memberId: membership.memberId, ...(await queueHeadAndPending(step, tool.id)) };
  },
  decide: (input, { tool, memberId, queueHeadMemberId, hasPending }) =>
    tool.holderMemberId === memberId
      ? { problem: "You hold this tool already." }
      : proposal(tool, { fromMemberId: tool.holderMemberId, toMemberId: memberId, queueHeadMemberId, hasPending }),
  apply: async ({ tx, now }, proposed) => {
    await rememberMember(tx, proposed.circleId, proposed.toMemberId, now);
    return insertHandOff(tx, { ...proposed, proposedByMemberId: proposed.toMemberId }, now);
  },
});
