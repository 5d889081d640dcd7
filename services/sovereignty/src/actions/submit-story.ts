import { cycleContaining, defineAction, isRefusal, requireMembership, type ActionStep } from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { tellStory, type StoryDraft } from "../domain/stories.js";
import { insertStory } from "../store/stories.js";

export interface SubmitStoryInput extends StoryDraft {
  circleId: string;
  consentsToPublication: boolean;
}

/** A member tells a story of their circle (S4), stored with their replacements applied, awaiting review. */
export const submitStory = defineAction({
  authorize: ({ caller }: ActionStep<SovereigntyContext>, input: SubmitStoryInput) =>
    requireMembership(caller, input.circleId),
  decide: (input, membership, now) => {
    const told = tellStory(input);
    if (isRefusal(told)) return told;
    return {
      circleId: input.circleId,
      cycle: cycleContaining(now).label,
      ...told,
      tellerMemberId: membership.memberId,
      tellerConsents: input.consentsToPublication,
    };
  },
  apply: ({ tx, now }, story) => insertStory(tx, story, now),
});
