import { defineAction, requireOwned, type ActionStep, type Verdict } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { seatRefusal, type SeatCounts, type SeatKind } from "../domain/composition.js";
import { insertSeat, lockBody, seatCountsOf, seatKindOf, type BodyRow } from "../store/bodies.js";
import { blocOfCaller } from "./caller-bloc.js";
import { NO_BODY } from "./not-found.js";

interface SeatAccess {
  body: BodyRow;
  memberId: string;
  kind: SeatKind;
  counts: SeatCounts;
  current: SeatKind | undefined;
}

/**
 * Seats the caller with the kind their private bloc gives them. Never refused by bloc (only a full body
 * refuses anyone), so taking one tells nobody anything. The body row is locked first, so seats taken
 * at the same moment never exceed its size. The bloc is asked of network (an HTTP call) inside the
 * transaction, before the body is locked.
 */
export const takeSeat = defineAction({
  async authorize({ context, caller, tx }: ActionStep<GovernanceContext>, bodyId: string): Promise<SeatAccess> {
    const { row, membership } = await requireOwned(caller, bodyId, (id) => context.bodies.load(id), NO_BODY);
    const kind = await blocOfCaller(context, tx, membership);
    const body = (await lockBody(tx, row.id)) ?? row;
    const [counts] = await seatCountsOf(tx, [body.id]);
    const current = await seatKindOf(tx, body.id, membership.memberId);
    return { body, memberId: membership.memberId, kind, counts, current };
  },
  decide: (_bodyId, access: SeatAccess): Verdict<SeatAccess> => {
    if (access.current) return { problem: "You already hold a seat in this body.", code: "CONFLICT" };
    const refusal = seatRefusal(access.counts.edge + access.counts.advantaged, access.body.size);
    return refusal ? { problem: refusal } : access;
  },
  apply: async ({ tx, now }, seat) => {
    await insertSeat(tx, seat.body, seat.memberId, seat.kind, now);
    return { body: seat.body, kind: seat.kind };
  },
});
