import type { QueueJob } from "@rhizome/kit";
import type { DefenseConfig } from "../config.js";
import { DELIVERY_HEADER, MAX_WEBHOOK_ATTEMPTS, retryDelayMs, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../domain/alerts.js";
import { webhookSignature } from "../domain/signature.js";
import { claimDelivery, recordDelivered, recordFailedAttempt } from "../store/webhooks.js";
import { vaultOf } from "../store/vault.js";
import { deliveryJobId, triggerJob, WEBHOOK_QUEUE } from "./triggers.js";

/**
 * Sends one attempt of a webhook delivery, signed with HMAC-SHA256 over `timestamp.body`. A failure
 * is retried with a doubling delay; after MAX_WEBHOOK_ATTEMPTS it becomes a dead letter. Delivery
 * is at least once: a receiver dedupes by the x-rhizome-delivery header.
 */
export const webhookJob: QueueJob<DefenseConfig> = {
  purpose: "webhooks",
  concurrency: 16,
  async process(job, runtime) {
    const attempt = Number(job.data.attempt);
    const delivery = await claimDelivery(runtime.db, vaultOf(runtime.config), String(job.data.deliveryId), attempt);
    if (!delivery) return "settled";
    const timestampSeconds = Math.floor(runtime.clock().getTime() / 1000);
    let problem: string | undefined;
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(runtime.config.DEFENSE_WEBHOOK_TIMEOUT_MS),
        headers: {
          "content-type": "application/json",
          [TIMESTAMP_HEADER]: String(timestampSeconds),
          [SIGNATURE_HEADER]: webhookSignature(delivery.secret, timestampSeconds, delivery.body),
          [DELIVERY_HEADER]: delivery.id,
        },
        body: delivery.body,
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status >= 300) problem = `HTTP ${response.status}`;
    } catch (error) {
      problem = (error as Error).name === "TimeoutError" ? "timed out" : "could not connect";
    }
    const now = runtime.clock();
    if (!problem) {
      await recordDelivered(runtime.db, delivery.id, now);
      return "delivered";
    }
    const hasAttemptsLeft = delivery.attempt < MAX_WEBHOOK_ATTEMPTS;
    const delayMs = retryDelayMs(delivery.attempt, runtime.config.DEFENSE_WEBHOOK_RETRY_BASE_MS);
    await runtime.db.transaction((manager) => recordFailedAttempt(manager, delivery, problem, hasAttemptsLeft ? new Date(now.getTime() + delayMs) : undefined, now));
    if (hasAttemptsLeft) await triggerJob(runtime.queue(WEBHOOK_QUEUE), "deliver", { deliveryId: delivery.id, attempt: delivery.attempt }, deliveryJobId(delivery.id, delivery.attempt), delayMs);
    return hasAttemptsLeft ? "retrying" : "dead letter";
  },
};
