import { defineAction, isUuid, requireRole, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { contributionPlan } from "../domain/fund.js";
import { heldBalances, lockAccounts, pledgeCurrency, postContribution } from "../store/fund.js";

export interface RecordContributionInput {
  circleId: string;
  amountMinor: number;
  currency: string;
  pledgeId?: string | null;
  idempotencyKey?: string | null;
}

/** A steward records money the fund received (once per idempotency key); answers what the fund now holds. */
export const recordContribution = defineAction({
  authorize: async ({ caller, tx }: ActionStep<DefenseContext>, input: RecordContributionInput) => {
    const membership = requireRole(caller, input.circleId, "steward");
    const idWellFormed = !input.pledgeId || isUuid(input.pledgeId);
    const currency =
      input.pledgeId && idWellFormed ? await pledgeCurrency(tx, input.circleId, input.pledgeId) : undefined;
    return { membership, pledge: { idWellFormed, currency } };
  },
  decide: (input: RecordContributionInput, { pledge }) => contributionPlan(input, pledge),
  apply: async ({ tx, now }, input, { membership }) => {
    const accounts = await lockAccounts(tx, input.circleId, input.currency);
    await postContribution(tx, accounts, { ...input, stewardMemberId: membership.memberId }, now);
    return heldBalances(tx, input.circleId);
  },
});
