import type { MigrationInterface, QueryRunner } from "typeorm";

/** The bloc breakdown members may read, one row per circle and cycle (see kit's privacy rule). */
export class NetworkBlocSnapshots1795700000300 implements MigrationInterface {
  name = "NetworkBlocSnapshots1795700000300";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE network.bloc_snapshots (
        circle_id uuid NOT NULL REFERENCES network.circles(id),
        cycle text NOT NULL,
        counted_at timestamptz NOT NULL,
        edge integer NOT NULL CHECK (edge >= 0),
        advantaged integer NOT NULL CHECK (advantaged >= 0),
        PRIMARY KEY (circle_id, cycle)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE network.bloc_snapshots`);
  }
}
