import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Who is in trouble stays secret, even from the circle's own members:
 * - an alert keeps a keyed tag of whoever raised it instead of their id (legacy ids are replaced
 *   by the sweep, which needs the circle's data key), and notes on alerts keep no author;
 * - mediators are offered and accepted (or assigned by stewards and consenting), never self-appointed;
 * - a responder's contact reaches the webhook only at the URL they agreed to;
 * - sealed values are bound to their row: each circle is re-sealed once by the sweep, and
 *   `resealed_at` says when (after that, a value sealed the old way is refused).
 */
export class TroubleStaysSecret1796000000000 implements MigrationInterface {
  name = "TroubleStaysSecret1796000000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE defense.alerts ADD COLUMN raiser_tag bytea`);
    await db.query(`ALTER TABLE defense.alerts ALTER COLUMN raised_by_member_id DROP NOT NULL`);
    await db.query(
      `ALTER TABLE defense.alerts ADD CONSTRAINT alerts_raiser_known CHECK (raiser_tag IS NOT NULL OR raised_by_member_id IS NOT NULL)`,
    );
    await db.query(
      `CREATE INDEX alerts_with_legacy_raiser ON defense.alerts (raised_at) WHERE raised_by_member_id IS NOT NULL`,
    );
    await db.query(`ALTER TABLE defense.case_notes ALTER COLUMN author_member_id DROP NOT NULL`);
    await db.query(`ALTER TABLE defense.responders ADD COLUMN contact_shared_with text`);
    await db.query(`ALTER TABLE defense.data_keys ADD COLUMN resealed_at timestamptz`);
    await db.query(`CREATE TABLE defense.mediation_offers (
      dispute_id uuid NOT NULL REFERENCES defense.disputes(id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      assigned_by_member_id uuid,
      offered_at timestamptz NOT NULL,
      PRIMARY KEY (dispute_id, member_id)
    )`);
    // Signing up for a shift made a companion a reader of the hearing's notes; now the person
    // facing the hearing shares them. Companions lose that access until they are asked.
    await db.query(`DELETE FROM defense.case_handlers h USING defense.hearings g
      WHERE h.case_kind = 'HEARING' AND h.case_id = g.id AND h.member_id <> g.scheduled_by_member_id`);
    // Whoever opened a dispute handles it: they read and write its notes.
    await db.query(`INSERT INTO defense.case_handlers (circle_id, case_kind, case_id, member_id, since)
      SELECT circle_id, 'DISPUTE', id, opened_by_member_id, opened_at FROM defense.disputes ON CONFLICT DO NOTHING`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE defense.mediation_offers`);
    await db.query(`ALTER TABLE defense.data_keys DROP COLUMN resealed_at`);
    await db.query(`ALTER TABLE defense.responders DROP COLUMN contact_shared_with`);
    await db.query(`DROP INDEX defense.alerts_with_legacy_raiser`);
    await db.query(`ALTER TABLE defense.alerts DROP CONSTRAINT alerts_raiser_known`);
    await db.query(`ALTER TABLE defense.alerts DROP COLUMN raiser_tag`);
  }
}
