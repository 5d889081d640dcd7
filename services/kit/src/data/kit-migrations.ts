import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Tables the kit keeps inside a service's own schema, created only for the parts the service uses:
 * an outbox for a service that emits events, cursors and a dedupe record for one that consumes,
 * the registry of known circles and the run records of lunar cycle jobs. Migrations run with the
 * service's schema on the search path, so names are unqualified.
 */
/** The event tables the first migrations of network and barter created, before the log was read in order (kept so those migrations stay as they ran). */
export function firstEventTablesSql(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.outbox (
      id uuid PRIMARY KEY,
      topic text NOT NULL,
      circle_id uuid NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`,
    `CREATE INDEX outbox_unpublished ON ${schema}.outbox (occurred_at) WHERE published_at IS NULL`,
    `CREATE TABLE ${schema}.consumed_events (
      event_id uuid PRIMARY KEY,
      consumed_at timestamptz NOT NULL DEFAULT now()
    )`,
  ];
}

export class KitEventOutbox1795600000000 implements MigrationInterface {
  name = "KitEventOutbox1795600000000";
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS outbox (
      id uuid PRIMARY KEY,
      topic text NOT NULL,
      circle_id uuid NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL
    )`);
    // Rows written before the log was read in order keep this migration's transaction id.
    await db.query(`ALTER TABLE outbox ADD COLUMN IF NOT EXISTS tx xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await db.query(`ALTER TABLE outbox ADD COLUMN IF NOT EXISTS seq bigserial`);
    await db.query(`CREATE INDEX IF NOT EXISTS outbox_log_order ON outbox (tx, seq)`);
    await db.query(`DROP INDEX IF EXISTS outbox_unpublished`);
    await db.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS published_at`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
  }
}

export class KitEventInbox1795600000001 implements MigrationInterface {
  name = "KitEventInbox1795600000001";
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS consumed_events (
      event_id uuid PRIMARY KEY,
      consumed_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`ALTER TABLE consumed_events ADD COLUMN IF NOT EXISTS rejected_because text`);
    await db.query(`CREATE TABLE IF NOT EXISTS event_cursors (
      source text PRIMARY KEY,
      position text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE TABLE IF NOT EXISTS known_circles (
      circle_id uuid PRIMARY KEY,
      first_seen_at timestamptz NOT NULL
    )`);
  }
  async down(db: QueryRunner): Promise<void> {
    for (const table of ["known_circles", "event_cursors", "consumed_events"]) await db.query(`DROP TABLE ${table}`);
  }
}

export class KitCycleRuns1795600000002 implements MigrationInterface {
  name = "KitCycleRuns1795600000002";
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS known_circles (
      circle_id uuid PRIMARY KEY,
      first_seen_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE TABLE IF NOT EXISTS cycle_runs (
      purpose text NOT NULL,
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      progress jsonb,
      outcome jsonb,
      PRIMARY KEY (purpose, circle_id, cycle)
    )`);
    await db.query(
      `CREATE INDEX IF NOT EXISTS cycle_runs_finished ON cycle_runs (purpose, circle_id, cycle) WHERE finished_at IS NOT NULL`,
    );
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE cycle_runs`);
  }
}

export function kitMigrations(uses: {
  emitsEvents: boolean;
  consumesEvents: boolean;
  runsCycleJobs: boolean;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for lists of entity and migration classes
}): Function[] {
  return [
    ...(uses.emitsEvents ? [KitEventOutbox1795600000000] : []),
    ...(uses.consumesEvents ? [KitEventInbox1795600000001] : []),
    ...(uses.runsCycleJobs ? [KitCycleRuns1795600000002] : []),
  ];
}
