import { randomUUID } from "node:crypto";
import { sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import {
  ALERT_LIFETIME_MINUTES,
  chainOf,
  firstCalls,
  VERIFIERS_ASKED_BEYOND_NEEDED,
  nextResponderInChain,
  type AlertKind,
  type AlertStatus,
  type TreeBranch,
  type TreeResponder,
  type Urgency,
} from "../domain/alerts.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";
import { returnedRow } from "./returned.js";
import { settingsOf } from "./settings.js";
import type { Vault } from "./vault.js";

/** What a committed change left for the queues: escalation steps to time, webhook deliveries to send. */
export interface QueueWork {
  calls: Array<{ id: string; dueAt: Date }>;
  deliveryIds: string[];
}

export const noWork = (): QueueWork => ({ calls: [], deliveryIds: [] });

export interface AlertRow {
  id: string;
  circleId: string;
  /** A keyed tag of whoever raised it (see raiserTagText): recognises the raiser when they ask, names nobody. */
  raiserTag: Buffer | null;
  /** Only on alerts raised before tags, until the sweep replaces it with a tag. */
  legacyRaisedByMemberId: string | null;
  kind: AlertKind;
  geohash: string;
  urgency: Urgency;
  textSealed: Buffer;
  status: AlertStatus;
  raisedAt: Date;
  expiresAt: Date;
  verifiedAt: Date | null;
  closedAt: Date | null;
}

const ALERT_COLUMNS = `id, circle_id, raiser_tag, raised_by_member_id AS legacy_raised_by_member_id, kind, geohash, urgency, text_sealed, status, raised_at, expires_at, verified_at, closed_at`;

export async function alertsByIds(db: Queryable, ids: readonly string[]): Promise<AlertRow[]> {
  return sqlRows<AlertRow>(db, `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ANY($1::uuid[])`, [ids]);
}

/** What an alert's raiser tag is computed over: the alert and the member, so one member's tags differ from alert to alert. */
export const raiserTagText = (alertId: string, memberId: string) => `alert-raiser:${alertId}:${memberId}`;

/**
 * A circle's alerts a responder may read, newest first: those they were called for, every alert
 * when they are trusted (they verify), and alerts broadcast to the whole circle.
 */
export async function alertsOfResponder(
  db: Queryable,
  responder: { id: string; circleId: string },
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<AlertRow[]> {
  return sqlRows<AlertRow>(
    db,
    `SELECT ${ALERT_COLUMNS} FROM alerts a WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (raised_at, id) < ($2, $3::uuid))
       AND (EXISTS (SELECT 1 FROM alert_calls c WHERE c.alert_id = a.id AND c.responder_id = $5)
         OR EXISTS (SELECT 1 FROM alert_verifiers v WHERE v.alert_id = a.id AND v.responder_id = $5)
         OR EXISTS (SELECT 1 FROM broadcasts b WHERE b.alert_id = a.id))
     ORDER BY raised_at DESC, id DESC LIMIT $4`,
    [responder.circleId, after?.at ?? null, after?.id ?? null, limit, responder.id],
  );
}

/**
 * What one responder is to an alert: called for it by the tree, asked to verify it, and whether it
 * was broadcast (then every member reads it).
 */
export async function alertReach(
  db: Queryable,
  alertId: string,
  responderId: string | undefined,
): Promise<{ isCalled: boolean; isAskedToVerify: boolean; isBroadcast: boolean }> {
  const row = await sqlRow<{ isCalled: boolean; isAskedToVerify: boolean; isBroadcast: boolean }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM alert_calls WHERE alert_id = $1 AND responder_id = $2::uuid) AS is_called,
       EXISTS (SELECT 1 FROM alert_verifiers WHERE alert_id = $1 AND responder_id = $2::uuid) AS is_asked_to_verify,
       EXISTS (SELECT 1 FROM broadcasts WHERE alert_id = $1) AS is_broadcast`,
    [alertId, responderId ?? null],
  );
  return row ?? { isCalled: false, isAskedToVerify: false, isBroadcast: false };
}

/**
 * Asks `count` of the circle's trusted responders to verify a new alert, in turn: those asked
 * longest ago (or never) first, then by joining order. Each reads and may verify the alerts they
 * were asked about, never the others, so no trusted responder reads every alert of a circle with
 * more trusted responders than an alert needs. Nobody is left out for having raised it.
 */
async function askVerifiers(
  manager: Queryable,
  alert: { id: string; circleId: string },
  count: number,
  now: Date,
): Promise<string[]> {
  const asked = await sqlRows<{ memberId: string }>(
    manager,
    `INSERT INTO alert_verifiers (alert_id, responder_id, circle_id, asked_at)
     SELECT $1, r.id, r.circle_id, $3 FROM responders r
     WHERE r.circle_id = $2 AND r.left_at IS NULL AND r.is_trusted
     ORDER BY (SELECT max(v.asked_at) FROM alert_verifiers v WHERE v.responder_id = r.id) ASC NULLS FIRST, r.position, r.id
     LIMIT $4
     ON CONFLICT DO NOTHING RETURNING (SELECT member_id FROM responders WHERE id = responder_id) AS member_id`,
    [alert.id, alert.circleId, now, count],
  );
  if (asked.length === 0) return [];
  return notify(
    manager,
    alert.circleId,
    "VERIFY",
    alert.id,
    asked.map((a) => a.memberId),
    now,
  );
}

/** Whether the responder was called for the alert or asked to verify it: what lets a trusted responder act on it. */
export async function isCalledOrAsked(db: Queryable, alertId: string, responderId: string): Promise<boolean> {
  const reach = await alertReach(db, alertId, responderId);
  return reach.isCalled || reach.isAskedToVerify;
}

/** The alert, locked: its lock serializes every step, answer and verification of one alert. */
export async function lockAlert(tx: Queryable, alertId: string): Promise<AlertRow | undefined> {
  return sqlRow<AlertRow>(tx, `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 FOR UPDATE`, [alertId]);
}

async function loadTree(
  db: Queryable,
  circleId: string,
): Promise<{ branches: TreeBranch[]; responders: TreeResponder[] }> {
  const branches = await sqlRows<TreeBranch>(
    db,
    `SELECT id, parent_branch_id FROM branches WHERE circle_id = $1 ORDER BY created_at, id`,
    [circleId],
  );
  const responders = await sqlRows<TreeResponder>(
    db,
    `SELECT id, member_id, branch_id, position::float8 AS position, shifts FROM responders WHERE circle_id = $1 AND left_at IS NULL`,
    [circleId],
  );
  return { branches, responders };
}

async function log(
  db: Queryable,
  alert: { id: string; circleId: string },
  kind: string,
  at: Date,
  step: number | null = null,
  responderId: string | null = null,
): Promise<void> {
  await db.query(
    `INSERT INTO alert_log (circle_id, alert_id, at, kind, step, responder_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [alert.circleId, alert.id, at, kind, step, responderId],
  );
}

/**
 * Writes in-app notifications for members about a case (one per member, case and kind, whatever
 * reruns), and a webhook delivery for each of them who is an active responder with a contact
 * channel and who agreed to share it with the circle's webhook at its current URL. Returns the
 * deliveries to send.
 */
export async function notify(
  db: Queryable,
  circleId: string,
  kind: string,
  caseId: string,
  memberIds: readonly string[] | "whole circle",
  now: Date,
): Promise<string[]> {
  const written =
    memberIds === "whole circle"
      ? await sqlRows<{ id: string }>(
          db,
          `INSERT INTO notifications (id, circle_id, member_id, kind, case_id, created_at)
           SELECT gen_random_uuid(), $1, member_id, $2, $3, $4 FROM circle_members WHERE circle_id = $1 AND left_at IS NULL
           ON CONFLICT DO NOTHING RETURNING id`,
          [circleId, kind, caseId, now],
        )
      : await sqlRows<{ id: string }>(
          db,
          `INSERT INTO notifications (id, circle_id, member_id, kind, case_id, created_at)
           SELECT gen_random_uuid(), $1, m, $2, $3, $4 FROM unnest($5::uuid[]) AS m ON CONFLICT DO NOTHING RETURNING id`,
          [circleId, kind, caseId, now, memberIds],
        );
  if (written.length === 0) return [];
  const deliveries = await sqlRows<{ id: string }>(
    db,
    `INSERT INTO webhook_deliveries (id, circle_id, webhook_id, notification_id, next_attempt_at)
     SELECT gen_random_uuid(), n.circle_id, w.id, n.id, $2
     FROM notifications n
     JOIN webhooks w ON w.circle_id = n.circle_id
     JOIN responders r ON r.circle_id = n.circle_id AND r.member_id = n.member_id AND r.left_at IS NULL AND r.contact_kind <> 'INBOX' AND r.contact_shared_with = w.url
     WHERE n.id = ANY($1::uuid[])
     ON CONFLICT DO NOTHING RETURNING id`,
    [written.map((w) => w.id), now],
  );
  return deliveries.map((d) => d.id);
}

async function placeCalls(
  manager: Queryable,
  alert: { id: string; circleId: string },
  calls: Array<{ branchId: string; step: number; responder: TreeResponder }>,
  timeoutMinutes: number,
  now: Date,
): Promise<QueueWork> {
  const work = noWork();
  const dueAt = new Date(now.getTime() + timeoutMinutes * 60_000);
  for (const call of calls) {
    const id = randomUUID();
    const inserted = await sqlRows(
      manager,
      `INSERT INTO alert_calls (id, circle_id, alert_id, chain_branch_id, step, responder_id, called_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING id`,
      [id, alert.circleId, alert.id, call.branchId, call.step, call.responder.id, now, dueAt],
    );
    if (inserted.length === 0) continue;
    await log(manager, alert, "CALLED", now, call.step, call.responder.id);
    await addHandlers(manager, alert.circleId, "ALERT", alert.id, [call.responder.memberId], now);
    work.calls.push({ id, dueAt });
    work.deliveryIds.push(...(await notify(manager, alert.circleId, "CALL", alert.id, [call.responder.memberId], now)));
  }
  return work;
}

export interface NewAlert {
  circleId: string;
  raisedByMemberId: string;
  kind: AlertKind;
  geohash: string;
  urgency: Urgency;
  text: string;
}

/**
 * Raises an alert and, in the same transaction, calls the head of every branch. Nothing stored
 * names the raiser: the alert keeps a keyed tag that only recognises them when they ask, they are
 * no handler row, and the tree calls them like anyone else when it comes to them.
 */
export async function raiseAlert(
  manager: Queryable,
  vault: Vault,
  input: NewAlert,
  now: Date,
): Promise<{ alert: AlertRow; work: QueueWork }> {
  await rememberMember(manager, input.circleId, input.raisedByMemberId, now);
  const id = randomUUID();
  const textSealed = await vault.seal(manager, input.circleId, "alert-text", id, input.text, now);
  const raiserTag = await vault.tag(manager, input.circleId, raiserTagText(id, input.raisedByMemberId), now);
  const expiresAt = new Date(now.getTime() + ALERT_LIFETIME_MINUTES[input.urgency] * 60_000);
  const inserted = await sqlRow<AlertRow>(
    manager,
    `INSERT INTO alerts (id, circle_id, raiser_tag, kind, geohash, urgency, text_sealed, status, raised_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'OPEN', $8, $9) RETURNING ${ALERT_COLUMNS}`,
    [id, input.circleId, raiserTag, input.kind, input.geohash, input.urgency, textSealed, now, expiresAt],
  );
  const alert = returnedRow(inserted, "INSERT INTO alerts");
  await log(manager, alert, "RAISED", now);
  const tree = await loadTree(manager, input.circleId);
  const settings = await settingsOf(manager, input.circleId);
  const heads = firstCalls(tree.branches, tree.responders, now);
  const work = await placeCalls(
    manager,
    alert,
    heads.map((head) => ({ ...head, step: 0 })),
    settings.callTimeoutMinutes,
    now,
  );
  if (heads.length === 0) await log(manager, alert, "NO_RESPONDERS", now);
  work.deliveryIds.push(
    ...(await askVerifiers(manager, alert, settings.verificationsNeeded + VERIFIERS_ASKED_BEYOND_NEEDED, now)),
  );
  return { alert, work };
}

export type EscalationOutcome = "escalated" | "exhausted" | "settled" | "not-due";

/**
 * Runs one escalation step: when the call is still unanswered at its due time, it is marked
 * escalated and the next responder of its chain (its branch, then up the tree) is called. The
 * alert's row lock serializes every step of an alert, and the step's unique keys make a rerun
 * (a duplicate job, a sweep after a crash) a no-op: nobody is called twice.
 */
export async function escalateCall(
  tx: Queryable,
  callId: string,
  now: Date,
): Promise<{ outcome: EscalationOutcome; work: QueueWork }> {
  const found = await sqlRow<{ alertId: string }>(tx, `SELECT alert_id FROM alert_calls WHERE id = $1`, [callId]);
  const alert = found && (await lockAlert(tx, found.alertId));
  if (!alert) return { outcome: "settled", work: noWork() };
  const call = await sqlRow<{
    chainBranchId: string;
    step: number;
    responderId: string;
    dueAt: Date;
    acknowledgedAt: Date | null;
    escalatedAt: Date | null;
  }>(
    tx,
    `SELECT chain_branch_id, step, responder_id, due_at, acknowledged_at, escalated_at FROM alert_calls WHERE id = $1`,
    [callId],
  );
  if (!call || call.acknowledgedAt || call.escalatedAt || alert.status !== "OPEN")
    return { outcome: "settled", work: noWork() };
  if (call.dueAt.getTime() > now.getTime()) return { outcome: "not-due", work: noWork() };

  await tx.query(`UPDATE alert_calls SET escalated_at = $2 WHERE id = $1`, [callId, now]);
  await log(tx, alert, "UNANSWERED", now, call.step, call.responderId);
  const tree = await loadTree(tx, alert.circleId);
  const called = await sqlRows<{ responderId: string }>(
    tx,
    `SELECT responder_id FROM alert_calls WHERE alert_id = $1`,
    [alert.id],
  );
  const branches = new Map(tree.branches.map((b) => [b.id, b]));
  const next = nextResponderInChain(
    chainOf(call.chainBranchId, branches),
    tree.responders,
    new Set(called.map((c) => c.responderId)),
    now,
  );
  if (!next) {
    await log(tx, alert, "CHAIN_EXHAUSTED", now, call.step);
    return { outcome: "exhausted", work: noWork() };
  }
  const settings = await settingsOf(tx, alert.circleId);
  const work = await placeCalls(
    tx,
    alert,
    [{ branchId: call.chainBranchId, step: call.step + 1, responder: next }],
    settings.callTimeoutMinutes,
    now,
  );
  return { outcome: "escalated", work };
}

/** A responder's call for an alert, if the tree placed one. */
export async function callOfResponder(
  db: Queryable,
  alertId: string,
  responderId: string,
): Promise<{ id: string; step: number; acknowledgedAt: Date | null } | undefined> {
  return sqlRow<{ id: string; step: number; acknowledgedAt: Date | null }>(
    db,
    `SELECT id, step, acknowledged_at FROM alert_calls WHERE alert_id = $1 AND responder_id = $2`,
    [alertId, responderId],
  );
}

/** A called responder answers: their call stops escalating. Answering twice changes nothing. */
export async function acknowledgeCall(
  tx: Queryable,
  alert: AlertRow,
  call: { id: string; step: number; acknowledgedAt: Date | null },
  responderId: string,
  now: Date,
): Promise<void> {
  if (call.acknowledgedAt) return;
  await tx.query(`UPDATE alert_calls SET acknowledged_at = $2 WHERE id = $1`, [call.id, now]);
  await log(tx, alert, "ACKNOWLEDGED", now, call.step, responderId);
}

export async function hasVerified(db: Queryable, alertId: string, responderId: string): Promise<boolean> {
  const row = await sqlRow(db, `SELECT 1 FROM alert_verifications WHERE alert_id = $1 AND responder_id = $2`, [
    alertId,
    responderId,
  ]);
  return row !== undefined;
}

/** Records a trusted responder's verification (once) and makes them a handler of the alert. */
export async function addVerification(
  tx: Queryable,
  alert: AlertRow,
  responder: { id: string; memberId: string },
  now: Date,
): Promise<void> {
  const inserted = await sqlRows(
    tx,
    `INSERT INTO alert_verifications (alert_id, responder_id, circle_id, verified_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING alert_id`,
    [alert.id, responder.id, alert.circleId, now],
  );
  if (inserted.length > 0) await log(tx, alert, "VERIFIED", now, null, responder.id);
  await addHandlers(tx, alert.circleId, "ALERT", alert.id, [responder.memberId], now);
}

/**
 * Marks the alert verified and broadcasts it to every member, once: the broadcast's primary key is
 * the alert, so a second broadcast writes nothing and sends nothing.
 */
export async function broadcastAlert(
  tx: Queryable,
  alertId: string,
  now: Date,
): Promise<{ alert: AlertRow; work: QueueWork }> {
  const updated = await sqlRow<AlertRow>(
    tx,
    `UPDATE alerts SET status = 'VERIFIED', verified_at = $2 WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
    [alertId, now],
  );
  const alert = returnedRow(updated, "UPDATE alerts");
  const broadcast = await sqlRows(
    tx,
    `INSERT INTO broadcasts (alert_id, circle_id, broadcast_at, recipients) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING RETURNING alert_id`,
    [alertId, alert.circleId, now],
  );
  if (broadcast.length === 0) return { alert, work: noWork() };
  const deliveryIds = await notify(tx, alert.circleId, "BROADCAST", alertId, "whole circle", now);
  await tx.query(
    `UPDATE broadcasts SET recipients = (SELECT count(*) FROM notifications WHERE case_id = $1 AND kind = 'BROADCAST') WHERE alert_id = $1`,
    [alertId],
  );
  await log(tx, alert, "BROADCAST", now);
  return { alert, work: { calls: [], deliveryIds } };
}

/** Closes an alert as a false alarm. */
export async function closeAsFalseAlarm(tx: Queryable, alert: AlertRow, now: Date): Promise<AlertRow> {
  const row = await sqlRow<AlertRow>(
    tx,
    `UPDATE alerts SET status = 'FALSE_ALARM', closed_at = $2 WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
    [alert.id, now],
  );
  await log(tx, alert, "FALSE_ALARM", now);
  return returnedRow(row, "UPDATE alerts");
}

/** Closes alerts past their expiry, a batch at a time; an open one becomes EXPIRED, a verified one stays VERIFIED. */
export async function expireAlerts(tx: Queryable, now: Date, limit: number): Promise<number> {
  const expired = await sqlRows<{ id: string; circleId: string }>(
    tx,
    `UPDATE alerts SET status = CASE WHEN status = 'OPEN' THEN 'EXPIRED' ELSE status END, closed_at = $1
     WHERE id IN (SELECT id FROM alerts WHERE closed_at IS NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, circle_id`,
    [now, limit],
  );
  for (const row of expired) await log(tx, row, "EXPIRED", now);
  return expired.length;
}

/** Unanswered calls past their due time on open alerts, oldest first: what the sweep hands back to the queue. */
export async function overdueCalls(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<Array<{ id: string; dueAt: Date }>> {
  return sqlRows<{ id: string; dueAt: Date }>(
    db,
    `SELECT c.id, c.due_at FROM alert_calls c JOIN alerts a ON a.id = c.alert_id
     WHERE c.acknowledged_at IS NULL AND c.escalated_at IS NULL AND c.due_at <= $1 AND a.status = 'OPEN'
     ORDER BY c.due_at LIMIT $2`,
    [now, limit],
  );
}

export interface AlertCallRow {
  id: string;
  step: number;
  chainBranchId: string;
  responderId: string;
  memberId: string;
  calledAt: Date;
  dueAt: Date;
  acknowledgedAt: Date | null;
  escalatedAt: Date | null;
}

/** The calls of an alert placed to one member: what each responder may see of the tree's work. */
export async function callsOfAlertTo(db: Queryable, alertId: string, memberId: string): Promise<AlertCallRow[]> {
  return sqlRows<AlertCallRow>(
    db,
    `SELECT c.id, c.step, c.chain_branch_id, c.responder_id, r.member_id, c.called_at, c.due_at, c.acknowledged_at, c.escalated_at
     FROM alert_calls c JOIN responders r ON r.id = c.responder_id WHERE c.alert_id = $1 AND r.member_id = $2 ORDER BY c.called_at, c.step, c.id`,
    [alertId, memberId],
  );
}

export interface AlertLogRow {
  at: Date;
  kind: string;
  step: number | null;
  responderId: string | null;
}

export async function logOfAlert(db: Queryable, alertId: string): Promise<AlertLogRow[]> {
  return sqlRows<AlertLogRow>(
    db,
    `SELECT at, kind, step, responder_id FROM alert_log WHERE alert_id = $1 ORDER BY id`,
    [alertId],
  );
}

/**
 * Replaces the raiser's id on alerts raised before tags with a keyed tag, a batch at a time, and
 * removes what else named them: their handler row and the author of notes on the alert.
 */
export async function retireLegacyRaisers(manager: Queryable, vault: Vault, limit: number): Promise<number> {
  const legacy = await sqlRows<{ id: string; circleId: string; raisedByMemberId: string }>(
    manager,
    `SELECT id, circle_id, raised_by_member_id FROM alerts WHERE raised_by_member_id IS NOT NULL ORDER BY raised_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  for (const alert of legacy) {
    const tag = await vault.tag(manager, alert.circleId, raiserTagText(alert.id, alert.raisedByMemberId));
    await manager.query(`UPDATE alerts SET raiser_tag = $2, raised_by_member_id = NULL WHERE id = $1`, [alert.id, tag]);
    await manager.query(`DELETE FROM case_handlers WHERE case_id = $1 AND member_id = $2`, [
      alert.id,
      alert.raisedByMemberId,
    ]);
    await manager.query(`UPDATE case_notes SET author_member_id = NULL WHERE case_kind = 'ALERT' AND case_id = $1`, [
      alert.id,
    ]);
  }
  return legacy.length;
}

export async function verificationCount(db: Queryable, alertId: string): Promise<number> {
  const row = await sqlRow<{ count: number }>(
    db,
    `SELECT count(*)::int AS count FROM alert_verifications WHERE alert_id = $1`,
    [alertId],
  );
  return row?.count ?? 0;
}

export async function broadcastRecipients(db: Queryable, alertId: string): Promise<number | null> {
  const row = await sqlRow<{ recipients: number }>(db, `SELECT recipients FROM broadcasts WHERE alert_id = $1`, [
    alertId,
  ]);
  return row ? row.recipients : null;
}
