import type { QueueJob, ServiceRuntime } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import { checkDueHearings, remindDueShifts } from "../store/hearings.js";
import { SWEEP_BATCH, type SweepStep } from "./sweep.js";
import { enqueueWork } from "./triggers.js";

export const ACCOMPANIMENT_QUEUE = "defense.accompaniment";

async function runDue(runtime: ServiceRuntime<DefenseConfig>, now: Date): Promise<number> {
  const checks = await runtime.db.transaction((manager) => checkDueHearings(manager, now, SWEEP_BATCH));
  const reminders = await runtime.db.transaction((manager) => remindDueShifts(manager, now, SWEEP_BATCH));
  await enqueueWork(runtime, { calls: [], deliveryIds: [...checks.deliveryIds, ...reminders.deliveryIds] });
  return checks.checked + reminders.reminded;
}

/**
 * Timed by delayed jobs (a hearing's check 48 h before, a shift's reminder 24 h before); each run
 * does whatever is due, and rows marked checked or reminded in the same transaction make reruns no-ops.
 */
export const accompanimentJob: QueueJob<DefenseConfig> = {
  purpose: "accompaniment",
  concurrency: 2,
  process: (_job, runtime) => runDue(runtime, runtime.clock()),
};

export const accompanimentSweep: SweepStep = async (runtime, now) => ["hearings", await runDue(runtime, now)];
