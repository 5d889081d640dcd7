import type { CycleJob } from "@rhizome/kit";
import { expireCircleCycle, type ExpiryOutcome } from "../store/expiry.js";
import { barterMetrics, recordExpiries } from "../metrics.js";

/**
 * Credit expiry at every new moon (B4), on the kit's lunar cycle jobs: once per circle and ended
 * cycle, oldest first after downtime. The store's expiry is itself exactly once and resumable (its
 * run record holds a cursor advanced with each batch), so a run killed halfway simply runs again.
 */
export const expiryJob: CycleJob<never, ExpiryOutcome> = {
  purpose: "expiry",
  async run({ db, circleId, cycle, now, registry }) {
    const metrics = barterMetrics(registry);
    const stopTimer = metrics.expirySeconds.startTimer();
    // The run's clock is `now`; its finish time is `now` plus the time the run really took.
    const startedAtMs = performance.now();
    const clock = () => new Date(now.getTime() + Math.round(performance.now() - startedAtMs));
    const outcome = await expireCircleCycle(db, circleId, cycle.label, { now, clock });
    stopTimer();
    recordExpiries(metrics, [outcome]);
    return outcome;
  },
};
