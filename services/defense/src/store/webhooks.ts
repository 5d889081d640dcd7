import { randomBytes, randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { Vault } from "./vault.js";

type Queryable = Pick<EntityManager, "query">;

export const WEBHOOK_SECRET_BYTES = 32;

/** Sets (or replaces) the circle's webhook; the new secret is returned once and stored sealed. */
export async function setWebhook(manager: EntityManager, vault: Vault, circleId: string, url: string, now: Date): Promise<{ id: string; url: string; secret: string; createdAt: Date }> {
  const secret = `whsec_${randomBytes(WEBHOOK_SECRET_BYTES).toString("base64url")}`;
  const sealed = await vault.seal(manager, circleId, "webhook-secret", secret, now);
  const [row]: Array<{ id: string; created_at: Date }> = await manager.query(
    `INSERT INTO webhooks (id, circle_id, url, secret_sealed, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (circle_id) DO UPDATE SET url = $3, secret_sealed = $4, created_at = $5 RETURNING id, created_at`,
    [randomUUID(), circleId, url, sealed, now],
  );
  return { id: row.id, url, secret, createdAt: row.created_at };
}

export async function webhookOfCircle(db: Queryable, circleId: string): Promise<{ id: string; url: string; createdAt: Date } | undefined> {
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

/**
 * Takes attempt number `attempt + 1` of a delivery: only one worker can, since the row's attempt
 * count must still be `attempt`. Builds the body from the notification (the alert's text and the
 * responder's contact are opened only here, in memory, to be sent).
 */
export async function claimDelivery(db: Queryable, vault: Vault, deliveryId: string, attempt: number): Promise<ClaimedDelivery | undefined> {
  const [claimed]: [Array<{ circle_id: string; webhook_id: string; notification_id: string; attempts: number }>, number] = await db.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1 WHERE id = $1 AND attempts = $2 AND delivered_at IS NULL AND failed_at IS NULL
     RETURNING circle_id, webhook_id, notification_id, attempts`,
    [deliveryId, attempt],
  );
  const row = claimed[0];
  if (!row) return undefined;
  const [webhook]: Array<{ url: string; secret_sealed: Buffer }> = await db.query(`SELECT url, secret_sealed FROM webhooks WHERE id = $1`, [row.webhook_id]);
  const [notification]: Array<{ member_id: string; kind: string; case_id: string; created_at: Date }> = await db.query(
    `SELECT member_id, kind, case_id, created_at FROM notifications WHERE id = $1`,
    [row.notification_id],
  );
  const [responder]: Array<{ contact_kind: string; contact_sealed: Buffer | null }> = await db.query(
    `SELECT contact_kind, contact_sealed FROM responders WHERE member_id = $1`,
    [notification.member_id],
  );
  const [alert]: Array<{ kind: string; urgency: string; geohash: string; text_sealed: Buffer; raised_at: Date }> = await db.query(
    `SELECT kind, urgency, geohash, text_sealed, raised_at FROM alerts WHERE id = $1`,
    [notification.case_id],
  );
  const body = JSON.stringify({
    deliveryId,
    notificationId: row.notification_id,
    kind: notification.kind,
    circleId: row.circle_id,
    at: notification.created_at.toISOString(),
    recipient: {
      channel: responder?.contact_kind ?? "INBOX",
      address: responder?.contact_sealed ? await vault.open(db, row.circle_id, "contact", responder.contact_sealed) : null,
    },
    alert: alert && {
      id: notification.case_id,
      kind: alert.kind,
      urgency: alert.urgency,
      place: alert.geohash,
      text: await vault.open(db, row.circle_id, "alert-text", alert.text_sealed),
      raisedAt: alert.raised_at.toISOString(),
    },
  });
  return { id: deliveryId, circleId: row.circle_id, attempt: row.attempts, url: webhook.url, secret: await vault.open(db, row.circle_id, "webhook-secret", webhook.secret_sealed), body };
}

export async function recordDelivered(db: Queryable, deliveryId: string, now: Date): Promise<void> {
  await db.query(`UPDATE webhook_deliveries SET delivered_at = $2, last_error = NULL WHERE id = $1`, [deliveryId, now]);
}

/** A failed attempt: retried at `retryAt`, or, with no attempts left, a dead letter. */
export async function recordFailedAttempt(manager: EntityManager, delivery: { id: string; circleId: string; attempt: number }, error: string, retryAt: Date | undefined, now: Date): Promise<void> {
  if (retryAt) {
    await manager.query(`UPDATE webhook_deliveries SET last_error = $2, next_attempt_at = $3 WHERE id = $1`, [delivery.id, error, retryAt]);
    return;
  }
  await manager.query(`UPDATE webhook_deliveries SET last_error = $2, failed_at = $3 WHERE id = $1`, [delivery.id, error, now]);
  await manager.query(
    `INSERT INTO webhook_dead_letters (delivery_id, circle_id, attempts, last_error, dead_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [delivery.id, delivery.circleId, delivery.attempt, error, now],
  );
}

/** Deliveries due for an attempt (none in flight would have moved them): what the sweep re-enqueues. */
export async function dueDeliveries(db: Queryable, now: Date, limit: number): Promise<Array<{ id: string; attempts: number }>> {
  return db.query(
    `SELECT id, attempts FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    [now, limit],
  );
}
