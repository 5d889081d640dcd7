import type { DataSource } from "typeorm";
import {
  cycleByLabelOrThrow,
  drawSealKey,
  followingCycle,
  freezeWitnessedDraw,
  precedingCycle,
  type CycleJob,
} from "@rhizome/kit";
import { CARETAKER_DRAW_PURPOSE, caretakerDrawRules, carriedOverDuo, duoFromOrder } from "../domain/caretakers.js";
import {
  caretakerDraw,
  caretakerPool,
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
  return db.transaction(async (tx) => {
    const existing = await caretakerDraw(tx, circleId, cycle);
    if (existing) return existing;
    const gathering = precedingCycle(cycleByLabelOrThrow(cycle)).label;
    const previous = await caretakerDraw(tx, circleId, gathering);
    const pool = await caretakerPool(tx, circleId);
    const rules = caretakerDrawRules(cycle, previous?.duo ?? []);
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
};
