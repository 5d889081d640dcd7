import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Caretaker duos are drawn by witnessed draws (the kit's `witnessed_draws`, created just before this
 * one): a duo names its draw, and a carried-over duo has no draw seed.
 */
export class ToolsWitnessedCaretakerDraws1796000000200 implements MigrationInterface {
  name = "ToolsWitnessedCaretakerDraws1796000000200";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tools.caretaker_draws ADD COLUMN draw_id uuid`);
    await db.query(`ALTER TABLE tools.caretaker_draws ALTER COLUMN commitment DROP NOT NULL`);
    await db.query(`ALTER TABLE tools.caretaker_draws ALTER COLUMN seed DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tools.caretaker_draws DROP COLUMN draw_id`);
  }
}
