import { randomUUID } from "node:crypto";
import { cycleContaining, emitEvent, newestFirstRows, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { fits, type PledgeTerms, type RequestNeeds } from "../domain/housing.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";
import { notify } from "./alerts.js";
import { returnedRow } from "./returned.js";
import type { Vault } from "./vault.js";

export interface PledgeRow extends PledgeTerms {
  id: string;
  circleId: string;
  hostMemberId: string;
  areaGeohash: string | null;
  contactSealed: Buffer;
  withdrawnAt: Date | null;
}

export interface RequestRow extends RequestNeeds {
  id: string;
  circleId: string;
  requesterMemberId: string;
  contactSealed: Buffer;
  status: "OPEN" | "HOUSED" | "WITHDRAWN";
}

export interface MatchRow {
  id: string;
  circleId: string;
  pledgeId: string;
  requestId: string;
  people: number;
  status: "SUGGESTED" | "CONFIRMED" | "DECLINED";
  hostAcceptedAt: Date | null;
  guestAcceptedAt: Date | null;
  hostMemberId: string;
  guestMemberId: string;
}

/** Days are read as text (YYYY-MM-DD), as the domain compares them. */
const PLEDGE_COLUMNS = `id, circle_id, host_member_id, capacity, committed_people, available_from::text AS available_from,
  available_until::text AS available_until, accepts_children, accepts_pets, is_step_free, area_geohash, contact_sealed, withdrawn_at`;
const REQUEST_COLUMNS = `id, circle_id, requester_member_id, people, needed_from::text AS needed_from, needed_until::text AS needed_until,
  with_children, with_pets, needs_step_free, contact_sealed, status`;

const MATCH_SELECT = `SELECT m.id, m.circle_id, m.pledge_id, m.request_id, m.people, m.status, m.host_accepted_at, m.guest_accepted_at,
  p.host_member_id, r.requester_member_id AS guest_member_id FROM housing_matches m JOIN housing_pledges p ON p.id = m.pledge_id JOIN housing_requests r ON r.id = m.request_id`;
export async function pledgeHousing(
  manager: Queryable,
  vault: Vault,
  input: Omit<PledgeTerms, "committedPeople"> & {
    circleId: string;
    hostMemberId: string;
    areaGeohash: string | null;
    contact: string;
  },
  now: Date,
): Promise<PledgeRow> {
  await rememberMember(manager, input.circleId, input.hostMemberId, now);
  const id = randomUUID();
  const contactSealed = await vault.seal(manager, input.circleId, "contact", id, input.contact, now);
  const row = await sqlRow<PledgeRow>(
    manager,
    `INSERT INTO housing_pledges (id, circle_id, host_member_id, capacity, available_from, available_until, accepts_children, accepts_pets, is_step_free, area_geohash, contact_sealed, pledged_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${PLEDGE_COLUMNS}`,
    [
      id,
      input.circleId,
      input.hostMemberId,
      input.capacity,
      input.availableFrom,
      input.availableUntil,
      input.acceptsChildren,
      input.acceptsPets,
      input.isStepFree,
      input.areaGeohash,
      contactSealed,
      now,
    ],
  );
  return returnedRow(row, "INSERT INTO housing_pledges");
}

export async function requestHousing(
  manager: Queryable,
  vault: Vault,
  input: RequestNeeds & { circleId: string; requesterMemberId: string; contact: string },
  now: Date,
): Promise<RequestRow> {
  await rememberMember(manager, input.circleId, input.requesterMemberId, now);
  const id = randomUUID();
  const contactSealed = await vault.seal(manager, input.circleId, "contact", id, input.contact, now);
  const row = await sqlRow<RequestRow>(
    manager,
    `INSERT INTO housing_requests (id, circle_id, requester_member_id, people, needed_from, needed_until, with_children, with_pets, needs_step_free, contact_sealed, status, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN', $11) RETURNING ${REQUEST_COLUMNS}`,
    [
      id,
      input.circleId,
      input.requesterMemberId,
      input.people,
      input.neededFrom,
      input.neededUntil,
      input.withChildren,
      input.withPets,
      input.needsStepFree,
      contactSealed,
      now,
    ],
  );
  return returnedRow(row, "INSERT INTO housing_requests");
}

export async function housingRequestById(db: Queryable, id: string): Promise<RequestRow | undefined> {
  return sqlRow<RequestRow>(db, `SELECT ${REQUEST_COLUMNS} FROM housing_requests WHERE id = $1`, [id]);
}

export async function housingPledgeById(db: Queryable, id: string): Promise<PledgeRow | undefined> {
  return sqlRow<PledgeRow>(db, `SELECT ${PLEDGE_COLUMNS} FROM housing_pledges WHERE id = $1`, [id]);
}

export async function matchById(db: Queryable, id: string): Promise<MatchRow | undefined> {
  return sqlRow<MatchRow>(db, `${MATCH_SELECT} WHERE m.id = $1`, [id]);
}

export async function matchesOfMember(db: Queryable, circleId: string, memberId: string): Promise<MatchRow[]> {
  return sqlRows<MatchRow>(
    db,
    `${MATCH_SELECT} WHERE m.circle_id = $1 AND (p.host_member_id = $2 OR r.requester_member_id = $2) ORDER BY m.suggested_at DESC, m.id`,
    [circleId, memberId],
  );
}

export const MAX_SUGGESTIONS = 20;

/**
 * Open pledges of the circle that fit the request, the largest first (by capacity, which only its
 * host changes, never by room left: an order that moved with room left would show others' matches);
 * never the requester's own.
 */
export async function suggestPledges(db: Queryable, request: RequestRow): Promise<PledgeRow[]> {
  const rows = await sqlRows<PledgeRow>(
    db,
    `SELECT ${PLEDGE_COLUMNS} FROM housing_pledges WHERE circle_id = $1 AND withdrawn_at IS NULL AND host_member_id <> $2 AND available_until >= $3 AND capacity - committed_people >= $4
     ORDER BY capacity DESC, pledged_at, id LIMIT 200`,
    [request.circleId, request.requesterMemberId, request.neededUntil, request.people],
  );
  return rows.filter((pledge) => fits(pledge, request)).slice(0, MAX_SUGGESTIONS);
}

/** The requester proposes a pledge (accepting it by proposing); its host is told in their inbox. */
export async function proposeMatch(
  tx: Queryable,
  request: RequestRow,
  pledge: PledgeRow,
  now: Date,
): Promise<{ match: MatchRow; deliveryIds: string[] }> {
  await tx.query(
    `INSERT INTO housing_matches (id, circle_id, pledge_id, request_id, people, status, guest_accepted_at, suggested_at) VALUES ($1, $2, $3, $4, $5, 'SUGGESTED', $6, $6)
     ON CONFLICT (pledge_id, request_id) DO NOTHING`,
    [randomUUID(), request.circleId, pledge.id, request.id, request.people, now],
  );
  const row = await sqlRow<MatchRow>(tx, `${MATCH_SELECT} WHERE m.pledge_id = $1 AND m.request_id = $2`, [
    pledge.id,
    request.id,
  ]);
  const match = returnedRow(row, "SELECT housing_matches");
  const deliveryIds = await notify(tx, request.circleId, "HOUSING_MATCH", match.id, [pledge.hostMemberId], now);
  return { match, deliveryIds };
}

/**
 * Locks a match, its pledge and its request, in that order: concurrent acceptances queue on the
 * pledge's lock, so the pledge is never over-committed (the table checks it again).
 */
export async function lockMatch(
  tx: Queryable,
  matchId: string,
): Promise<{ match: MatchRow; pledge: PledgeRow; requestStatus: RequestRow["status"] } | undefined> {
  const locked = await sqlRow<{ pledgeId: string; requestId: string }>(
    tx,
    `SELECT pledge_id, request_id FROM housing_matches WHERE id = $1 FOR UPDATE`,
    [matchId],
  );
  if (!locked) return undefined;
  const pledge = await sqlRow<PledgeRow>(tx, `SELECT ${PLEDGE_COLUMNS} FROM housing_pledges WHERE id = $1 FOR UPDATE`, [
    locked.pledgeId,
  ]);
  const request = await sqlRow<{ status: RequestRow["status"] }>(
    tx,
    `SELECT status FROM housing_requests WHERE id = $1 FOR UPDATE`,
    [locked.requestId],
  );
  const match = await matchById(tx, matchId);
  if (!pledge || !request || !match) throw new Error(`Housing match ${matchId} lost its pledge or request`);
  return { match, pledge, requestStatus: request.status };
}

/** Records the host's or the guest's acceptance (the first one stands). */
export async function acceptAs(tx: Queryable, matchId: string, side: "host" | "guest", now: Date): Promise<void> {
  const column = side === "host" ? "host_accepted_at" : "guest_accepted_at";
  await tx.query(`UPDATE housing_matches SET ${column} = COALESCE(${column}, $2) WHERE id = $1`, [matchId, now]);
}

/**
 * Confirms a match both accepted: the pledge's room is taken, the request housed, host and guest
 * become handlers of the case, and crisis.buffered is emitted with a pseudonym of the guest.
 */
export async function confirmMatch(tx: Queryable, vault: Vault, match: MatchRow, now: Date): Promise<void> {
  await tx.query(`UPDATE housing_pledges SET committed_people = committed_people + $2 WHERE id = $1`, [
    match.pledgeId,
    match.people,
  ]);
  await tx.query(`UPDATE housing_matches SET status = 'CONFIRMED', decided_at = $2 WHERE id = $1`, [match.id, now]);
  await tx.query(`UPDATE housing_requests SET status = 'HOUSED' WHERE id = $1`, [match.requestId]);
  await addHandlers(tx, match.circleId, "HOUSING_MATCH", match.id, [match.hostMemberId, match.guestMemberId], now);
  // The guest is the person helped; they leave only as a pseudonym, the same one the fund's payments to them carry.
  const cycle = cycleContaining(now).label;
  const helpedKey = await vault.pseudonym(tx, match.circleId, "helpedPerson", cycle, match.guestMemberId, now);
  await emitEvent(
    tx,
    "crisis.buffered",
    { circleId: match.circleId, caseId: match.id, cycle, via: "HOUSING", helpedKey },
    now,
  );
}

export async function declineMatch(tx: Queryable, matchId: string, now: Date): Promise<void> {
  await tx.query(`UPDATE housing_matches SET status = 'DECLINED', decided_at = $2 WHERE id = $1`, [matchId, now]);
}

/** The other party's contact, for a confirmed match only. */
export async function counterpartContact(
  db: Queryable,
  vault: Vault,
  match: MatchRow,
  memberId: string,
): Promise<string | null> {
  if (match.status !== "CONFIRMED") return null;
  const table =
    memberId === match.hostMemberId
      ? "housing_requests"
      : memberId === match.guestMemberId
        ? "housing_pledges"
        : undefined;
  if (!table) return null;
  const row = await sqlRow<{ id: string; contactSealed: Buffer }>(
    db,
    `SELECT id, contact_sealed FROM ${table} WHERE id = $1`,
    [table === "housing_requests" ? match.requestId : match.pledgeId],
  );
  return row ? vault.open(db, match.circleId, "contact", row.id, row.contactSealed) : null;
}

type Keyset = { at: Date; id: string } | undefined;

/** The member's own pledges in the circle, newest first, from after the keyset; `limit` rows at most. */
export async function pledgesOfMember(
  db: Queryable,
  circleId: string,
  memberId: string,
  after: Keyset,
  limit: number,
): Promise<(PledgeRow & { pledgedAt: Date })[]> {
  return newestFirstRows<PledgeRow & { pledgedAt: Date }>(
    db,
    {
      select: `${PLEDGE_COLUMNS}, pledged_at`,
      from: "housing_pledges",
      instantColumn: "pledged_at",
      where: { circle_id: circleId, host_member_id: memberId },
    },
    after,
    limit,
  );
}

/** The member's own housing requests in the circle, newest first, from after the keyset. */
export async function requestsOfMember(
  db: Queryable,
  circleId: string,
  memberId: string,
  after: Keyset,
  limit: number,
): Promise<(RequestRow & { requestedAt: Date })[]> {
  return newestFirstRows<RequestRow & { requestedAt: Date }>(
    db,
    {
      select: `${REQUEST_COLUMNS}, requested_at`,
      from: "housing_requests",
      instantColumn: "requested_at",
      where: { circle_id: circleId, requester_member_id: memberId },
    },
    after,
    limit,
  );
}

/** A housing pledge locked for its host's withdrawal, with how many suggested matches still wait on it. */
export async function lockPledgeForWithdrawal(
  tx: Queryable,
  id: string,
): Promise<(PledgeRow & { suggestedMatches: number }) | undefined> {
  return sqlRow<PledgeRow & { suggestedMatches: number }>(
    tx,
    `SELECT ${PLEDGE_COLUMNS}, (SELECT count(*)::int FROM housing_matches m WHERE m.pledge_id = $1 AND m.status = 'SUGGESTED') AS suggested_matches
     FROM housing_pledges WHERE id = $1 FOR UPDATE`,
    [id],
  );
}

export async function withdrawPledge(tx: Queryable, id: string, now: Date): Promise<PledgeRow & { pledgedAt: Date }> {
  const row = await sqlRow<PledgeRow & { pledgedAt: Date }>(
    tx,
    `UPDATE housing_pledges SET withdrawn_at = $2 WHERE id = $1 RETURNING ${PLEDGE_COLUMNS}, pledged_at`,
    [id, now],
  );
  return returnedRow(row, "UPDATE housing_pledges");
}

/** A housing request locked for its requester's withdrawal, with how many suggested matches still wait on it. */
export async function lockRequestForWithdrawal(
  tx: Queryable,
  id: string,
): Promise<(RequestRow & { suggestedMatches: number }) | undefined> {
  return sqlRow<RequestRow & { suggestedMatches: number }>(
    tx,
    `SELECT ${REQUEST_COLUMNS}, (SELECT count(*)::int FROM housing_matches m WHERE m.request_id = $1 AND m.status = 'SUGGESTED') AS suggested_matches
     FROM housing_requests WHERE id = $1 FOR UPDATE`,
    [id],
  );
}

export async function withdrawRequest(tx: Queryable, id: string, now: Date): Promise<RequestRow> {
  const row = await sqlRow<RequestRow>(
    tx,
    `UPDATE housing_requests SET status = 'WITHDRAWN', withdrawn_at = $2 WHERE id = $1 RETURNING ${REQUEST_COLUMNS}`,
    [id, now],
  );
  return returnedRow(row, "UPDATE housing_requests");
}
