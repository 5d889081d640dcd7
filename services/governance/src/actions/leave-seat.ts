import { defineAction, requireOwned, type ActionStep, type Verdict } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { lockBody, removeSeat, seatKindOf, type BodyRow } from "../store/bodies.js";
import { NO_BODY } from "./not-found.js";

interface LeaveAccess {
  body: BodyRow;
  memberId: string;
  isSeated: boolean;
}

/** Frees the caller's seat (and any role of the body they held). What the body may decide follows at the next new moon's count. */
export const leaveSeat = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, bodyId: string): Promise<LeaveAccess> {
    const { row, membership } = await requireOwned(caller, bodyId, (id) => context.bodies.load(id), NO_BODY);
    await lockBody(tx, row.id);
    const isSeated = (await seatKindOf(tx, row.id, membership.memberId)) !== undefined;
    return { body: row, memberId: membership.memberId, isSeated };
  },
  decide: (_bodyId, access): Verdict<LeaveAccess> =>
    access.isSeated ? access : { problem: "You hold no seat in this body." },
  apply: async ({ tx, now }, seat) => {
    if ((await removeSeat(tx, seat.body.id, seat.memberId, now)) === 0)
      throw new Error("invariant: a seat found under the body's lock was gone");
    return seat.body;
  },
});
