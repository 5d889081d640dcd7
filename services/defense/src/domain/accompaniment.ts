import { isRefusal, type Verdict } from "@rhizome/kit/rules";
import { blockLevelPlace } from "./places.js";

/** D4: a hearing is checked this long before it starts, and flagged if a shift lacks companions. */
export const SHORTAGE_CHECK_LEAD_MS = 48 * 60 * 60 * 1000;
/** Companions are reminded this long before their shift. */
export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;
export const MAX_SHIFTS_PER_HEARING = 10;
export const MAX_SHIFT_HOURS = 12;
/** Without shifts given, one shift from half an hour before the hearing to three hours after its start. */
export const defaultShift = (startsAt: Date) => ({
  startsAt: new Date(startsAt.getTime() - 30 * 60_000),
  endsAt: new Date(startsAt.getTime() + 3 * 60 * 60_000),
});

export function shiftsProblem(
  hearingStartsAt: Date,
  shifts: ReadonlyArray<{ startsAt: Date; endsAt: Date }>,
  now: Date,
): string | undefined {
  if (hearingStartsAt.getTime() <= now.getTime()) return "A hearing is scheduled in the future.";
  if (shifts.length > MAX_SHIFTS_PER_HEARING) return `A hearing has at most ${MAX_SHIFTS_PER_HEARING} shifts.`;
  for (const shift of shifts) {
    if (shift.endsAt.getTime() <= shift.startsAt.getTime()) return "A shift ends after it starts.";
    if (shift.endsAt.getTime() - shift.startsAt.getTime() > MAX_SHIFT_HOURS * 3_600_000)
      return `A shift is at most ${MAX_SHIFT_HOURS} hours.`;
  }
  return undefined;
}

export const isShortOfCompanions = (signupsPerShift: readonly number[], companionsNeeded: number) =>
  signupsPerShift.some((count) => count < companionsNeeded);

/** The most companions a hearing asks for. */
export const MAX_COMPANIONS_NEEDED = 50;

/**
 * A hearing a member asks companions for: a block-level place, 1 to 50 companions, a start in the
 * future and valid shifts (one default shift when none is given).
 */
export function hearingPlan<
  Input extends {
    place: string;
    startsAt: Date;
    companionsNeeded: number;
    shifts?: ReadonlyArray<{ startsAt: Date; endsAt: Date }> | null;
  },
>(input: Input, now: Date): Verdict<Input & { geohash: string; shifts: Array<{ startsAt: Date; endsAt: Date }> }> {
  const place = blockLevelPlace(input.place);
  if (isRefusal(place)) return place;
  if (
    !Number.isInteger(input.companionsNeeded) ||
    input.companionsNeeded < 1 ||
    input.companionsNeeded > MAX_COMPANIONS_NEEDED
  )
    return { problem: `companionsNeeded is 1 to ${MAX_COMPANIONS_NEEDED}; got ${input.companionsNeeded}.` };
  const shifts = input.shifts?.length ? [...input.shifts] : [defaultShift(input.startsAt)];
  const problem = shiftsProblem(input.startsAt, shifts, now);
  if (problem) return { problem };
  return { ...input, geohash: place.geohash, shifts };
}

/** The person facing a hearing shares its notes only with a companion who signed up for one of its shifts. */
export function noteSharing(memberId: string, companions: readonly string[]): Verdict<{ memberId: string }> {
  if (!companions.includes(memberId))
    return { problem: "Share the notes with a companion who signed up for one of the hearing's shifts." };
  return { memberId };
}

/** A member signs up only for a shift that is not over. */
export function signupPlan<Shift extends { endsAt: Date }>(shift: Shift, now: Date): Verdict<Shift> {
  if (shift.endsAt.getTime() <= now.getTime()) return { problem: "This shift is over.", code: "CONFLICT" };
  return shift;
}
