import { defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { housingRequestPlan, type RequestNeeds } from "../domain/housing.js";
import { requestHousing as insertRequest } from "../store/housing.js";

export type RequestHousingInput = RequestNeeds & { circleId: string; contact: string };

/** A member asks for a place to stay; the contact is sealed. */
export const requestHousing = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: RequestHousingInput) =>
    requireMembership(caller, input.circleId),
  decide: (input: RequestHousingInput, _membership, now) => housingRequestPlan(input, now),
  apply: ({ tx, now, context }, plan, { memberId }) =>
    insertRequest(tx, context.vault, { ...plan, requesterMemberId: memberId }, now),
});
