import {
  conflict,
  cycleContaining,
  defineAction,
  forbidden,
  notFound,
  requireMembership,
  type Membership,
} from "@rhizome/kit";
import { LEFT_THE_CIRCLE } from "../domain/confirmation.js";
import { isSameProposal, validateProposal, type Proposal, type ProposalDraft } from "../domain/exchanges.js";
import type { BarterContext } from "../context.js";
import { openMemberAccount } from "../store/accounts.js";
import { insertProposal, proposalWithKey, shareProposalParties, type ExchangeRow } from "../store/exchanges.js";

const NOT_A_MEMBER_HERE = "The other member is not a member of this circle's barter. Check the member id.";
const KEY_REUSED = "This idempotency key was already used for a different exchange; use a new key for a new exchange.";

export interface ProposeExchangeInput extends ProposalDraft {
  circleId: string;
}

/**
 * A member proposes an exchange they take part in. With an idempotency key, a retry by the same
 * proposer returns the exchange the first attempt made instead of making a second one. The
 * parties' accounts are read only for a proposal the domain accepted, so a malformed one reports
 * its own problem first; both are held FOR SHARE so neither party can leave halfway through.
 */
export const proposeExchange = defineAction<BarterContext, ProposeExchangeInput, Membership, Proposal, ExchangeRow>({
  authorize: ({ caller }, input: ProposeExchangeInput): Membership => requireMembership(caller, input.circleId),
  decide: (input, membership) => {
    const result = validateProposal(input, membership.memberId);
    return "problem" in result ? result : result.proposal;
  },
  apply: async ({ tx, now }, proposal: Proposal, membership): Promise<ExchangeRow> => {
    const { circleId } = membership;
    await openMemberAccount(tx, circleId, proposal.proposerMemberId, now);
    const parties = await shareProposalParties(tx, circleId, [proposal.proposerMemberId, proposal.counterpartMemberId]);
    const proposer = parties.find((p) => p.memberId === proposal.proposerMemberId);
    const counterpart = parties.find((p) => p.memberId === proposal.counterpartMemberId);
    if (!proposer || proposer.closedAt) throw forbidden(LEFT_THE_CIRCLE);
    if (!counterpart || counterpart.closedAt) throw notFound(NOT_A_MEMBER_HERE);
    const inserted = await insertProposal(tx, circleId, proposal, now, cycleContaining(now).label);
    if (inserted) return inserted;
    const earlier = await proposalWithKey(tx, circleId, proposal.proposerMemberId, proposal.idempotencyKey ?? "");
    if (!earlier) throw new Error(`A proposal's idempotency key conflicted, but no exchange holds it.`);
    if (!isSameProposal(earlier, proposal)) throw conflict(KEY_REUSED);
    return earlier;
  },
});
