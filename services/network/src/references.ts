import { isMemberOf, isUuid } from "@rhizome/kit";
import type { NetworkContext } from "./context.js";
import { useCurrentCaller } from "./resolvers/current-caller.js";
import { toCircle, toMember } from "./resolvers/mappers.js";
import { SisterCounterpart } from "./resolvers/types.js";
import { sisterCounterpartHandle } from "./store/sister-counterparts.js";

/**
 * How `_entities` turns keys into objects. A member resolves only for members of the same
 * circle now (not as the caller's token remembers it): other callers get null, exactly as if the
 * member did not exist. A member who left resolves to their tombstone, for the circle's history.
 * A sister counterpart (keyed by the sister exchange) resolves only for the exchange's two parties,
 * once barter told network it was confirmed: the one handle a member reads across circles.
 */
export const referenceResolvers = {
  Circle: async (reference: { id: string }, context: NetworkContext) => {
    const row = await context.circles.load(reference.id);
    return row ? toCircle(row) : null;
  },
  Member: async (reference: { id: string }, context: NetworkContext) => {
    const caller = await useCurrentCaller(context);
    const row = await context.members.load(reference.id);
    return row && isMemberOf(caller, row.circleId) ? toMember(row) : null;
  },
  SisterCounterpart: async (reference: { id: string }, context: NetworkContext) => {
    const caller = await useCurrentCaller(context);
    if (caller.kind !== "person" || !isUuid(reference.id)) return null;
    const handle = await sisterCounterpartHandle(context.db, reference.id, caller.memberships);
    return handle === undefined ? null : Object.assign(new SisterCounterpart(), { id: reference.id, handle });
  },
};
