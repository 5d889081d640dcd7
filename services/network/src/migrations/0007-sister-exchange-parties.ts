import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The two members of each confirmed sister exchange, as barter's events tell it: the only way a
 * member of one circle reads a handle of another (their counterpart's, in that exchange). Network
 * consumes events again (barter's), so the record of consumed ones that 0003 dropped comes back.
 */
export class NetworkSisterExchangeParties1795700000500 implements MigrationInterface {
  name = "NetworkSisterExchangeParties1795700000500";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE network.sister_exchange_parties (
        exchange_id uuid NOT NULL,
        member_id uuid NOT NULL,
        circle_id uuid NOT NULL,
        PRIMARY KEY (exchange_id, member_id)
      )`);
    await db.query(
      `CREATE TABLE IF NOT EXISTS network.consumed_events (event_id uuid PRIMARY KEY, consumed_at timestamptz NOT NULL DEFAULT now(), rejected_because text)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE network.consumed_events`);
    await db.query(`DROP TABLE network.sister_exchange_parties`);
  }
}
