import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Refresh tokens, and members who leave: a member who left keeps a row (the circle's history
 * points at it) with a tombstone handle and no person, passphrase, bloc or roles, so the same
 * person may join again under a new membership.
 */
export class NetworkSessionsAndLeaving1795700000000 implements MigrationInterface {
  name = "NetworkSessionsAndLeaving1795700000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE network.members ADD COLUMN left_at timestamptz`);
    await db.query(`ALTER TABLE network.members ALTER COLUMN person_id DROP NOT NULL`);
    await db.query(`ALTER TABLE network.members ALTER COLUMN passphrase_hash DROP NOT NULL`);
    await db.query(`ALTER TABLE network.members ALTER COLUMN bloc DROP NOT NULL`);
    await db.query(`ALTER TABLE network.members ADD CONSTRAINT members_left_hold_nothing
      CHECK (left_at IS NULL OR (person_id IS NULL AND passphrase_hash IS NULL AND bloc IS NULL AND roles = '{}'))`);
    await db.query(`ALTER TABLE network.members ADD CONSTRAINT members_present_are_whole
      CHECK (left_at IS NOT NULL OR (person_id IS NOT NULL AND passphrase_hash IS NOT NULL AND bloc IS NOT NULL))`);
    await db.query(
      `CREATE INDEX members_present_by_circle ON network.members (circle_id, lower(handle)) WHERE left_at IS NULL`,
    );
    await db.query(`CREATE TABLE network.refresh_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL REFERENCES network.persons(id),
      member_id uuid NOT NULL REFERENCES network.members(id),
      token_hash text NOT NULL UNIQUE,
      issued_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      replaced_at timestamptz,
      revoked_at timestamptz
    )`);
    await db.query(
      `CREATE INDEX refresh_tokens_live_by_person ON network.refresh_tokens (person_id) WHERE revoked_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX refresh_tokens_live_by_member ON network.refresh_tokens (member_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE network.refresh_tokens`);
    await db.query(`DROP INDEX network.members_present_by_circle`);
    await db.query(`ALTER TABLE network.members DROP CONSTRAINT members_present_are_whole`);
    await db.query(`ALTER TABLE network.members DROP CONSTRAINT members_left_hold_nothing`);
    await db.query(`ALTER TABLE network.members DROP COLUMN left_at`);
  }
}
