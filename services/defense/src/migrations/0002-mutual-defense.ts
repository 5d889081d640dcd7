import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Mutual defense (D1-D7) replaces the template's example notes. Everything a person could be
 * harmed by if a dump leaked (note text, alert text, contact details, reasons, webhook secrets) is
 * stored only sealed (`*_sealed`, AES-256-GCM under the circle's data key); nothing here holds a
 * legal name or an address, and places are at most a 6-character geohash.
 */
export class MutualDefense1795700000000 implements MigrationInterface {
  name = "MutualDefense1795700000000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE defense.notes`);
    const geohash = (column: string) => `${column} text CHECK (${column} ~ '^[0-9b-hjkmnp-z]{1,6}$')`;

    // D7: one data key per circle, wrapped by a master key named by its id.
    await db.query(`CREATE TABLE defense.data_keys (
      circle_id uuid PRIMARY KEY,
      master_key_id text NOT NULL,
      wrapped_key bytea NOT NULL,
      created_at timestamptz NOT NULL,
      rewrapped_at timestamptz
    )`);
    await db.query(`CREATE INDEX data_keys_by_master_key ON defense.data_keys (master_key_id)`);

    // Members defense has heard of (network's events, or their own requests): the circle a broadcast reaches.
    await db.query(`CREATE TABLE defense.circle_members (
      member_id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      joined_at timestamptz NOT NULL,
      left_at timestamptz
    )`);
    await db.query(
      `CREATE INDEX circle_members_present ON defense.circle_members (circle_id, member_id) WHERE left_at IS NULL`,
    );

    await db.query(`CREATE TABLE defense.settings (
      circle_id uuid PRIMARY KEY,
      verifications_needed integer NOT NULL CHECK (verifications_needed BETWEEN 1 AND 10),
      call_timeout_minutes integer NOT NULL CHECK (call_timeout_minutes BETWEEN 1 AND 120),
      fund_approvals_needed integer NOT NULL CHECK (fund_approvals_needed BETWEEN 1 AND 10),
      updated_at timestamptz NOT NULL
    )`);

    // D2: the alert tree.
    await db.query(`CREATE TABLE defense.branches (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
      parent_branch_id uuid REFERENCES defense.branches(id),
      created_at timestamptz NOT NULL,
      UNIQUE (circle_id, name)
    )`);
    await db.query(`CREATE TABLE defense.responders (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL UNIQUE,
      branch_id uuid NOT NULL REFERENCES defense.branches(id),
      position bigint GENERATED ALWAYS AS IDENTITY,
      contact_kind text NOT NULL CHECK (contact_kind IN ('INBOX', 'SMS', 'SIGNAL', 'EMAIL')),
      contact_sealed bytea,
      shifts jsonb NOT NULL DEFAULT '[]',
      is_trusted boolean NOT NULL DEFAULT false,
      joined_at timestamptz NOT NULL,
      left_at timestamptz,
      CHECK ((contact_kind = 'INBOX') = (contact_sealed IS NULL))
    )`);
    await db.query(
      `CREATE INDEX responders_by_branch ON defense.responders (branch_id, position) WHERE left_at IS NULL`,
    );
    await db.query(`CREATE INDEX responders_by_circle ON defense.responders (circle_id, position)`);

    await db.query(`CREATE TABLE defense.alerts (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      raised_by_member_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('EVICTION', 'RAID', 'ARREST', 'MEDICAL', 'OTHER')),
      ${geohash("geohash")} NOT NULL,
      urgency text NOT NULL CHECK (urgency IN ('LOW', 'HIGH', 'CRITICAL')),
      text_sealed bytea NOT NULL,
      status text NOT NULL CHECK (status IN ('OPEN', 'VERIFIED', 'FALSE_ALARM', 'EXPIRED')),
      raised_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      verified_at timestamptz,
      closed_at timestamptz
    )`);
    await db.query(`CREATE INDEX alerts_by_circle ON defense.alerts (circle_id, raised_at DESC, id DESC)`);
    await db.query(`CREATE INDEX alerts_open_by_expiry ON defense.alerts (expires_at) WHERE closed_at IS NULL`);
    // One row per escalation step: the unique keys are what keep anyone from being called twice.
    await db.query(`CREATE TABLE defense.alert_calls (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      alert_id uuid NOT NULL REFERENCES defense.alerts(id),
      chain_branch_id uuid NOT NULL REFERENCES defense.branches(id),
      step integer NOT NULL CHECK (step >= 0),
      responder_id uuid NOT NULL REFERENCES defense.responders(id),
      called_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      acknowledged_at timestamptz,
      escalated_at timestamptz,
      UNIQUE (alert_id, chain_branch_id, step),
      UNIQUE (alert_id, responder_id)
    )`);
    await db.query(
      `CREATE INDEX alert_calls_waiting ON defense.alert_calls (due_at) WHERE acknowledged_at IS NULL AND escalated_at IS NULL`,
    );
    await db.query(`CREATE TABLE defense.alert_verifications (
      alert_id uuid NOT NULL REFERENCES defense.alerts(id),
      responder_id uuid NOT NULL REFERENCES defense.responders(id),
      circle_id uuid NOT NULL,
      verified_at timestamptz NOT NULL,
      PRIMARY KEY (alert_id, responder_id)
    )`);
    await db.query(`CREATE TABLE defense.broadcasts (
      alert_id uuid PRIMARY KEY REFERENCES defense.alerts(id),
      circle_id uuid NOT NULL,
      broadcast_at timestamptz NOT NULL,
      recipients integer NOT NULL
    )`);
    await db.query(`CREATE TABLE defense.alert_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      circle_id uuid NOT NULL,
      alert_id uuid NOT NULL REFERENCES defense.alerts(id),
      at timestamptz NOT NULL,
      kind text NOT NULL,
      step integer,
      responder_id uuid
    )`);
    await db.query(`CREATE INDEX alert_log_by_alert ON defense.alert_log (alert_id, id)`);

    // The in-app inbox: one row per member, case and reason.
    await db.query(`CREATE TABLE defense.notifications (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('CALL', 'BROADCAST', 'HEARING_REMINDER', 'HEARING_SHORT', 'HOUSING_MATCH')),
      case_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      UNIQUE (case_id, member_id, kind)
    )`);
    await db.query(
      `CREATE INDEX notifications_by_member ON defense.notifications (member_id, created_at DESC, id DESC)`,
    );

    await db.query(`CREATE TABLE defense.webhooks (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL UNIQUE,
      url text NOT NULL CHECK (char_length(url) <= 500),
      secret_sealed bytea NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE TABLE defense.webhook_deliveries (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      webhook_id uuid NOT NULL REFERENCES defense.webhooks(id),
      notification_id uuid NOT NULL REFERENCES defense.notifications(id),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      delivered_at timestamptz,
      failed_at timestamptz,
      last_error text,
      UNIQUE (webhook_id, notification_id)
    )`);
    await db.query(
      `CREATE INDEX webhook_deliveries_pending ON defense.webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL`,
    );
    await db.query(`CREATE TABLE defense.webhook_dead_letters (
      delivery_id uuid PRIMARY KEY REFERENCES defense.webhook_deliveries(id),
      circle_id uuid NOT NULL,
      attempts integer NOT NULL,
      last_error text NOT NULL,
      dead_at timestamptz NOT NULL
    )`);

    // D7: case notes and who handles each case.
    await db.query(`CREATE TABLE defense.case_handlers (
      circle_id uuid NOT NULL,
      case_kind text NOT NULL CHECK (case_kind IN ('ALERT', 'HEARING', 'DISPUTE', 'HOUSING_MATCH')),
      case_id uuid NOT NULL,
      member_id uuid NOT NULL,
      since timestamptz NOT NULL,
      PRIMARY KEY (case_id, member_id)
    )`);
    await db.query(`CREATE TABLE defense.case_notes (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      case_kind text NOT NULL,
      case_id uuid NOT NULL,
      author_member_id uuid NOT NULL,
      text_sealed bytea NOT NULL,
      written_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE INDEX case_notes_by_case ON defense.case_notes (case_id, written_at DESC, id DESC)`);

    // D1: the solidarity agreement.
    await db.query(`CREATE TABLE defense.agreements (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
      published_by_member_id uuid NOT NULL,
      published_at timestamptz NOT NULL,
      UNIQUE (circle_id, version)
    )`);
    await db.query(`CREATE TABLE defense.agreement_signatures (
      agreement_id uuid NOT NULL REFERENCES defense.agreements(id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      signed_at timestamptz NOT NULL,
      PRIMARY KEY (agreement_id, member_id)
    )`);

    // D3: the fund, a double-entry ledger in integer minor units per currency.
    await db.query(`CREATE TABLE defense.fund_accounts (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      kind text NOT NULL CHECK (kind IN ('HELD', 'CONTRIBUTED', 'DISBURSED')),
      balance_minor bigint NOT NULL DEFAULT 0,
      UNIQUE (circle_id, currency, kind),
      CHECK (kind <> 'HELD' OR balance_minor >= 0)
    )`);
    await db.query(`CREATE TABLE defense.fund_pledges (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      pledged_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE TABLE defense.disbursement_requests (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      recipient_member_id uuid NOT NULL,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      purpose text NOT NULL CHECK (purpose IN ('RENT', 'LEGAL', 'BAIL', 'MEDICAL', 'FOOD', 'TRAVEL', 'OTHER')),
      reason_sealed bytea NOT NULL,
      status text NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'DECLINED', 'PAID')),
      requested_at timestamptz NOT NULL,
      decided_at timestamptz,
      paid_at timestamptz
    )`);
    await db.query(
      `CREATE INDEX disbursement_requests_by_circle ON defense.disbursement_requests (circle_id, requested_at DESC, id DESC)`,
    );
    await db.query(`CREATE TABLE defense.disbursement_decisions (
      request_id uuid NOT NULL REFERENCES defense.disbursement_requests(id),
      circle_id uuid NOT NULL,
      steward_member_id uuid NOT NULL,
      approves boolean NOT NULL,
      decided_at timestamptz NOT NULL,
      PRIMARY KEY (request_id, steward_member_id)
    )`);
    await db.query(`CREATE TABLE defense.fund_transfers (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('CONTRIBUTION', 'DISBURSEMENT')),
      currency text NOT NULL,
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      cycle text NOT NULL,
      purpose text,
      request_id uuid UNIQUE REFERENCES defense.disbursement_requests(id),
      pledge_id uuid REFERENCES defense.fund_pledges(id),
      idempotency_key text,
      recorded_by_member_id uuid NOT NULL,
      recorded_at timestamptz NOT NULL,
      CHECK ((kind = 'DISBURSEMENT') = (request_id IS NOT NULL AND purpose IS NOT NULL)),
      UNIQUE (circle_id, idempotency_key)
    )`);
    await db.query(`CREATE INDEX fund_transfers_by_cycle ON defense.fund_transfers (circle_id, cycle, kind)`);
    await db.query(`CREATE TABLE defense.fund_entries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      transfer_id uuid NOT NULL REFERENCES defense.fund_transfers(id),
      account_id uuid NOT NULL REFERENCES defense.fund_accounts(id),
      amount_minor bigint NOT NULL CHECK (amount_minor <> 0)
    )`);
    await db.query(`CREATE INDEX fund_entries_by_account ON defense.fund_entries (account_id) INCLUDE (amount_minor)`);
    await db.query(`CREATE FUNCTION defense.reject_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'The fund ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME; END $$`);
    for (const table of ["fund_transfers", "fund_entries"]) {
      await db.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON defense.${table} FOR EACH ROW EXECUTE FUNCTION defense.reject_ledger_change()`,
      );
    }

    // D4: court accompaniment.
    await db.query(`CREATE TABLE defense.hearings (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      scheduled_by_member_id uuid NOT NULL,
      starts_at timestamptz NOT NULL,
      ${geohash("geohash")} NOT NULL,
      companions_needed integer NOT NULL CHECK (companions_needed BETWEEN 1 AND 50),
      created_at timestamptz NOT NULL,
      checked_at timestamptz,
      short_of_companions boolean NOT NULL DEFAULT false
    )`);
    await db.query(`CREATE INDEX hearings_by_circle ON defense.hearings (circle_id, starts_at, id)`);
    await db.query(`CREATE INDEX hearings_unchecked ON defense.hearings (starts_at) WHERE checked_at IS NULL`);
    await db.query(`CREATE TABLE defense.hearing_shifts (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      hearing_id uuid NOT NULL REFERENCES defense.hearings(id),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
      reminded_at timestamptz
    )`);
    await db.query(
      `CREATE INDEX hearing_shifts_to_remind ON defense.hearing_shifts (starts_at) WHERE reminded_at IS NULL`,
    );
    await db.query(`CREATE TABLE defense.shift_signups (
      shift_id uuid NOT NULL REFERENCES defense.hearing_shifts(id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      signed_up_at timestamptz NOT NULL,
      PRIMARY KEY (shift_id, member_id)
    )`);

    // D5: housing pledges; `committed_people` never exceeds `capacity` (checked under the pledge's row lock and by the table).
    await db.query(`CREATE TABLE defense.housing_pledges (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      host_member_id uuid NOT NULL,
      capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 20),
      committed_people integer NOT NULL DEFAULT 0,
      available_from date NOT NULL,
      available_until date NOT NULL CHECK (available_until >= available_from),
      accepts_children boolean NOT NULL,
      accepts_pets boolean NOT NULL,
      is_step_free boolean NOT NULL,
      ${geohash("area_geohash")},
      contact_sealed bytea NOT NULL,
      pledged_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      CHECK (committed_people BETWEEN 0 AND capacity)
    )`);
    await db.query(
      `CREATE INDEX housing_pledges_open ON defense.housing_pledges (circle_id, available_until) WHERE withdrawn_at IS NULL`,
    );
    await db.query(`CREATE TABLE defense.housing_requests (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      requester_member_id uuid NOT NULL,
      people integer NOT NULL CHECK (people BETWEEN 1 AND 20),
      needed_from date NOT NULL,
      needed_until date NOT NULL CHECK (needed_until >= needed_from),
      with_children boolean NOT NULL,
      with_pets boolean NOT NULL,
      needs_step_free boolean NOT NULL,
      contact_sealed bytea NOT NULL,
      status text NOT NULL CHECK (status IN ('OPEN', 'HOUSED', 'WITHDRAWN')),
      requested_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE TABLE defense.housing_matches (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      pledge_id uuid NOT NULL REFERENCES defense.housing_pledges(id),
      request_id uuid NOT NULL REFERENCES defense.housing_requests(id),
      people integer NOT NULL,
      status text NOT NULL CHECK (status IN ('SUGGESTED', 'CONFIRMED', 'DECLINED')),
      host_accepted_at timestamptz,
      guest_accepted_at timestamptz,
      suggested_at timestamptz NOT NULL,
      decided_at timestamptz,
      UNIQUE (pledge_id, request_id)
    )`);

    // D6: mediation.
    await db.query(`CREATE TABLE defense.disputes (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      opened_by_member_id uuid NOT NULL,
      summary_sealed bytea NOT NULL,
      status text NOT NULL CHECK (status IN ('OPEN', 'IN_MEDIATION', 'RESOLVED', 'UNRESOLVED')),
      outcome text CHECK (outcome IN ('AGREEMENT', 'NO_AGREEMENT')),
      police_involved boolean,
      opened_at timestamptz NOT NULL,
      resolved_at timestamptz
    )`);
    // Parties are pseudonyms the opener chooses ("the upstairs flat"), never member ids or names.
    await db.query(`CREATE TABLE defense.dispute_parties (
      dispute_id uuid NOT NULL REFERENCES defense.disputes(id),
      circle_id uuid NOT NULL,
      pseudonym text NOT NULL CHECK (char_length(pseudonym) BETWEEN 1 AND 40),
      PRIMARY KEY (dispute_id, pseudonym)
    )`);
    await db.query(`CREATE TABLE defense.dispute_mediators (
      dispute_id uuid NOT NULL REFERENCES defense.disputes(id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      accepted_at timestamptz NOT NULL,
      PRIMARY KEY (dispute_id, member_id)
    )`);
    await db.query(`CREATE TABLE defense.mediation_sessions (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      dispute_id uuid NOT NULL REFERENCES defense.disputes(id),
      held_at timestamptz NOT NULL,
      recorded_by_member_id uuid NOT NULL
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      "mediation_sessions",
      "dispute_mediators",
      "dispute_parties",
      "disputes",
      "housing_matches",
      "housing_requests",
      "housing_pledges",
      "shift_signups",
      "hearing_shifts",
      "hearings",
      "fund_entries",
      "fund_transfers",
      "disbursement_decisions",
      "disbursement_requests",
      "fund_pledges",
      "fund_accounts",
      "agreement_signatures",
      "agreements",
      "case_notes",
      "case_handlers",
      "webhook_dead_letters",
      "webhook_deliveries",
      "webhooks",
      "notifications",
      "alert_log",
      "broadcasts",
      "alert_verifications",
      "alert_calls",
      "alerts",
      "responders",
      "branches",
      "settings",
      "circle_members",
      "data_keys",
    ]) {
      await db.query(`DROP TABLE defense.${table}`);
    }
    await db.query(`DROP FUNCTION defense.reject_ledger_change()`);
    await db.query(
      `CREATE TABLE defense.notes (id uuid PRIMARY KEY, circle_id uuid NOT NULL, member_id uuid NOT NULL, text text NOT NULL, written_at timestamptz NOT NULL)`,
    );
  }
}
