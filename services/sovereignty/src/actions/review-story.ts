import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { reviewOfStory } from "../domain/stories.js";
import { lockStory, updateStoryReview } from "../store/stories.js";
import { NO_STORY } from "./set-story-consent.js";

export interface ReviewStoryInput {
  storyId: string;
  approve: boolean;
}

/** A steward other than the teller approves or declines a story awaiting review. */
export const reviewStory = defineAction({
  authorize: async ({ caller, tx }: ActionStep<SovereigntyContext>, input: ReviewStoryInput) => {
    const { row, membership } = await requireOwned(
      caller,
      input.storyId,
      (id) => lockStory(tx, id),
      NO_STORY,
      "steward",
    );
    return { story: row, membership };
  },
  decide: (input, { story, membership }, now) => reviewOfStory(story, membership.memberId, input.approve, now),
  apply: async ({ tx }, reviewed, { story }) => {
    await updateStoryReview(tx, story.id, reviewed);
    return { ...story, ...reviewed };
  },
});
