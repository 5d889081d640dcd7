import type { ServiceRuntime } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import { expireAlerts, overdueCalls, retireLegacyRaisers } from "../store/alerts.js";
import { circlesToReseal, vaultOf } from "../store/vault.js";
import { dueDeliveries } from "../store/webhooks.js";
import { deliveryJobId, ESCALATION_QUEUE, escalationJobId, triggerJob, WEBHOOK_QUEUE } from "./triggers.js";

export const SWEEP_BATCH = 500;
/** Circles re-sealed per sweep (each in its own transaction) until none is left. */
export const RESEAL_CIRCLES_PER_SWEEP = 20;

export interface SweepResult {
  alertsExpired: number;
  escalationsEnqueued: number;
  deliveriesEnqueued: number;
  valuesResealed: number;
  raisersRetired: number;
  extra: Record<string, number>;
}

/** Further sweeps (hearing checks, reminders) that other parts of defense register. */
export type SweepStep = (runtime: ServiceRuntime<DefenseConfig>, now: Date) => Promise<[string, number]>;

/**
 * The safety net under the queue: expires alerts, and hands every overdue escalation step and due
 * webhook delivery back to the queue under its deterministic job id. After Redis lost its data, a
 * worker died or the service restarted, this is what resumes escalation where Postgres says it was.
 */
export async function sweepOnce(
  runtime: ServiceRuntime<DefenseConfig>,
  steps: readonly SweepStep[] = [],
): Promise<SweepResult> {
  const now = runtime.clock();
  const { valuesResealed, raisersRetired } = await upgradeLegacyRows(runtime, now);
  const alertsExpired = await runtime.db.transaction((manager) => expireAlerts(manager, now, SWEEP_BATCH));
  const calls = await overdueCalls(runtime.db, now, SWEEP_BATCH);
  const escalation = runtime.queue(ESCALATION_QUEUE);
  for (const call of calls) await triggerJob(escalation, "escalate", { callId: call.id }, escalationJobId(call.id), 0);
  const deliveries = await dueDeliveries(runtime.db, now, SWEEP_BATCH);
  const webhooks = runtime.queue(WEBHOOK_QUEUE);
  for (const delivery of deliveries)
    await triggerJob(
      webhooks,
      "deliver",
      { deliveryId: delivery.id, attempt: delivery.attempts },
      deliveryJobId(delivery.id, delivery.attempts),
      0,
    );
  const extra: Record<string, number> = {};
  for (const step of steps) {
    const [name, count] = await step(runtime, now);
    extra[name] = count;
  }
  return {
    alertsExpired,
    escalationsEnqueued: calls.length,
    deliveriesEnqueued: deliveries.length,
    valuesResealed,
    raisersRetired,
    extra,
  };
}

/**
 * Brings rows written before this version up to it, a batch per sweep (a no-op once done): values
 * sealed without their row are re-sealed bound to it, circle by circle, and alerts that named their
 * raiser get a keyed tag instead.
 */
async function upgradeLegacyRows(
  runtime: ServiceRuntime<DefenseConfig>,
  now: Date,
): Promise<{ valuesResealed: number; raisersRetired: number }> {
  const vault = vaultOf(runtime.config);
  let valuesResealed = 0;
  for (const circleId of await circlesToReseal(runtime.db, RESEAL_CIRCLES_PER_SWEEP))
    valuesResealed += await runtime.db.transaction((manager) => vault.resealCircle(manager, circleId, now));
  const raisersRetired = await runtime.db.transaction((manager) => retireLegacyRaisers(manager, vault, SWEEP_BATCH));
  return { valuesResealed, raisersRetired };
}

/**
 * Runs the sweep every DEFENSE_SWEEP_INTERVAL_MS in a worker process. The kit gives a service no
 * start/stop hook for its workers, so it starts with the event consumer and ends itself once the
 * service's database is closed.
 */
export function startSweeping(runtime: ServiceRuntime<DefenseConfig>, steps: readonly SweepStep[]): void {
  let isRunning = false;
  const timer = setInterval(() => {
    if (!runtime.db.isInitialized) {
      clearInterval(timer);
      return;
    }
    if (isRunning) return;
    isRunning = true;
    sweepOnce(runtime, steps)
      .catch((error) => {
        if (runtime.db.isInitialized)
          runtime.logger.warn({ err: error }, "defense sweep failed; it runs again at the next interval");
      })
      .finally(() => {
        isRunning = false;
      });
  }, runtime.config.DEFENSE_SWEEP_INTERVAL_MS);
  timer.unref();
}
