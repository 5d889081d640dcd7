import { asGiven, defineAction, requireMembership } from "@rhizome/kit";
import { withdraw } from "../store/caretakers.js";
import type { ToolsStep } from "./access.js";

/** Takes the member out of the pool for the next draws; a duo already drawn serves its cycle. */
export const withdrawAsCaretaker = defineAction({
  authorize: ({ caller }: ToolsStep, input: { circleId: string }) => requireMembership(caller, input.circleId),
  decide: asGiven,
  apply: async ({ tx, now }, input, membership) => {
    await withdraw(tx, membership.circleId, membership.memberId, now);
    return false;
  },
});
