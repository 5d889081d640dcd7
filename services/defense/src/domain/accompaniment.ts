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
