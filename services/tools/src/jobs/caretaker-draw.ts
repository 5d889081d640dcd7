import type { DataSource } from "typeorm";
import {
  cycleByLabelOrThrow,
  drawSealKey,
  followingCycle,
  freezeWitnessedDraw,
  precedingCycle,
  type CycleJob,
  type Queryable,
} from "@rhizome/kit";
import { CARETAKER_DRAW_PURPOSE, caretakerDrawRules, carriedOverDuo, duoFromOrder } from "../domain/caretakers.js";
import {
  caretakerDraw,
  caretakerDrawsOf,
  caretakerPool,
  caretakerPoolsOf,
  frozenDraw,
  insertCaretakerDraw,
  type CaretakerDrawRow,
} from "../store/caretakers.js";

export interface CaretakerDrawOutcome {
  cycle: string;
  duoSize: number;
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
  return db.transaction((tx) => drawCaretakersIn(tx, sealKey, circleId, cycle, now));
}

/** drawCaretakers inside the caller's transaction. */
export async function drawCaretakersIn(
  tx: Queryable,
  sealKey: Buffer,
  circleId: string,
  cycle: string,
  now: Date,
): Promise<CaretakerDrawRow> {
  const existing = await caretakerDraw(tx, circleId, cycle);
  if (existing) return existing;
  const gathering = precedingCycle(cycleByLabelOrThrow(cycle)).label;
  const previous = await caretakerDraw(tx, circleId, gathering);
  const pool = await caretakerPool(tx, circleId);
  return freezeAndRecord(tx, sealKey, circleId, cycle, previous?.duo ?? [], pool, now);
}

/** Freezes the witnessed draw of the gathering cycle with this pool and records the duo it gives. */
async function freezeAndRecord(
  tx: Queryable,
  sealKey: Buffer,
  circleId: string,
  cycle: string,
  previousDuo: readonly string[],
  pool: string[],
  now: Date,
): Promise<CaretakerDrawRow> {
  const gathering = precedingCycle(cycleByLabelOrThrow(cycle)).label;
  const rules = caretakerDrawRules(cycle, [...previousDuo]);
  const draw = await freezeWitnessedDraw(
    tx,
    sealKey,
    { circleId, purpose: CARETAKER_DRAW_PURPOSE, cycle: gathering },
    pool,
    { ...rules },
    (order, status) =>
      status === "DRAWN" ? duoFromOrder(order, rules.previousDuo) : carriedOverDuo(rules.previousDuo, pool),
    now,
  );
  const frozen = await frozenDraw(tx, draw.drawId);
  await insertCaretakerDraw(
    tx,
    {
      circleId,
      cycle,
      drawId: draw.drawId,
      commitment: frozen.poolCommitment,
      seed: frozen.drawSeed,
      volunteers: pool,
      previousDuo: rules.previousDuo,
      duo: draw.chosen,
    },
    now,
  );
  const drawn = await caretakerDraw(tx, circleId, cycle);
  if (!drawn) throw new Error(`The caretaker draw of ${circleId} for ${cycle} was written but is not there.`);
  return drawn;
}

/**
 * Draws the duos of `cycle` for a page of circles in one transaction, each as its own run draws it
 * (the same witnessed draw, pool and order: the derivation stays per circle in `freezeWitnessedDraw`
 * and the domain): one statement reads every circle's existing and previous duos, one every
 * circle's pool. A crash rolls the page back whole. `beforeCommit` runs inside the transaction
 * just before it commits (throwing there rolls it back, as a crash would).
 */
export async function drawCaretakersOfPage(
  db: DataSource,
  sealKey: Buffer,
  circleIds: readonly string[],
  cycle: string,
  now: Date,
  beforeCommit?: (drawn: ReadonlyMap<string, CaretakerDrawRow>) => void | Promise<void>,
): Promise<Map<string, CaretakerDrawRow>> {
  const gathering = precedingCycle(cycleByLabelOrThrow(cycle)).label;
  return db.transaction(async (tx) => {
    const draws = await caretakerDrawsOf(tx, circleIds, [cycle, gathering]);
    const pools = await caretakerPoolsOf(tx, circleIds);
    const drawn = new Map<string, CaretakerDrawRow>();
    for (const circleId of circleIds) {
      const existing = draws.get(`${circleId} ${cycle}`);
      drawn.set(
        circleId,
        existing ??
          (await freezeAndRecord(
            tx,
            sealKey,
            circleId,
            cycle,
            draws.get(`${circleId} ${gathering}`)?.duo ?? [],
            pools.get(circleId) ?? [],
            now,
          )),
      );
    }
    await beforeCommit?.(drawn);
    return drawn;
  });
}

/**
 * At every new moon, per circle: draws the caretaker duo of the cycle that begins, from the witnesses'
 * commitments gathered during the cycle that ended (too few, and last cycle's duo carries over). The kit's run
 * record makes a second run a no-op, and the draw's own row keyed by (circle, cycle) makes a run
 * killed halfway, then run again, return the duo it drew the first time.
 */
export const caretakerDrawJob: CycleJob<never, CaretakerDrawOutcome> = {
  purpose: "caretakers",
  async run({ db, circleId, cycle, now, config }) {
    if (!config)
      throw new Error("The caretaker draw opens witnesses' sealed seeds, so it needs the service's settings.");
    const serves = followingCycle(cycle).label;
    const draw = await drawCaretakers(db, drawSealKey(config.TOKEN_SECRET), circleId, serves, now);
    return { cycle: serves, duoSize: draw.duo.length };
  },
  async runPage({ db, circleIds, cycle, now, config }) {
    if (!config)
      throw new Error("The caretaker draw opens witnesses' sealed seeds, so it needs the service's settings.");
    const serves = followingCycle(cycle).label;
    const draws = await drawCaretakersOfPage(db, drawSealKey(config.TOKEN_SECRET), circleIds, serves, now);
    return new Map([...draws].map(([circleId, draw]) => [circleId, { cycle: serves, duoSize: draw.duo.length }]));
  },
};
