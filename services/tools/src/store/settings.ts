import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { DEFAULT_LOAN_DAYS, DEFAULT_MAX_OPEN_RESERVATIONS, DEFAULT_REMINDER_INTERVAL_HOURS } from "../domain/loans.js";

/** A circle's rules for its library, set by organizers; absent means the defaults. */
export interface LibrarySettings {
  maxOpenReservations: number;
  reminderIntervalHours: number;
}

/** How many days a loan of a category lasts in a circle. */
export interface LoanPeriodRow {
  category: string;
  loanDays: number;
}

export const DEFAULT_LIBRARY_SETTINGS: LibrarySettings = {
  maxOpenReservations: DEFAULT_MAX_OPEN_RESERVATIONS,
  reminderIntervalHours: DEFAULT_REMINDER_INTERVAL_HOURS,
};

export async function librarySettingsOf(db: Queryable, circleId: string): Promise<LibrarySettings> {
  const row = await sqlRow<LibrarySettings>(
    db,
    `SELECT max_open_reservations, reminder_interval_hours FROM library_settings WHERE circle_id = $1`,
    [circleId],
  );
  return row ?? DEFAULT_LIBRARY_SETTINGS;
}

export async function setLibrarySettings(
  tx: Queryable,
  circleId: string,
  memberId: string,
  settings: LibrarySettings,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO library_settings (circle_id, max_open_reservations, reminder_interval_hours, updated_at, updated_by_member_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id) DO UPDATE SET max_open_reservations = $2, reminder_interval_hours = $3, updated_at = $4, updated_by_member_id = $5`,
    [circleId, settings.maxOpenReservations, settings.reminderIntervalHours, now, memberId],
  );
}

export async function loanDaysFor(db: Queryable, circleId: string, category: string): Promise<number> {
  const row = await sqlRow<{ loanDays: number }>(
    db,
    `SELECT loan_days FROM loan_periods WHERE circle_id = $1 AND category = $2`,
    [circleId, category],
  );
  return row?.loanDays ?? DEFAULT_LOAN_DAYS;
}

export async function setLoanPeriod(
  tx: Queryable,
  circleId: string,
  category: string,
  loanDays: number,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO loan_periods (circle_id, category, loan_days, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (circle_id, category) DO UPDATE SET loan_days = $3, updated_at = $4`,
    [circleId, category, loanDays, now],
  );
}

/** A circle's loan periods by category, in category order. */
export function loanPeriodsOf(db: Queryable, circleId: string): Promise<LoanPeriodRow[]> {
  return sqlRows<LoanPeriodRow>(
    db,
    `SELECT category, loan_days FROM loan_periods WHERE circle_id = $1 ORDER BY category`,
    [circleId],
  );
}

/** A circle's library rules with its loan periods. */
export interface LibraryRules extends LibrarySettings {
  loanPeriods: LoanPeriodRow[];
}

export async function libraryRulesOf(db: Queryable, circleId: string): Promise<LibraryRules> {
  return { ...(await librarySettingsOf(db, circleId)), loanPeriods: await loanPeriodsOf(db, circleId) };
}
