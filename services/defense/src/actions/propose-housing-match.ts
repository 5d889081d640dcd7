import { defineAction, isUuid, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { matchProposal } from "../domain/housing.js";
import { enqueueWork } from "../jobs/triggers.js";
import { housingPledgeById, proposeMatch } from "../store/housing.js";
import { requireOwnRequest } from "./housing-access.js";

export interface ProposeHousingMatchInput {
  requestId: string;
  pledgeId: string;
}

const proposing = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, input: ProposeHousingMatchInput) => {
    const { row, membership } = await requireOwnRequest(
      context,
      input.requestId,
      "Only whoever asked proposes a match for a request.",
      tx,
    );
    const pledge = isUuid(input.pledgeId) ? await housingPledgeById(tx, input.pledgeId) : undefined;
    return { request: row, pledge, memberId: membership.memberId };
  },
  decide: (_input: ProposeHousingMatchInput, { request, pledge }) => matchProposal(request, pledge),
  apply: async ({ tx, now }, { request, pledge }, { memberId }) => ({
    ...(await proposeMatch(tx, request, pledge, now)),
    memberId,
  }),
});

/**
 * The requester proposes a pledge for their request (accepting it by proposing) and its host is
 * asked. The host's webhook delivery is queued only after the transaction committed (a job must
 * find its rows), so this action is the transaction and then the queue.
 */
export async function proposeHousingMatch(context: DefenseContext, input: ProposeHousingMatchInput) {
  const { match, deliveryIds, memberId } = await proposing(context, input);
  await enqueueWork(context.runtime, { calls: [], deliveryIds });
  return { match, memberId };
}
