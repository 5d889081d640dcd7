import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { closedDispute } from "../domain/disputes.js";
import { offerMediation as insertOffer } from "../store/disputes.js";
import { requireLockedDispute } from "./dispute-access.js";

/** A member offers to mediate a dispute they did not open; they read nothing of it until its opener accepts. */
export const offerMediation = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, disputeId: string) =>
    requireLockedDispute(context, tx, disputeId, {
      rule: (row, membership) => row.openedByMemberId !== membership.memberId,
      refusal: "Whoever opened a dispute does not mediate it.",
    }),
  decide: (_disputeId: string, dispute) => closedDispute(dispute.status) ?? dispute,
  apply: ({ tx, now }, { row, membership }) => insertOffer(tx, row, membership.memberId, null, now),
});
