import { defineAction, type ActionStep } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { needToPost, type NeedDraft } from "../domain/needs.js";
import { insertNeed, lockBoardAndCountOpenNeeds } from "../store/needs.js";
import { requireOrganizerOrSteward } from "./access.js";

export interface PostNeedInput extends NeedDraft {
  circleId: string;
}

/** Organizers and stewards post a need on the circle's public board (S3); a full board refuses. */
export const postNeed = defineAction({
  authorize: async ({ caller, tx }: ActionStep<SovereigntyContext>, input: PostNeedInput) => {
    const membership = requireOrganizerOrSteward(caller, input.circleId, "post needs");
    return { membership, openNeeds: await lockBoardAndCountOpenNeeds(tx, input.circleId) };
  },
  decide: (input, { openNeeds }) => needToPost(input, openNeeds),
  apply: ({ tx, now }, need, { membership }) => insertNeed(tx, membership.circleId, need, membership.memberId, now),
});
