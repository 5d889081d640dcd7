import { defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { disputePlan } from "../domain/disputes.js";
import { openDispute as insertDispute } from "../store/disputes.js";

export interface OpenDisputeInput {
  circleId: string;
  parties: string[];
  summary: string;
}

/** A member asks the circle to mediate a dispute; the summary is sealed and the opener handles the case. */
export const openDispute = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: OpenDisputeInput) =>
    requireMembership(caller, input.circleId),
  decide: (input: OpenDisputeInput) => disputePlan(input),
  apply: ({ tx, now, context }, plan, { memberId }) => insertDispute(tx, context.vault, { ...plan, memberId }, now),
});
