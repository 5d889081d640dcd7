import { defineAction, requireRole, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { agreementText } from "../domain/agreement.js";
import { publishAgreement as insertAgreement } from "../store/agreements.js";

export interface PublishAgreementInput {
  circleId: string;
  text: string;
}

/** An organizer publishes the next version of the circle's solidarity agreement. */
export const publishAgreement = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: PublishAgreementInput) =>
    requireRole(caller, input.circleId, "organizer"),
  decide: (input: PublishAgreementInput) => agreementText(input.text),
  apply: async ({ tx, now }, text: string, membership) => ({
    agreement: await insertAgreement(tx, membership.circleId, membership.memberId, text, now),
    memberId: membership.memberId,
  }),
});
