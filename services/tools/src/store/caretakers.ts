import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { exists } from "./queries.js";

/** The caretaker duo of a circle's cycle, with everything needed to recompute the draw. */
export interface CaretakerDrawRow {
  circleId: string;
  cycle: string;
  drawId: string | null;
  /** The frozen pool's commitment (the witnessed draw's). */
  commitment: string | null;
  /** The draw seed; null when the duo was carried over. */
  seed: string | null;
  volunteers: string[];
  previousDuo: string[];
  duo: string[];
  drawnAt: Date;
}

const DRAW = `circle_id, cycle, draw_id, commitment, seed, volunteers, previous_duo, duo, drawn_at`;

export async function volunteer(tx: Queryable, circleId: string, memberId: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO caretaker_volunteers (circle_id, member_id, volunteered_at) VALUES ($1, $2, $3)
     ON CONFLICT (circle_id, member_id) DO UPDATE SET volunteered_at = CASE WHEN caretaker_volunteers.withdrawn_at IS NULL THEN caretaker_volunteers.volunteered_at ELSE $3 END, withdrawn_at = NULL`,
    [circleId, memberId, now],
  );
}

/** Withdrawing counts from the next draw; a duo already drawn keeps its caretakers for its cycle. */
export async function withdraw(tx: Queryable, circleId: string, memberId: string, now: Date): Promise<void> {
  await tx.query(
    `UPDATE caretaker_volunteers SET withdrawn_at = $3 WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL`,
    [circleId, memberId, now],
  );
}

export async function isVolunteering(db: Queryable, circleId: string, memberId: string): Promise<boolean> {
  return exists(
    db,
    `SELECT FROM caretaker_volunteers WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL`,
    [circleId, memberId],
  );
}

/** The volunteers who are still members, sorted: the pool a draw freezes. */
export async function caretakerPool(tx: Queryable, circleId: string): Promise<string[]> {
  const volunteers = await sqlRows<{ memberId: string }>(
    tx,
    `SELECT v.member_id FROM caretaker_volunteers v JOIN members m ON m.circle_id = v.circle_id AND m.member_id = v.member_id
     WHERE v.circle_id = $1 AND v.withdrawn_at IS NULL AND m.left_at IS NULL`,
    [circleId],
  );
  return [...new Set(volunteers.map((v) => v.memberId))].sort();
}

/** The volunteers who are still members of each of the circles, each circle's sorted as caretakerPool sorts it. */
export async function caretakerPoolsOf(tx: Queryable, circleIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await sqlRows<{ circleId: string; memberId: string }>(
    tx,
    `SELECT v.circle_id, v.member_id FROM caretaker_volunteers v JOIN members m ON m.circle_id = v.circle_id AND m.member_id = v.member_id
     WHERE v.circle_id = ANY($1::uuid[]) AND v.withdrawn_at IS NULL AND m.left_at IS NULL`,
    [circleIds],
  );
  const pools = new Map<string, Set<string>>();
  for (const row of rows) {
    const pool = pools.get(row.circleId) ?? new Set<string>();
    pool.add(row.memberId);
    pools.set(row.circleId, pool);
  }
  return new Map([...pools].map(([circleId, pool]) => [circleId, [...pool].sort()]));
}

/** The frozen witnessed draw's pool commitment and seed. */
export async function frozenDraw(
  tx: Queryable,
  drawId: string,
): Promise<{ poolCommitment: string | null; drawSeed: string | null }> {
  const row = await sqlRow<{ poolCommitment: string | null; drawSeed: string | null }>(
    tx,
    `SELECT pool_commitment, draw_seed FROM witnessed_draws WHERE id = $1`,
    [drawId],
  );
  if (!row) throw new Error(`The witnessed draw ${drawId} was frozen but is not there.`);
  return row;
}

/** Records the duo of a cycle once: a second write of the same (circle, cycle) changes nothing. */
export async function insertCaretakerDraw(
  tx: Queryable,
  draw: Omit<CaretakerDrawRow, "drawnAt">,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO caretaker_draws (${DRAW}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    [
      draw.circleId,
      draw.cycle,
      draw.drawId,
      draw.commitment,
      draw.seed,
      draw.volunteers,
      draw.previousDuo,
      draw.duo,
      now,
    ],
  );
}

export function caretakerDraw(db: Queryable, circleId: string, cycle: string): Promise<CaretakerDrawRow | undefined> {
  return sqlRow<CaretakerDrawRow>(db, `SELECT ${DRAW} FROM caretaker_draws WHERE circle_id = $1 AND cycle = $2`, [
    circleId,
    cycle,
  ]);
}

/** The draws of these circles in these cycles, keyed by `${circleId} ${cycle}`. */
export async function caretakerDrawsOf(
  db: Queryable,
  circleIds: readonly string[],
  cycles: readonly string[],
): Promise<Map<string, CaretakerDrawRow>> {
  const rows = await sqlRows<CaretakerDrawRow>(
    db,
    `SELECT ${DRAW} FROM caretaker_draws WHERE circle_id = ANY($1::uuid[]) AND cycle = ANY($2::text[])`,
    [circleIds, cycles],
  );
  return new Map(rows.map((row) => [`${row.circleId} ${row.cycle}`, row]));
}

export async function caretakersOf(db: Queryable, circleId: string, cycle: string): Promise<string[]> {
  return (await caretakerDraw(db, circleId, cycle))?.duo ?? [];
}

export async function isCaretaker(db: Queryable, circleId: string, cycle: string, memberId: string): Promise<boolean> {
  return (await caretakersOf(db, circleId, cycle)).includes(memberId);
}
