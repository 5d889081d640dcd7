import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The hub as a Credit Commons node: circles that opted in as leaf ledgers (each with one REMOTE
 * account for the rest of the tree), members' pseudonymous account codes, the transactions relayed
 * through this node (keyed by the protocol's uuid, so a retried relay is applied once), and the
 * node's own ledger: one balance per neighbouring node or leaf ledger and lunar cycle.
 */
export class CreditCommons1796500000600 implements MigrationInterface {
  name = "CreditCommons1796500000600";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE barter.accounts DROP CONSTRAINT accounts_kind_check`);
    await db.query(
      `ALTER TABLE barter.accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('MEMBER', 'COMMONS', 'CLEARING', 'REMOTE'))`,
    );
    await db.query(
      `CREATE UNIQUE INDEX accounts_one_remote_per_circle ON barter.accounts (circle_id) WHERE kind = 'REMOTE'`,
    );

    await db.query(`CREATE TABLE barter.cc_ledgers (
      circle_id uuid PRIMARY KEY REFERENCES barter.circle_settings(circle_id),
      ledger_name text NOT NULL UNIQUE CHECK (ledger_name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
      trade_limit_minutes integer NOT NULL CHECK (trade_limit_minutes > 0),
      remote_account_id uuid NOT NULL REFERENCES barter.accounts(id),
      opted_in_at timestamptz NOT NULL
    )`);

    await db.query(`CREATE TABLE barter.cc_account_codes (
      account_id uuid PRIMARY KEY REFERENCES barter.accounts(id),
      circle_id uuid NOT NULL,
      code text NOT NULL CHECK (code ~ '^[a-z2-7]{10}$'),
      created_at timestamptz NOT NULL,
      UNIQUE (circle_id, code)
    )`);

    await db.query(`CREATE TABLE barter.cc_transactions (
      uuid uuid PRIMARY KEY,
      payer_path text NOT NULL,
      payee_path text NOT NULL,
      minutes integer NOT NULL CHECK (minutes > 0),
      cycle text NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'completed', 'erased')),
      payer_side text NOT NULL,
      payee_side text NOT NULL,
      circle_id uuid,
      member_id uuid,
      member_role text CHECK (member_role IN ('payer', 'payee')),
      written_at timestamptz NOT NULL,
      decided_at timestamptz,
      CHECK (payer_side <> payee_side),
      CHECK ((circle_id IS NULL) = (member_id IS NULL) AND (member_id IS NULL) = (member_role IS NULL))
    )`);
    await db.query(
      `CREATE INDEX cc_transactions_by_member ON barter.cc_transactions (member_id, written_at DESC, uuid DESC) WHERE member_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX cc_transactions_pending ON barter.cc_transactions (written_at) WHERE state = 'pending'`,
    );

    await db.query(`CREATE TABLE barter.cc_node_balances (
      side text NOT NULL,
      cycle text NOT NULL,
      balance_minutes integer NOT NULL DEFAULT 0,
      PRIMARY KEY (side, cycle)
    )`);
    await db.query(`CREATE TABLE barter.cc_node_entries (
      transaction_uuid uuid NOT NULL REFERENCES barter.cc_transactions(uuid),
      side text NOT NULL,
      cycle text NOT NULL,
      amount_minutes integer NOT NULL CHECK (amount_minutes <> 0),
      PRIMARY KEY (transaction_uuid, side)
    )`);
    await db.query(`CREATE INDEX cc_node_entries_by_side ON barter.cc_node_entries (side, cycle)`);

    // A relayed transaction writes one REMOTE transfer in the ledger of each circle of this hub it touches.
    await db.query(
      `ALTER TABLE barter.transfers ADD COLUMN cc_transaction_id uuid REFERENCES barter.cc_transactions(uuid)`,
    );
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_kind_check`);
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EXCHANGE', 'CREDITS_EXPIRED', 'DEBTS_ANNULLED', 'MEMBER_LEFT', 'CLEARING', 'REMOTE'))`,
    );
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_remote_names_cc_transaction CHECK ((kind = 'REMOTE') = (cc_transaction_id IS NOT NULL))`,
    );
    await db.query(
      `CREATE UNIQUE INDEX transfers_one_per_cc_transaction_and_circle ON barter.transfers (cc_transaction_id, circle_id) WHERE cc_transaction_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_remote_names_cc_transaction`);
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_kind_check`);
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EXCHANGE', 'CREDITS_EXPIRED', 'DEBTS_ANNULLED', 'MEMBER_LEFT', 'CLEARING'))`,
    );
    await db.query(`ALTER TABLE barter.transfers DROP COLUMN cc_transaction_id`);
    await db.query(`DROP TABLE barter.cc_node_entries`);
    await db.query(`DROP TABLE barter.cc_node_balances`);
    await db.query(`DROP TABLE barter.cc_transactions`);
    await db.query(`DROP TABLE barter.cc_account_codes`);
    await db.query(`DROP TABLE barter.cc_ledgers`);
    await db.query(`DROP INDEX barter.accounts_one_remote_per_circle`);
    await db.query(`ALTER TABLE barter.accounts DROP CONSTRAINT accounts_kind_check`);
    await db.query(
      `ALTER TABLE barter.accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('MEMBER', 'COMMONS', 'CLEARING'))`,
    );
  }
}
