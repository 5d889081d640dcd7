import { defineAction, isRefusal, notFound, requireId, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import type { ContactKind, Shift } from "../domain/alerts.js";
import { responderOffer } from "../domain/responders.js";
import { branchInCircle, joinResponders as upsertResponder, lockResponderOfMember } from "../store/responders.js";

const NO_BRANCH = "No branch with that id in this circle.";

export interface JoinRespondersInput {
  circleId: string;
  branchId: string;
  contactKind: ContactKind;
  contact?: string | null;
  shifts: Shift[];
}

/** A member joins (or changes their place among) the circle's responders; the contact is sealed. */
export const joinResponders = defineAction({
  authorize: async ({ caller, tx }: ActionStep<DefenseContext>, input: JoinRespondersInput) => {
    const membership = requireMembership(caller, input.circleId);
    requireId(input.branchId, NO_BRANCH);
    if (!(await branchInCircle(tx, input.circleId, input.branchId))) throw notFound(NO_BRANCH);
    // A member responds in one circle: their row elsewhere reads like a branch they cannot see.
    const existing = await lockResponderOfMember(tx, membership.memberId);
    if (existing && existing.circleId !== input.circleId) throw notFound(NO_BRANCH);
    return { membership, existingId: existing?.id };
  },
  decide: (input: JoinRespondersInput) => {
    const offer = responderOffer(input);
    return isRefusal(offer) ? offer : { ...input, contact: offer.contact };
  },
  apply: ({ tx, now, context }, offer, { membership, existingId }) =>
    upsertResponder(tx, context.vault, { ...offer, id: existingId, memberId: membership.memberId }, now),
});
