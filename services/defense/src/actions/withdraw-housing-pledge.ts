import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { housingPledgeWithdrawal } from "../domain/withdrawals.js";
import { housingPledgeById, lockPledgeForWithdrawal, withdrawPledge } from "../store/housing.js";
import { requireOwnCommitment } from "./own-commitment-access.js";

const NO_OWN_PLEDGE = "No housing pledge of yours with that id.";

/** The host withdraws their housing pledge: it leaves every requester's suggestions; a repeat changes nothing. */
export const withdrawHousingPledge = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, pledgeId: string) =>
    requireOwnCommitment(
      context,
      pledgeId,
      (id) => lockPledgeForWithdrawal(tx, id),
      (row) => row.hostMemberId,
      NO_OWN_PLEDGE,
    ),
  decide: (_pledgeId: string, { row }) => housingPledgeWithdrawal(row, row.suggestedMatches),
  apply: async ({ tx, now }, plan, { row, membership }) => {
    const pledge = plan === "withdraw" ? await withdrawPledge(tx, row.id, now) : await housingPledgeById(tx, row.id);
    return { pledge: pledge!, memberId: membership.memberId };
  },
});
