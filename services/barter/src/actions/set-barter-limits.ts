import { defineAction, requireRole, type Membership } from "@rhizome/kit";
import { balanceLimitsProblem, type BalanceLimits } from "../domain/balance-limits.js";
import { limitRefusal } from "../domain/confirmation.js";
import type { BarterContext } from "../context.js";
import { updateBalanceLimits } from "../store/settings.js";
import { lockActingMember } from "./acting-member.js";

export interface SetBarterLimitsInput extends BalanceLimits {
  circleId: string;
}

/**
 * An organizer sets the circle's balance floor and ceiling. Their account is opened first, so the
 * circle's settings row exists. Existing balances stay as they are.
 */
export const setBarterLimits = defineAction<BarterContext, SetBarterLimitsInput, Membership, BalanceLimits, void>({
  authorize: ({ caller }, input) => requireRole(caller, input.circleId, "organizer"),
  decide: (input) => limitRefusal(balanceLimitsProblem(input)) ?? input,
  apply: async ({ tx, now }, limits, organizer) => {
    await lockActingMember(tx, organizer, now);
    await updateBalanceLimits(tx, organizer.circleId, limits, now);
  },
});
