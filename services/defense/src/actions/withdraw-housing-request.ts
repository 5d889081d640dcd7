import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { housingRequestWithdrawal } from "../domain/withdrawals.js";
import { lockRequestForWithdrawal, withdrawRequest } from "../store/housing.js";
import { requireOwnCommitment } from "./own-commitment-access.js";

const NO_OWN_REQUEST = "No housing request of yours with that id.";

/** The requester withdraws their request for a place to stay; a repeat changes nothing. */
export const withdrawHousingRequest = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, requestId: string) =>
    requireOwnCommitment(
      context,
      requestId,
      (id) => lockRequestForWithdrawal(tx, id),
      (row) => row.requesterMemberId,
      NO_OWN_REQUEST,
    ),
  decide: (_requestId: string, { row }) => housingRequestWithdrawal(row, row.suggestedMatches),
  apply: async ({ tx, now }, plan, { row }) => {
    if (plan === "unchanged") return row;
    return withdrawRequest(tx, row.id, now);
  },
});
