import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Login sessions ended by logout or by a copied refresh token, written in the transaction that
 * ends them, so network reads a caller's memberships and whether their session still stands in
 * one statement (Redis keeps telling the other services).
 */
export class NetworkEndedSessions1795700000700 implements MigrationInterface {
  name = "NetworkEndedSessions1795700000700";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE network.ended_sessions (
        session_id uuid PRIMARY KEY,
        ended_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE network.ended_sessions`);
  }
}
