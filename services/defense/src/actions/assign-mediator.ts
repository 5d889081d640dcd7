import { defineAction, isUuid, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { assignment } from "../domain/disputes.js";
import { offerMediation } from "../store/disputes.js";
import { requireLockedDispute } from "./dispute-access.js";

export interface AssignMediatorInput {
  disputeId: string;
  memberId: string;
}

/** A steward asks a member to mediate a dispute; they become its mediator once they consent (acceptMediation). */
export const assignMediator = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, input: AssignMediatorInput) =>
    requireLockedDispute(context, tx, input.disputeId, {
      rule: (_row, membership) => membership.roles.includes("steward"),
      refusal: "Only the circle's stewards assign mediators.",
    }),
  decide: (input: AssignMediatorInput, { row, status }) =>
    assignment({ value: input.memberId, isWellFormed: isUuid(input.memberId) }, { ...row, status }),
  apply: ({ tx, now }, { memberId }, { row, membership }) =>
    offerMediation(tx, row, memberId, membership.memberId, now),
});
