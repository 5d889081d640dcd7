import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Completions in doubt: a payee's confirmation that this hub sent towards the payer's side without
 * hearing the answer (a hub on the way failed). The payer's side may have committed it, so the
 * hub re-sends it until every node agrees. No foreign key: the row is written from outside the
 * transaction that holds the transaction's row locked.
 */
export class CreditCommonsRetries1796600000000 implements MigrationInterface {
  name = "CreditCommonsRetries1796600000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE barter.cc_completions_in_doubt (
      transaction_uuid uuid PRIMARY KEY,
      consented_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_attempt_at timestamptz
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE barter.cc_completions_in_doubt`);
  }
}
