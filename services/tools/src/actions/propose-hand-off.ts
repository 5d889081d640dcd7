import { defineAction, forbidden, isUuid } from "@rhizome/kit";
import { proposal } from "../domain/hand-offs.js";
import { insertHandOff } from "../store/hand-offs.js";
import { isCurrentMember, rememberMember } from "../store/members.js";
import { lockedToolOfYourCircle, queueHeadAndPending, type ToolsStep } from "./access.js";

/** The holder offers the tool to a member; it changes hands when they confirm. */
export const proposeHandOff = defineAction({
  authorize: async (step: ToolsStep, input: { toolId: string; toMemberId: string }) => {
    const { row: tool, membership } = await lockedToolOfYourCircle(step, input.toolId);
    if (tool.holderMemberId !== membership.memberId)
      throw forbidden("Only the member who holds this tool can hand it on; ask them, or use requestHandOff.");
    const receiverIsMember =
      isUuid(input.toMemberId) && (await isCurrentMember(step.tx, tool.circleId, input.toMemberId));
    return { tool, memberId: membership.memberId, receiverIsMember, ...(await queueHeadAndPending(step, tool.id)) };
  },
  decide: (input, { tool, memberId, receiverIsMember, queueHeadMemberId, hasPending }) =>
    receiverIsMember
      ? proposal(tool, { fromMemberId: memberId, toMemberId: input.toMemberId, queueHeadMemberId, hasPending })
      : { problem: "The receiving member is not a member of this tool's circle (toMemberId)." },
  apply: async ({ tx, now }, proposed) => {
    await rememberMember(tx, proposed.circleId, proposed.fromMemberId, now);
    return insertHandOff(tx, { ...proposed, proposedByMemberId: proposed.fromMemberId }, now);
  },
});
