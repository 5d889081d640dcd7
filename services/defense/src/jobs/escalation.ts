import type { QueueJob } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import { escalateCall } from "../store/alerts.js";
import { enqueueWork } from "./triggers.js";

/**
 * One escalation step, triggered by a delayed job timed for the call's due time (or by the sweep).
 * The database decides: a call answered, already escalated, or on a closed alert is left alone.
 */
export const escalationJob: QueueJob<DefenseConfig> = {
  purpose: "escalation",
  concurrency: 8,
  async process(job, runtime) {
    const callId = String(job.data.callId);
    const { outcome, work } = await runtime.db.transaction((manager) => escalateCall(manager, callId, runtime.clock()));
    await enqueueWork(runtime, work);
    return outcome;
  },
};
