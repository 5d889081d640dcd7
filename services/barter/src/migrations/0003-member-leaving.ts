import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A member who leaves keeps their account row, marked closed, so their history stays whole; their
 * balance returns to the commons as a MEMBER_LEFT transfer.
 */
export class MemberLeaving1795421100000 implements MigrationInterface {
  name = "MemberLeaving1795421100000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE barter.accounts ADD COLUMN closed_at timestamptz`);
    await db.query(
      `ALTER TABLE barter.accounts ADD CONSTRAINT accounts_only_members_close CHECK (closed_at IS NULL OR kind = 'MEMBER')`,
    );
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_kind_check`);
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EXCHANGE', 'CREDITS_EXPIRED', 'DEBTS_ANNULLED', 'MEMBER_LEFT'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_kind_check`);
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EXCHANGE', 'CREDITS_EXPIRED', 'DEBTS_ANNULLED'))`,
    );
    await db.query(`ALTER TABLE barter.accounts DROP CONSTRAINT accounts_only_members_close`);
    await db.query(`ALTER TABLE barter.accounts DROP COLUMN closed_at`);
  }
}
