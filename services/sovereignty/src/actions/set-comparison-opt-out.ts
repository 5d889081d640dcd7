import { asGiven, defineAction, requireRole, type ActionStep } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { upsertComparisonOptOut } from "../store/comparison.js";

export interface SetComparisonOptOutInput {
  circleId: string;
  isOptedOut: boolean;
}

/** Organizers take their circle out of comparisons with other circles, or back in. */
export const setComparisonOptOut = defineAction({
  authorize: ({ caller }: ActionStep<SovereigntyContext>, input: SetComparisonOptOutInput) =>
    requireRole(caller, input.circleId, "organizer"),
  decide: asGiven<SetComparisonOptOutInput>,
  apply: async ({ tx, now }, input, membership) => {
    await upsertComparisonOptOut(tx, {
      circleId: input.circleId,
      isOptedOutOfComparison: input.isOptedOut,
      updatedBy: membership.memberId,
      updatedAt: now,
    });
    return { isOptedOutOfComparison: input.isOptedOut };
  },
});
