import { defineAction } from "@rhizome/kit";
import { decisionProblem } from "../domain/hand-offs.js";
import { decideHandOff } from "../store/hand-offs.js";
import { lockedHandOffOfParty, type ToolsStep } from "./access.js";

/** The proposer withdraws a pending hand-off (CANCELLED), or the other party turns it down (DECLINED). */
export const declineHandOff = defineAction({
  authorize: (step: ToolsStep, input: { handOffId: string }) => lockedHandOffOfParty(step, input.handOffId),
  decide: (input, { handOff, memberId }) =>
    decisionProblem(handOff.status) ?? {
      handOffId: handOff.id,
      status: handOff.proposedByMemberId === memberId ? ("CANCELLED" as const) : ("DECLINED" as const),
    },
  apply: ({ tx, now }, { handOffId, status }) => decideHandOff(tx, handOffId, status, now),
});
