import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { conflict, forbidden, notFound } from "@rhizome/kit";
import {
  ALERT_LIFETIME_MINUTES,
  chainOf,
  firstCalls,
  isVerifiedBy,
  VERIFIERS_ASKED_BEYOND_NEEDED,
  nextResponderInChain,
  type AlertKind,
  type AlertStatus,
  type Shift,
  type TreeBranch,
  type TreeResponder,
  type Urgency,
} from "../domain/alerts.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";
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

const ALERT_COLUMNS = `id, circle_id, raiser_tag, raised_by_member_id, kind, geohash, urgency, text_sealed, status, raised_at, expires_at, verified_at, closed_at`;

export function toAlertRow(row: Record<string, never>): AlertRow {
  return {
    id: row.id,
    circleId: row.circle_id,
    raiserTag: row.raiser_tag,
    legacyRaisedByMemberId: row.raised_by_member_id,
    kind: row.kind,
    geohash: row.geohash,
    urgency: row.urgency,
    textSealed: row.text_sealed,
    status: row.status,
    raisedAt: row.raised_at,
    expiresAt: row.expires_at,
    verifiedAt: row.verified_at,
    closedAt: row.closed_at,
  };
}

type Queryable = Pick<EntityManager, "query">;

export async function alertsByIds(db: Queryable, ids: readonly string[]): Promise<AlertRow[]> {
  return (await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ANY($1::uuid[])`, [ids])).map(toAlertRow);
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
  const rows = await db.query(
    `SELECT ${ALERT_COLUMNS} FROM alerts a WHERE circle_id = $1 AND ($2::timestamptz IS NULL OR (raised_at, id) < ($2, $3::uuid))
       AND (EXISTS (SELECT 1 FROM alert_calls c WHERE c.alert_id = a.id AND c.responder_id = $5)
         OR EXISTS (SELECT 1 FROM alert_verifiers v WHERE v.alert_id = a.id AND v.responder_id = $5)
         OR EXISTS (SELECT 1 FROM broadcasts b WHERE b.alert_id = a.id))
     ORDER BY raised_at DESC, id DESC LIMIT $4`,
    [responder.circleId, after?.at ?? null, after?.id ?? null, limit, responder.id],
  );
  return rows.map(toAlertRow);
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
  const [row]: Array<{ is_called: boolean; is_asked: boolean; is_broadcast: boolean }> = await db.query(
    `SELECT EXISTS (SELECT 1 FROM alert_calls WHERE alert_id = $1 AND responder_id = $2::uuid) AS is_called,
       EXISTS (SELECT 1 FROM alert_verifiers WHERE alert_id = $1 AND responder_id = $2::uuid) AS is_asked,
       EXISTS (SELECT 1 FROM broadcasts WHERE alert_id = $1) AS is_broadcast`,
    [alertId, responderId ?? null],
  );
  return { isCalled: row.is_called, isAskedToVerify: row.is_asked, isBroadcast: row.is_broadcast };
}

/**
 * Asks `count` of the circle's trusted responders to verify a new alert, in turn: those asked
 * longest ago (or never) first, then by joining order. Each reads and may verify the alerts they
 * were asked about, never the others, so no trusted responder reads every alert of a circle with
 * more trusted responders than an alert needs. Nobody is left out for having raised it.
 */
async function askVerifiers(
  manager: EntityManager,
  alert: { id: string; circleId: string },
  count: number,
  now: Date,
): Promise<string[]> {
  const asked: Array<{ member_id: string }> = await manager.query(
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
    asked.map((a) => a.member_id),
    now,
  );
}

/** Whether the responder was called for the alert or asked to verify it: what lets a trusted responder act on it. */
async function isCalledOrAsked(db: Queryable, alertId: string, responderId: string): Promise<boolean> {
  const reach = await alertReach(db, alertId, responderId);
  return reach.isCalled || reach.isAskedToVerify;
}

async function lockAlert(manager: EntityManager, alertId: string): Promise<AlertRow> {
  const [row] = await manager.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 FOR UPDATE`, [alertId]);
  if (!row) throw notFound("No alert with that id in your circles.");
  return toAlertRow(row);
}

