import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { checkedResponse, type ResponseDraft } from "../domain/proposals.js";
import { seatKindOf } from "../store/bodies.js";
import { lockProposalForResponse, upsertResponse } from "../store/proposals.js";
import { NO_PROPOSAL } from "./not-found.js";

export interface RespondInput extends ResponseDraft {
  proposalId: string;
}

/**
 * A seated member consents, stands aside, objects or vetoes, and may change it until voting closes.
 * The proposal is locked in share mode, so a response and the closing never cross.
 */
export const respond = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: RespondInput) {
    const { row, membership } = await requireOwned(
      caller,
      input.proposalId,
      (id) => context.proposals.load(id),
      NO_PROPOSAL,
    );
    const proposal = (await lockProposalForResponse(tx, row.id)) ?? row;
    // Whatever the seat's kind: every seated member's response counts the same way.
    const isSeated = (await seatKindOf(tx, proposal.bodyId, membership.memberId)) !== undefined;
    return { proposal, memberId: membership.memberId, isSeated };
  },
  decide: (input, { proposal, isSeated }, now) => checkedResponse(input, proposal, isSeated, now),
  async apply({ tx, now }, response, { proposal, memberId }) {
    await upsertResponse(tx, { ...response, proposal, memberId }, now);
    return proposal;
  },
});
