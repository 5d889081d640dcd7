import type { MigrationInterface, QueryRunner } from "typeorm";

/** What the overdue-reminder sweep reads: open loans by due date, and the reminders each already got. */
export class ToolsReminderSweep1795600000100 implements MigrationInterface {
  name = "ToolsReminderSweep1795600000100";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX loans_open_by_due ON tools.loans (due_at, id) WHERE returned_at IS NULL`);
    await db.query(`CREATE INDEX notifications_by_loan ON tools.notifications (loan_id, due_at, kind)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX tools.notifications_by_loan`);
    await db.query(`DROP INDEX tools.loans_open_by_due`);
  }
}
