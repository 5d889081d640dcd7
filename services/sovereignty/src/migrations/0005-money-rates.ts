import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The rates each circle values an hour exchanged and a loan made at (S2's money kept out of banks
 * and bureaucracies), kept as a history so that a closed cycle is always valued at the rates in
 * force when it ended.
 */
export class MoneyRates1795498809823 implements MigrationInterface {
  name = "MoneyRates1795498809823";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE sovereignty.money_rates (
      circle_id uuid NOT NULL,
      set_at timestamptz NOT NULL,
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      hour_value_minor int NOT NULL CHECK (hour_value_minor >= 0),
      loan_value_minor int NOT NULL CHECK (loan_value_minor >= 0),
      PRIMARY KEY (circle_id, set_at)
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sovereignty.money_rates`);
  }
}
