import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every member may submit an item to a shadow assembly; only edge members' items are published, all
 * at once when the agenda closes. `publishes` says which, and is never shown. Earlier items came from
 * edge members only, so they all publish.
 */
export class GovernanceSealedShadowAgenda1796000000200 implements MigrationInterface {
  name = "GovernanceSealedShadowAgenda1796000000200";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE governance.agenda_items ADD COLUMN publishes boolean NOT NULL DEFAULT true`);
    await db.query(`ALTER TABLE governance.agenda_items ALTER COLUMN publishes DROP DEFAULT`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE governance.agenda_items DROP COLUMN publishes`);
  }
}
