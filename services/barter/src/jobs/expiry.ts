import type { CycleJob } from "@rhizome/kit";
import type { ExpiryOutcome } from "../store/expiry.js";
import { expireCircleCycle } from "./expire-circle-cycle.js";
import { expireCirclesCycle } from "./expire-circles-page.js";
import { barterMetrics, recordExpiries } from "../metrics.js";
import { hasCompletionInDoubt } from "../store/credit-commons.js";

/**
 * Credit expiry at every new moon (B4), on the kit's lunar cycle jobs: once per circle and ended
 * cycle, oldest first after downtime. The store's expiry is itself exactly once and resumable (its
 * run record holds a cursor advanced with each batch), so a run killed halfway simply runs again.
 * At a new moon the kit hands it pages of circles: nearly every circle expires with many others in
 * a few statements; a circle the page leaves out gets the run of its own below.
 */
export const expiryJob: CycleJob<never, ExpiryOutcome> = {
  purpose: "expiry",
  async run({ db, circleId, cycle, now, registry }) {
    // A member's confirmation of an exchange with another hub, sent before the new moon and not yet
    // answered, still counts in this cycle once the hubs agree: the cycle closes after that.
    if (await hasCompletionInDoubt(db, circleId, cycle.label))
      throw new Error(`Expiry of ${cycle.label} waits for an exchange with another hub still being completed.`);
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
  async runPage({ db, circleIds, cycle, now, registry }) {
    const metrics = barterMetrics(registry);
    const startedAtMs = performance.now();
    const clock = () => new Date(now.getTime() + Math.round(performance.now() - startedAtMs));
    const outcomes = await expireCirclesCycle(db, circleIds, cycle, { now, clock });
    metrics.expirySeconds.observe((performance.now() - startedAtMs) / 1000);
    recordExpiries(metrics, [...outcomes.values()]);
    return outcomes;
  },
};
