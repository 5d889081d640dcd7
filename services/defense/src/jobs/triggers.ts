import type { Logger, Queue, ServiceRuntime } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import type { QueueWork } from "../store/alerts.js";

export const ESCALATION_QUEUE = "defense.escalation";
export const WEBHOOK_QUEUE = "defense.webhooks";
export const escalationJobId = (callId: string) => `escalate-${callId}`;
export const deliveryJobId = (deliveryId: string, attempt: number) => `deliver-${deliveryId}-${attempt}`;

/**
 * Adds a job under a deterministic id, or makes sure the one already there runs: a delayed one is
 * promoted once it is due, a finished one is replaced (the database, not the queue, says whether
 * work remains, and the processors are no-ops when it does not).
 */
export async function triggerJob(
  queue: Queue,
  name: string,
  data: Record<string, unknown>,
  jobId: string,
  delayMs: number,
): Promise<void> {
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === "delayed") {
      if (delayMs <= 0) await existing.promote().catch(() => undefined);
      return;
    }
    if (state !== "completed" && state !== "failed" && state !== "unknown") return;
    await existing.remove().catch(() => undefined);
  }
  await queue.add(name, data, {
    jobId,
    delay: Math.max(0, delayMs),
    attempts: 3,
    backoff: { type: "exponential", delay: 500 },
  });
}

/**
 * Hands committed work to the queues. If Redis is down this only logs: every step and delivery is
 * a row in Postgres, and the sweep re-enqueues what is overdue.
 */
export async function enqueueWork(
  runtime: Pick<ServiceRuntime<DefenseConfig>, "queue" | "clock" | "logger">,
  work: QueueWork,
  logger: Logger = runtime.logger,
): Promise<void> {
  try {
    const now = runtime.clock().getTime();
    const escalation = runtime.queue(ESCALATION_QUEUE);
    for (const call of work.calls)
      await triggerJob(
        escalation,
        "escalate",
        { callId: call.id },
        escalationJobId(call.id),
        call.dueAt.getTime() - now,
      );
    const webhooks = runtime.queue(WEBHOOK_QUEUE);
    if (work.deliveryIds.length > 0) {
      await webhooks.addBulk(
        work.deliveryIds.map((id) => ({
          name: "deliver",
          data: { deliveryId: id, attempt: 0 },
          opts: { jobId: deliveryJobId(id, 0), attempts: 1 },
        })),
      );
    }
  } catch (error) {
    logger.warn({ err: error }, "could not enqueue defense work; the sweep will pick it up");
  }
}
