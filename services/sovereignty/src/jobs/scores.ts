import type { CycleJob } from "@rhizome/kit";
import type { PublishedFigures } from "../domain/scores.js";
import { closeCycleScore } from "../store/scores.js";

/**
 * Closes a circle's cycle at the new moon (S2): its published figures are computed once and kept,
 * so reading a past cycle or comparing 10,000 circles never re-counts the ledger. Idempotent (an
 * upsert under a per-cycle lock); events that arrive later amend the kept figures themselves.
 */
export const scoresJob: CycleJob<never, PublishedFigures> = {
  purpose: "scores",
  async run({ db, circleId, cycle, now }) {
    return db.transaction((manager) => closeCycleScore(manager, circleId, cycle.label, now));
  },
};
