import { defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { disbursementRequestPlan, type Purpose } from "../domain/fund.js";
import { requestDisbursement as insertRequest } from "../store/fund.js";

export interface RequestDisbursementInput {
  circleId: string;
  amountMinor: number;
  currency: string;
  purpose: Purpose;
  reason: string;
}

/** A member asks the fund for money for themself; the reason is sealed. */
export const requestDisbursement = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: RequestDisbursementInput) =>
    requireMembership(caller, input.circleId),
  decide: (input: RequestDisbursementInput) => disbursementRequestPlan(input),
  apply: ({ tx, now, context }, input, membership) =>
    insertRequest(tx, context.vault, { ...input, memberId: membership.memberId }, now),
});
