import { drawSealKey, followingCycle, type CycleJob } from "@rhizome/kit";
import { drawCaretakers } from "../store/caretakers.js";

export interface CaretakerDrawOutcome {
  cycle: string;
  duoSize: number;
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
