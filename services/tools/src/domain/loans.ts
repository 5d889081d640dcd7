import { isRefusal, type Verdict } from "@rhizome/kit/rules";
import { normaliseCategory } from "./catalogue.js";

export const DEFAULT_LOAN_DAYS = 7;
export const MIN_LOAN_DAYS = 1;
export const MAX_LOAN_DAYS = 90;
/** A loan may be renewed this many times while nobody waits; after that it goes back or on. */
export const MAX_RENEWALS = 3;

export const DEFAULT_MAX_OPEN_RESERVATIONS = 3;
export const MAX_OPEN_RESERVATIONS_LIMIT = 50;
export const DEFAULT_REMINDER_INTERVAL_HOURS = 48;
export const MIN_REMINDER_INTERVAL_HOURS = 1;
export const MAX_REMINDER_INTERVAL_HOURS = 24 * 14;

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

export function dueAtAfter(start: Date, loanDays: number): Date {
  return new Date(start.getTime() + loanDays * MS_PER_DAY);
}

/** The new due date of a renewal: one more loan period from the old due date, or from now when already overdue. */
export function renewedDueAt(dueAt: Date, now: Date, loanDays: number): Date {
  return dueAtAfter(new Date(Math.max(dueAt.getTime(), now.getTime())), loanDays);
}

export function renewalProblem(
  loan: { renewals: number; returnedAt: Date | null },
  waitingCount: number,
): string | undefined {
  if (loan.returnedAt) return "This loan has ended; there is nothing to renew.";
  if (waitingCount > 0)
    return `Someone is waiting for this tool (${waitingCount} in the queue), so the loan cannot be renewed: hand it on when it is due.`;
  if (loan.renewals >= MAX_RENEWALS) return `A loan can be renewed at most ${MAX_RENEWALS} times; this one has been.`;
  return undefined;
}

export type ReminderAudience = "BORROWER" | "CARETAKERS";

export interface ReminderStage {
  /** 1: the loan is overdue; 2: still overdue after one interval; 3: the caretakers hear of it. */
  stage: 1 | 2 | 3;
  at: Date;
  audience: ReminderAudience;
}

/** When an overdue loan's reminders go out: at the due date, again one interval later, then to the caretakers. */
export function reminderStages(dueAt: Date, intervalHours: number): ReminderStage[] {
  const intervalMs = intervalHours * MS_PER_HOUR;
  return [
    { stage: 1, at: dueAt, audience: "BORROWER" },
    { stage: 2, at: new Date(dueAt.getTime() + intervalMs), audience: "BORROWER" },
    { stage: 3, at: new Date(dueAt.getTime() + 2 * intervalMs), audience: "CARETAKERS" },
  ];
}

/**
 * The stages of an overdue loan's reminders whose instant has come (by the circle's interval now)
 * and that went to nobody yet: what a sweep sends when the delayed jobs were lost.
 */
export function remindersMissing(
  dueAt: Date,
  intervalHours: number,
  sentStages: ReadonlyArray<ReminderStage["stage"]>,
  now: Date,
): Array<ReminderStage["stage"]> {
  return reminderStages(dueAt, intervalHours)
    .filter((stage) => stage.at.getTime() <= now.getTime() && !sentStages.includes(stage.stage))
    .map((stage) => stage.stage);
}

export function isOverdue(loan: { dueAt: Date; returnedAt: Date | null }, now: Date): boolean {
  return !loan.returnedAt && loan.dueAt.getTime() <= now.getTime();
}

/** A whole number of `what` within its limits, or the refusal naming them. */
export function inRange(value: number, min: number, max: number, what: string): Verdict<number> {
  if (!Number.isInteger(value) || value < min || value > max)
    return { problem: `${what} is ${min} to ${max}; got ${value}.` };
  return value;
}

/** A change to a circle's library settings: what is not given stays as it is; each within its limits. */
export function librarySettingsChange(
  current: { maxOpenReservations: number; reminderIntervalHours: number },
  given: { maxOpenReservations?: number | null; reminderIntervalHours?: number | null },
): Verdict<{ maxOpenReservations: number; reminderIntervalHours: number }> {
  const maxOpenReservations = inRange(
    given.maxOpenReservations ?? current.maxOpenReservations,
    1,
    MAX_OPEN_RESERVATIONS_LIMIT,
    "maxOpenReservations",
  );
  if (isRefusal(maxOpenReservations)) return maxOpenReservations;
  const reminderIntervalHours = inRange(
    given.reminderIntervalHours ?? current.reminderIntervalHours,
    MIN_REMINDER_INTERVAL_HOURS,
    MAX_REMINDER_INTERVAL_HOURS,
    "reminderIntervalHours",
  );
  if (isRefusal(reminderIntervalHours)) return reminderIntervalHours;
  return { maxOpenReservations, reminderIntervalHours };
}

/** How many days loans of a category last in a circle: the category normalised, the days within limits. */
export function loanPeriod(input: {
  category: string;
  loanDays: number;
}): Verdict<{ category: string; loanDays: number }> {
  const category = normaliseCategory(input.category);
  if (isRefusal(category)) return category;
  const loanDays = inRange(input.loanDays, MIN_LOAN_DAYS, MAX_LOAN_DAYS, "loanDays");
  if (isRefusal(loanDays)) return loanDays;
  return { category: category.category, loanDays };
}

/** A renewal of the loan now: its new due date, or why not (CONFLICT). */
export function renewal(
  loan: { dueAt: Date; renewals: number; returnedAt: Date | null },
  waitingCount: number,
  loanDays: number,
  now: Date,
): Verdict<{ dueAt: Date }> {
  const problem = renewalProblem(loan, waitingCount);
  return problem ? { code: "CONFLICT", problem } : { dueAt: renewedDueAt(loan.dueAt, now, loanDays) };
}
