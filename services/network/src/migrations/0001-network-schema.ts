import { firstEventTablesSql } from "@rhizome/kit";
import type { MigrationInterface, QueryRunner } from "typeorm";

export class NetworkSchema1795420800000 implements MigrationInterface {
  name = "NetworkSchema1795420800000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE network.circles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE TABLE network.persons (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE TABLE network.members (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES network.circles(id),
      person_id uuid NOT NULL REFERENCES network.persons(id),
      handle text NOT NULL,
      passphrase_hash text NOT NULL,
      bloc text NOT NULL CHECK (bloc IN ('EDGE', 'ADVANTAGED')),
      roles text[] NOT NULL DEFAULT '{member}',
      joined_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (circle_id, person_id)
    )`);
    await db.query(`CREATE UNIQUE INDEX members_handle_per_circle ON network.members (circle_id, lower(handle))`);
    await db.query(`CREATE INDEX members_person ON network.members (person_id)`);
    await db.query(`CREATE TABLE network.invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES network.circles(id),
      code_hash text NOT NULL UNIQUE,
      code_hint text NOT NULL,
      max_uses integer NOT NULL CHECK (max_uses > 0),
      uses integer NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
      expires_at timestamptz NOT NULL,
      created_by uuid NOT NULL REFERENCES network.members(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
    await db.query(`CREATE INDEX invitations_circle ON network.invitations (circle_id, created_at DESC)`);
    await db.query(`CREATE TABLE network.api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES network.circles(id),
      name text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      key_prefix text NOT NULL,
      scopes text[] NOT NULL,
      created_by uuid NOT NULL REFERENCES network.members(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
    await db.query(`CREATE INDEX api_keys_circle ON network.api_keys (circle_id, created_at DESC)`);
    for (const statement of firstEventTablesSql("network")) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ["consumed_events", "outbox", "api_keys", "invitations", "members", "persons", "circles"]) {
      await db.query(`DROP TABLE network.${table}`);
    }
  }
}
