import { asGiven, defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { leaveResponders as markLeft } from "../store/responders.js";

/** A member stops being a responder of the circle: false if they were not one. */
export const leaveResponders = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, circleId: string) => requireMembership(caller, circleId),
  decide: asGiven,
  apply: ({ tx, now }, circleId: string, membership) => markLeft(tx, circleId, membership.memberId, now),
});
