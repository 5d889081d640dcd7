import { randomBytes, randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { MAX_DELIVERIES_PER_CIRCLE_PER_SWEEP } from "../domain/alerts.js";
import { returnedRow } from "./returned.js";
import type { Vault } from "./vault.js";

export const WEBHOOK_SECRET_BYTES = 32;

/** Sets (or replaces) the circle's webhook; the new secret is returned once and stored sealed. */
export async function setWebhook(
  manager: Queryable,
  vault: Vault,
  circleId: string,
  url: string,
  now: Date,
): Promise<{ id: string; url: string; secret: string; createdAt: Date }> {
  const secret = `whsec_${randomBytes(WEBHOOK_SECRET_BYTES).toString("base64url")}`;
  // The secret is sealed bound to the row it is stored in: the circle's one webhook row, kept when replaced.
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('defense.webhook:' || $1))`, [circleId]);
  const existing = await sqlRow<{ id: string }>(manager, `SELECT id FROM webhooks WHERE circle_id = $1`, [circleId]);
  const id = existing?.id ?? randomUUID();
  const sealed = await vault.seal(manager, circleId, "webhook-secret", id, secret, now);
  const row = await sqlRow<{ id: string; createdAt: Date }>(
    manager,
    `INSERT INTO webhooks (id, circle_id, url, secret_sealed, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id) DO UPDATE SET url = $3, secret_sealed = $4, created_at = $5 RETURNING id, created_at`,
    [id, circleId, url, sealed, now],
  );
  const saved = returnedRow(row, "INSERT INTO webhooks");
  return { id: saved.id, url, secret, createdAt: saved.createdAt };
}

export async function webhookOfCircle(
  db: Queryable,
  circleId: string,
): Promise<{ id: string; url: string; createdAt: Date } | undefined> {
  return sqlRow<{ id: string; url: string; createdAt: Date }>(
    db,
    `SELECT id, url, created_at FROM webhooks WHERE circle_id = $1`,
    [circleId],
  );
}

export interface ClaimedDelivery {
  id: string;
  circleId: string;
  attempt: number;
  url: string;
  secret: string;
  body: string;
}

/** The circle a delivery belongs to, while it is still to be sent. */
export async function pendingDeliveryCircle(db: Queryable, deliveryId: string): Promise<string | undefined> {
  const row = await sqlRow<{ circleId: string }>(
    db,
    `SELECT circle_id FROM webhook_deliveries WHERE id = $1 AND delivered_at IS NULL AND failed_at IS NULL`,
    [deliveryId],
  );
  return row?.circleId;
}

/**
 * Takes attempt number `attempt + 1` of a delivery: only one worker can, since the row's attempt
 * count must still be `attempt`. Builds the body from the notification with only what the channel
 * needs to reach its one recipient: their own contact (opened only here, in memory, to be sent),
 * and what kind of case it is about, never the alert's text. A recipient who left the responders,
 * or no longer shares their contact with the webhook's current URL, is sent nothing: the delivery
 * ends as failed with the reason.
 */
export async function claimDelivery(
  db: Queryable,
  vault: Vault,
  deliveryId: string,
  attempt: number,
  now: Date,
  leaseMs: number,
): Promise<ClaimedDelivery | undefined> {
  // The attempt holds the delivery for `leaseMs` (its timeout and some): the sweep does not hand it
  // out again while it is in flight, only if its worker died.
  const row = await sqlRow<{ circleId: string; webhookId: string; notificationId: string; attempts: number }>(
    db,
    `UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $3 WHERE id = $1 AND attempts = $2 AND delivered_at IS NULL AND failed_at IS NULL
     RETURNING circle_id, webhook_id, notification_id, attempts`,
    [deliveryId, attempt, new Date(now.getTime() + leaseMs)],
  );
  if (!row) return undefined;
  const webhook = await sqlRow<{ url: string; secretSealed: Buffer }>(
    db,
    `SELECT id, url, secret_sealed FROM webhooks WHERE id = $1`,
    [row.webhookId],
  );
  const notification = await sqlRow<{ memberId: string; kind: string; caseId: string; createdAt: Date }>(
    db,
    `SELECT member_id, kind, case_id, created_at FROM notifications WHERE id = $1`,
    [row.notificationId],
  );
  if (!webhook || !notification) throw new Error(`Delivery ${deliveryId} lost its webhook or notification`);
  const responder = await sqlRow<{ id: string; contactKind: string; contactSealed: Buffer }>(
    db,
    `SELECT id, contact_kind, contact_sealed FROM responders
     WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL AND contact_kind <> 'INBOX' AND contact_shared_with = $3`,
    [row.circleId, notification.memberId, webhook.url],
  );
  if (!responder) {
    await db.query(`UPDATE webhook_deliveries SET failed_at = $2, last_error = $3 WHERE id = $1`, [
      deliveryId,
      now,
      "the recipient no longer shares a contact with this webhook",
    ]);
    return undefined;
  }
  const alert = await sqlRow<{ kind: string; urgency: string; geohash: string }>(
    db,
    `SELECT kind, urgency, geohash FROM alerts WHERE id = $1`,
    [notification.caseId],
  );
  const body = JSON.stringify({
    deliveryId,
    notificationId: row.notificationId,
    kind: notification.kind,
    circleId: row.circleId,
    at: notification.createdAt.toISOString(),
    recipient: {
      channel: responder.contactKind,
      address: await vault.open(db, row.circleId, "contact", responder.id, responder.contactSealed),
    },
    alert: alert ? { id: notification.caseId, kind: alert.kind, urgency: alert.urgency, place: alert.geohash } : null,
  });
  return {
    id: deliveryId,
    circleId: row.circleId,
    attempt: row.attempts,
    url: webhook.url,
    secret: await vault.open(db, row.circleId, "webhook-secret", row.webhookId, webhook.secretSealed),
    body,
  };
}

export async function recordDelivered(db: Queryable, deliveryId: string, now: Date): Promise<void> {
  await db.query(`UPDATE webhook_deliveries SET delivered_at = $2, last_error = NULL WHERE id = $1`, [deliveryId, now]);
}

/** A failed attempt: retried at `retryAt`, or, with no attempts left, a dead letter. */
export async function recordFailedAttempt(
  manager: Queryable,
  delivery: { id: string; circleId: string; attempt: number },
  error: string,
  retryAt: Date | undefined,
  now: Date,
): Promise<void> {
  if (retryAt) {
    await manager.query(`UPDATE webhook_deliveries SET last_error = $2, next_attempt_at = $3 WHERE id = $1`, [
      delivery.id,
      error,
      retryAt,
    ]);
    return;
  }
  await manager.query(`UPDATE webhook_deliveries SET last_error = $2, failed_at = $3 WHERE id = $1`, [
    delivery.id,
    error,
    now,
  ]);
  await manager.query(
    `INSERT INTO webhook_dead_letters (delivery_id, circle_id, attempts, last_error, dead_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [delivery.id, delivery.circleId, delivery.attempt, error, now],
  );
}

/**
 * Deliveries due for an attempt (none in flight would have moved them): what the sweep re-enqueues,
 * oldest first but at most MAX_DELIVERIES_PER_CIRCLE_PER_SWEEP of one circle, so one circle's
 * backlog never crowds the others out of a sweep.
 */
export async function dueDeliveries(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<Array<{ id: string; attempts: number }>> {
  return sqlRows<{ id: string; attempts: number }>(
    db,
    `SELECT id, attempts FROM (
       SELECT id, attempts, next_attempt_at, row_number() OVER (PARTITION BY circle_id ORDER BY next_attempt_at, id) AS place
       FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
     ) due WHERE place <= $3 ORDER BY next_attempt_at LIMIT $2`,
    [now, limit, MAX_DELIVERIES_PER_CIRCLE_PER_SWEEP],
  );
}
