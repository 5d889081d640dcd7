import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { conflict, cycleContaining, emitEvent, forbidden } from "@rhizome/kit";
import { disputePartyId } from "../domain/sealing.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";
import type { Vault } from "./vault.js";

type Queryable = Pick<EntityManager, "query">;

export interface DisputeRow {
  id: string;
  circleId: string;
  openedByMemberId: string;
  summarySealed: Buffer;
  status: "OPEN" | "IN_MEDIATION" | "RESOLVED" | "UNRESOLVED";
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

const SELECT = `SELECT d.*,
  (SELECT array_agg(pseudonym ORDER BY pseudonym) FROM dispute_parties p WHERE p.dispute_id = d.id) AS parties,
  (SELECT COALESCE(array_agg(member_id ORDER BY accepted_at), '{}') FROM dispute_mediators m WHERE m.dispute_id = d.id) AS mediators,
  (SELECT COALESCE(array_agg(held_at ORDER BY held_at), '{}') FROM mediation_sessions s WHERE s.dispute_id = d.id) AS sessions,
  (SELECT COALESCE(array_agg(member_id ORDER BY offered_at, member_id), '{}') FROM mediation_offers o WHERE o.dispute_id = d.id AND o.assigned_by_member_id IS NULL) AS offered,
  (SELECT COALESCE(array_agg(member_id ORDER BY offered_at, member_id), '{}') FROM mediation_offers o WHERE o.dispute_id = d.id AND o.assigned_by_member_id IS NOT NULL) AS assigned
  FROM disputes d`;

const toDispute = (r: Record<string, never>): DisputeRow => ({
  id: r.id,
  circleId: r.circle_id,
  openedByMemberId: r.opened_by_member_id,
  summarySealed: r.summary_sealed,
  status: r.status,
  outcome: r.outcome,
  policeInvolved: r.police_involved,
  openedAt: r.opened_at,
  resolvedAt: r.resolved_at,
  parties: r.parties ?? [],
  mediatorMemberIds: r.mediators,
  offeredMemberIds: r.offered,
  assignedMemberIds: r.assigned,
  sessions: r.sessions,
});

export async function openDispute(
  manager: EntityManager,
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
  return (await disputeById(manager, id))!;
}

export async function disputeById(db: Queryable, id: string): Promise<DisputeRow | undefined> {
  const [row] = await db.query(`${SELECT} WHERE d.id = $1`, [id]);
  return row && toDispute(row);
}

export async function disputesOfCircle(db: Queryable, circleId: string, limit: number): Promise<DisputeRow[]> {
  return (
    await db.query(`${SELECT} WHERE d.circle_id = $1 ORDER BY d.opened_at DESC, d.id DESC LIMIT $2`, [circleId, limit])
  ).map(toDispute);
}

async function lockOpen(manager: EntityManager, id: string): Promise<void> {
  const [row] = await manager.query(`SELECT status FROM disputes WHERE id = $1 FOR UPDATE`, [id]);
  if (row.status === "RESOLVED" || row.status === "UNRESOLVED")
    throw conflict(`This dispute is already ${row.status}.`);
}

/**
 * Records an offer to mediate: the member's own (`assignedByMemberId` null, for the opener to
 * accept) or the stewards' assignment of a member (for that member to consent to). An offer gives
 * no access to the case.
 */
export async function offerMediation(
  manager: EntityManager,
  dispute: DisputeRow,
  memberId: string,
  assignedByMemberId: string | null,
  now: Date,
): Promise<DisputeRow> {
  await lockOpen(manager, dispute.id);
  if (!dispute.mediatorMemberIds.includes(memberId)) {
    await manager.query(
      `INSERT INTO mediation_offers (dispute_id, circle_id, member_id, assigned_by_member_id, offered_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dispute_id, member_id) DO UPDATE SET assigned_by_member_id = COALESCE(mediation_offers.assigned_by_member_id, $4)`,
      [dispute.id, dispute.circleId, memberId, assignedByMemberId, now],
    );
  }
  return (await disputeById(manager, dispute.id))!;
}

/**
 * Makes a member a mediator (a handler of the case) from their pending offer: `"offered"` when the
 * opener accepts a member's own offer, `"assigned"` when a member consents to the stewards'
 * assignment. Without such an offer nothing changes and undefined is returned.
 */
export async function appointMediator(
  manager: EntityManager,
  dispute: DisputeRow,
  memberId: string,
  from: "offered" | "assigned",
  now: Date,
): Promise<DisputeRow | undefined> {
  await lockOpen(manager, dispute.id);
  const [, removed]: [unknown, number] = await manager.query(
    `DELETE FROM mediation_offers WHERE dispute_id = $1 AND member_id = $2 AND (assigned_by_member_id IS NULL) = $3`,
    [dispute.id, memberId, from === "offered"],
  );
  if (removed === 0) return undefined;
  return acceptMediation(manager, dispute.id, memberId, dispute.circleId, now);
}

async function acceptMediation(
  manager: EntityManager,
  disputeId: string,
  memberId: string,
  circleId: string,
  now: Date,
): Promise<DisputeRow> {
  await rememberMember(manager, circleId, memberId, now);
  await manager.query(
    `INSERT INTO dispute_mediators (dispute_id, circle_id, member_id, accepted_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [disputeId, circleId, memberId, now],
  );
  await manager.query(`UPDATE disputes SET status = 'IN_MEDIATION' WHERE id = $1`, [disputeId]);
  await addHandlers(manager, circleId, "DISPUTE", disputeId, [memberId], now);
  return (await disputeById(manager, disputeId))!;
}

export async function recordSession(
  manager: EntityManager,
  dispute: DisputeRow,
  memberId: string,
  heldAt: Date,
): Promise<DisputeRow> {
  await lockOpen(manager, dispute.id);
  await manager.query(
    `INSERT INTO mediation_sessions (id, circle_id, dispute_id, held_at, recorded_by_member_id) VALUES ($1, $2, $3, $4, $5)`,
    [randomUUID(), dispute.circleId, dispute.id, heldAt, memberId],
  );
  return (await disputeById(manager, dispute.id))!;
}

/** A mediator records the outcome; an agreement reached without police is a sovereignty event, told in the same transaction. */
export async function resolveDispute(
  manager: EntityManager,
  vault: Vault,
  dispute: DisputeRow,
  outcome: "AGREEMENT" | "NO_AGREEMENT",
  policeInvolved: boolean,
  now: Date,
): Promise<DisputeRow> {
  await lockOpen(manager, dispute.id);
  if (dispute.sessions.length === 0)
    throw conflict(
      "Record at least one mediation session (recordMediationSession) before the outcome: a dispute is resolved only after its parties met.",
    );
  await manager.query(
    `UPDATE disputes SET status = $2, outcome = $3, police_involved = $4, resolved_at = $5 WHERE id = $1`,
    [dispute.id, outcome === "AGREEMENT" ? "RESOLVED" : "UNRESOLVED", outcome, policeInvolved, now],
  );
  if (outcome === "AGREEMENT" && !policeInvolved) {
    const cycle = cycleContaining(now).label;
    // The opener and each party leave only as pseudonyms, so the hub counts the people on both sides, not disputes.
    const openerKey = dispute.openedByMemberId
      ? await vault.pseudonym(manager, dispute.circleId, "disputeOpener", cycle, dispute.openedByMemberId, now)
      : undefined;
    const partyKeys = await Promise.all(
      [...new Set(dispute.parties.map(disputePartyId))].map((party) =>
        vault.pseudonym(manager, dispute.circleId, "disputeParty", cycle, party, now),
      ),
    );
    await emitEvent(
      manager,
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
  return (await disputeById(manager, dispute.id))!;
}

export function requireMediator(dispute: DisputeRow, memberId: string): void {
  if (!dispute.mediatorMemberIds.includes(memberId)) throw forbidden("Only the dispute's mediators do this.");
}
