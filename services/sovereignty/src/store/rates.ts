import { sqlRow, type Queryable } from "@rhizome/kit";
import type { MoneyRates } from "../domain/money.js";

/** The rates a circle values its hours and loans at from `setAt` on (table `money_rates`, without its circle): a history, never updated. */
export interface MoneyRateRow extends MoneyRates {
  setAt: Date;
}

const RATE_COLUMNS = `currency, hour_value_minor, loan_value_minor, set_at`;

/** Sets a circle's rates from `now` on; setting them twice at the same instant keeps the last. */
export async function insertMoneyRates(tx: Queryable, circleId: string, rates: MoneyRates, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO money_rates (circle_id, set_at, currency, hour_value_minor, loan_value_minor) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id, set_at) DO UPDATE SET currency = $3, hour_value_minor = $4, loan_value_minor = $5`,
    [circleId, now, rates.currency, rates.hourValueMinor, rates.loanValueMinor],
  );
}

/** The rates in force just before `at` (undefined when none were set before), and the first ever set. */
export async function ratesAround(
  db: Queryable,
  circleId: string,
  at: Date,
): Promise<{ inForce: MoneyRateRow | undefined; first: MoneyRateRow | undefined }> {
  const inForce = await sqlRow<MoneyRateRow>(
    db,
    `SELECT ${RATE_COLUMNS} FROM money_rates WHERE circle_id = $1 AND set_at < $2 ORDER BY set_at DESC LIMIT 1`,
    [circleId, at],
  );
  const first = inForce
    ? undefined
    : await sqlRow<MoneyRateRow>(
        db,
        `SELECT ${RATE_COLUMNS} FROM money_rates WHERE circle_id = $1 ORDER BY set_at ASC LIMIT 1`,
        [circleId],
      );
  return { inForce, first };
}

/** The rates in force at `now` (the last set), if the circle ever set any. */
export async function currentRates(db: Queryable, circleId: string, now: Date): Promise<MoneyRateRow | undefined> {
  return sqlRow<MoneyRateRow>(
    db,
    `SELECT ${RATE_COLUMNS} FROM money_rates WHERE circle_id = $1 AND set_at <= $2 ORDER BY set_at DESC LIMIT 1`,
    [circleId, now],
  );
}
