import { asGiven, defineAction, notFound, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { addSignature, agreementVersion } from "../store/agreements.js";

export interface SignAgreementInput {
  circleId: string;
  version: number;
}

/** A member signs a version of the circle's agreement; signing twice changes nothing. */
export const signAgreement = defineAction({
  authorize: async ({ caller, tx }: ActionStep<DefenseContext>, input: SignAgreementInput) => {
    const membership = requireMembership(caller, input.circleId);
    const agreement = await agreementVersion(tx, input.circleId, input.version);
    if (!agreement) throw notFound(`The circle has no agreement version ${input.version}.`);
    return { membership, agreement };
  },
  decide: asGiven,
  apply: async ({ tx, now }, _input, { membership, agreement }) => {
    await addSignature(tx, agreement, membership.memberId, now);
    return { agreement, memberId: membership.memberId };
  },
});
