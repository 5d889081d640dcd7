import { defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { housingPledgePlan, type PledgeTerms } from "../domain/housing.js";
import { pledgeHousing as insertPledge } from "../store/housing.js";

export type PledgeHousingInput = Omit<PledgeTerms, "committedPeople"> & {
  circleId: string;
  area?: string | null;
  contact: string;
};

/** A member offers a place to stay (capacity, dates, constraints; never an address); the contact is sealed. */
export const pledgeHousing = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: PledgeHousingInput) =>
    requireMembership(caller, input.circleId),
  decide: (input: PledgeHousingInput, _membership, now) => housingPledgePlan(input, now),
  apply: async ({ tx, now, context }, plan, { memberId }) => ({
    pledge: await insertPledge(tx, context.vault, { ...plan, hostMemberId: memberId }, now),
    memberId,
  }),
});
