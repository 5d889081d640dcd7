import { defineAction, requireOwned, type ActionStep } from "@rhizome/kit";
import { signUpRefusal } from "../domain/skill-shares.js";
import type { BarterContext } from "../context.js";
import { findSkillShare, insertSignup, type SkillShare } from "../store/skill-shares.js";
import { lockActingMember } from "./acting-member.js";

export const NO_SUCH_SKILL_SHARE = "No skill share with that id in your circles.";

/** A skill share of one of the caller's circles, and their membership there; NOT_FOUND otherwise. */
export function requireSkillShareOfCircle({ caller, tx }: ActionStep<BarterContext>, id: string) {
  return requireOwned(caller, id, (shareId) => findSkillShare(tx, shareId), NO_SUCH_SKILL_SHARE);
}

/** A member signs up: the first to sign up get the places, the rest wait in order; twice keeps the first place. */
export const signUpForSkillShare = defineAction({
  authorize: (step: ActionStep<BarterContext>, input: { skillShareId: string }) =>
    requireSkillShareOfCircle(step, input.skillShareId),
  decide: (_input, { row, membership }, now) => signUpRefusal(row, membership.memberId, now) ?? row,
  apply: async ({ tx, now }, share: SkillShare, { membership }) => {
    await lockActingMember(tx, membership, now);
    await insertSignup(tx, share.id, membership.memberId, now);
    const signedUp = await findSkillShare(tx, share.id);
    if (!signedUp) throw new Error(`Skill share ${share.id} vanished.`);
    return { share: signedUp, membership };
  },
});
