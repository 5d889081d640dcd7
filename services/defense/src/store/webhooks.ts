import { randomBytes, randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { MAX_DELIVERIES_PER_CIRCLE_PER_SWEEP } from "../domain/alerts.js";
import type { Vault } from "./vault.js";

type Queryable = Pick<EntityManager, "query">;

export const WEBHOOK_SECRET_BYTES = 32;

/** Sets (or replaces) the circle's webhook; the new secret is returned once and stored sealed. */
export async function setWebhook(
  manager: EntityManager,
  vault: Vault,
  circleId: string,
  url: string,
  now: Date,
): Promise<{ id: string; url: string; secret: string; createdAt: Date }> {
  const secret = `whsec_${randomBytes(WEBHOOK_SECRET_BYTES).toString("base64url")}`;
  // The secret is sealed bound to the row it is stored in: the circle's one webhook row, kept when replaced.
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('defense.webhook:' || $1))`, [circleId]);
  const [existing]: Array<{ id: string }> = await manager.query(`SELECT id FROM webhooks WHERE circle_id = $1`, [
    circleId,
  ]);
  const id = existing?.id ?? randomUUID();
  const sealed = await vault.seal(manager, circleId, "webhook-secret", id, secret, now);
  const [row]: Array<{ id: string; created_at: Date }> = await manager.query(
    `INSERT INTO webhooks (id, circle_id, url, secret_sealed, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id) DO UPDATE SET url = $3, secret_sealed = $4, created_at = $5 RETURNING id, created_at`,
    [id, circleId, url, sealed, now],
  );
  return { id: row.id, url, secret, createdAt: row.created_at };
}

export async function webhookOfCircle(
  db: Queryable,
  circleId: string,
): Promise<{ id: string; url: string; createdAt: Date } | undefined> {
  const [row] = await db.query(`SELECT id, url, created_at FROM webhooks WHERE circle_id = $1`, [circleId]);
  return row && { id: row.id, url: row.url, createdAt: row.created_at };
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
  const [row]: Array<{ circle_id: string }> = await db.query(
    `SELECT circle_id FROM webhook_deliveries WHERE id = $1 AND delivered_at IS NULL AND failed_at IS NULL`,
    [deliveryId],
  );
  return row?.circle_id;
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
  const [claimed]: [
    Array<{ circle_id: string; webhook_id: string; notification_id: string; attempts: number }>,
    number,
  ] = await db.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $3 WHERE id = $1 AND attempts = $2 AND delivered_at IS NULL AND failed_at IS NULL
     RETURNING circle_id, webhook_id, notification_id, attempts`,
    [deliveryId, attempt, new Date(now.getTime() + leaseMs)],
  );
  const row = claimed[0];
  if (!row) return undefined;
  const [webhook]: Array<{ url: string; secret_sealed: Buffer }> = await db.query(
    `SELECT id, url, secret_sealed FROM webhooks WHERE id = $1`,
    [row.webhook_id],
  );
  const [notification]: Array<{ member_id: string; kind: string; case_id: string; created_at: Date }> = await db.query(
    `SELECT member_id, kind, case_id, created_at FROM notifications WHERE id = $1`,
    [row.notification_id],
  );
  const [responder]: Array<{ id: string; contact_kind: string; contact_sealed: Buffer }> = await db.query(
    `SELECT id, contact_kind, contact_sealed FROM responders
     WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL AND contact_kind <> 'INBOX' AND contact_shared_with = $3`,
    [row.circle_id, notification.member_id, webhook.url],
  );
  if (!responder) {
    await db.query(`UPDATE webhook_deliveries SET failed_at = $2, last_error = $3 WHERE id = $1`, [
      deliveryId,
      now,
      "the recipient no longer shares a contact with this webhook",
    ]);
    return undefined;
  }
  const [alert]: Array<{ kind: string; urgency: string; geohash: string }> = await db.query(
    `SELECT kind, urgency, geohash FROM alerts WHERE id = $1`,
    [notification.case_id],
  );
  const body = JSON.stringify({
    deliveryId,
    notificationId: row.notification_id,
    kind: notification.kind,
    circleId: row.circle_id,
    at: notification.created_at.toISOString(),
    recipient: {
      channel: responder.contact_kind,
      address: await vault.open(db, row.circle_id, "contact", responder.id, responder.contact_sealed),
    },
    alert: alert ? { id: notification.case_id, kind: alert.kind, urgency: alert.urgency, place: alert.geohash } : null,
  });
  return {
    id: deliveryId,
    circleId: row.circle_id,
    attempt: row.attempts,
    url: webhook.url,
    secret: await vault.open(db, row.circle_id, "webhook-secret", row.webhook_id, webhook.secret_sealed),
    body,
  };
}

export async function recordDelivered(db: Queryable, deliveryId: string, now: Date): Promise<void> {
  await db.query(`UPDATE webhook_deliveries SET delivered_at = $2, last_error = NULL WHERE id = $1`, [deliveryId, now]);
}

/** A failed attempt: retried at `retryAt`, or, with no attempts left, a dead letter. */
export async function recordFailedAttempt(
  manager: EntityManager,
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
  return db.query(
    `SELECT id, attempts FROM (
       SELECT id, attempts, next_attempt_at, row_number() OVER (PARTITION BY circle_id ORDER BY next_attempt_at, id) AS place
       FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
     ) due WHERE place <= $3 ORDER BY next_attempt_at LIMIT $2`,
    [now, limit, MAX_DELIVERIES_PER_CIRCLE_PER_SWEEP],
  );
}
