import type { MigrationInterface, QueryRunner } from "typeorm";

/** A closed cycle's figures, recorded when its expiry completes, so a published summary never changes afterwards. */
export class RecordedCycleFigures1795421000000 implements MigrationInterface {
  name = "RecordedCycleFigures1795421000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE barter.cycle_figures (
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      cycle text NOT NULL,
      figures jsonb NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (circle_id, cycle)
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE barter.cycle_figures`);
  }
}
