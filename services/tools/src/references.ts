import { isMemberOf } from "@rhizome/kit";
import type { ToolsContext } from "./context.js";
import { toTool } from "./resolvers/mappers.js";
import { circleRef } from "./resolvers/types.js";

/**
 * How `_entities` turns keys into objects, guarded like any field. A Circle reference is only its
 * id: each library field on it authorizes itself. A Tool resolves only for members of its circle;
 * for anyone else it is null, as if it did not exist.
 */
export const toolsReferences = {
  Circle: (reference: { id: string }) => circleRef(reference.id),
  Tool: async (reference: { id: string }, context: ToolsContext) => {
    const row = await context.tools.load(reference.id);
    return row && isMemberOf(context.caller, row.circleId) ? toTool(row) : null;
  },
};
