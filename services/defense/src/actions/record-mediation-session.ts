import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { sessionPlan } from "../domain/disputes.js";
import { recordSession } from "../store/disputes.js";
import { MEDIATORS_ONLY, requireLockedDispute } from "./dispute-access.js";

export interface RecordMediationSessionInput {
  disputeId: string;
  heldAt: Date;
}

/** A mediator records a session once it has been held. */
export const recordMediationSession = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, input: RecordMediationSessionInput) =>
    requireLockedDispute(context, tx, input.disputeId, MEDIATORS_ONLY),
  decide: (input: RecordMediationSessionInput, { status }, now) => sessionPlan(input.heldAt, { status }, now),
  apply: ({ tx }, { heldAt }, { row, membership }) => recordSession(tx, row, membership.memberId, heldAt),
});
