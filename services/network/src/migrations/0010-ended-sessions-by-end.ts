import type { MigrationInterface, QueryRunner } from "typeorm";

/** Ended sessions by when they ended: the pruning job finds the ones no token can use any more without a scan. */
export class NetworkEndedSessionsByEnd1795700001000 implements MigrationInterface {
  name = "NetworkEndedSessionsByEnd1795700001000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX ended_sessions_ended_at ON network.ended_sessions (ended_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX network.ended_sessions_ended_at`);
  }
}
