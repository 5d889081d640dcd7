import { defineAction, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { declinePlan } from "../domain/housing.js";
import { declineMatch, matchById } from "../store/housing.js";
import { returnedRow } from "../store/returned.js";
import { requireMatchParty } from "./housing-access.js";

/** The host or the guest declines a suggested match. */
export const declineHousingMatch = defineAction({
  authorize: ({ context, tx }: ActionStep<DefenseContext>, matchId: string) => requireMatchParty(context, matchId, tx),
  decide: (_matchId: string, { row }) => declinePlan(row),
  apply: async ({ tx, now }, match, { memberId }) => {
    await declineMatch(tx, match.id, now);
    return { match: returnedRow(await matchById(tx, match.id), "SELECT housing_matches"), memberId };
  },
});
