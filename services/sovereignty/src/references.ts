import type { SovereigntyContext } from "./context.js";

/**
 * How `_entities` turns keys into objects, guarded like any field (filled in as entities are added).
 */
export const sovereigntyReferences: Record<string, (reference: { id: string }, context: SovereigntyContext) => unknown> = {};
