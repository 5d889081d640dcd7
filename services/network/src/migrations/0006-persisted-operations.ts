import type { MigrationInterface, QueryRunner } from "typeorm";

/** Trusted documents: operations an organizer (for their circle's API keys) or the operator (hub-wide) registered. */
export class NetworkPersistedOperations1795700000400 implements MigrationInterface {
  name = "NetworkPersistedOperations1795700000400";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE network.persisted_operations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        circle_id uuid REFERENCES network.circles(id),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        document text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX persisted_operations_scope_hash ON network.persisted_operations (coalesce(circle_id, '00000000-0000-0000-0000-000000000000'::uuid), hash)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE network.persisted_operations`);
  }
}
