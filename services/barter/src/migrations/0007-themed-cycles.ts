import type { MigrationInterface, QueryRunner } from "typeorm";

/** Themed cycles and pop-up skill shares (B7). Places are block-level geohashes of at most 6 characters. */
export class ThemedCycles1795700000200 implements MigrationInterface {
  name = "ThemedCycles1795700000200";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE barter.cycle_themes (
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      cycle text NOT NULL,
      theme text NOT NULL CHECK (char_length(theme) BETWEEN 1 AND 60),
      skills text[] NOT NULL CHECK (cardinality(skills) BETWEEN 1 AND 8),
      set_at timestamptz NOT NULL,
      PRIMARY KEY (circle_id, cycle)
    )`);
    await db.query(`CREATE TABLE barter.skill_shares (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      host_member_id uuid NOT NULL,
      skill text NOT NULL,
      starts_at timestamptz NOT NULL,
      place_geohash text NOT NULL CHECK (place_geohash ~ '^[0-9b-hjkmnp-z]{1,6}$'),
      capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 200),
      minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
      announced_at timestamptz NOT NULL,
      attendance_recorded_at timestamptz
    )`);
    await db.query(`CREATE INDEX skill_shares_by_circle ON barter.skill_shares (circle_id, starts_at DESC, id DESC)`);
    await db.query(`CREATE TABLE barter.skill_share_signups (
      skill_share_id uuid NOT NULL REFERENCES barter.skill_shares(id),
      member_id uuid NOT NULL,
      position bigint GENERATED ALWAYS AS IDENTITY,
      signed_up_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      PRIMARY KEY (skill_share_id, member_id)
    )`);
    await db.query(
      `CREATE INDEX skill_share_signups_in_order ON barter.skill_share_signups (skill_share_id, position) WHERE withdrawn_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ["skill_share_signups", "skill_shares", "cycle_themes"])
      await db.query(`DROP TABLE barter.${table}`);
  }
}
