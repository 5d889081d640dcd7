import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What keeps a bloc private against someone who knows every other one: seats taken without regard to
 * bloc, with their history (so a body's composition can be counted as it stood at a new moon); the
 * composition members read, one row per body and cycle; the power map's per-bloc figures, one row per
 * node and cycle, with running counts of declarations and withdrawals (so a new figure replaces the
 * published one only after a cohort of changes); and members' own bloc changes waiting for the new moon.
 */
export class GovernanceBlocPrivacy1795498808787 implements MigrationInterface {
  name = "GovernanceBlocPrivacy1795498808787";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE governance.seat_history (
      body_id uuid NOT NULL REFERENCES governance.bodies (id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('EDGE', 'ADVANTAGED')),
      taken_at timestamptz NOT NULL,
      left_at timestamptz,
      CHECK (left_at IS NULL OR left_at >= taken_at)
    )`);
    await db.query(
      `CREATE UNIQUE INDEX seat_history_open ON governance.seat_history (body_id, member_id) WHERE left_at IS NULL`,
    );
    await db.query(`CREATE INDEX seat_history_by_body ON governance.seat_history (body_id, taken_at)`);
    await db.query(
      `CREATE INDEX seat_history_by_member ON governance.seat_history (circle_id, member_id) WHERE left_at IS NULL`,
    );
    await db.query(
      `INSERT INTO governance.seat_history (body_id, circle_id, member_id, kind, taken_at) SELECT body_id, circle_id, member_id, kind, taken_at FROM governance.seats`,
    );

    await db.query(`CREATE TABLE governance.body_compositions (
      body_id uuid NOT NULL REFERENCES governance.bodies (id),
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      counted_at timestamptz NOT NULL,
      seated int NOT NULL CHECK (seated >= 0),
      holds boolean NOT NULL,
      PRIMARY KEY (body_id, cycle)
    )`);

    await db.query(
      `ALTER TABLE governance.power_nodes ADD COLUMN declarations bigint NOT NULL DEFAULT 0, ADD COLUMN withdrawals bigint NOT NULL DEFAULT 0`,
    );
    await db.query(
      `UPDATE governance.power_nodes n SET declarations = (SELECT count(*) FROM governance.power_relations r WHERE r.node_id = n.id)`,
    );
    await db.query(`CREATE TABLE governance.power_map_snapshots (
      node_id uuid NOT NULL REFERENCES governance.power_nodes (id),
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      counted_at timestamptz NOT NULL,
      edge int NOT NULL CHECK (edge >= 0),
      advantaged int NOT NULL CHECK (advantaged >= 0),
      declarations bigint NOT NULL,
      withdrawals bigint NOT NULL,
      PRIMARY KEY (node_id, cycle)
    )`);

    await db.query(`CREATE TABLE governance.bloc_changes (
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      from_bloc text NOT NULL CHECK (from_bloc IN ('EDGE', 'ADVANTAGED')),
      to_bloc text NOT NULL CHECK (to_bloc IN ('EDGE', 'ADVANTAGED')),
      effective_at timestamptz NOT NULL,
      PRIMARY KEY (circle_id, member_id)
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP TABLE governance.bloc_changes, governance.power_map_snapshots, governance.body_compositions, governance.seat_history`,
    );
    await db.query(`ALTER TABLE governance.power_nodes DROP COLUMN declarations, DROP COLUMN withdrawals`);
  }
}
