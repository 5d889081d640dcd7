import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { needToClose } from "../domain/needs.js";
import { lockNeed, markNeedClosed } from "../store/needs.js";
import { requireOrganizerOrSteward } from "./access.js";

/** Organizers and stewards of its circle take a met or withdrawn need off the board, once. */
export const closeNeed = defineAction({
  authorize: async ({ caller, tx }: ActionStep<SovereigntyContext>, input: { needId: string }) => {
    const { row } = await requireOwned(
      caller,
      input.needId,
      (id) => lockNeed(tx, id),
      "No need with that id in your circles.",
    );
    requireOrganizerOrSteward(caller, row.circleId, "close needs");
    return row;
  },
  decide: (_input, need, now) => needToClose(need, now),
  apply: ({ tx }, { closedAt }, need) => markNeedClosed(tx, need.id, closedAt),
});
