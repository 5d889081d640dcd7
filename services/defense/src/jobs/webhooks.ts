import type { QueueJob } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import {
  DELIVERY_HEADER,
  MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE,
  MAX_WEBHOOK_ATTEMPTS,
  retryDelayMs,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "../domain/alerts.js";
import { webhookSignature } from "../domain/signature.js";
import { claimDelivery, pendingDeliveryCircle, recordDelivered, recordFailedAttempt } from "../store/webhooks.js";
import { vaultOf } from "../store/vault.js";
import { deliveryJobId, triggerJob, WEBHOOK_QUEUE } from "./triggers.js";
import { postWebhook } from "./webhook-http.js";

/** Deliveries this process is sending now, per circle. */
const inFlightByCircle = new Map<string, number>();

/**
 * Sends one attempt of a webhook delivery, signed with HMAC-SHA256 over `timestamp.body`. A failure
 * is retried with a doubling delay; after MAX_WEBHOOK_ATTEMPTS, or at once when the address is not
 * public, it becomes a dead letter. Delivery is at least once: a receiver dedupes by the
 * x-rhizome-delivery header.
 *
 * Fairness between circles: one process sends at most MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE of a
 * circle's deliveries at a time. A delivery over that cap is left as it is (still due, attempt not
 * taken) and the sweep hands it back later, so a circle whose endpoint is slow, or which raised a
 * flood of alerts, holds two workers at most and every other circle's calls go out at once.
 */
export const webhookJob: QueueJob<DefenseConfig> = {
  purpose: "webhooks",
  concurrency: 16,
  async process(job, runtime) {
    const deliveryId = String(job.data.deliveryId);
    const circleId = await pendingDeliveryCircle(runtime.db, deliveryId);
    if (!circleId) return "settled";
    const inFlight = inFlightByCircle.get(circleId) ?? 0;
    if (inFlight >= MAX_DELIVERIES_IN_FLIGHT_PER_CIRCLE) return "deferred";
    inFlightByCircle.set(circleId, inFlight + 1);
    try {
      return await deliver(deliveryId, Number(job.data.attempt), runtime);
    } finally {
      const left = (inFlightByCircle.get(circleId) ?? 1) - 1;
      if (left > 0) inFlightByCircle.set(circleId, left);
      else inFlightByCircle.delete(circleId);
    }
  },
};

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
