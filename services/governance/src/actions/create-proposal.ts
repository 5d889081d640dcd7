import { defineAction, forbidden, requireOwned, type ActionStep } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { checkedProposal, type ProposalDraft } from "../domain/proposals.js";
import { seatCountsOf } from "../store/bodies.js";
import { publishedCompositionOf } from "../store/compositions.js";
import { insertProposal } from "../store/proposals.js";
import { holdsPower } from "../store/roles.js";
import { NO_ARTICLE, NO_BODY } from "./not-found.js";

export interface CreateProposalInput extends ProposalDraft {
  bodyId: string;
}

/**
 * Puts a proposal to a body: the caller needs the power to open proposals there (its seated members,
 * or the holders of a role that grants it), and the body must be able to decide by its seats taken
 * and its published composition. Its closing is scheduled on the queue (Redis) from the transaction;
 * a job that fires for a proposal that never committed closes nothing, and the sweep closes it anyway.
 */
export const createProposal = defineAction({
  async authorize({ context, caller, tx, now }: ActionStep<GovernanceContext>, input: CreateProposalInput) {
    const { row: body, membership } = await requireOwned(
      caller,
      input.bodyId,
      (id) => context.bodies.load(id),
      NO_BODY,
    );
    const articleId = input.amendment?.articleId;
    if (articleId) await requireOwned(caller, articleId, (id) => context.articles.load(id), NO_ARTICLE);
    if (!(await holdsPower(tx, body.id, membership.memberId, "OPEN_PROPOSALS")))
      throw forbidden(
        "Only members seated in this body, or the holders of its role that opens proposals, can put proposals to it.",
      );
    const [seats] = await seatCountsOf(tx, [body.id]);
    const published = await publishedCompositionOf(tx, body, now);
    return { body, memberId: membership.memberId, seatedNow: seats.edge + seats.advantaged, published };
  },
  decide: (input, access, now) => checkedProposal(input, access, now),
  async apply({ context, tx, now }, proposal, { body, memberId }) {
    const row = await insertProposal(
      tx,
      { ...proposal, circleId: body.circleId, bodyId: body.id, createdBy: memberId },
      now,
    );
    await context.deadlines.closeProposalAt(row.circleId, row.closesAt, now);
    return row;
  },
});
