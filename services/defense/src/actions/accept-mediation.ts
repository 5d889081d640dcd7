import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { appointment } from "../domain/disputes.js";
import { appointMediator, hasPendingOffer } from "../store/disputes.js";
import { requireLockedDispute } from "./dispute-access.js";

/** A member consents to mediate a dispute the stewards asked them to; only then they read its summary and notes. */
export const acceptMediation = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, disputeId: string) => {
    const dispute = await requireLockedDispute(context, tx, disputeId);
    const isPending = await hasPendingOffer(tx, dispute.row.id, dispute.membership.memberId, "assigned");
    return { ...dispute, offer: { memberIdWellFormed: true, isPending } };
  },
  decide: (_disputeId: string, { status, offer }) => appointment("assigned", { status }, offer),
  apply: ({ tx, now }, { from }, { row, membership }) => appointMediator(tx, row, membership.memberId, from, now),
});
