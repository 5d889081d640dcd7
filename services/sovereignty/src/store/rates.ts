import type { EntityManager } from "typeorm";
import type { MoneyRates } from "../domain/money.js";

type Queryable = Pick<EntityManager, "query">;

interface RateRow {
  currency: string;
  hour_value_minor: number;
  loan_value_minor: number;
  set_at: Date;
}

const toRates = (row: RateRow | undefined) =>
  row && {
    currency: row.currency,
    hourValueMinor: row.hour_value_minor,
    loanValueMinor: row.loan_value_minor,
    setAt: new Date(row.set_at),
  };

/** Sets a circle's rates from `now` on; setting them twice at the same instant keeps the last. */
export async function setMoneyRates(db: Queryable, circleId: string, rates: MoneyRates, now: Date): Promise<void> {
  await db.query(
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
): Promise<{ inForce: (MoneyRates & { setAt: Date }) | undefined; first: (MoneyRates & { setAt: Date }) | undefined }> {
  const [inForce]: RateRow[] = await db.query(
    `SELECT currency, hour_value_minor, loan_value_minor, set_at FROM money_rates
     WHERE circle_id = $1 AND set_at < $2 ORDER BY set_at DESC LIMIT 1`,
    [circleId, at],
  );
  const [first]: RateRow[] = inForce
    ? []
    : await db.query(
        `SELECT currency, hour_value_minor, loan_value_minor, set_at FROM money_rates
         WHERE circle_id = $1 ORDER BY set_at ASC LIMIT 1`,
        [circleId],
      );
  return { inForce: toRates(inForce), first: toRates(first) };
}

/** The rates in force at `now` (the last set), if the circle ever set any. */
export async function currentRates(
  db: Queryable,
  circleId: string,
  now: Date,
): Promise<(MoneyRates & { setAt: Date }) | undefined> {
  const [row]: RateRow[] = await db.query(
    `SELECT currency, hour_value_minor, loan_value_minor, set_at FROM money_rates
     WHERE circle_id = $1 AND set_at <= $2 ORDER BY set_at DESC LIMIT 1`,
    [circleId, now],
  );
  return toRates(row);
}
