import type { MigrationInterface, QueryRunner } from "typeorm";

export class ToolLibrarySchema1795600000000 implements MigrationInterface {
  name = "ToolLibrarySchema1795600000000";

  async up(db: QueryRunner): Promise<void> {
    // Members as tools knows them: from network's events, and from their own requests.
    await db.query(`CREATE TABLE tools.members (
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      first_seen_at timestamptz NOT NULL,
      left_at timestamptz,
      PRIMARY KEY (circle_id, member_id)
    )`);

    await db.query(`CREATE TABLE tools.library_settings (
      circle_id uuid PRIMARY KEY,
      max_open_reservations integer NOT NULL CHECK (max_open_reservations BETWEEN 1 AND 50),
      reminder_interval_hours integer NOT NULL CHECK (reminder_interval_hours BETWEEN 1 AND 336),
      updated_at timestamptz NOT NULL,
      updated_by_member_id uuid NOT NULL
    )`);
    await db.query(`CREATE TABLE tools.loan_periods (
      circle_id uuid NOT NULL,
      category text NOT NULL,
      loan_days integer NOT NULL CHECK (loan_days BETWEEN 1 AND 90),
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (circle_id, category)
    )`);

    await db.query(`CREATE TABLE tools.tools (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
      category text NOT NULL CHECK (char_length(category) BETWEEN 1 AND 40),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
      safety_notes text NOT NULL DEFAULT '' CHECK (char_length(safety_notes) <= 2000),
      condition text NOT NULL CHECK (condition IN ('NEW', 'GOOD', 'WORN', 'NEEDS_REPAIR', 'RETIRED')),
      host_member_id uuid NOT NULL,
      holder_member_id uuid NOT NULL,
      location_cell text CHECK (location_cell ~ '^[0-9bcdefghjkmnpqrstuvwxyz]{1,6}$'),
      reservations_taken integer NOT NULL DEFAULT 0,
      waiting_count integer NOT NULL DEFAULT 0 CHECK (waiting_count >= 0),
      open_loan_id uuid,
      added_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      retired_at timestamptz,
      last_audited_at timestamptz,
      search tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || replace(category, '-', ' ') || ' ' || description)) STORED
    )`);
    // A circle's catalogue in name order is one range of this index, by category too.
    await db.query(`CREATE INDEX tools_by_circle_name ON tools.tools (circle_id, lower(name), id)`);
    await db.query(`CREATE INDEX tools_by_circle_category ON tools.tools (circle_id, category, lower(name), id)`);
    await db.query(`CREATE INDEX tools_search ON tools.tools USING gin (search)`);

    // Positions are handed out from tools.reservations_taken under the tool's row lock: consecutive, never reused.
    await db.query(`CREATE TABLE tools.reservations (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      tool_id uuid NOT NULL REFERENCES tools.tools(id),
      member_id uuid NOT NULL,
      position integer NOT NULL CHECK (position >= 1),
      status text NOT NULL CHECK (status IN ('WAITING', 'FULFILLED', 'CANCELLED')),
      reserved_at timestamptz NOT NULL,
      closed_at timestamptz,
      UNIQUE (tool_id, position)
    )`);
    await db.query(
      `CREATE UNIQUE INDEX reservations_one_waiting_per_member ON tools.reservations (tool_id, member_id) WHERE status = 'WAITING'`,
    );
    await db.query(
      `CREATE INDEX reservations_waiting_by_member ON tools.reservations (circle_id, member_id) WHERE status = 'WAITING'`,
    );

    await db.query(`CREATE TABLE tools.loans (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      tool_id uuid NOT NULL REFERENCES tools.tools(id),
      borrower_member_id uuid NOT NULL,
      host_member_id uuid NOT NULL,
      started_at timestamptz NOT NULL,
      started_cycle text NOT NULL,
      due_at timestamptz NOT NULL,
      renewals integer NOT NULL DEFAULT 0 CHECK (renewals >= 0),
      location_cell text,
      returned_at timestamptz,
      CHECK (borrower_member_id <> host_member_id)
    )`);
    await db.query(`CREATE UNIQUE INDEX loans_one_open_per_tool ON tools.loans (tool_id) WHERE returned_at IS NULL`);
    await db.query(`CREATE INDEX loans_by_cycle ON tools.loans (circle_id, started_cycle)`);

    await db.query(`CREATE TABLE tools.hand_offs (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      tool_id uuid NOT NULL REFERENCES tools.tools(id),
      from_member_id uuid NOT NULL,
      to_member_id uuid NOT NULL,
      proposed_by_member_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('PROPOSED', 'CONFIRMED', 'DECLINED', 'CANCELLED', 'LAPSED')),
      proposed_at timestamptz NOT NULL,
      decided_at timestamptz,
      CHECK (from_member_id <> to_member_id),
      CHECK (proposed_by_member_id IN (from_member_id, to_member_id))
    )`);
    await db.query(
      `CREATE UNIQUE INDEX hand_offs_one_pending_per_tool ON tools.hand_offs (tool_id) WHERE status = 'PROPOSED'`,
    );

    // The chain of custody: a tool has exactly one open spell, enforced by the table itself.
    await db.query(`CREATE TABLE tools.custody (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      tool_id uuid NOT NULL REFERENCES tools.tools(id),
      member_id uuid NOT NULL,
      held_from timestamptz NOT NULL,
      held_until timestamptz,
      hand_off_id uuid REFERENCES tools.hand_offs(id),
      CHECK (held_until IS NULL OR held_until >= held_from)
    )`);
    await db.query(
      `CREATE UNIQUE INDEX custody_one_holder_per_tool ON tools.custody (tool_id) WHERE held_until IS NULL`,
    );
    await db.query(`CREATE INDEX custody_by_tool ON tools.custody (tool_id, held_from DESC, id DESC)`);

    await db.query(`CREATE TABLE tools.maintenance (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      tool_id uuid NOT NULL REFERENCES tools.tools(id),
      kind text NOT NULL CHECK (kind IN ('AUDIT', 'REPAIR')),
      member_id uuid NOT NULL,
      condition text NOT NULL,
      notes text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 2000),
      minutes integer CHECK (minutes BETWEEN 1 AND 1440),
      parts text NOT NULL DEFAULT '' CHECK (char_length(parts) <= 500),
      exchange_id uuid,
      recorded_at timestamptz NOT NULL,
      cycle text NOT NULL,
      CHECK ((kind = 'REPAIR') = (minutes IS NOT NULL))
    )`);
    await db.query(`CREATE INDEX maintenance_by_tool ON tools.maintenance (tool_id, recorded_at DESC, id DESC)`);

    await db.query(`CREATE TABLE tools.tutorials (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      author_member_id uuid NOT NULL,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
      markdown text NOT NULL CHECK (char_length(markdown) <= 20000),
      categories text[] NOT NULL CHECK (cardinality(categories) BETWEEN 1 AND 5),
      steps text[] NOT NULL,
      published_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE INDEX tutorials_by_category ON tools.tutorials USING gin (categories)`);
    await db.query(`CREATE INDEX tutorials_newest ON tools.tutorials (published_at DESC, id DESC)`);

    await db.query(`CREATE TABLE tools.caretaker_volunteers (
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      volunteered_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      PRIMARY KEY (circle_id, member_id)
    )`);
    // One draw per circle and cycle: a second run, or a run after a crash, finds it and keeps it.
    await db.query(`CREATE TABLE tools.caretaker_draws (
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      commitment text NOT NULL,
      seed text NOT NULL,
      volunteers uuid[] NOT NULL,
      previous_duo uuid[] NOT NULL,
      duo uuid[] NOT NULL,
      drawn_at timestamptz NOT NULL,
      PRIMARY KEY (circle_id, cycle)
    )`);

    // The in-app inbox. dedupe_key makes a reminder delivered twice count once.
    await db.query(`CREATE TABLE tools.notifications (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('LOAN_OVERDUE', 'LOAN_STILL_OVERDUE', 'CARETAKERS_LOAN_OVERDUE')),
      tool_id uuid NOT NULL REFERENCES tools.tools(id),
      loan_id uuid NOT NULL REFERENCES tools.loans(id),
      due_at timestamptz NOT NULL,
      dedupe_key text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL
    )`);
    await db.query(
      `CREATE INDEX notifications_inbox ON tools.notifications (circle_id, member_id, created_at DESC, id DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      "notifications",
      "caretaker_draws",
      "caretaker_volunteers",
      "tutorials",
      "maintenance",
      "custody",
      "hand_offs",
      "loans",
      "reservations",
      "tools",
      "loan_periods",
      "library_settings",
      "members",
    ]) {
      await db.query(`DROP TABLE tools.${table}`);
    }
  }
}
