import type { MigrationInterface, QueryRunner } from "typeorm";

/** Network consumes no events (it only emits them), so it keeps no record of consumed ones. */
export class NetworkNoInbox1795700000100 implements MigrationInterface {
  name = "NetworkNoInbox1795700000100";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS network.consumed_events`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE network.consumed_events (event_id uuid PRIMARY KEY, consumed_at timestamptz NOT NULL DEFAULT now())`,
    );
  }
}
