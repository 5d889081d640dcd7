import type { MigrationInterface, QueryRunner } from "typeorm";

/** A hand-recorded event's idempotency key is any string up to 100 characters, as elsewhere in the hub, not only a UUID. */
export class IdempotencyKeysOfAnyString1795498809822 implements MigrationInterface {
  name = "IdempotencyKeysOfAnyString1795498809822";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sovereignty.sovereignty_events ALTER COLUMN idempotency_key TYPE text`);
    await db.query(
      `ALTER TABLE sovereignty.sovereignty_events ADD CONSTRAINT sovereignty_events_idempotency_key_length
         CHECK (char_length(idempotency_key) BETWEEN 1 AND 100)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE sovereignty.sovereignty_events DROP CONSTRAINT sovereignty_events_idempotency_key_length`,
    );
    await db.query(`DELETE FROM sovereignty.sovereignty_events WHERE idempotency_key !~ '^[0-9a-fA-F-]{36}$'`);
    await db.query(
      `ALTER TABLE sovereignty.sovereignty_events ALTER COLUMN idempotency_key TYPE uuid USING idempotency_key::uuid`,
    );
  }
}
