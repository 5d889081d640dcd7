import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A member's own pledges and requests: read newest first by the member alone (an index per list on
 * circle, member and the instant it was made), and withdrawn by the member alone. A fund pledge
 * records when it was withdrawn; a request to the fund gains the WITHDRAWN status housing requests
 * already have, and the instant of withdrawal.
 */
export class OwnCommitmentsWithdrawn1796600000000 implements MigrationInterface {
  name = "OwnCommitmentsWithdrawn1796600000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX housing_pledges_of_member ON defense.housing_pledges (circle_id, host_member_id, pledged_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX housing_requests_of_member ON defense.housing_requests (circle_id, requester_member_id, requested_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX fund_pledges_of_member ON defense.fund_pledges (circle_id, member_id, pledged_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX disbursement_requests_of_member ON defense.disbursement_requests (circle_id, recipient_member_id, requested_at DESC, id DESC)`,
    );
    await db.query(`ALTER TABLE defense.fund_pledges ADD COLUMN withdrawn_at timestamptz`);
    await db.query(`ALTER TABLE defense.housing_requests ADD COLUMN withdrawn_at timestamptz`);
    await db.query(`ALTER TABLE defense.disbursement_requests ADD COLUMN withdrawn_at timestamptz`);
    await db.query(
      `ALTER TABLE defense.disbursement_requests DROP CONSTRAINT disbursement_requests_status_check,
         ADD CONSTRAINT disbursement_requests_status_check CHECK (status IN ('REQUESTED', 'APPROVED', 'DECLINED', 'PAID', 'WITHDRAWN'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE defense.disbursement_requests DROP CONSTRAINT disbursement_requests_status_check,
         ADD CONSTRAINT disbursement_requests_status_check CHECK (status IN ('REQUESTED', 'APPROVED', 'DECLINED', 'PAID'))`,
    );
    await db.query(`ALTER TABLE defense.disbursement_requests DROP COLUMN withdrawn_at`);
    await db.query(`ALTER TABLE defense.housing_requests DROP COLUMN withdrawn_at`);
    await db.query(`ALTER TABLE defense.fund_pledges DROP COLUMN withdrawn_at`);
    await db.query(`DROP INDEX defense.disbursement_requests_of_member`);
    await db.query(`DROP INDEX defense.fund_pledges_of_member`);
    await db.query(`DROP INDEX defense.housing_requests_of_member`);
    await db.query(`DROP INDEX defense.housing_pledges_of_member`);
  }
}
