import type { Verdict } from "@rhizome/kit/rules";

/** Limits checked at the edge; each error names its limit. */
export const MAX_NAME_LENGTH = 80;
export const MAX_BODY_SIZE = 500;
export const MAX_TITLE_LENGTH = 200;
export const MAX_TEXT_LENGTH = 10_000;
export const MAX_REASON_LENGTH = 1_000;
export const MAX_ROLE_NAME_LENGTH = 60;
export const MAX_ROLE_HOLDERS = 20;
export const MIN_VOTING_MINUTES = 1;
/** A proposal closes at most a year after it opens. */
export const MAX_VOTING_DAYS = 366;
export const MAX_PACT_DAYS = 3 * 366;
export const MAX_LABEL_LENGTH = 80;
export const MAX_AGENDA_ITEM_LENGTH = 1_000;
export const MAX_REFLECTION_LENGTH = 2_000;
export const MAX_MINUTES_LENGTH = 20_000;
/** Shadow assemblies one member may call in one lunar cycle. */
export const MAX_SHADOW_ASSEMBLIES_PER_MEMBER_PER_CYCLE = 3;
export const MAX_HYPOTHESIS_LENGTH = 2_000;
export const MAX_COMPOST_REASONS_LENGTH = 2_000;

const DAY_MS = 86_400_000;

/** An instant a client sent, within (now, now + latestDays], or the refusal naming the limit. */
export function futureInstant(what: string, value: Date, now: Date, latestDays: number): Verdict<Date> {
  if (Number.isNaN(value.getTime())) return { problem: `${what} is not a valid instant.` };
  if (value.getTime() <= now.getTime())
    return { problem: `${what} must be in the future (now is ${now.toISOString()}).` };
  if (value.getTime() > now.getTime() + latestDays * DAY_MS)
    return { problem: `${what} is at most ${Math.round(latestDays)} days ahead.` };
  return value;
}
