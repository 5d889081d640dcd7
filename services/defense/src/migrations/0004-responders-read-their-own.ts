import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A responder reads only the alerts they were called or asked for: trusted responders no longer
 * read every alert of their circle, they are asked to verify some (a few per alert, in turn), and
 * the alerts they were asked about are what they may read and verify.
 */
export class RespondersReadTheirOwn1796100000000 implements MigrationInterface {
  name = "RespondersReadTheirOwn1796100000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE defense.alert_verifiers (
      alert_id uuid NOT NULL REFERENCES defense.alerts(id),
      responder_id uuid NOT NULL REFERENCES defense.responders(id),
      circle_id uuid NOT NULL,
      asked_at timestamptz NOT NULL,
      PRIMARY KEY (alert_id, responder_id)
    )`);
    await db.query(`CREATE INDEX alert_verifiers_of_responder ON defense.alert_verifiers (responder_id, asked_at)`);
    await db.query(`ALTER TABLE defense.notifications DROP CONSTRAINT notifications_kind_check`);
    await db.query(`ALTER TABLE defense.notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('CALL', 'VERIFY', 'BROADCAST', 'HEARING_REMINDER', 'HEARING_SHORT', 'HOUSING_MATCH'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM defense.notifications WHERE kind = 'VERIFY'`);
    await db.query(`ALTER TABLE defense.notifications DROP CONSTRAINT notifications_kind_check`);
    await db.query(`ALTER TABLE defense.notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('CALL', 'BROADCAST', 'HEARING_REMINDER', 'HEARING_SHORT', 'HOUSING_MATCH'))`);
    await db.query(`DROP TABLE defense.alert_verifiers`);
  }
}
