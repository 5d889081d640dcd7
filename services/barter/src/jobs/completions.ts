import type { QueueJob } from "@rhizome/kit";
import type { BarterConfig } from "../config.js";
import { retryCompletionsInDoubt } from "../credit-commons/node.js";
import { nodeConfigOf } from "../credit-commons/node-config.js";

/**
 * Completions between hubs left half-way: every CC_COMPLETION_RETRY_INTERVAL_MS the payee's hub
 * sends again each confirmation it sent without hearing the outcome, on the hub's clock, until every
 * node on the way agrees (see retryCompletionsInDoubt). A hub that is no node has nothing to do.
 */
export const completionRetryJob: QueueJob<BarterConfig> = {
  purpose: "cc-completion-retry",
  concurrency: 1,
  everyMs: (config) => config.CC_COMPLETION_RETRY_INTERVAL_MS,
  async process(_job, runtime) {
    const node = nodeConfigOf(runtime.config);
    if (!node) return { completed: 0, erased: 0, waiting: 0 };
    const outcome = await retryCompletionsInDoubt({
      node,
      db: runtime.db,
      clock: runtime.clock,
      eventsEmitted: () => runtime.eventsEmitted(),
    });
    if (outcome.completed + outcome.erased > 0 || outcome.waiting > 0)
      runtime.logger.info(outcome, "retried completions between hubs left half-way");
    return outcome;
  },
};
