import type { MigrationInterface, QueryRunner } from "typeorm";

export class GovernanceSchema1795498808786 implements MigrationInterface {
  name = "GovernanceSchema1795498808786";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE governance.notes (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
      written_at timestamptz NOT NULL
    )`);
    // A circle's notes, newest first, are one range of this index.
    await db.query(`CREATE INDEX notes_by_circle ON governance.notes (circle_id, written_at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE governance.notes`);
  }
}
