import type { MigrationInterface, QueryRunner } from "typeorm";

export class SovereigntySchema1795498809819 implements MigrationInterface {
  name = "SovereigntySchema1795498809819";

  async up(db: QueryRunner): Promise<void> {
    // The ledger: one row per need met without a coercive intermediary, from a service's event or by hand.
    await db.query(`CREATE TABLE sovereignty.sovereignty_events (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      cycle text NOT NULL CHECK (cycle ~ '^\\d{4}-\\d{2}-\\d{2}$'),
      kind text NOT NULL,
      count integer NOT NULL CHECK (count BETWEEN 1 AND 100000),
      minutes integer NOT NULL DEFAULT 0 CHECK (minutes >= 0),
      source text NOT NULL CHECK (source IN ('SERVICE', 'HAND')),
      source_event_id uuid UNIQUE,
      recorded_by uuid,
      idempotency_key uuid,
      recorded_at timestamptz NOT NULL,
      CHECK ((source = 'SERVICE') = (source_event_id IS NOT NULL)),
      UNIQUE (circle_id, idempotency_key)
    )`);
    await db.query(
      `CREATE INDEX sovereignty_events_by_cycle ON sovereignty.sovereignty_events (circle_id, cycle, kind)`,
    );
    await db.query(
      `CREATE INDEX sovereignty_events_newest ON sovereignty.sovereignty_events (circle_id, recorded_at DESC, id DESC)`,
    );

    // Members who took part in an exchange or a loan, per cycle and kind: the people behind those figures.
    await db.query(`CREATE TABLE sovereignty.active_members (
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      kind text NOT NULL,
      member_id uuid NOT NULL,
      PRIMARY KEY (circle_id, cycle, kind, member_id)
    )`);
    await db.query(`CREATE INDEX active_members_by_member ON sovereignty.active_members (circle_id, member_id)`);

    // The figures of an ended cycle as published (suppressed), kept when the cycle closes.
    await db.query(`CREATE TABLE sovereignty.cycle_scores (
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      figures jsonb NOT NULL,
      computed_at timestamptz NOT NULL,
      PRIMARY KEY (circle_id, cycle)
    )`);
    // One published figure per row, for comparisons sorted by any metric and 12-cycle trends.
    await db.query(`CREATE TABLE sovereignty.published_figures (
      circle_id uuid NOT NULL,
      metric text NOT NULL,
      cycle text NOT NULL,
      value double precision NOT NULL,
      PRIMARY KEY (circle_id, metric, cycle)
    )`);
    await db.query(
      `CREATE INDEX published_figures_ranking ON sovereignty.published_figures (cycle, metric, value DESC, circle_id DESC)`,
    );

    await db.query(`CREATE TABLE sovereignty.circle_settings (
      circle_id uuid PRIMARY KEY,
      is_opted_out_of_comparison boolean NOT NULL DEFAULT false,
      updated_by uuid NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await db.query(
      `CREATE INDEX circle_settings_opted_out ON sovereignty.circle_settings (circle_id) WHERE is_opted_out_of_comparison`,
    );

    await db.query(`CREATE TABLE sovereignty.stories (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
      teller_member_id uuid,
      teller_consents boolean NOT NULL,
      review text NOT NULL CHECK (review IN ('AWAITING', 'APPROVED', 'DECLINED')),
      reviewed_by uuid,
      reviewed_at timestamptz,
      submitted_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE INDEX stories_by_circle ON sovereignty.stories (circle_id, submitted_at DESC, id DESC)`);

    await db.query(`CREATE TABLE sovereignty.needs (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      category text NOT NULL,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
      people_waiting integer NOT NULL CHECK (people_waiting BETWEEN 1 AND 10000),
      posted_by uuid NOT NULL,
      posted_at timestamptz NOT NULL,
      closed_at timestamptz
    )`);
    await db.query(
      `CREATE INDEX needs_open ON sovereignty.needs (circle_id, posted_at DESC, id DESC) WHERE closed_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      "needs",
      "stories",
      "circle_settings",
      "published_figures",
      "cycle_scores",
      "active_members",
      "sovereignty_events",
    ]) {
      await db.query(`DROP TABLE sovereignty.${table}`);
    }
  }
}
