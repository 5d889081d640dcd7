import type { SovereigntyContext } from "./context.js";
import { canSeeStory, toStory } from "./resolvers/story.resolver.js";

/**
 * How `_entities` turns keys into objects, guarded like any field: a story resolves for anyone once
 * published, before that only for its teller and its circle's stewards; otherwise null, as if it did not exist.
 */
export const sovereigntyReferences = {
  SovereigntyStory: async (reference: { id: string }, context: SovereigntyContext) => {
    const row = await context.stories.load(reference.id);
    return row && canSeeStory(context.caller, row) ? toStory(row) : null;
  },
};
