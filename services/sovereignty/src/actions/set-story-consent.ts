import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { consentChange } from "../domain/stories.js";
import { lockStory, updateStoryConsent } from "../store/stories.js";

export const NO_STORY = "No story with that id in your circles.";

export interface SetStoryConsentInput {
  storyId: string;
  consents: boolean;
}

/** The teller gives or withdraws consent to publishing their story; withdrawn, it unpublishes at once. */
export const setStoryConsent = defineAction({
  authorize: async ({ caller, tx }: ActionStep<SovereigntyContext>, input: SetStoryConsentInput) => {
    const { row, membership } = await requireOwned(caller, input.storyId, (id) => lockStory(tx, id), NO_STORY);
    return { story: row, membership };
  },
  decide: (input, { story, membership }) => consentChange(story, membership.memberId, input.consents),
  apply: async ({ tx }, change, { story }) => {
    await updateStoryConsent(tx, story.id, change.tellerConsents);
    return { ...story, ...change };
  },
});
