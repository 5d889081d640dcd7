import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { paymentPlan } from "../domain/fund.js";
import { lockAccounts, postDisbursement } from "../store/fund.js";
import { requireLockedRequest } from "./fund-access.js";

/** A steward records that an approved request was paid (once): the ledger moves and `crisis.buffered` is emitted. */
export const recordDisbursement = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, requestId: string) => {
    const { request, membership } = await requireLockedRequest(context, tx, requestId);
    const accounts = await lockAccounts(tx, request.circleId, request.currency);
    return { request, membership, accounts };
  },
  decide: (_requestId: string, { request, accounts }) => paymentPlan(request, accounts.HELD.balance),
  apply: async ({ tx, now, context }, { pay }, { request, membership, accounts }) =>
    pay ? postDisbursement(tx, context.vault, request, accounts, membership.memberId, now) : request,
  emitsEvents: true,
});
