import type { MigrationInterface, QueryRunner } from "typeorm";

/** Each refresh token carries its login session, kept through rotation and named in access tokens, so logout can end the access tokens too. */
export class NetworkSessionIds1795700000200 implements MigrationInterface {
  name = "NetworkSessionIds1795700000200";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE network.refresh_tokens ADD COLUMN session_id uuid NOT NULL DEFAULT gen_random_uuid()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE network.refresh_tokens DROP COLUMN session_id`);
  }
}
