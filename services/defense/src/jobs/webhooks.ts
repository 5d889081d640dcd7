import type { QueueJob } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import {
  DELIVERY_HEADER,
  MAX_WEBHOOK_ATTEMPTS,
  retryDelayMs,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "../domain/alerts.js";
import { webhookSignature } from "../domain/signature.js";
import { claimDelivery, pendingDeliveryCircle, recordDelivered, recordFailedAttempt } from "../store/webhooks.js";
import { vaultOf } from "../store/vault.js";
import { deliverySlots, type DeliverySlots, type WaitingDelivery } from "./delivery-slots.js";
import { deliveryJobId, triggerJob, WEBHOOK_QUEUE } from "./triggers.js";
import { postWebhook } from "./webhook-http.js";

/** The slots of every runtime (each test may start several in one process), made on first use. */
const slotsOfRuntime = new WeakMap<object, DeliverySlots>();

/**
 * Sends one attempt of a webhook delivery, signed with HMAC-SHA256 over `timestamp.body`. A failure
 * is retried with a doubling delay; after MAX_WEBHOOK_ATTEMPTS, or at once when the address is not
 * public, it becomes a dead letter. Delivery is at least once: a receiver dedupes by the
 * x-rhizome-delivery header.
 *
 * Fairness between circles: at most MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE of a circle's deliveries
 * are in flight at a time across every process (a slot taken atomically in Redis). A delivery over
 * that cap is left as it is (still due, attempt not taken) and waits: the next slot given back hands
 * it to the queue, and the sweep hands back whatever is still due. So a circle whose endpoint is
 * slow, or which raised a flood of alerts, holds two workers of the whole hub at most and every
 * other circle's calls go out at once.
 */
export const webhookJob: QueueJob<DefenseConfig> = {
  purpose: "webhooks",
  concurrency: 16,
  async process(job, runtime) {
    const deliveryId = String(job.data.deliveryId);
    const attempt = Number(job.data.attempt);
    const circleId = await pendingDeliveryCircle(runtime.db, deliveryId);
    if (!circleId) return "settled";
    let slots = slotsOfRuntime.get(runtime);
    if (!slots) {
      slots = deliverySlots(runtime.redis, runtime.logger);
      slotsOfRuntime.set(runtime, slots);
    }
    const leaseMs = deliveryLeaseMs(runtime.config.DEFENSE_WEBHOOK_TIMEOUT_MS);
    if (!(await slots.take(circleId, { deliveryId, attempt }, leaseMs))) return "deferred";
    let next: WaitingDelivery | undefined;
    try {
      return await deliver(deliveryId, attempt, runtime);
    } finally {
      next = await slots.giveBack(circleId, { deliveryId, attempt });
      if (next)
        await triggerJob(
          runtime.queue(WEBHOOK_QUEUE),
          "deliver",
          { deliveryId: next.deliveryId, attempt: next.attempt },
          deliveryJobId(next.deliveryId, next.attempt),
          0,
        ).catch((error) =>
          runtime.logger.warn({ err: error }, "could not hand a waiting delivery to the queue; the sweep will"),
        );
    }
  },
};

/** How long a slot is held at most: the attempt's timeout and the claim around it, so a dead process frees it. */
export const deliveryLeaseMs = (timeoutMs: number) => 2 * timeoutMs + 1_000;

async function deliver(
  deliveryId: string,
  attempt: number,
  runtime: Parameters<QueueJob<DefenseConfig>["process"]>[1],
): Promise<string> {
  const delivery = await claimDelivery(
    runtime.db,
    vaultOf(runtime.config),
    deliveryId,
    attempt,
    runtime.clock(),
    2 * runtime.config.DEFENSE_WEBHOOK_TIMEOUT_MS,
  );
  if (!delivery) return "settled";
  const timestampSeconds = Math.floor(runtime.clock().getTime() / 1000);
  const outcome = await postWebhook(
    delivery.url,
    {
      "content-type": "application/json",
      [TIMESTAMP_HEADER]: String(timestampSeconds),
      [SIGNATURE_HEADER]: webhookSignature(delivery.secret, timestampSeconds, delivery.body),
      [DELIVERY_HEADER]: delivery.id,
    },
    delivery.body,
    {
      timeoutMs: runtime.config.DEFENSE_WEBHOOK_TIMEOUT_MS,
      isLoopbackAllowed: runtime.config.DEFENSE_WEBHOOK_ALLOW_LOOPBACK,
    },
  );
  const now = runtime.clock();
  if (outcome.ok) {
    await recordDelivered(runtime.db, delivery.id, now);
    return "delivered";
  }
  const hasAttemptsLeft = !outcome.isFinal && delivery.attempt < MAX_WEBHOOK_ATTEMPTS;
  const delayMs = retryDelayMs(delivery.attempt, runtime.config.DEFENSE_WEBHOOK_RETRY_BASE_MS);
  await runtime.db.transaction((manager) =>
    recordFailedAttempt(
      manager,
      delivery,
      outcome.problem,
      hasAttemptsLeft ? new Date(now.getTime() + delayMs) : undefined,
      now,
    ),
  );
  if (hasAttemptsLeft)
    await triggerJob(
      runtime.queue(WEBHOOK_QUEUE),
      "deliver",
      { deliveryId: delivery.id, attempt: delivery.attempt },
      deliveryJobId(delivery.id, delivery.attempt),
      delayMs,
    );
  return hasAttemptsLeft ? "retrying" : "dead letter";
}
