import { defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { amountOf } from "../domain/fund.js";
import { pledge as insertPledge } from "../store/fund.js";

export interface PledgeInput {
  circleId: string;
  amountMinor: number;
  currency: string;
}

/** A member promises money to the circle's fund. */
export const pledge = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: PledgeInput) => requireMembership(caller, input.circleId),
  decide: (input: PledgeInput) => amountOf(input),
  apply: ({ tx, now }, input, membership) => insertPledge(tx, { ...input, memberId: membership.memberId }, now),
});