async function loadTree(
  db: Queryable,
  circleId: string,
): Promise<{ branches: TreeBranch[]; responders: TreeResponder[] }> {
  const branches: Array<{ id: string; parent_branch_id: string | null }> = await db.query(
    `SELECT id, parent_branch_id FROM branches WHERE circle_id = $1 ORDER BY created_at, id`,
    [circleId],
  );
  const responders: Array<{ id: string; member_id: string; branch_id: string; position: string; shifts: Shift[] }> =
    await db.query(
      `SELECT id, member_id, branch_id, position, shifts FROM responders WHERE circle_id = $1 AND left_at IS NULL`,
      [circleId],
    );
  return {
    branches: branches.map((b) => ({ id: b.id, parentBranchId: b.parent_branch_id })),
    responders: responders.map((r) => ({
      id: r.id,
      memberId: r.member_id,
      branchId: r.branch_id,
      position: Number(r.position),
      shifts: r.shifts,
    })),
  };
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
  const written: Array<{ id: string }> =
    memberIds === "whole circle"
      ? await db.query(
          `INSERT INTO notifications (id, circle_id, member_id, kind, case_id, created_at)
           SELECT gen_random_uuid(), $1, member_id, $2, $3, $4 FROM circle_members WHERE circle_id = $1 AND left_at IS NULL
           ON CONFLICT DO NOTHING RETURNING id`,
          [circleId, kind, caseId, now],
        )
      : await db.query(
          `INSERT INTO notifications (id, circle_id, member_id, kind, case_id, created_at)
           SELECT gen_random_uuid(), $1, m, $2, $3, $4 FROM unnest($5::uuid[]) AS m ON CONFLICT DO NOTHING RETURNING id`,
          [circleId, kind, caseId, now, memberIds],
        );
  if (written.length === 0) return [];
  const deliveries: Array<{ id: string }> = await db.query(
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
  manager: EntityManager,
  alert: { id: string; circleId: string },
  calls: Array<{ branchId: string; step: number; responder: TreeResponder }>,
  timeoutMinutes: number,
  now: Date,
): Promise<QueueWork> {
  const work = noWork();
  const dueAt = new Date(now.getTime() + timeoutMinutes * 60_000);
  for (const call of calls) {
    const id = randomUUID();
    const inserted = await manager.query(
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
  manager: EntityManager,
  vault: Vault,
  input: NewAlert,
  now: Date,
): Promise<{ alert: AlertRow; work: QueueWork }> {
  await rememberMember(manager, input.circleId, input.raisedByMemberId, now);
  const id = randomUUID();
  const textSealed = await vault.seal(manager, input.circleId, "alert-text", id, input.text, now);
  const raiserTag = await vault.tag(manager, input.circleId, raiserTagText(id, input.raisedByMemberId), now);
  const expiresAt = new Date(now.getTime() + ALERT_LIFETIME_MINUTES[input.urgency] * 60_000);
  const [row] = await manager.query(
    `INSERT INTO alerts (id, circle_id, raiser_tag, kind, geohash, urgency, text_sealed, status, raised_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'OPEN', $8, $9) RETURNING ${ALERT_COLUMNS}`,
    [id, input.circleId, raiserTag, input.kind, input.geohash, input.urgency, textSealed, now, expiresAt],
  );
  const alert = toAlertRow(row);
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
  manager: EntityManager,
  callId: string,
  now: Date,
): Promise<{ outcome: EscalationOutcome; work: QueueWork }> {
  const [found]: Array<{ alert_id: string }> = await manager.query(`SELECT alert_id FROM alert_calls WHERE id = $1`, [
    callId,
  ]);
  if (!found) return { outcome: "settled", work: noWork() };
  const alert = await lockAlert(manager, found.alert_id);
  const [call]: Array<{
    chain_branch_id: string;
    step: number;
    responder_id: string;
    due_at: Date;
    acknowledged_at: Date | null;
    escalated_at: Date | null;
  }> = await manager.query(
    `SELECT chain_branch_id, step, responder_id, due_at, acknowledged_at, escalated_at FROM alert_calls WHERE id = $1`,
    [callId],
  );
  if (call.acknowledged_at || call.escalated_at || alert.status !== "OPEN")
    return { outcome: "settled", work: noWork() };
  if (call.due_at.getTime() > now.getTime()) return { outcome: "not-due", work: noWork() };

  await manager.query(`UPDATE alert_calls SET escalated_at = $2 WHERE id = $1`, [callId, now]);
  await log(manager, alert, "UNANSWERED", now, call.step, call.responder_id);
  const tree = await loadTree(manager, alert.circleId);
  const called: Array<{ responder_id: string }> = await manager.query(
    `SELECT responder_id FROM alert_calls WHERE alert_id = $1`,
    [alert.id],
  );
  const branches = new Map(tree.branches.map((b) => [b.id, b]));
  const next = nextResponderInChain(
    chainOf(call.chain_branch_id, branches),
    tree.responders,
    new Set(called.map((c) => c.responder_id)),
    now,
  );
  if (!next) {
    await log(manager, alert, "CHAIN_EXHAUSTED", now, call.step);
    return { outcome: "exhausted", work: noWork() };
  }
  const settings = await settingsOf(manager, alert.circleId);
  const work = await placeCalls(
    manager,
    alert,
    [{ branchId: call.chain_branch_id, step: call.step + 1, responder: next }],
    settings.callTimeoutMinutes,
    now,
  );
  return { outcome: "escalated", work };
}

async function responderOf(
  db: Queryable,
  circleId: string,
  memberId: string,
): Promise<{ id: string; is_trusted: boolean } | undefined> {
  const [row] = await db.query(
    `SELECT id, is_trusted FROM responders WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [circleId, memberId],
  );
  return row;
}

/** A called responder answers: their call stops escalating. Answering twice changes nothing. */
export async function acknowledgeAlert(
  manager: EntityManager,
  alertId: string,
  memberId: string,
  now: Date,
): Promise<AlertRow> {
  const alert = await lockAlert(manager, alertId);
  const responder = await responderOf(manager, alert.circleId, memberId);
  const [call]: Array<{ id: string; step: number; acknowledged_at: Date | null }> = responder
    ? await manager.query(
        `SELECT id, step, acknowledged_at FROM alert_calls WHERE alert_id = $1 AND responder_id = $2`,
        [alertId, responder.id],
      )
    : [];
  if (!responder || !call)
    throw forbidden("Only the responders called for this alert acknowledge it; you were not called.");
  if (!call.acknowledged_at) {
    await manager.query(`UPDATE alert_calls SET acknowledged_at = $2 WHERE id = $1`, [call.id, now]);
    await log(manager, alert, "ACKNOWLEDGED", now, call.step, responder.id);
  }
  return alert;
}

/**
 * A trusted responder confirms the alert is real. The verification that reaches the circle's
 * threshold broadcasts it to every member, once: the broadcast's primary key is the alert.
 */
export async function verifyAlert(
  manager: EntityManager,
  alertId: string,
  memberId: string,
  now: Date,
): Promise<{ alert: AlertRow; work: QueueWork }> {
  let alert = await lockAlert(manager, alertId);
  const responder = await responderOf(manager, alert.circleId, memberId);
  if (!responder?.is_trusted || !(await isCalledOrAsked(manager, alertId, responder.id)))
    throw forbidden("Only the circle's trusted responders called or asked to verify this alert verify it.");
  if (alert.closedAt) throw conflict(`This alert is closed (${alert.status}); it can no longer be verified.`);
  if (alert.status === "VERIFIED") return { alert, work: noWork() };
  const inserted = await manager.query(
    `INSERT INTO alert_verifications (alert_id, responder_id, circle_id, verified_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING alert_id`,
    [alertId, responder.id, alert.circleId, now],
  );
  if (inserted.length > 0) await log(manager, alert, "VERIFIED", now, null, responder.id);
  await addHandlers(manager, alert.circleId, "ALERT", alertId, [memberId], now);
  const [{ count }]: Array<{ count: string }> = await manager.query(
    `SELECT count(*) FROM alert_verifications WHERE alert_id = $1`,
    [alertId],
  );
  const settings = await settingsOf(manager, alert.circleId);
  if (!isVerifiedBy(Number(count), settings.verificationsNeeded)) return { alert, work: noWork() };

  const [[row]] = await manager.query(
    `UPDATE alerts SET status = 'VERIFIED', verified_at = $2 WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
    [alertId, now],
  );
  alert = toAlertRow(row);
  const broadcast = await manager.query(
    `INSERT INTO broadcasts (alert_id, circle_id, broadcast_at, recipients) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING RETURNING alert_id`,
    [alertId, alert.circleId, now],
  );
  if (broadcast.length === 0) return { alert, work: noWork() };
  const deliveryIds = await notify(manager, alert.circleId, "BROADCAST", alertId, "whole circle", now);
  await manager.query(
    `UPDATE broadcasts SET recipients = (SELECT count(*) FROM notifications WHERE case_id = $1 AND kind = 'BROADCAST') WHERE alert_id = $1`,
    [alertId],
  );
  await log(manager, alert, "BROADCAST", now);
  return { alert, work: { calls: [], deliveryIds } };
}

/** The raiser (the caller recognised by the alert's tag) or a trusted responder closes an alert that was not real. */
export async function markFalseAlarm(
  manager: EntityManager,
  alertId: string,
  memberId: string,
  isRaiser: boolean,
  now: Date,
): Promise<AlertRow> {
  const alert = await lockAlert(manager, alertId);
  if (!isRaiser) {
    const responder = await responderOf(manager, alert.circleId, memberId);
    if (!responder?.is_trusted || !(await isCalledOrAsked(manager, alertId, responder.id)))
      throw forbidden(
        "Only whoever raised an alert, or a trusted responder called or asked to verify it, marks it a false alarm.",
      );
  }
  if (alert.closedAt) throw conflict(`This alert is already closed (${alert.status}).`);
  const [[row]] = await manager.query(
    `UPDATE alerts SET status = 'FALSE_ALARM', closed_at = $2 WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
    [alertId, now],
  );
  await log(manager, alert, "FALSE_ALARM", now);
  return toAlertRow(row);
}

/** Closes alerts past their expiry, a batch at a time; an open one becomes EXPIRED, a verified one stays VERIFIED. */
export async function expireAlerts(manager: EntityManager, now: Date, limit: number): Promise<number> {
  const [expired]: [Array<{ id: string; circle_id: string }>, number] = await manager.query(
    `UPDATE alerts SET status = CASE WHEN status = 'OPEN' THEN 'EXPIRED' ELSE status END, closed_at = $1
     WHERE id IN (SELECT id FROM alerts WHERE closed_at IS NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING id, circle_id`,
    [now, limit],
  );
  for (const row of expired) await log(manager, { id: row.id, circleId: row.circle_id }, "EXPIRED", now);
  return expired.length;
}

/** Unanswered calls past their due time on open alerts, oldest first: what the sweep hands back to the queue. */
export async function overdueCalls(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<Array<{ id: string; dueAt: Date }>> {
  const rows: Array<{ id: string; due_at: Date }> = await db.query(
    `SELECT c.id, c.due_at FROM alert_calls c JOIN alerts a ON a.id = c.alert_id
     WHERE c.acknowledged_at IS NULL AND c.escalated_at IS NULL AND c.due_at <= $1 AND a.status = 'OPEN'
     ORDER BY c.due_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => ({ id: r.id, dueAt: r.due_at }));
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
  const rows = await db.query(
    `SELECT c.id, c.step, c.chain_branch_id, c.responder_id, r.member_id, c.called_at, c.due_at, c.acknowledged_at, c.escalated_at
     FROM alert_calls c JOIN responders r ON r.id = c.responder_id WHERE c.alert_id = $1 AND r.member_id = $2 ORDER BY c.called_at, c.step, c.id`,
    [alertId, memberId],
  );
  return rows.map((r: Record<string, never>) => ({
    id: r.id,
    step: r.step,
    chainBranchId: r.chain_branch_id,
    responderId: r.responder_id,
    memberId: r.member_id,
    calledAt: r.called_at,
    dueAt: r.due_at,
    acknowledgedAt: r.acknowledged_at,
    escalatedAt: r.escalated_at,
  }));
}

export interface AlertLogRow {
  at: Date;
  kind: string;
  step: number | null;
  responderId: string | null;
}

export async function logOfAlert(db: Queryable, alertId: string): Promise<AlertLogRow[]> {
  const rows: Array<{ at: Date; kind: string; step: number | null; responder_id: string | null }> = await db.query(
    `SELECT at, kind, step, responder_id FROM alert_log WHERE alert_id = $1 ORDER BY id`,
    [alertId],
  );
  return rows.map((r) => ({ at: r.at, kind: r.kind, step: r.step, responderId: r.responder_id }));
}

/**
 * Replaces the raiser's id on alerts raised before tags with a keyed tag, a batch at a time, and
 * removes what else named them: their handler row and the author of notes on the alert.
 */
export async function retireLegacyRaisers(manager: EntityManager, vault: Vault, limit: number): Promise<number> {
  const legacy: Array<{ id: string; circle_id: string; raised_by_member_id: string }> = await manager.query(
    `SELECT id, circle_id, raised_by_member_id FROM alerts WHERE raised_by_member_id IS NOT NULL ORDER BY raised_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  for (const alert of legacy) {
    const tag = await vault.tag(manager, alert.circle_id, raiserTagText(alert.id, alert.raised_by_member_id));
    await manager.query(`UPDATE alerts SET raiser_tag = $2, raised_by_member_id = NULL WHERE id = $1`, [alert.id, tag]);
    await manager.query(`DELETE FROM case_handlers WHERE case_id = $1 AND member_id = $2`, [
      alert.id,
      alert.raised_by_member_id,
    ]);
    await manager.query(`UPDATE case_notes SET author_member_id = NULL WHERE case_kind = 'ALERT' AND case_id = $1`, [
      alert.id,
    ]);
  }
  return legacy.length;
}

export async function verificationCount(db: Queryable, alertId: string): Promise<number> {
  const [{ count }]: Array<{ count: string }> = await db.query(
    `SELECT count(*) FROM alert_verifications WHERE alert_id = $1`,
    [alertId],
  );
  return Number(count);
}

export async function broadcastRecipients(db: Queryable, alertId: string): Promise<number | null> {
  const [row]: Array<{ recipients: number }> = await db.query(`SELECT recipients FROM broadcasts WHERE alert_id = $1`, [
    alertId,
  ]);
  return row ? row.recipients : null;
}
