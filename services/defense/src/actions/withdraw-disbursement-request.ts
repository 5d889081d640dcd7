import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { disbursementRequestWithdrawal } from "../domain/withdrawals.js";
import { lockRequest, withdrawDisbursementRequest as markWithdrawn } from "../store/fund.js";
import { requireOwnCommitment } from "./own-commitment-access.js";

const NO_OWN_REQUEST = "No request to the fund of yours with that id.";

/** The recipient withdraws a request to the fund the stewards have not decided; a repeat changes nothing. */
export const withdrawDisbursementRequest = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, requestId: string) =>
    requireOwnCommitment(
      context,
      requestId,
      (id) => lockRequest(tx, id),
      (row) => row.recipientMemberId,
      NO_OWN_REQUEST,
    ),
  decide: (_requestId: string, { row }) => disbursementRequestWithdrawal(row),
  apply: async ({ tx, now }, plan, { row }) => {
    if (plan === "unchanged") return row;
    return markWithdrawn(tx, row.id, now);
  },
});
