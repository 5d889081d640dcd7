import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Needs members have open elsewhere in the hub (barter requests, tool reservations waiting), as
 * their producers announce them: one row per need and category, deleted when the need closes.
 */
export class WaitingNeeds1795498809820 implements MigrationInterface {
  name = "WaitingNeeds1795498809820";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE sovereignty.waiting_needs (
      source text NOT NULL CHECK (source IN ('REQUEST', 'RESERVATION')),
      source_id uuid NOT NULL,
      category text NOT NULL CHECK (char_length(category) BETWEEN 1 AND 40),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      opened_at timestamptz NOT NULL,
      PRIMARY KEY (source, source_id, category)
    )`);
    await db.query(
      `CREATE INDEX waiting_needs_by_category ON sovereignty.waiting_needs (circle_id, category, member_id)`,
    );
    await db.query(`CREATE INDEX waiting_needs_by_member ON sovereignty.waiting_needs (circle_id, member_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sovereignty.waiting_needs`);
  }
}
