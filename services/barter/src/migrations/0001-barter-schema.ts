import { firstEventTablesSql } from "@rhizome/kit";
import type { MigrationInterface, QueryRunner } from "typeorm";

export class BarterSchema1795420900000 implements MigrationInterface {
  name = "BarterSchema1795420900000";

  async up(db: QueryRunner): Promise<void> {
    // Barter's own record of a circle, created when it first hears of one of its members.
    await db.query(`CREATE TABLE barter.circle_settings (
      circle_id uuid PRIMARY KEY,
      floor_minutes integer NOT NULL CHECK (floor_minutes <= 0),
      ceiling_minutes integer NOT NULL CHECK (ceiling_minutes >= 0),
      first_seen_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await db.query(`CREATE TABLE barter.accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      kind text NOT NULL CHECK (kind IN ('MEMBER', 'COMMONS')),
      member_id uuid,
      balance_minutes integer NOT NULL DEFAULT 0,
      opened_at timestamptz NOT NULL,
      CHECK ((kind = 'MEMBER') = (member_id IS NOT NULL))
    )`);
    await db.query(
      `CREATE UNIQUE INDEX accounts_one_per_member ON barter.accounts (member_id) WHERE member_id IS NOT NULL`,
    );
    await db.query(
      `CREATE UNIQUE INDEX accounts_one_commons_per_circle ON barter.accounts (circle_id) WHERE kind = 'COMMONS'`,
    );
    await db.query(`CREATE INDEX accounts_circle ON barter.accounts (circle_id, id)`);

    await db.query(`CREATE TABLE barter.exchanges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      provider_member_id uuid NOT NULL,
      receiver_member_id uuid NOT NULL,
      proposer_member_id uuid NOT NULL,
      minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
      skill text NOT NULL,
      note text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'DECLINED', 'CANCELLED', 'EXPIRED')),
      idempotency_key text,
      proposed_at timestamptz NOT NULL,
      proposed_cycle text NOT NULL,
      decided_at timestamptz,
      CHECK (provider_member_id <> receiver_member_id),
      CHECK (proposer_member_id IN (provider_member_id, receiver_member_id))
    )`);
    await db.query(
      `CREATE UNIQUE INDEX exchanges_idempotency ON barter.exchanges (circle_id, proposer_member_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX exchanges_by_provider ON barter.exchanges (provider_member_id, proposed_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX exchanges_by_receiver ON barter.exchanges (receiver_member_id, proposed_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX exchanges_pending_by_cycle ON barter.exchanges (circle_id, proposed_cycle) WHERE status = 'PENDING'`,
    );

    // The ledger. `cycle` is the lunar cycle an entry counts in: the one it was written in for an
    // exchange, the expired one for an expiry. Expiring cycle C zeroes the sum of entries <= C.
    await db.query(`CREATE TABLE barter.transfers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      kind text NOT NULL CHECK (kind IN ('EXCHANGE', 'CREDITS_EXPIRED', 'DEBTS_ANNULLED')),
      cycle text NOT NULL,
      exchange_id uuid UNIQUE REFERENCES barter.exchanges(id),
      expired_account_id uuid REFERENCES barter.accounts(id),
      recorded_at timestamptz NOT NULL,
      CHECK ((kind = 'EXCHANGE') = (exchange_id IS NOT NULL)),
      CHECK ((kind = 'EXCHANGE') = (expired_account_id IS NULL))
    )`);
    // Exactly-once expiry is this index, not the job queue: a rerun cannot expire an account twice.
    await db.query(
      `CREATE UNIQUE INDEX transfers_one_expiry_per_account_and_cycle ON barter.transfers (expired_account_id, cycle) WHERE expired_account_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX transfers_by_circle_and_cycle ON barter.transfers (circle_id, cycle, kind)`);
    await db.query(`CREATE TABLE barter.entries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      transfer_id uuid NOT NULL REFERENCES barter.transfers(id),
      account_id uuid NOT NULL REFERENCES barter.accounts(id),
      amount_minutes integer NOT NULL CHECK (amount_minutes <> 0),
      cycle text NOT NULL
    )`);
    await db.query(
      `CREATE INDEX entries_by_account_and_cycle ON barter.entries (account_id, cycle) INCLUDE (amount_minutes)`,
    );
    await db.query(`CREATE INDEX entries_by_transfer ON barter.entries (transfer_id)`);

    // Append-only, enforced by the database as well as by the code: corrections are new entries.
    await db.query(`CREATE FUNCTION barter.reject_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'The barter ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME;
      END $$`);
    for (const table of ["transfers", "entries"]) {
      await db.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON barter.${table} FOR EACH ROW EXECUTE FUNCTION barter.reject_ledger_change()`,
      );
      await db.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON barter.${table} FOR EACH STATEMENT EXECUTE FUNCTION barter.reject_ledger_change()`,
      );
    }
    // Checked at commit, after all of a transfer's entries are written: they must sum to zero.
    await db.query(`CREATE FUNCTION barter.assert_transfer_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE total bigint;
      BEGIN
        SELECT sum(amount_minutes) INTO total FROM barter.entries WHERE transfer_id = NEW.transfer_id;
        IF total <> 0 THEN
          RAISE EXCEPTION 'Transfer % is unbalanced: its entries sum to % minutes', NEW.transfer_id, total;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE CONSTRAINT TRIGGER entries_transfer_balanced AFTER INSERT ON barter.entries
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION barter.assert_transfer_balanced()`);

    await db.query(`CREATE TABLE barter.expiry_runs (
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      cycle text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      accounts_expired integer,
      accounts_with_credits_expired integer,
      accounts_with_debts_annulled integer,
      credits_expired_minutes integer,
      debts_annulled_minutes integer,
      PRIMARY KEY (circle_id, cycle)
    )`);

    await db.query(`CREATE FUNCTION barter.listing_document(description text, skills text[]) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT to_tsvector('simple'::regconfig, description || ' ' || array_to_string(skills, ' ')) $$`);
    await db.query(`CREATE TABLE barter.listings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      member_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('OFFER', 'REQUEST')),
      skills text[] NOT NULL CHECK (cardinality(skills) BETWEEN 1 AND 8),
      description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 500),
      published_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      document tsvector GENERATED ALWAYS AS (barter.listing_document(description, skills)) STORED
    )`);
    await db.query(
      `CREATE INDEX listings_open_by_circle ON barter.listings (circle_id, published_at DESC, id DESC) WHERE withdrawn_at IS NULL`,
    );
    await db.query(`CREATE INDEX listings_by_member ON barter.listings (member_id) WHERE withdrawn_at IS NULL`);
    await db.query(`CREATE INDEX listings_skills ON barter.listings USING gin (skills)`);
    await db.query(`CREATE INDEX listings_text ON barter.listings USING gin (document)`);

    for (const statement of firstEventTablesSql("barter")) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      "consumed_events",
      "outbox",
      "listings",
      "expiry_runs",
      "entries",
      "transfers",
      "exchanges",
      "accounts",
      "circle_settings",
    ]) {
      await db.query(`DROP TABLE barter.${table}`);
    }
    for (const fn of ["listing_document(text, text[])", "assert_transfer_balanced()", "reject_ledger_change()"]) {
      await db.query(`DROP FUNCTION barter.${fn}`);
    }
  }
}
