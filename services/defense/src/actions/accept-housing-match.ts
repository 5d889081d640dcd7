import { defineAction, notFound, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { acceptancePlan } from "../domain/housing.js";
import { acceptAs, confirmMatch, lockMatch, matchById } from "../store/housing.js";
import { returnedRow } from "../store/returned.js";
import { requireMatchParty } from "./housing-access.js";

/** The host or the guest accepts a match; once both have, the pledge's room is taken and contacts are exchanged. */
export const acceptHousingMatch = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, matchId: string) => {
    const { memberId } = await requireMatchParty(context, matchId, tx);
    const locked = await lockMatch(tx, matchId);
    if (!locked) throw notFound("No housing match with that id in your circles.");
    return { ...locked, memberId };
  },
  decide: (_matchId: string, { match, pledge, requestStatus, memberId }) =>
    acceptancePlan(match, pledge, requestStatus, memberId),
  apply: async ({ tx, now, context }, plan, { match, memberId }) => {
    if (plan.kind === "unchanged") return { match, memberId };
    await acceptAs(tx, match.id, plan.side, now);
    if (plan.kind === "confirm") await confirmMatch(tx, context.vault, match, now);
    return { match: returnedRow(await matchById(tx, match.id), "SELECT housing_matches"), memberId };
  },
  emitsEvents: true,
});
