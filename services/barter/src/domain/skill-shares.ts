import type { Refusal } from "@rhizome/kit/rules";
/** Pop-up skill shares (B7): a member teaches a skill at a time and a block-level place; the first to sign up get the places. */
export const MAX_SKILL_SHARE_CAPACITY = 200;
/** Block level at most: a geohash of 6 characters is about 1.2 km by 0.6 km. */
export const MAX_PLACE_GEOHASH_LENGTH = 6;
/** Announced at most this far ahead, so plans stay within reach of the circle. */
export const MAX_SKILL_SHARE_LEAD_DAYS = 90;
export const MAX_ATTENDEES_RECORDED = MAX_SKILL_SHARE_CAPACITY;

const GEOHASH = /^[0-9b-hjkmnp-z]+$/;

export type PlaceResult = { placeGeohash: string } | { problem: string };

/** A place as a coarse geohash; anything finer than a block is refused, so nobody's door is on record. */
export function normalisePlace(raw: string): PlaceResult {
  const placeGeohash = raw.trim().toLowerCase();
  if (!GEOHASH.test(placeGeohash))
    return { problem: `"${raw}" is not a geohash: use the characters 0-9 and b-z without a, i, l, o.` };
  if (placeGeohash.length > MAX_PLACE_GEOHASH_LENGTH) {
    return {
      problem: `Give the place at block level: a geohash of at most ${MAX_PLACE_GEOHASH_LENGTH} characters; got ${placeGeohash.length}.`,
    };
  }
  return { placeGeohash };
}

export function capacityProblem(capacity: number): string | undefined {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_SKILL_SHARE_CAPACITY)
    return `A skill share has 1 to ${MAX_SKILL_SHARE_CAPACITY} places; got ${capacity}.`;
  return undefined;
}

export function startProblem(startsAt: Date, now: Date): string | undefined {
  if (startsAt.getTime() <= now.getTime())
    return "A skill share is announced before it starts; pick a time in the future.";
  if (startsAt.getTime() - now.getTime() > MAX_SKILL_SHARE_LEAD_DAYS * 86_400_000)
    return `Announce a skill share at most ${MAX_SKILL_SHARE_LEAD_DAYS} days ahead.`;
  return undefined;
}

/** Where a sign-up stands: the first `capacity` sign-ups in order have a place, the rest wait in order. */
export function standing(rank: number, capacity: number): { hasPlace: boolean; waitingPosition: number | null } {
  return rank <= capacity
    ? { hasPlace: true, waitingPosition: null }
    : { hasPlace: false, waitingPosition: rank - capacity };
}

/** Why a member may not sign up for a skill share now, or undefined when they may. */
export function signUpRefusal(
  share: { hostMemberId: string; startsAt: Date },
  memberId: string,
  now: Date,
): Refusal | undefined {
  if (share.hostMemberId === memberId)
    return { problem: "You host this skill share; your place is at the front already." };
  if (share.startsAt.getTime() <= now.getTime())
    return { code: "CONFLICT", problem: "This skill share has begun; sign up for the next one." };
  return undefined;
}

/** Why a member may not record who came to a skill share now, or undefined when they may. */
export function attendanceRefusal(
  share: { hostMemberId: string; startsAt: Date },
  memberId: string,
  attendees: readonly string[],
  now: Date,
): Refusal | undefined {
  if (attendees.length === 0 || attendees.length > MAX_ATTENDEES_RECORDED)
    return { problem: `Name 1 to ${MAX_ATTENDEES_RECORDED} attendees.` };
  if (share.hostMemberId !== memberId)
    return { code: "FORBIDDEN", problem: "Only the member who hosts this skill share records who came." };
  if (share.startsAt.getTime() > now.getTime()) return { problem: "Record who came once the skill share has begun." };
  return undefined;
}
