import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { resolutionPlan } from "../domain/disputes.js";
import { resolveDispute as recordOutcome } from "../store/disputes.js";
import { MEDIATORS_ONLY, requireLockedDispute } from "./dispute-access.js";

export interface ResolveDisputeInput {
  disputeId: string;
  outcome: "AGREEMENT" | "NO_AGREEMENT";
  policeInvolved: boolean;
}

/** A mediator records how the dispute ended, after at least one session; an agreement without police emits `dispute.mediated`. */
export const resolveDispute = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, input: ResolveDisputeInput) =>
    requireLockedDispute(context, tx, input.disputeId, MEDIATORS_ONLY),
  decide: (input: ResolveDisputeInput, { row, status }) => resolutionPlan(input, { ...row, status }),
  apply: ({ tx, now, context }, resolution, { row }) => recordOutcome(tx, context.vault, row, resolution, now),
  emitsEvents: true,
});
