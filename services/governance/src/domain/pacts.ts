import { isRefusal, type Refusal, type Verdict } from "@rhizome/kit/rules";
import { futureInstant, MAX_PACT_DAYS } from "./limits.js";

/** The body is reminded this long before a pact's sunset. */
export const PACT_REMINDER_LEAD_MS = 7 * 24 * 60 * 60 * 1000;

export function isReminderDue(sunsetAt: Date, now: Date): boolean {
  return now.getTime() >= sunsetAt.getTime() - PACT_REMINDER_LEAD_MS;
}

/** What a pact's adoption or re-ratification reads of the proposal that decided it. */
export interface DecidingProposal {
  outcome: string | null;
  circleId: string;
  bodyId: string;
  /** Whether it already adopted or re-ratified a pact. */
  isUsed: boolean;
}

/** A sunset within MAX_PACT_DAYS, from a passed proposal that has not been used for a pact yet. */
export function adoptionSunset(proposal: DecidingProposal, sunsetAt: Date, now: Date): Verdict<Date> {
  const sunset = futureInstant("sunsetAt", sunsetAt, now, MAX_PACT_DAYS);
  if (isRefusal(sunset)) return sunset;
  return passedAndUnused(proposal) ?? sunset;
}

/**
 * A later sunset for an active pact, by a new passed proposal of the body that adopted it, before the
 * pact lapses (a CONFLICT after).
 */
export function reratificationSunset(
  pact: { status: "ACTIVE" | "LAPSED"; sunsetAt: Date; circleId: string; bodyId: string },
  proposal: DecidingProposal,
  sunsetAt: Date,
  now: Date,
): Verdict<Date> {
  const sunset = futureInstant("sunsetAt", sunsetAt, now, MAX_PACT_DAYS);
  if (isRefusal(sunset)) return sunset;
  if (pact.status === "LAPSED" || pact.sunsetAt.getTime() <= now.getTime())
    return {
      problem: `This pact lapsed at its sunset (${pact.sunsetAt.toISOString()}); adopt it again from a new proposal.`,
      code: "CONFLICT",
    };
  if (proposal.outcome === "PASSED" && (proposal.circleId !== pact.circleId || proposal.bodyId !== pact.bodyId))
    return { problem: "A pact is re-ratified by a decision of the body that adopted it." };
  const refusal = passedAndUnused(proposal);
  if (refusal) return refusal;
  if (sunset.getTime() <= pact.sunsetAt.getTime())
    return { problem: `A re-ratification moves the sunset later than ${pact.sunsetAt.toISOString()}.` };
  return sunset;
}

function passedAndUnused(proposal: DecidingProposal): Refusal | undefined {
  if (proposal.outcome !== "PASSED")
    return { problem: "Only a proposal that passed can adopt or re-ratify a pact; this one has not passed." };
  if (proposal.isUsed) return { problem: "This proposal already adopted or re-ratified a pact.", code: "CONFLICT" };
  return undefined;
}
