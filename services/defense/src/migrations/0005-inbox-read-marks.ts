import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * How far each member has read their defense inbox: one instant per member, so "unread" is every
 * notification written after it. Only the member reads or moves it; nothing else refers to it.
 */
export class DefenseInboxReadMarks1796500000100 implements MigrationInterface {
  name = "DefenseInboxReadMarks1796500000100";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE defense.inbox_read_marks (
      member_id uuid PRIMARY KEY,
      read_up_to timestamptz NOT NULL
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE defense.inbox_read_marks`);
  }
}
