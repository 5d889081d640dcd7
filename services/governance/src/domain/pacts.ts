/** The body is reminded this long before a pact's sunset. */
export const PACT_REMINDER_LEAD_MS = 7 * 24 * 60 * 60 * 1000;

export function isReminderDue(sunsetAt: Date, now: Date): boolean {
  return now.getTime() >= sunsetAt.getTime() - PACT_REMINDER_LEAD_MS;
}
