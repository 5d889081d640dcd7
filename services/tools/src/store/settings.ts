import { In, type DataSource, type EntityManager } from "typeorm";
import { DEFAULT_LOAN_DAYS, DEFAULT_MAX_OPEN_RESERVATIONS, DEFAULT_REMINDER_INTERVAL_HOURS } from "../domain/loans.js";
import { LibrarySettingsRow, LoanPeriodRow } from "../entities/settings.js";

export interface LibrarySettings {
  maxOpenReservations: number;
  reminderIntervalHours: number;
}

export const DEFAULT_LIBRARY_SETTINGS: LibrarySettings = {
  maxOpenReservations: DEFAULT_MAX_OPEN_RESERVATIONS,
  reminderIntervalHours: DEFAULT_REMINDER_INTERVAL_HOURS,
};

type Manager = Pick<EntityManager, "query" | "getRepository">;

export async function librarySettingsOf(manager: Manager, circleId: string): Promise<LibrarySettings> {
  const row = await manager.getRepository(LibrarySettingsRow).findOneBy({ circleId });
  return row
    ? { maxOpenReservations: row.maxOpenReservations, reminderIntervalHours: row.reminderIntervalHours }
    : DEFAULT_LIBRARY_SETTINGS;
}

export async function setLibrarySettings(
  db: DataSource,
  circleId: string,
  memberId: string,
  settings: LibrarySettings,
  now: Date,
): Promise<LibrarySettings> {
  await db.query(
    `INSERT INTO library_settings (circle_id, max_open_reservations, reminder_interval_hours, updated_at, updated_by_member_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id) DO UPDATE SET max_open_reservations = $2, reminder_interval_hours = $3, updated_at = $4, updated_by_member_id = $5`,
    [circleId, settings.maxOpenReservations, settings.reminderIntervalHours, now, memberId],
  );
  return settings;
}

export async function loanDaysFor(manager: Manager, circleId: string, category: string): Promise<number> {
  const row = await manager.getRepository(LoanPeriodRow).findOneBy({ circleId, category });
  return row?.loanDays ?? DEFAULT_LOAN_DAYS;
}

export async function setLoanPeriod(
  db: DataSource,
  circleId: string,
  category: string,
  loanDays: number,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO loan_periods (circle_id, category, loan_days, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (circle_id, category) DO UPDATE SET loan_days = $3, updated_at = $4`,
    [circleId, category, loanDays, now],
  );
}

export function loanPeriodsOf(db: DataSource, circleIds: string[]): Promise<LoanPeriodRow[]> {
  return db.getRepository(LoanPeriodRow).find({ where: { circleId: In(circleIds) }, order: { category: "ASC" } });
}

export function librarySettingsOfCircles(db: DataSource, circleIds: string[]): Promise<LibrarySettingsRow[]> {
  return db.getRepository(LibrarySettingsRow).findBy({ circleId: In(circleIds) });
}
