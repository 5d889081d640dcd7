import { randomUUID } from "node:crypto";
import { changedCount, cycleContaining, emitEvent, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { DisputeStatus } from "../domain/disputes.js";
import { disputePartyId } from "../domain/sealing.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";
import { returnedRow } from "./returned.js";
import type { Vault } from "./vault.js";

export interface DisputeRow {
  id: string;
  circleId: string;
  openedByMemberId: string;
  summarySealed: Buffer;
  status: DisputeStatus;
  outcome: "AGREEMENT" | "NO_AGREEMENT" | null;
  policeInvolved: boolean | null;
  openedAt: Date;
  resolvedAt: Date | null;
  parties: string[];
  mediatorMemberIds: string[];
  /** Members who offered to mediate, not yet accepted by the opener. */
  offeredMemberIds: string[];
  /** Members the stewards assigned, not yet consenting. */
  assignedMemberIds: string[];
  sessions: Date[];
}

const SELECT = `SELECT d.id, d.circle_id, d.opened_by_member_id, d.summary_sealed, d.status, d.outcome, d.police_involved, d.opened_at, d.resolved_at,
  (SELECT COALESCE(array_agg(pseudonym ORDER BY pseudonym), '{}') FROM dispute_parties p WHERE p.dispute_id = d.id) AS parties,
  (SELECT COALESCE(array_agg(member_id ORDER BY accepted_at), '{}') FROM dispute_mediators m WHERE m.dispute_id = d.id) AS mediator_member_ids,
  (SELECT COALESCE(array_agg(held_at ORDER BY held_at), '{}') FROM mediation_sessions s WHERE s.dispute_id = d.id) AS sessions,
  (SELECT COALESCE(array_agg(member_id ORDER BY offered_at, member_id), '{}') FROM mediation_offers o WHERE o.dispute_id = d.id AND o.assigned_by_member_id IS NULL) AS offered_member_ids,
  (SELECT COALESCE(array_agg(member_id ORDER BY offered_at, member_id), '{}') FROM mediation_offers o WHERE o.dispute_id = d.id AND o.assigned_by_member_id IS NOT NULL) AS assigned_member_ids
  FROM disputes d`;

async function reread(db: Queryable, id: string): Promise<DisputeRow> {
  return returnedRow(await disputeById(db, id), "SELECT disputes");
}

export async function openDispute(
  manager: Queryable,
  vault: Vault,
  input: { circleId: string; memberId: string; parties: string[]; summary: string },
  now: Date,
): Promise<DisputeRow> {
  await rememberMember(manager, input.circleId, input.memberId, now);
  const id = randomUUID();
  const summarySealed = await vault.seal(manager, input.circleId, "dispute-summary", id, input.summary, now);
  await manager.query(
    `INSERT INTO disputes (id, circle_id, opened_by_member_id, summary_sealed, status, opened_at) VALUES ($1, $2, $3, $4, 'OPEN', $5)`,
    [id, input.circleId, input.memberId, summarySealed, now],
  );
  await manager.query(
    `INSERT INTO dispute_parties (dispute_id, circle_id, pseudonym) SELECT $1, $2, p FROM unnest($3::text[]) AS p`,
    [id, input.circleId, input.parties],
  );
  // The opener handles their own case: they read and write its notes.
  await addHandlers(manager, input.circleId, "DISPUTE", id, [input.memberId], now);
  return reread(manager, id);
}

export async function disputeById(db: Queryable, id: string): Promise<DisputeRow | undefined> {
  return sqlRow<DisputeRow>(db, `${SELECT} WHERE d.id = $1`, [id]);
}

export async function disputesOfCircle(db: Queryable, circleId: string, limit: number): Promise<DisputeRow[]> {
  return sqlRows<DisputeRow>(db, `${SELECT} WHERE d.circle_id = $1 ORDER BY d.opened_at DESC, d.id DESC LIMIT $2`, [
    circleId,
    limit,
  ]);
}

/** The dispute's status, its row locked: offers, appointments, sessions and the outcome of one dispute are serialized. */
export async function lockDisputeStatus(tx: Queryable, id: string): Promise<DisputeStatus | undefined> {
  const row = await sqlRow<{ status: DisputeStatus }>(tx, `SELECT status FROM disputes WHERE id = $1 FOR UPDATE`, [id]);
  return row?.status;
}

/** Whether a member has a pending offer on a dispute: their own (`offered`) or the stewards' assignment (`assigned`). */
export async function hasPendingOffer(
  db: Queryable,
  disputeId: string,
  memberId: string,
  from: "offered" | "assigned",
): Promise<boolean> {
  const row = await sqlRow(
    db,
    `SELECT 1 FROM mediation_offers WHERE dispute_id = $1 AND member_id = $2 AND (assigned_by_member_id IS NULL) = $3`,
    [disputeId, memberId, from === "offered"],
  );
  return row !== undefined;
}

/**
 * Records an offer to mediate: the member's own (`assignedByMemberId` null, for the opener to
 * accept) or the stewards' assignment of a member (for that member to consent to). An offer gives
 * no access to the case; a mediator already is one.
 */
export async function offerMediation(
  tx: Queryable,
  dispute: DisputeRow,
  memberId: string,
  assignedByMemberId: string | null,
  now: Date,
): Promise<DisputeRow> {
  if (!dispute.mediatorMemberIds.includes(memberId)) {
    await tx.query(
      `INSERT INTO mediation_offers (dispute_id, circle_id, member_id, assigned_by_member_id, offered_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dispute_id, member_id) DO UPDATE SET assigned_by_member_id = COALESCE(mediation_offers.assigned_by_member_id, $4)`,
      [dispute.id, dispute.circleId, memberId, assignedByMemberId, now],
    );
  }
  return reread(tx, dispute.id);
}

/**
 * Makes a member a mediator (a handler of the case) from their pending offer, which it takes:
 * `"offered"` when the opener accepts a member's own offer, `"assigned"` when a member consents to
 * the stewards' assignment.
 */
export async function appointMediator(
  tx: Queryable,
  dispute: DisputeRow,
  memberId: string,
  from: "offered" | "assigned",
  now: Date,
): Promise<DisputeRow> {
  const removed = await changedCount(
    tx,
    `DELETE FROM mediation_offers WHERE dispute_id = $1 AND member_id = $2 AND (assigned_by_member_id IS NULL) = $3`,
    [dispute.id, memberId, from === "offered"],
  );
  if (removed === 0) throw new Error(`No pending offer of ${memberId} on dispute ${dispute.id} under its lock`);
  await rememberMember(tx, dispute.circleId, memberId, now);
  await tx.query(
    `INSERT INTO dispute_mediators (dispute_id, circle_id, member_id, accepted_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [dispute.id, dispute.circleId, memberId, now],
  );
  await tx.query(`UPDATE disputes SET status = 'IN_MEDIATION' WHERE id = $1`, [dispute.id]);
  await addHandlers(tx, dispute.circleId, "DISPUTE", dispute.id, [memberId], now);
  return reread(tx, dispute.id);
}

export async function recordSession(
  tx: Queryable,
  dispute: DisputeRow,
  memberId: string,
  heldAt: Date,
): Promise<DisputeRow> {
  await tx.query(
    `INSERT INTO mediation_sessions (id, circle_id, dispute_id, held_at, recorded_by_member_id) VALUES ($1, $2, $3, $4, $5)`,
    [randomUUID(), dispute.circleId, dispute.id, heldAt, memberId],
  );
  return reread(tx, dispute.id);
}

/** Records the outcome; an agreement reached without police is a sovereignty event, told in the same transaction. */
export async function resolveDispute(
  tx: Queryable,
  vault: Vault,
  dispute: DisputeRow,
  resolution: { outcome: "AGREEMENT" | "NO_AGREEMENT"; policeInvolved: boolean; isMediatedWithoutPolice: boolean },
  now: Date,
): Promise<DisputeRow> {
  const { outcome, policeInvolved } = resolution;
  await tx.query(
    `UPDATE disputes SET status = $2, outcome = $3, police_involved = $4, resolved_at = $5 WHERE id = $1`,
    [dispute.id, outcome === "AGREEMENT" ? "RESOLVED" : "UNRESOLVED", outcome, policeInvolved, now],
  );
  if (resolution.isMediatedWithoutPolice) await announceMediation(tx, vault, dispute, now);
  return reread(tx, dispute.id);
}

/** `dispute.mediated`: the opener and each party leave only as pseudonyms, so the hub counts the people on both sides, not disputes. */
async function announceMediation(tx: Queryable, vault: Vault, dispute: DisputeRow, now: Date): Promise<void> {
  const cycle = cycleContaining(now).label;
  const openerKey = dispute.openedByMemberId
    ? await vault.pseudonym(tx, dispute.circleId, "disputeOpener", cycle, dispute.openedByMemberId, now)
    : undefined;
  // One after the other: the transaction is one connection.
  const partyKeys: string[] = [];
  for (const party of new Set(dispute.parties.map(disputePartyId)))
    partyKeys.push(await vault.pseudonym(tx, dispute.circleId, "disputeParty", cycle, party, now));
  await emitEvent(
    tx,
    "dispute.mediated",
    {
      circleId: dispute.circleId,
      disputeId: dispute.id,
      cycle,
      ...(openerKey ? { openerKey } : {}),
      ...(partyKeys.length > 0 ? { partyKeys } : {}),
    },
    now,
  );
}
