import type { BarterContext } from "./context.js";
import { circleRef, memberRef } from "./resolvers/types.js";

/**
 * How `_entities` turns keys into objects. A Circle reference is only its id: each barter field
 * on it authorizes itself. A Member resolves only for members of the same circle (and for the
 * member themself before barter has heard of them); others get null, as if it did not exist.
 */
export const referenceResolvers = {
  Circle: (reference: { id: string }) => circleRef(reference.id),
  Member: async (reference: { id: string }, context: BarterContext) => {
    const { caller } = context;
    if (caller.kind !== "person") return null;
    if (caller.memberships.some((m) => m.memberId === reference.id)) return memberRef(reference.id);
    const account = await context.accounts.load(reference.id);
    return account && caller.memberships.some((m) => m.circleId === account.circleId) ? memberRef(reference.id) : null;
  },
};
