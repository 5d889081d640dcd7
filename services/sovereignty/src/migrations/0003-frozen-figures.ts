import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The people behind figures whose events name nobody (a crisis buffered: a pseudonym of the person
 * helped, never their id), and the members' part of the public needs board as last published, with
 * the members it counted (to tell, at the next new moon, how many joined or left since).
 */
export class FrozenFigures1795498809821 implements MigrationInterface {
  name = "FrozenFigures1795498809821";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE sovereignty.helped_people (
      circle_id uuid NOT NULL,
      cycle text NOT NULL,
      kind text NOT NULL,
      helped_key text NOT NULL CHECK (char_length(helped_key) BETWEEN 16 AND 128),
      PRIMARY KEY (circle_id, cycle, kind, helped_key)
    )`);
    await db.query(`CREATE TABLE sovereignty.board_snapshots (
      circle_id uuid NOT NULL,
      category text NOT NULL CHECK (char_length(category) BETWEEN 1 AND 40),
      members int NOT NULL CHECK (members >= 0),
      requests int NOT NULL CHECK (requests >= 0),
      requesters int NOT NULL CHECK (requesters >= 0),
      reservations int NOT NULL CHECK (reservations >= 0),
      reservers int NOT NULL CHECK (reservers >= 0),
      taken_in_cycle text NOT NULL,
      PRIMARY KEY (circle_id, category)
    )`);
    await db.query(`CREATE TABLE sovereignty.board_snapshot_members (
      circle_id uuid NOT NULL,
      category text NOT NULL,
      member_id uuid NOT NULL,
      PRIMARY KEY (circle_id, category, member_id)
    )`);
    await db.query(
      `CREATE INDEX board_snapshot_members_by_member ON sovereignty.board_snapshot_members (circle_id, member_id)`,
    );
    // The cycle in which each circle's board was last reconsidered: once per cycle, at its first read.
    await db.query(`CREATE TABLE sovereignty.board_snapshot_cycles (
      circle_id uuid PRIMARY KEY,
      cycle text NOT NULL
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ["board_snapshot_cycles", "board_snapshot_members", "board_snapshots", "helped_people"])
      await db.query(`DROP TABLE sovereignty.${table}`);
  }
}
