import { isMemberOf } from "@rhizome/kit";
import type { NetworkContext } from "./context.js";
import { useCurrentCaller } from "./resolvers/current-caller.js";
import { toCircle, toMember } from "./resolvers/mappers.js";

/**
 * How `_entities` turns keys into objects. A member resolves only for members of the same
 * circle now (not as the caller's token remembers it): other callers get null, exactly as if the
 * member did not exist. A member who left resolves to their tombstone, for the circle's history.
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
};
