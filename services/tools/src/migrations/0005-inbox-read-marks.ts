import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * How far each member has read their inbox: one instant per member, so "unread" is every
 * notification written after it. A mark, not a flag per notification: marking read is one row
 * whatever the inbox holds, and a notification that arrives while the member reads stays unread.
 */
export class ToolsInboxReadMarks1796500000500 implements MigrationInterface {
  name = "ToolsInboxReadMarks1796500000500";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE tools.inbox_read_marks (
      member_id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      read_up_to timestamptz NOT NULL
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE tools.inbox_read_marks`);
  }
}
