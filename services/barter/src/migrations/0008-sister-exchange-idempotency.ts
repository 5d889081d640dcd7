import type { MigrationInterface, QueryRunner } from "typeorm";

/** A sister exchange proposal may carry the client's idempotency key, as an exchange inside a circle does. */
export class SisterExchangeIdempotency1796500000300 implements MigrationInterface {
  name = "SisterExchangeIdempotency1796500000300";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE barter.sister_exchanges ADD COLUMN idempotency_key text`);
    await db.query(
      `CREATE UNIQUE INDEX sister_exchanges_idempotency ON barter.sister_exchanges (proposer_member_id, idempotency_key)
         WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX barter.sister_exchanges_idempotency`);
    await db.query(`ALTER TABLE barter.sister_exchanges DROP COLUMN idempotency_key`);
  }
}
