import type { DataSource, EntityManager } from "typeorm";
import { cycleByLabelOrThrow, freezeWitnessedDraw, precedingCycle } from "@rhizome/kit";
import { CARETAKER_DRAW_PURPOSE, caretakerDrawRules, carriedOverDuo, duoFromOrder } from "../domain/caretakers.js";
import { CaretakerDrawRow } from "../entities/caretaker-draw.js";
import { rememberMember } from "./members.js";

type Queryable = Pick<EntityManager, "query">;

export async function volunteerAsCaretaker(
  db: DataSource,
  circleId: string,
  memberId: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (manager) => {
    await rememberMember(manager, circleId, memberId, now);
    await manager.query(
      `INSERT INTO caretaker_volunteers (circle_id, member_id, volunteered_at) VALUES ($1, $2, $3)
       ON CONFLICT (circle_id, member_id) DO UPDATE SET volunteered_at = CASE WHEN caretaker_volunteers.withdrawn_at IS NULL THEN caretaker_volunteers.volunteered_at ELSE $3 END, withdrawn_at = NULL`,
      [circleId, memberId, now],
    );
  });
}

/** Withdrawing counts from the next draw; a duo already drawn keeps its caretakers for its cycle. */
export async function withdrawAsCaretaker(
  db: DataSource,
  circleId: string,
  memberId: string,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE caretaker_volunteers SET withdrawn_at = $3 WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL`,
    [circleId, memberId, now],
  );
}

export async function isVolunteering(db: Queryable, circleId: string, memberId: string): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `SELECT 1 FROM caretaker_volunteers WHERE circle_id = $1 AND member_id = $2 AND withdrawn_at IS NULL`,
    [circleId, memberId],
  );
  return rows.length === 1;
}

/**
 * Draws the duo of `cycle` once, at the new moon that begins it: the witnessed draw of the cycle
 * before (its commitments gathered during that cycle) is frozen with the volunteers as its pool,
 * and its order gives the duo; with fewer than three witnesses last cycle's caretakers who still
 * volunteer serve again. The row keyed by (circle, cycle) is written in the same transaction, so a
 * second run, or a run after a crash, finds it and returns the same duo.
 */
export async function drawCaretakers(
  db: DataSource,
  sealKey: Buffer,
  circleId: string,
  cycle: string,
  now: Date,
): Promise<CaretakerDrawRow> {
  return db.transaction(async (manager) => {
    const draws = manager.getRepository(CaretakerDrawRow);
    const existing = await draws.findOneBy({ circleId, cycle });
    if (existing) return existing;
    const volunteers: Array<{ member_id: string }> = await manager.query(
      `SELECT v.member_id FROM caretaker_volunteers v JOIN members m ON m.circle_id = v.circle_id AND m.member_id = v.member_id
       WHERE v.circle_id = $1 AND v.withdrawn_at IS NULL AND m.left_at IS NULL`,
      [circleId],
    );
    const gathering = precedingCycle(cycleByLabelOrThrow(cycle)).label;
    const previous = await draws.findOneBy({ circleId, cycle: gathering });
    const pool = [...new Set(volunteers.map((v) => v.member_id))].sort();
    const rules = caretakerDrawRules(cycle, previous?.duo ?? []);
    const draw = await freezeWitnessedDraw(
      manager,
      sealKey,
      { circleId, purpose: CARETAKER_DRAW_PURPOSE, cycle: gathering },
      pool,
      { ...rules },
      (order, status) =>
        status === "DRAWN" ? duoFromOrder(order, rules.previousDuo) : carriedOverDuo(rules.previousDuo, pool),
      now,
    );
    const [frozen]: Array<{ pool_commitment: string | null; draw_seed: string | null }> = await manager.query(
      `SELECT pool_commitment, draw_seed FROM witnessed_draws WHERE id = $1`,
      [draw.drawId],
    );
    await manager.query(
      `INSERT INTO caretaker_draws (circle_id, cycle, draw_id, commitment, seed, volunteers, previous_duo, duo, drawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [
        circleId,
        cycle,
        draw.drawId,
        frozen.pool_commitment,
        frozen.draw_seed,
        pool,
        rules.previousDuo,
        draw.chosen,
        now,
      ],
    );
    return draws.findOneByOrFail({ circleId, cycle });
  });
}

export async function caretakerDraw(db: DataSource, circleId: string, cycle: string): Promise<CaretakerDrawRow | null> {
  return db.getRepository(CaretakerDrawRow).findOneBy({ circleId, cycle });
}

export async function isCaretaker(db: Queryable, circleId: string, cycle: string, memberId: string): Promise<boolean> {
  const rows: unknown[] = await db.query(
    `SELECT 1 FROM caretaker_draws WHERE circle_id = $1 AND cycle = $2 AND $3 = ANY(duo)`,
    [circleId, cycle, memberId],
  );
  return rows.length === 1;
}

export async function caretakersOf(db: Queryable, circleId: string, cycle: string): Promise<string[]> {
  const [row]: Array<{ duo: string[] }> = await db.query(
    `SELECT duo FROM caretaker_draws WHERE circle_id = $1 AND cycle = $2`,
    [circleId, cycle],
  );
  return row?.duo ?? [];
}
