import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The inbox also tells members waiting for a tool that it was retired: such a message is about a
 * reservation, not a loan, so it has no loan and no due date.
 */
export class ToolsToolRetiredNotices1796500000400 implements MigrationInterface {
  name = "ToolsToolRetiredNotices1796500000400";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tools.notifications DROP CONSTRAINT notifications_kind_check`);
    await db.query(
      `ALTER TABLE tools.notifications ADD CONSTRAINT notifications_kind_check
         CHECK (kind IN ('LOAN_OVERDUE', 'LOAN_STILL_OVERDUE', 'CARETAKERS_LOAN_OVERDUE', 'TOOL_RETIRED'))`,
    );
    await db.query(`ALTER TABLE tools.notifications ALTER COLUMN loan_id DROP NOT NULL`);
    await db.query(`ALTER TABLE tools.notifications ALTER COLUMN due_at DROP NOT NULL`);
    await db.query(
      `ALTER TABLE tools.notifications ADD CONSTRAINT notifications_loan_kinds_have_a_loan
         CHECK (kind = 'TOOL_RETIRED' OR (loan_id IS NOT NULL AND due_at IS NOT NULL))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM tools.notifications WHERE kind = 'TOOL_RETIRED'`);
    await db.query(`ALTER TABLE tools.notifications DROP CONSTRAINT notifications_loan_kinds_have_a_loan`);
    await db.query(`ALTER TABLE tools.notifications ALTER COLUMN due_at SET NOT NULL`);
    await db.query(`ALTER TABLE tools.notifications ALTER COLUMN loan_id SET NOT NULL`);
    await db.query(`ALTER TABLE tools.notifications DROP CONSTRAINT notifications_kind_check`);
    await db.query(
      `ALTER TABLE tools.notifications ADD CONSTRAINT notifications_kind_check
         CHECK (kind IN ('LOAN_OVERDUE', 'LOAN_STILL_OVERDUE', 'CARETAKERS_LOAN_OVERDUE'))`,
    );
  }
}
