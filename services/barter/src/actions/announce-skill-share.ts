import { defineAction, requireMembership, type Membership, type Verdict } from "@rhizome/kit";
import { MAX_EXCHANGE_MINUTES, MIN_EXCHANGE_MINUTES } from "../domain/exchanges.js";
import { capacityProblem, normalisePlace, startProblem } from "../domain/skill-shares.js";
import { normaliseSkill } from "../domain/skills.js";
import type { BarterContext } from "../context.js";
import { insertSkillShare, type NewSkillShare, type SkillShare } from "../store/skill-shares.js";
import { lockActingMember } from "./acting-member.js";

export interface AnnounceSkillShareInput {
  circleId: string;
  skill: string;
  startsAt: Date;
  placeGeohash: string;
  capacity: number;
  minutes: number;
}

function skillShareToAnnounce(input: AnnounceSkillShareInput, hostMemberId: string, now: Date): Verdict<NewSkillShare> {
  const skill = normaliseSkill(input.skill);
  if ("problem" in skill) return skill;
  const place = normalisePlace(input.placeGeohash);
  if ("problem" in place) return place;
  const problem = capacityProblem(input.capacity) ?? startProblem(input.startsAt, now);
  if (problem) return { problem };
  const { minutes } = input;
  if (!Number.isInteger(minutes) || minutes < MIN_EXCHANGE_MINUTES || minutes > MAX_EXCHANGE_MINUTES)
    return {
      problem: `Each attendee's exchange is ${MIN_EXCHANGE_MINUTES} to ${MAX_EXCHANGE_MINUTES} minutes; got ${minutes}.`,
    };
  return { ...input, hostMemberId, skill: skill.skill, placeGeohash: place.placeGeohash };
}

/** A member announces a pop-up skill share they host: a skill, a time, a block-level place and a number of places. */
export const announceSkillShare = defineAction<
  BarterContext,
  AnnounceSkillShareInput,
  Membership,
  NewSkillShare,
  SkillShare
>({
  authorize: ({ caller }, input) => requireMembership(caller, input.circleId),
  decide: (input, host, now) => skillShareToAnnounce(input, host.memberId, now),
  apply: async ({ tx, now }, share, host) => {
    await lockActingMember(tx, host, now);
    return insertSkillShare(tx, share, now);
  },
});
