import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An audit or a repair may carry its recorder's idempotency key, so one sent again from a phone's
 * outbox is recorded once: unique per circle and recorder.
 */
export class ToolsMaintenanceIdempotency1796600000600 implements MigrationInterface {
  name = "ToolsMaintenanceIdempotency1796600000600";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tools.maintenance ADD COLUMN idempotency_key text`);
    await db.query(
      `CREATE UNIQUE INDEX maintenance_idempotency ON tools.maintenance (circle_id, member_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX tools.maintenance_idempotency`);
    await db.query(`ALTER TABLE tools.maintenance DROP COLUMN idempotency_key`);
  }
}
