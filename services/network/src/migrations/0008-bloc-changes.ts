import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Changes members make to their own declared bloc, each in force from a new moon, so that the
 * bloc everyone's figures count changes only at a cycle boundary, together with everyone else's.
 * A member's bloc at an instant is the latest change in force by then, else members.bloc.
 */
export class NetworkBlocChanges1795700000600 implements MigrationInterface {
  name = "NetworkBlocChanges1795700000600";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE network.bloc_changes (
        circle_id uuid NOT NULL REFERENCES network.circles(id),
        member_id uuid NOT NULL REFERENCES network.members(id),
        bloc text NOT NULL CHECK (bloc IN ('EDGE', 'ADVANTAGED')),
        effective_at timestamptz NOT NULL,
        requested_at timestamptz NOT NULL,
        PRIMARY KEY (member_id, effective_at)
      )`);
    await db.query(`CREATE INDEX bloc_changes_by_circle ON network.bloc_changes (circle_id, effective_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE network.bloc_changes`);
  }
}
