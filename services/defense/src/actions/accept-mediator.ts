import { defineAction, isRefusal, isUuid, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { appointment } from "../domain/disputes.js";
import { appointMediator, hasPendingOffer } from "../store/disputes.js";
import { requireLockedDispute } from "./dispute-access.js";

export interface AcceptMediatorInput {
  disputeId: string;
  memberId: string;
}

/** The opener accepts a member's offer to mediate: they become its mediator and read its summary and notes. */
export const acceptMediator = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, input: AcceptMediatorInput) => {
    const dispute = await requireLockedDispute(context, tx, input.disputeId, {
      rule: (row, membership) => row.openedByMemberId === membership.memberId,
      refusal: "Only whoever opened a dispute accepts its mediators.",
    });
    const memberIdWellFormed = isUuid(input.memberId);
    const isPending = memberIdWellFormed && (await hasPendingOffer(tx, dispute.row.id, input.memberId, "offered"));
    return { ...dispute, offer: { memberIdWellFormed, isPending } };
  },
  decide: (input: AcceptMediatorInput, { status, offer }) => {
    const appointed = appointment("offered", { status }, offer);
    return isRefusal(appointed) ? appointed : { ...appointed, memberId: input.memberId };
  },
  apply: ({ tx, now }, { from, memberId }, { row }) => appointMediator(tx, row, memberId, from, now),
});
