import { KitEventOutbox1795600000000 } from "@rhizome/kit";
import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Balances kept per account and lunar cycle, so that no ledger write reads more than one cycle.
 *
 * - `account_cycles` holds what each account reached in each cycle (the sum of the cycle's entries,
 *   the closing expiry entries excepted for the accounts that expire). A new moon starts every
 *   account at zero without touching a row, and the cached `accounts.balance_minutes`, which summed
 *   the whole history, goes.
 * - Expiry writes one CREDITS_EXPIRED and one DEBTS_ANNULLED transfer per batch of accounts, so
 *   a transfer no longer names one expired account; a batch's cursor and running totals live in the
 *   run record, written in the batch's own transaction.
 * - A transfer's entries must be written by one statement and sum to zero: checked once per
 *   statement over the rows it inserted, instead of once per row over the whole transfer (which
 *   made a 1,000-entry transfer cost a million row reads). The row-level foreign keys of entries go
 *   for the same reason; entries are only written from locked accounts or their cycle rows.
 * - `circle_settings.expired_through` is the latest cycle whose expiry has begun: no write may be
 *   labelled with it or an earlier one afterwards.
 * - Barter emits events again (exchange.confirmed, cycle.expired), so the outbox that 0004 dropped
 *   comes back in the kit's shape.
 */
export class CycleBalances1795700000000 implements MigrationInterface {
  name = "CycleBalances1795700000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE barter.account_cycles (
      account_id uuid NOT NULL REFERENCES barter.accounts(id),
      cycle text NOT NULL,
      circle_id uuid NOT NULL,
      balance_minutes integer NOT NULL,
      PRIMARY KEY (account_id, cycle)
    )`);
    await db.query(`CREATE INDEX account_cycles_by_circle ON barter.account_cycles (circle_id, cycle, account_id)`);
    const closing = `('CREDITS_EXPIRED', 'DEBTS_ANNULLED')`;
    await db.query(
      `INSERT INTO barter.account_cycles (account_id, cycle, circle_id, balance_minutes)
       SELECT e.account_id, e.cycle, a.circle_id, sum(e.amount_minutes)
       FROM barter.entries e JOIN barter.transfers t ON t.id = e.transfer_id JOIN barter.accounts a ON a.id = e.account_id
       WHERE a.kind = 'COMMONS' OR t.kind NOT IN ${closing}
       GROUP BY e.account_id, e.cycle, a.circle_id`,
    );
    await db.query(`ALTER TABLE barter.accounts DROP COLUMN balance_minutes`);
    await db.query(`ALTER TABLE barter.accounts DROP CONSTRAINT accounts_kind_check`);
    await db.query(
      `ALTER TABLE barter.accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('MEMBER', 'COMMONS', 'CLEARING'))`,
    );

    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_check1`);
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_expired_account_only_when_closing CHECK (kind <> 'EXCHANGE' OR expired_account_id IS NULL)`,
    );

    await db.query(`DROP TRIGGER entries_transfer_balanced ON barter.entries`);
    await db.query(`DROP FUNCTION barter.assert_transfer_balanced()`);
    await db.query(`ALTER TABLE barter.entries DROP CONSTRAINT entries_transfer_id_fkey`);
    await db.query(`ALTER TABLE barter.entries DROP CONSTRAINT entries_account_id_fkey`);
    await db.query(`CREATE FUNCTION barter.assert_inserted_transfers_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE unbalanced record;
      BEGIN
        SELECT transfer_id, sum(amount_minutes) AS total INTO unbalanced
        FROM inserted GROUP BY transfer_id HAVING sum(amount_minutes) <> 0 LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'Transfer % is unbalanced: its entries sum to % minutes', unbalanced.transfer_id, unbalanced.total;
        END IF;
        SELECT i.transfer_id INTO unbalanced FROM (SELECT DISTINCT transfer_id FROM inserted) i
        WHERE NOT EXISTS (SELECT 1 FROM barter.transfers t WHERE t.id = i.transfer_id) LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'Entries name transfer %, which does not exist', unbalanced.transfer_id;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER entries_transfer_balanced AFTER INSERT ON barter.entries
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION barter.assert_inserted_transfers_balanced()`);

    await db.query(`ALTER TABLE barter.expiry_runs ADD COLUMN after_account_id uuid`);
    await db.query(`ALTER TABLE barter.circle_settings ADD COLUMN expired_through text`);
    await db.query(
      `UPDATE barter.circle_settings s SET expired_through = (SELECT max(cycle) FROM barter.expiry_runs r WHERE r.circle_id = s.circle_id)`,
    );

    await new KitEventOutbox1795600000000().up(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE barter.circle_settings DROP COLUMN expired_through`);
    await db.query(`ALTER TABLE barter.expiry_runs DROP COLUMN after_account_id`);
    await db.query(`DROP TRIGGER entries_transfer_balanced ON barter.entries`);
    await db.query(`DROP FUNCTION barter.assert_inserted_transfers_balanced()`);
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_expired_account_only_when_closing`);
    await db.query(`ALTER TABLE barter.accounts ADD COLUMN balance_minutes integer NOT NULL DEFAULT 0`);
    await db.query(`DROP TABLE barter.account_cycles`);
  }
}
