import { forbidden, type Queryable } from "@rhizome/kit";
import type { DecidingProposal } from "../domain/pacts.js";
import { seatKindOf } from "../store/bodies.js";
import { isProposalUsedByPact } from "../store/pacts.js";
import { lockProposal, type ProposalRow } from "../store/proposals.js";

/** Only members seated in the body that decided a pact record it. */
export async function requireSeatedInPactBody(tx: Queryable, bodyId: string, memberId: string): Promise<void> {
  if (!(await seatKindOf(tx, bodyId, memberId)))
    throw forbidden("Only members seated in the body that decided it can record its pact.");
}

/** The deciding proposal, locked, with whether it was used for a pact already. */
export async function lockDecidingProposal(
  tx: Queryable,
  proposal: ProposalRow,
): Promise<ProposalRow & DecidingProposal> {
  const locked = (await lockProposal(tx, proposal.id)) ?? proposal;
  return { ...locked, isUsed: await isProposalUsedByPact(tx, proposal.id) };
}
