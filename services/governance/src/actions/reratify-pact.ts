import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { reratificationSunset } from "../domain/pacts.js";
import { lockPact, moveSunset } from "../store/pacts.js";
import { NO_PACT, NO_PROPOSAL } from "./not-found.js";
import { lockDecidingProposal, requireSeatedInPactBody } from "./pact-access.js";

export interface ReratifyPactInput {
  pactId: string;
  proposalId: string;
  sunsetAt: Date;
}

/**
 * A seated member re-ratifies an active pact before its sunset, by a new passed proposal of the same
 * body, moving the sunset later. The new sunset's job is scheduled on the queue (Redis) from the
 * transaction; the sweep lapses pacts whatever the queue holds.
 */
export const reratifyPact = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, input: ReratifyPactInput) {
    const { row, membership } = await requireOwned(caller, input.pactId, (id) => context.pacts.load(id), NO_PACT);
    const owned = await requireOwned(caller, input.proposalId, (id) => context.proposals.load(id), NO_PROPOSAL);
    await requireSeatedInPactBody(tx, row.bodyId, membership.memberId);
    const pact = (await lockPact(tx, row.id)) ?? row;
    return { pact, proposal: await lockDecidingProposal(tx, owned.row) };
  },
  decide: (input, { pact, proposal }, now) => reratificationSunset(pact, proposal, input.sunsetAt, now),
  async apply({ context, tx, now }, sunsetAt, { pact, proposal }) {
    const updated = await moveSunset(tx, pact, proposal.id, sunsetAt, now);
    await context.deadlines.lapsePactAt(updated.id, updated.sunsetAt, now);
    return updated;
  },
});
