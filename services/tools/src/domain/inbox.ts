export const notificationKinds = [
  "LOAN_OVERDUE",
  "LOAN_STILL_OVERDUE",
  "CARETAKERS_LOAN_OVERDUE",
  "TOOL_RETIRED",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Where a member's read mark goes: never past the hub's clock, which would hide notifications not written yet. */
export function readMark(upTo: Date, now: Date): Date {
  return upTo.getTime() > now.getTime() ? now : upTo;
}
