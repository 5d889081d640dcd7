/** One time credit is one hour of someone's time. Quantities are always stored as integer minutes. */
export const MINUTES_PER_CREDIT = 60;

/** A balance as people say it: -570 is "-9h30", -600 is "-10h", 45 is "0h45". */
export function formatMinutesAsHours(minutes: number): string {
  const sign = minutes < 0 ? "-" : "";
  const absolute = Math.abs(minutes);
  const hours = Math.floor(absolute / MINUTES_PER_CREDIT);
  const rest = absolute % MINUTES_PER_CREDIT;
  return rest === 0 ? `${sign}${hours}h` : `${sign}${hours}h${String(rest).padStart(2, "0")}`;
}
