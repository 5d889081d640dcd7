import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Governance's tables. Every row carries circle_id. Seat kinds and the power map's per-bloc counts are
 * the only traces of a member's bloc here, and no field, event or log line carries them out.
 */
export class GovernanceSchema1795498808786 implements MigrationInterface {
  name = "GovernanceSchema1795498808786";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE governance.circles (circle_id uuid PRIMARY KEY, founded_at timestamptz NOT NULL)`);

    await db.query(`CREATE TABLE governance.bodies (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
      kind text NOT NULL CHECK (kind IN ('STEWARD_TEAM', 'ASSEMBLY')),
      decision_rule text NOT NULL CHECK (decision_rule IN ('CONSENT', 'CONSENSUS', 'CONSENSUS_MINUS_ONE', 'MAJORITY')),
      size int NOT NULL CHECK (size BETWEEN 1 AND 500),
      quorum_percent int NOT NULL CHECK (quorum_percent BETWEEN 1 AND 100),
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      UNIQUE (circle_id, name)
    )`);
    await db.query(`CREATE INDEX bodies_by_circle ON governance.bodies (circle_id, created_at DESC, id DESC)`);
    await db.query(`CREATE TABLE governance.seats (
      body_id uuid NOT NULL REFERENCES governance.bodies (id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('EDGE', 'ADVANTAGED')),
      taken_at timestamptz NOT NULL,
      PRIMARY KEY (body_id, member_id)
    )`);
    await db.query(`CREATE INDEX seats_by_member ON governance.seats (circle_id, member_id)`);

    await db.query(`CREATE TABLE governance.proposals (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      body_id uuid NOT NULL REFERENCES governance.bodies (id),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 10000),
      kind text NOT NULL CHECK (kind IN ('ORDINARY', 'AMENDMENT')),
      amendment jsonb,
      status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
      outcome text CHECK (outcome IN ('PASSED', 'REJECTED', 'NO_QUORUM', 'OUT_OF_COMPOSITION')),
      closes_at timestamptz NOT NULL,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      closed_at timestamptz,
      CHECK ((status = 'OPEN') = (outcome IS NULL))
    )`);
    await db.query(
      `CREATE INDEX proposals_open_by_closing ON governance.proposals (closes_at, id) WHERE status = 'OPEN'`,
    );
    await db.query(`CREATE INDEX proposals_by_body ON governance.proposals (body_id, created_at DESC, id DESC)`);
    await db.query(`CREATE TABLE governance.responses (
      proposal_id uuid NOT NULL REFERENCES governance.proposals (id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      response text NOT NULL CHECK (response IN ('CONSENT', 'STAND_ASIDE', 'OBJECT', 'VETO')),
      reason text CHECK (char_length(reason) <= 1000),
      responded_at timestamptz NOT NULL,
      PRIMARY KEY (proposal_id, member_id)
    )`);

    // The decision log: one chain per circle; proposal_id UNIQUE makes a second closing impossible.
    await db.query(`CREATE TABLE governance.decision_log (
      circle_id uuid NOT NULL,
      seq bigint NOT NULL CHECK (seq >= 1),
      proposal_id uuid NOT NULL UNIQUE,
      body_id uuid NOT NULL,
      rule text NOT NULL,
      outcome text NOT NULL,
      tally jsonb NOT NULL,
      reasons jsonb NOT NULL,
      decided_at timestamptz NOT NULL,
      previous_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (circle_id, seq)
    )`);
    await db.query(
      `CREATE TABLE governance.decision_log_heads (circle_id uuid PRIMARY KEY, seq bigint NOT NULL, hash text NOT NULL)`,
    );
    await db.query(`CREATE FUNCTION governance.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`);
    await db.query(
      `CREATE TRIGGER decision_log_append_only BEFORE UPDATE OR DELETE ON governance.decision_log FOR EACH ROW EXECUTE FUNCTION governance.refuse_change()`,
    );

    await db.query(`CREATE TABLE governance.roles (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      body_id uuid NOT NULL REFERENCES governance.bodies (id),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
      powers text[] NOT NULL,
      holder_count int NOT NULL CHECK (holder_count BETWEEN 1 AND 20),
      has_bloc_quota boolean NOT NULL,
      status text NOT NULL CHECK (status IN ('ACTIVE', 'COMPOSTED')),
      created_at timestamptz NOT NULL,
      composted_at timestamptz,
      compost_reasons text CHECK (char_length(compost_reasons) <= 2000),
      UNIQUE (body_id, name)
    )`);
    await db.query(`CREATE INDEX roles_by_circle ON governance.roles (circle_id, status)`);
    await db.query(`CREATE TABLE governance.draws (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      role_id uuid NOT NULL REFERENCES governance.roles (id),
      cycle text,
      pool jsonb NOT NULL,
      rules jsonb NOT NULL,
      commitment text NOT NULL,
      seeds_required int NOT NULL CHECK (seeds_required BETWEEN 1 AND 20),
      status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
      draw_seed text,
      drawn_order jsonb,
      opened_at timestamptz NOT NULL,
      closed_at timestamptz,
      UNIQUE (role_id, cycle)
    )`);
    await db.query(`CREATE INDEX draws_by_role ON governance.draws (role_id, opened_at DESC)`);
    // A published draw cannot be redrawn: what it committed to never changes, and a closed draw never reopens.
    await db.query(`CREATE FUNCTION governance.keep_draw() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.pool IS DISTINCT FROM OLD.pool OR NEW.rules IS DISTINCT FROM OLD.rules OR NEW.commitment IS DISTINCT FROM OLD.commitment
           OR NEW.seeds_required IS DISTINCT FROM OLD.seeds_required OR OLD.status = 'CLOSED' THEN
          RAISE EXCEPTION 'a published draw cannot change';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER draws_immutable BEFORE UPDATE ON governance.draws FOR EACH ROW EXECUTE FUNCTION governance.keep_draw()`,
    );
    await db.query(
      `CREATE TRIGGER draws_kept BEFORE DELETE ON governance.draws FOR EACH ROW EXECUTE FUNCTION governance.refuse_change()`,
    );
    await db.query(`CREATE TABLE governance.draw_seeds (
      draw_id uuid NOT NULL REFERENCES governance.draws (id),
      position int NOT NULL,
      seed text NOT NULL CHECK (char_length(seed) BETWEEN 1 AND 200),
      contributed_at timestamptz NOT NULL,
      PRIMARY KEY (draw_id, position)
    )`);
    await db.query(
      `CREATE TRIGGER draw_seeds_append_only BEFORE UPDATE OR DELETE ON governance.draw_seeds FOR EACH ROW EXECUTE FUNCTION governance.refuse_change()`,
    );
    await db.query(`CREATE TABLE governance.role_holders (
      role_id uuid NOT NULL REFERENCES governance.roles (id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      draw_id uuid NOT NULL REFERENCES governance.draws (id),
      since timestamptz NOT NULL,
      PRIMARY KEY (role_id, member_id)
    )`);

    await db.query(`CREATE TABLE governance.pacts (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      body_id uuid NOT NULL REFERENCES governance.bodies (id),
      proposal_id uuid NOT NULL UNIQUE REFERENCES governance.proposals (id),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      status text NOT NULL CHECK (status IN ('ACTIVE', 'LAPSED')),
      sunset_at timestamptz NOT NULL,
      adopted_at timestamptz NOT NULL,
      reminded_at timestamptz,
      lapsed_at timestamptz
    )`);
    await db.query(`CREATE INDEX pacts_active_by_sunset ON governance.pacts (sunset_at, id) WHERE status = 'ACTIVE'`);
    await db.query(`CREATE INDEX pacts_by_circle ON governance.pacts (circle_id, adopted_at DESC, id DESC)`);
    await db.query(`CREATE TABLE governance.pact_ratifications (
      pact_id uuid NOT NULL REFERENCES governance.pacts (id),
      circle_id uuid NOT NULL,
      proposal_id uuid NOT NULL UNIQUE REFERENCES governance.proposals (id),
      previous_sunset_at timestamptz NOT NULL,
      sunset_at timestamptz NOT NULL,
      ratified_at timestamptz NOT NULL
    )`);

    await db.query(`CREATE TABLE governance.articles (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      number int NOT NULL,
      current_version int NOT NULL,
      UNIQUE (circle_id, number)
    )`);
    await db.query(`CREATE TABLE governance.article_versions (
      article_id uuid NOT NULL REFERENCES governance.articles (id),
      circle_id uuid NOT NULL,
      version int NOT NULL,
      title text NOT NULL,
      text text NOT NULL,
      proposal_id uuid NOT NULL UNIQUE REFERENCES governance.proposals (id),
      adopted_at timestamptz NOT NULL,
      PRIMARY KEY (article_id, version)
    )`);

    await db.query(`CREATE TABLE governance.assemblies (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('SHADOW', 'COMMONS')),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      cycle text NOT NULL,
      meets_at timestamptz,
      minutes text CHECK (char_length(minutes) <= 20000),
      created_at timestamptz NOT NULL
    )`);
    await db.query(
      `CREATE UNIQUE INDEX one_commons_assembly_per_cycle ON governance.assemblies (circle_id, cycle) WHERE kind = 'COMMONS'`,
    );
    await db.query(`CREATE INDEX assemblies_by_circle ON governance.assemblies (circle_id, created_at DESC, id DESC)`);
    await db.query(`CREATE TABLE governance.agenda_items (
      id uuid PRIMARY KEY,
      assembly_id uuid NOT NULL REFERENCES governance.assemblies (id),
      circle_id uuid NOT NULL,
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 1000),
      added_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE INDEX agenda_by_assembly ON governance.agenda_items (assembly_id, added_at)`);
    await db.query(`CREATE TABLE governance.reflections (
      id uuid PRIMARY KEY,
      assembly_id uuid NOT NULL REFERENCES governance.assemblies (id),
      circle_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('FAILURE', 'WIN', 'TENSION')),
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
      may_quote boolean NOT NULL,
      recorded_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE INDEX reflections_by_assembly ON governance.reflections (assembly_id, recorded_at)`);

    await db.query(`CREATE TABLE governance.power_nodes (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('LANDLORD', 'EMPLOYER', 'POLICE', 'LENDER', 'CREDIT_SCORE', 'CLERGY', 'OFFICIAL', 'OTHER')),
      label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 80),
      flows text[] NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await db.query(
      `CREATE INDEX power_nodes_by_circle ON governance.power_nodes (circle_id, created_at DESC, id DESC)`,
    );
    // Who declared a relation (to keep it once each) and the per-bloc counts are kept apart: no row links a member to a bloc.
    await db.query(`CREATE TABLE governance.power_relations (
      node_id uuid NOT NULL REFERENCES governance.power_nodes (id),
      circle_id uuid NOT NULL,
      member_id uuid NOT NULL,
      PRIMARY KEY (node_id, member_id)
    )`);
    await db.query(`CREATE TABLE governance.power_relation_counts (
      node_id uuid NOT NULL REFERENCES governance.power_nodes (id),
      circle_id uuid NOT NULL,
      bloc text NOT NULL CHECK (bloc IN ('EDGE', 'ADVANTAGED')),
      members int NOT NULL CHECK (members >= 0),
      PRIMARY KEY (node_id, bloc)
    )`);

    await db.query(`CREATE TABLE governance.playbooks (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      experiment_id uuid NOT NULL UNIQUE,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      node_kind text NOT NULL,
      hypothesis text NOT NULL,
      steps text NOT NULL CHECK (char_length(steps) BETWEEN 1 AND 10000),
      commands_replaced int NOT NULL,
      published_at timestamptz NOT NULL
    )`);
    await db.query(`CREATE INDEX playbooks_newest_first ON governance.playbooks (published_at DESC, id DESC)`);
    await db.query(`CREATE TABLE governance.experiments (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      node_id uuid NOT NULL REFERENCES governance.power_nodes (id),
      hypothesis text NOT NULL CHECK (char_length(hypothesis) BETWEEN 1 AND 2000),
      cycle text NOT NULL,
      status text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'INCONCLUSIVE')),
      commands_replaced int NOT NULL DEFAULT 0 CHECK (commands_replaced >= 0),
      copied_from uuid REFERENCES governance.playbooks (id),
      started_at timestamptz NOT NULL,
      judged_at timestamptz
    )`);
    await db.query(
      `CREATE INDEX experiments_by_circle ON governance.experiments (circle_id, started_at DESC, id DESC)`,
    );
    await db.query(`CREATE TABLE governance.replaced_commands (
      id uuid PRIMARY KEY,
      experiment_id uuid NOT NULL REFERENCES governance.experiments (id),
      circle_id uuid NOT NULL,
      description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 1000),
      recorded_at timestamptz NOT NULL
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      "replaced_commands",
      "experiments",
      "playbooks",
      "power_relation_counts",
      "power_relations",
      "power_nodes",
      "reflections",
      "agenda_items",
      "assemblies",
      "article_versions",
      "articles",
      "pact_ratifications",
      "pacts",
      "role_holders",
      "draw_seeds",
      "draws",
      "roles",
      "decision_log_heads",
      "decision_log",
      "responses",
      "proposals",
      "seats",
      "bodies",
      "circles",
    ]) {
      await db.query(`DROP TABLE governance.${table}`);
    }
    await db.query(`DROP FUNCTION governance.keep_draw()`);
    await db.query(`DROP FUNCTION governance.refuse_change()`);
  }
}
