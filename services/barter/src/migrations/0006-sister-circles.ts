import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Sister circles (F5): links two organizers agree on, listings a member shows to sister circles,
 * exchanges between members of two linked circles, and a clearing account per circle and sister.
 * A sister exchange is a table of its own, so no list, reference or summary of one circle can
 * reach the other circle's members through it.
 */
export class SisterCircles1795700000100 implements MigrationInterface {
  name = "SisterCircles1795700000100";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE barter.sister_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      proposer_circle_id uuid NOT NULL REFERENCES barter.circle_settings(circle_id),
      accepter_circle_id uuid NOT NULL,
      balance_limit_minutes integer NOT NULL CHECK (balance_limit_minutes > 0),
      status text NOT NULL CHECK (status IN ('PROPOSED', 'ACTIVE', 'ENDING', 'ENDED')),
      proposed_at timestamptz NOT NULL,
      accepted_at timestamptz,
      end_requested_at timestamptz,
      ended_at timestamptz,
      CHECK (proposer_circle_id <> accepter_circle_id)
    )`);
    await db.query(`CREATE UNIQUE INDEX sister_links_one_live_per_pair ON barter.sister_links
      (LEAST(proposer_circle_id, accepter_circle_id), GREATEST(proposer_circle_id, accepter_circle_id)) WHERE status <> 'ENDED'`);
    await db.query(`CREATE INDEX sister_links_by_accepter ON barter.sister_links (accepter_circle_id)`);

    await db.query(`ALTER TABLE barter.accounts ADD COLUMN partner_circle_id uuid`);
    await db.query(
      `ALTER TABLE barter.accounts ADD CONSTRAINT accounts_clearing_names_partner CHECK ((kind = 'CLEARING') = (partner_circle_id IS NOT NULL))`,
    );
    await db.query(
      `CREATE UNIQUE INDEX accounts_one_clearing_per_pair ON barter.accounts (circle_id, partner_circle_id) WHERE kind = 'CLEARING'`,
    );

    await db.query(`ALTER TABLE barter.listings ADD COLUMN is_visible_to_sisters boolean NOT NULL DEFAULT false`);
    await db.query(
      `CREATE INDEX listings_open_to_sisters ON barter.listings (circle_id, published_at DESC, id DESC) WHERE withdrawn_at IS NULL AND is_visible_to_sisters`,
    );

    await db.query(`CREATE TABLE barter.sister_exchanges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      link_id uuid NOT NULL REFERENCES barter.sister_links(id),
      listing_id uuid NOT NULL REFERENCES barter.listings(id),
      provider_circle_id uuid NOT NULL,
      provider_member_id uuid NOT NULL,
      receiver_circle_id uuid NOT NULL,
      receiver_member_id uuid NOT NULL,
      proposer_member_id uuid NOT NULL,
      minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
      skill text NOT NULL,
      note text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'DECLINED', 'CANCELLED', 'EXPIRED')),
      proposed_at timestamptz NOT NULL,
      proposed_cycle text NOT NULL,
      decided_at timestamptz,
      CHECK (provider_circle_id <> receiver_circle_id),
      CHECK (proposer_member_id IN (provider_member_id, receiver_member_id))
    )`);
    await db.query(
      `CREATE INDEX sister_exchanges_by_provider ON barter.sister_exchanges (provider_member_id, proposed_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX sister_exchanges_by_receiver ON barter.sister_exchanges (receiver_member_id, proposed_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX sister_exchanges_by_link_and_cycle ON barter.sister_exchanges (link_id, proposed_cycle) WHERE status = 'CONFIRMED'`,
    );

    // A sister exchange writes one CLEARING transfer in each circle's ledger.
    await db.query(
      `ALTER TABLE barter.transfers ADD COLUMN sister_exchange_id uuid REFERENCES barter.sister_exchanges(id)`,
    );
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_kind_check`);
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EXCHANGE', 'CREDITS_EXPIRED', 'DEBTS_ANNULLED', 'MEMBER_LEFT', 'CLEARING'))`,
    );
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_clearing_names_sister_exchange CHECK ((kind = 'CLEARING') = (sister_exchange_id IS NOT NULL))`,
    );
    await db.query(
      `CREATE UNIQUE INDEX transfers_one_per_sister_exchange_and_circle ON barter.transfers (sister_exchange_id, circle_id) WHERE sister_exchange_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_clearing_names_sister_exchange`);
    await db.query(`ALTER TABLE barter.transfers DROP CONSTRAINT transfers_kind_check`);
    await db.query(
      `ALTER TABLE barter.transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN ('EXCHANGE', 'CREDITS_EXPIRED', 'DEBTS_ANNULLED', 'MEMBER_LEFT'))`,
    );
    await db.query(`ALTER TABLE barter.transfers DROP COLUMN sister_exchange_id`);
    await db.query(`DROP TABLE barter.sister_exchanges`);
    await db.query(`ALTER TABLE barter.listings DROP COLUMN is_visible_to_sisters`);
    await db.query(`ALTER TABLE barter.accounts DROP CONSTRAINT accounts_clearing_names_partner`);
    await db.query(`ALTER TABLE barter.accounts DROP COLUMN partner_circle_id`);
    await db.query(`DROP TABLE barter.sister_links`);
  }
}
