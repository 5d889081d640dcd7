import { asGiven, defineAction, requireMembership } from "@rhizome/kit";
import { volunteer } from "../store/caretakers.js";
import { rememberMember } from "../store/members.js";
import type { ToolsStep } from "./access.js";

/** Puts the member in the pool the next caretaker duos are drawn from. */
export const volunteerAsCaretaker = defineAction({
  authorize: ({ caller }: ToolsStep, input: { circleId: string }) => requireMembership(caller, input.circleId),
  decide: asGiven,
  apply: async ({ tx, now }, input, membership) => {
    await rememberMember(tx, membership.circleId, membership.memberId, now);
    await volunteer(tx, membership.circleId, membership.memberId, now);
    return true;
  },
});
