import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from "node:crypto";
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from "typeorm";
import { badInput, conflict, notFound } from "../runtime/errors.js";
import { MIN_DRAW_WITNESSES, witnessCommitment, witnessedDrawOrder, witnessSeedProblem } from "../rules/sortition.js";

/**
 * Draws nobody can steer, kept in the service's own schema (governance's role rotations, tools'
 * caretaker duos). During a cycle, witnesses commit: each hands the hub a seed, the hub publishes
 * SHA-256([drawId, memberId, seed]) and keeps the seed sealed (AES-256-GCM under a key derived from
 * the hub's secret, bound to the draw and the witness). At the cycle's end the pool is frozen, and
 * only then are the seals opened and the order computed, in one transaction: nobody, the witnesses
 * included, has seen another's seed while anything could still change, and a witness who never
 * reveals changes nothing, since the hub already holds their seed. A witness may reveal afterwards,
 * which checks their seed against their commitment in public.
 */

type Queryable = Pick<EntityManager, "query">;

export type WitnessedDrawStatus = "GATHERING" | "DRAWN" | "CARRIED_OVER";

export interface DrawWitnessRecord {
  memberId: string;
  commitment: string;
  /** Published once the pool is frozen; null while commitments are gathered. */
  seed: string | null;
  /** When the witness revealed the seed themself (checked against their commitment); null if they did not. */
  revealedAt: Date | null;
  committedAt: Date;
}

export interface WitnessedDrawRecord {
  id: string;
  circleId: string;
  purpose: string;
  /** The cycle during which commitments are gathered; its end freezes the pool. */
  cycle: string;
  status: WitnessedDrawStatus;
  openedAt: Date;
  frozenAt: Date | null;
  pool: string[] | null;
  rules: Record<string, unknown> | null;
  poolCommitment: string | null;
  drawSeed: string | null;
  order: string[] | null;
  /** Who the draw chose (or, when carried over, who kept their place). */
  chosen: string[] | null;
  witnesses: DrawWitnessRecord[];
}

