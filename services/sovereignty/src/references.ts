import { isMemberOf } from "@rhizome/kit";
import type { SovereigntyContext } from "./context.js";
import { toNote } from "./resolvers/mappers.js";

/**
 * How `_entities` turns keys into objects, guarded like any field: a note resolves only for
 * members of its circle; for anyone else it is null, as if it did not exist.
 */
export const sovereigntyReferences = {
  SovereigntyNote: async (reference: { id: string }, context: SovereigntyContext) => {
    const row = await context.notes.load(reference.id);
    return row && isMemberOf(context.caller, row.circleId) ? toNote(row) : null;
  },
};
