import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { adoptionSunset } from "../domain/pacts.js";
import { insertPact } from "../store/pacts.js";
import { NO_PROPOSAL } from "./not-found.js";
import { lockDecidingProposal, requireSeatedInPactBody } from "./pact-access.js";

export interface AdoptPactInput {
  proposalId: string;
  sunsetAt: Date;
}

/**
 * A seated member of the deciding body adopts a pact from a passed proposal (one pact per proposal),
 * with its sunset. The sunset's job is scheduled on the queue (Redis) from the transaction; a job that
 * fires for a pact that never committed lapses nothing, and the sweep lapses it anyway.
 */
export const adoptPact = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: AdoptPactInput) {
    const { row, membership } = await requireOwned(
      caller,
      input.proposalId,
      (id) => context.proposals.load(id),
      NO_PROPOSAL,
    );
    await requireSeatedInPactBody(tx, row.bodyId, membership.memberId);
    return lockDecidingProposal(tx, row);
  },
  decide: (input, proposal, now) => adoptionSunset(proposal, input.sunsetAt, now),
  async apply({ context, tx, now }, sunsetAt, proposal) {
    const pact = await insertPact(tx, proposal, sunsetAt, now);
    await context.deadlines.lapsePactAt(pact.id, pact.sunsetAt, now);
    return pact;
  },
});