/** The key that seals witnesses' seeds, derived from the hub's secret (TOKEN_SECRET), so no new secret is needed. */
export function drawSealKey(hubSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", hubSecret, "rhizome", "witnessed-draw-seeds", 32));
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const sealBinding = (drawId: string, memberId: string) => Buffer.from(`draw-seed:${drawId}:${memberId}`, "utf8");

function sealSeed(key: Buffer, drawId: string, memberId: string, seed: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(sealBinding(drawId, memberId));
  const sealed = Buffer.concat([cipher.update(seed, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

/** The seed, or undefined when the seal does not open (the hub's secret changed since, or the row was altered or moved). */
function openSeed(key: Buffer, drawId: string, memberId: string, sealed: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(sealBinding(drawId, memberId));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** The tables, in the schema of each service that runs witnessed draws (add it to the service's migrations). */
export class KitWitnessedDraws1796000000000 implements MigrationInterface {
  name = "KitWitnessedDraws1796000000000";
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE witnessed_draws (
      id uuid PRIMARY KEY,
      circle_id uuid NOT NULL,
      purpose text NOT NULL CHECK (char_length(purpose) BETWEEN 1 AND 100),
      cycle text NOT NULL,
      status text NOT NULL CHECK (status IN ('GATHERING', 'DRAWN', 'CARRIED_OVER')),
      opened_at timestamptz NOT NULL,
      frozen_at timestamptz,
      pool jsonb,
      rules jsonb,
      pool_commitment text,
      draw_seed text,
      drawn_order jsonb,
      chosen jsonb,
      UNIQUE (circle_id, purpose, cycle)
    )`);
    await db.query(`CREATE TABLE draw_witnesses (
      draw_id uuid NOT NULL REFERENCES witnessed_draws (id),
      member_id uuid NOT NULL,
      commitment text NOT NULL,
      sealed_seed bytea NOT NULL,
      seed text,
      revealed_at timestamptz,
      committed_at timestamptz NOT NULL,
      PRIMARY KEY (draw_id, member_id)
    )`);
    // A frozen draw never changes, and nothing is deleted: no redraw until a result someone likes.
    await db.query(`CREATE FUNCTION keep_witnessed_draw() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.status <> 'GATHERING' OR NEW.id <> OLD.id OR NEW.circle_id <> OLD.circle_id OR NEW.purpose <> OLD.purpose OR NEW.cycle <> OLD.cycle THEN
          RAISE EXCEPTION 'a frozen draw cannot change';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER witnessed_draws_kept BEFORE UPDATE OR DELETE ON witnessed_draws FOR EACH ROW EXECUTE FUNCTION keep_witnessed_draw()`,
    );
    // A commitment never changes; its seed and its reveal are written once.
    await db.query(`CREATE FUNCTION keep_draw_witness() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.draw_id <> OLD.draw_id OR NEW.member_id <> OLD.member_id OR NEW.commitment <> OLD.commitment OR NEW.sealed_seed <> OLD.sealed_seed
           OR (OLD.seed IS NOT NULL AND NEW.seed IS DISTINCT FROM OLD.seed) OR (OLD.revealed_at IS NOT NULL AND NEW.revealed_at IS DISTINCT FROM OLD.revealed_at) THEN
          RAISE EXCEPTION 'a witness''s commitment cannot change';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER draw_witnesses_kept BEFORE UPDATE OR DELETE ON draw_witnesses FOR EACH ROW EXECUTE FUNCTION keep_draw_witness()`,
    );
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE draw_witnesses`);
    await db.query(`DROP TABLE witnessed_draws`);
    await db.query(`DROP FUNCTION keep_draw_witness()`);
    await db.query(`DROP FUNCTION keep_witnessed_draw()`);
  }
}

function drawFromSql(raw: Record<string, unknown>, witnesses: DrawWitnessRecord[]): WitnessedDrawRecord {
  return {
    id: raw.id as string,
    circleId: raw.circle_id as string,
    purpose: raw.purpose as string,
    cycle: raw.cycle as string,
    status: raw.status as WitnessedDrawStatus,
    openedAt: raw.opened_at as Date,
    frozenAt: (raw.frozen_at as Date | null) ?? null,
    pool: (raw.pool as string[] | null) ?? null,
    rules: (raw.rules as Record<string, unknown> | null) ?? null,
    poolCommitment: (raw.pool_commitment as string | null) ?? null,
    drawSeed: (raw.draw_seed as string | null) ?? null,
    order: (raw.drawn_order as string[] | null) ?? null,
    chosen: (raw.chosen as string[] | null) ?? null,
    witnesses,
  };
}

/** Draws by id, each with its witnesses in the order their seeds are combined (by member id). */
export async function witnessedDrawsByIds(db: Queryable, ids: readonly string[]): Promise<WitnessedDrawRecord[]> {
  const uuids = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (uuids.length === 0) return [];
  const raws: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM witnessed_draws WHERE id = ANY($1::uuid[])`,
    [uuids],
  );
  const witnesses: Array<{
    draw_id: string;
    member_id: string;
    commitment: string;
    seed: string | null;
    revealed_at: Date | null;
    committed_at: Date;
  }> = await db.query(
    `SELECT draw_id, member_id, commitment, seed, revealed_at, committed_at FROM draw_witnesses WHERE draw_id = ANY($1::uuid[]) ORDER BY draw_id, member_id`,
    [uuids],
  );
  return raws.map((raw) =>
    drawFromSql(
      raw,
      witnesses
        .filter((w) => w.draw_id === raw.id)
        .map((w) => ({
          memberId: w.member_id,
          commitment: w.commitment,
          seed: w.seed,
          revealedAt: w.revealed_at,
          committedAt: w.committed_at,
        })),
    ),
  );
}

/** The draw of a circle, purpose and cycle, if anyone committed to it or it was frozen. */
export async function witnessedDrawOf(
  db: Queryable,
  circleId: string,
  purpose: string,
  cycle: string,
): Promise<WitnessedDrawRecord | undefined> {
  const [row]: Array<{ id: string }> = await db.query(
    `SELECT id FROM witnessed_draws WHERE circle_id = $1 AND purpose = $2 AND cycle = $3`,
    [circleId, purpose, cycle],
  );
  return row ? (await witnessedDrawsByIds(db, [row.id]))[0] : undefined;
}

/** A page of a purpose's draws in a circle, newest cycle first, after the cycle `beforeCycle` (exclusive) when given. */
export async function witnessedDrawHistory(
  db: Queryable,
  circleId: string,
  purpose: string,
  beforeCycle: string | undefined,
  limit: number,
): Promise<WitnessedDrawRecord[]> {
  const rows: Array<{ id: string }> = await db.query(
    `SELECT id FROM witnessed_draws WHERE circle_id = $1 AND purpose = $2 AND ($3::text IS NULL OR cycle < $3) ORDER BY cycle DESC LIMIT $4`,
    [circleId, purpose, beforeCycle ?? null, limit],
  );
  const draws = await witnessedDrawsByIds(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => draws.find((d) => d.id === r.id)!);
}

/** The latest frozen draws of each purpose (DRAWN or CARRIED_OVER), by circle and purpose. */
export async function latestFrozenDrawIds(
  db: Queryable,
  circleId: string,
  purposes: readonly string[],
): Promise<Map<string, string>> {
  const rows: Array<{ purpose: string; id: string }> = await db.query(
    `SELECT DISTINCT ON (purpose) purpose, id FROM witnessed_draws WHERE circle_id = $1 AND purpose = ANY($2::text[]) AND status <> 'GATHERING' ORDER BY purpose, frozen_at DESC, id`,
    [circleId, purposes],
  );
  return new Map(rows.map((r) => [r.purpose, r.id]));
}

async function ensureGatheringDraw(
  db: Queryable,
  circleId: string,
  purpose: string,
  cycle: string,
  now: Date,
): Promise<Record<string, unknown>> {
  await db.query(
    `INSERT INTO witnessed_draws (id, circle_id, purpose, cycle, status, opened_at) VALUES ($1, $2, $3, $4, 'GATHERING', $5) ON CONFLICT DO NOTHING`,
    [randomUUID(), circleId, purpose, cycle, now],
  );
  const [raw]: Array<Record<string, unknown>> = await db.query(
    `SELECT * FROM witnessed_draws WHERE circle_id = $1 AND purpose = $2 AND cycle = $3 FOR UPDATE`,
    [circleId, purpose, cycle],
  );
  return raw;
}

export interface WitnessCommitmentInput {
  circleId: string;
  purpose: string;
  /** The cycle `now` falls in: commitments count for the draw frozen at its end. */
  cycle: string;
  memberId: string;
  seed: string;
}

/**
 * A witness commits to the draw of (circle, purpose, cycle), made on the first commitment. The hub
 * publishes the commitment and keeps the seed sealed until the pool is frozen. One commitment per
 * witness, never changed.
 */
export async function commitWitnessSeed(
  db: DataSource,
  key: Buffer,
  input: WitnessCommitmentInput,
  now: Date,
): Promise<string> {
  const problem = witnessSeedProblem(input.seed);
  if (problem) throw badInput(problem);
  return db.transaction(async (manager) => {
    const raw = await ensureGatheringDraw(manager, input.circleId, input.purpose, input.cycle, now);
    if (raw.status !== "GATHERING") throw conflict("This draw's pool is frozen: commit to the next one.");
    const drawId = raw.id as string;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO draw_witnesses (draw_id, member_id, commitment, sealed_seed, committed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
      [
        drawId,
        input.memberId,
        witnessCommitment(drawId, input.memberId, input.seed),
        sealSeed(key, drawId, input.memberId, input.seed),
        now,
      ],
    );
    if (inserted.length === 0) throw conflict("You already committed to this draw; a commitment never changes.");
    return drawId;
  });
}

export interface FreezeOutcome {
  drawId: string;
  status: Exclude<WitnessedDrawStatus, "GATHERING">;
  /** The whole pool in draw order; empty when carried over. */
  order: string[];
}

/**
 * Freezes the draw of (circle, purpose, cycle) inside the caller's transaction: records the pool and
 * rules, then opens every seal and, with at least MIN_DRAW_WITNESSES seeds, computes the order;
 * with fewer, draws nothing (CARRIED_OVER) and publishes the seeds it had. A seal that does not open
 * (the hub's secret was changed during the cycle) counts as no witness. `choose` turns the
 * order into who is chosen (for a carried-over draw, it gets an empty order and names who keeps
 * their place). A draw already frozen is returned as it was: freezing twice changes nothing.
 */
export async function freezeWitnessedDraw(
  manager: Queryable,
  key: Buffer,
  target: { circleId: string; purpose: string; cycle: string },
  pool: readonly string[],
  rules: Record<string, unknown>,
  choose: (order: string[], status: FreezeOutcome["status"]) => string[],
  now: Date,
): Promise<FreezeOutcome & { chosen: string[]; wasAlreadyFrozen: boolean }> {
  const raw = await ensureGatheringDraw(manager, target.circleId, target.purpose, target.cycle, now);
  const drawId = raw.id as string;
  if (raw.status !== "GATHERING")
    return {
      drawId,
      status: raw.status as FreezeOutcome["status"],
      order: (raw.drawn_order as string[]) ?? [],
      chosen: (raw.chosen as string[]) ?? [],
      wasAlreadyFrozen: true,
    };
  const sealed: Array<{ member_id: string; sealed_seed: Buffer }> = await manager.query(
    `SELECT member_id, sealed_seed FROM draw_witnesses WHERE draw_id = $1 ORDER BY member_id`,
    [drawId],
  );
  // A seal that does not open counts as no witness (its seed stays null): no witness can cause it, since the key and the binding are the hub's.
  const witnesses = sealed.flatMap((w) => {
    const seed = openSeed(key, drawId, w.member_id, w.sealed_seed);
    return seed === undefined ? [] : [{ memberId: w.member_id, seed }];
  });
  const sortedPool = [...new Set(pool)].sort();
  const frozen = { drawId, purpose: target.purpose, cycle: target.cycle, pool: sortedPool, rules };
  const status: FreezeOutcome["status"] = witnesses.length >= MIN_DRAW_WITNESSES ? "DRAWN" : "CARRIED_OVER";
  const { poolCommitment, drawSeed, order } = witnessedDrawOrder(frozen, witnesses);
  const published = status === "DRAWN" ? order : [];
  const chosen = choose(published, status);
  for (const witness of witnesses) {
    await manager.query(`UPDATE draw_witnesses SET seed = $3 WHERE draw_id = $1 AND member_id = $2`, [
      drawId,
      witness.memberId,
      witness.seed,
    ]);
  }
  await manager.query(
    `UPDATE witnessed_draws SET status = $2, frozen_at = $3, pool = $4, rules = $5, pool_commitment = $6, draw_seed = $7, drawn_order = $8, chosen = $9 WHERE id = $1`,
    [
      drawId,
      status,
      now,
      JSON.stringify(sortedPool),
      JSON.stringify(rules),
      poolCommitment,
      status === "DRAWN" ? drawSeed : null,
      status === "DRAWN" ? JSON.stringify(order) : null,
      JSON.stringify(chosen),
    ],
  );
  return { drawId, status, order: published, chosen, wasAlreadyFrozen: false };
}

/** A witness reveals their seed after the freeze: checked against their commitment, then marked in public. The result does not depend on it. */
export async function revealWitnessSeed(
  db: DataSource,
  drawId: string,
  memberId: string,
  seed: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (manager) => {
    const [draw]: Array<{ status: WitnessedDrawStatus }> = await manager.query(
      `SELECT status FROM witnessed_draws WHERE id = $1`,
      [drawId],
    );
    if (!draw) throw notFound("No draw with that id in your circles.");
    if (draw.status === "GATHERING")
      throw conflict(
        "Reveal your seed after the pool is frozen at the new moon, not before: until then it stays sealed.",
      );
    const [witness]: Array<{ commitment: string; revealed_at: Date | null }> = await manager.query(
      `SELECT commitment, revealed_at FROM draw_witnesses WHERE draw_id = $1 AND member_id = $2 FOR UPDATE`,
      [drawId, memberId],
    );
    if (!witness) throw notFound("You did not commit to this draw.");
    if (witnessCommitment(drawId, memberId, seed) !== witness.commitment)
      throw badInput("That seed does not match your commitment.");
    if (!witness.revealed_at)
      await manager.query(`UPDATE draw_witnesses SET revealed_at = $3 WHERE draw_id = $1 AND member_id = $2`, [
        drawId,
        memberId,
        now,
      ]);
  });
}
