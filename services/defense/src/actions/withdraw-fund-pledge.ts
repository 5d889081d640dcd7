import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { fundPledgeWithdrawal } from "../domain/withdrawals.js";
import { lockFundPledgeForWithdrawal, withdrawFundPledge as markWithdrawn } from "../store/fund.js";
import { requireOwnCommitment } from "./own-commitment-access.js";

const NO_OWN_PLEDGE = "No fund pledge of yours with that id.";

/** A member withdraws a promise of money the fund has not received anything against; a repeat changes nothing. */
export const withdrawFundPledge = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, pledgeId: string) =>
    requireOwnCommitment(
      context,
      pledgeId,
      (id) => lockFundPledgeForWithdrawal(tx, id),
      (row) => row.memberId,
      NO_OWN_PLEDGE,
    ),
  decide: (_pledgeId: string, { row }) => fundPledgeWithdrawal(row, row.contributionsReceived),
  apply: async ({ tx, now }, plan, { row }) => {
    if (plan === "unchanged") return row;
    return markWithdrawn(tx, row.id, now);
  },
});
