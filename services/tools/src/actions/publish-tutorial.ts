import { defineAction, requireMembership } from "@rhizome/kit";
import { normaliseTutorial, type TutorialDraft } from "../domain/tutorials.js";
import { rememberMember } from "../store/members.js";
import { insertTutorial } from "../store/tutorials.js";
import type { ToolsStep } from "./access.js";

/** A member publishes a repair tutorial for everyone to read. */
export const publishTutorial = defineAction({
  authorize: ({ caller }: ToolsStep, input: TutorialDraft & { circleId: string }) =>
    requireMembership(caller, input.circleId),
  decide: (input) => normaliseTutorial(input),
  apply: async ({ tx, now }, { tutorial }, membership) => {
    const row = await insertTutorial(tx, membership.circleId, membership.memberId, tutorial, now);
    await rememberMember(tx, membership.circleId, membership.memberId, now);
    return row;
  },
});
