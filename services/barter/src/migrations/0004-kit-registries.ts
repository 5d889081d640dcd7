import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Moves barter onto the kit's shared parts: the circles it knew (circle_settings.first_seen_at)
 * enter the kit's registry of known circles, finished expiries become the kit's run records of the
 * "expiry" cycle job, and the outbox goes, since barter emits no events. Runs after the kit's own
 * migrations (1795600000000-2), which create those tables.
 */
export class KitRegistries1795600000100 implements MigrationInterface {
  name = "KitRegistries1795600000100";

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `INSERT INTO barter.known_circles (circle_id, first_seen_at) SELECT circle_id, first_seen_at FROM barter.circle_settings ON CONFLICT DO NOTHING`,
    );
    await db.query(
      `INSERT INTO barter.cycle_runs (purpose, circle_id, cycle, started_at, finished_at)
       SELECT 'expiry', circle_id, cycle, started_at, finished_at FROM barter.expiry_runs ON CONFLICT DO NOTHING`,
    );
    await db.query(`DROP TABLE IF EXISTS barter.outbox`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE barter.outbox (id uuid PRIMARY KEY, topic text NOT NULL, circle_id uuid NOT NULL, payload jsonb NOT NULL, occurred_at timestamptz NOT NULL)`,
    );
  }
}
