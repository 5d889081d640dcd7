import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { conflict, cycleContaining, emitEvent, forbidden } from "@rhizome/kit";
import { fits, roomLeft, type PledgeTerms, type RequestNeeds } from "../domain/housing.js";
import { addHandlers } from "./cases.js";
import { rememberMember } from "./members.js";
import { notify } from "./alerts.js";
import type { Vault } from "./vault.js";

type Queryable = Pick<EntityManager, "query">;
const day = (value: Date | string) =>
  typeof value === "string" ? value.slice(0, 10) : value.toISOString().slice(0, 10);

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

const toPledge = (r: Record<string, never>): PledgeRow => ({
  id: r.id,
  circleId: r.circle_id,
  hostMemberId: r.host_member_id,
  capacity: r.capacity,
  committedPeople: r.committed_people,
  availableFrom: day(r.available_from),
  availableUntil: day(r.available_until),
  acceptsChildren: r.accepts_children,
  acceptsPets: r.accepts_pets,
  isStepFree: r.is_step_free,
  areaGeohash: r.area_geohash,
  contactSealed: r.contact_sealed,
  withdrawnAt: r.withdrawn_at,
});

const toRequest = (r: Record<string, never>): RequestRow => ({
  id: r.id,
  circleId: r.circle_id,
  requesterMemberId: r.requester_member_id,
  people: r.people,
  neededFrom: day(r.needed_from),
  neededUntil: day(r.needed_until),
  withChildren: r.with_children,
  withPets: r.with_pets,
  needsStepFree: r.needs_step_free,
  contactSealed: r.contact_sealed,
  status: r.status,
});

const MATCH_SELECT = `SELECT m.id, m.circle_id, m.pledge_id, m.request_id, m.people, m.status, m.host_accepted_at, m.guest_accepted_at,
  p.host_member_id, r.requester_member_id FROM housing_matches m JOIN housing_pledges p ON p.id = m.pledge_id JOIN housing_requests r ON r.id = m.request_id`;
const toMatch = (r: Record<string, never>): MatchRow => ({
  id: r.id,
  circleId: r.circle_id,
  pledgeId: r.pledge_id,
  requestId: r.request_id,
  people: r.people,
  status: r.status,
  hostAcceptedAt: r.host_accepted_at,
  guestAcceptedAt: r.guest_accepted_at,
  hostMemberId: r.host_member_id,
  guestMemberId: r.requester_member_id,
});

export async function pledgeHousing(
  manager: EntityManager,
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
  const [row] = await manager.query(
    `INSERT INTO housing_pledges (id, circle_id, host_member_id, capacity, available_from, available_until, accepts_children, accepts_pets, is_step_free, area_geohash, contact_sealed, pledged_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
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
  return toPledge(row);
}

export async function requestHousing(
  manager: EntityManager,
  vault: Vault,
  input: RequestNeeds & { circleId: string; requesterMemberId: string; contact: string },
  now: Date,
): Promise<RequestRow> {
  await rememberMember(manager, input.circleId, input.requesterMemberId, now);
  const id = randomUUID();
  const contactSealed = await vault.seal(manager, input.circleId, "contact", id, input.contact, now);
  const [row] = await manager.query(
    `INSERT INTO housing_requests (id, circle_id, requester_member_id, people, needed_from, needed_until, with_children, with_pets, needs_step_free, contact_sealed, status, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN', $11) RETURNING *`,
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
  return toRequest(row);
}

export async function housingRequestById(db: Queryable, id: string): Promise<RequestRow | undefined> {
  const [row] = await db.query(`SELECT * FROM housing_requests WHERE id = $1`, [id]);
  return row && toRequest(row);
}

export async function housingPledgeById(db: Queryable, id: string): Promise<PledgeRow | undefined> {
  const [row] = await db.query(`SELECT * FROM housing_pledges WHERE id = $1`, [id]);
  return row && toPledge(row);
}

export async function matchById(db: Queryable, id: string): Promise<MatchRow | undefined> {
  const [row] = await db.query(`${MATCH_SELECT} WHERE m.id = $1`, [id]);
  return row && toMatch(row);
}

export async function matchesOfMember(db: Queryable, circleId: string, memberId: string): Promise<MatchRow[]> {
  return (
    await db.query(
      `${MATCH_SELECT} WHERE m.circle_id = $1 AND (p.host_member_id = $2 OR r.requester_member_id = $2) ORDER BY m.suggested_at DESC, m.id`,
      [circleId, memberId],
    )
  ).map(toMatch);
}

export const MAX_SUGGESTIONS = 20;

/**
 * Open pledges of the circle that fit the request, the largest first (by capacity, which only its
 * host changes, never by room left: an order that moved with room left would show others' matches);
 * never the requester's own.
 */
export async function suggestPledges(db: Queryable, request: RequestRow): Promise<PledgeRow[]> {
  const rows = await db.query(
    `SELECT * FROM housing_pledges WHERE circle_id = $1 AND withdrawn_at IS NULL AND host_member_id <> $2 AND available_until >= $3 AND capacity - committed_people >= $4
     ORDER BY capacity DESC, pledged_at, id LIMIT 200`,
    [request.circleId, request.requesterMemberId, request.neededUntil, request.people],
  );
  return rows
    .map(toPledge)
    .filter((pledge: PledgeRow) => fits(pledge, request))
    .slice(0, MAX_SUGGESTIONS);
}

/** The requester proposes a suggested pledge; its host is told in their inbox. */
export async function proposeMatch(
  manager: EntityManager,
  request: RequestRow,
  pledge: PledgeRow,
  now: Date,
): Promise<{ match: MatchRow; deliveryIds: string[] }> {
  if (request.status !== "OPEN") throw conflict(`This request is ${request.status}.`);
  if (pledge.withdrawnAt || !fits(pledge, request))
    throw conflict("That pledge does not fit this request (room, dates or constraints).");
  const id = randomUUID();
  await manager.query(
    `INSERT INTO housing_matches (id, circle_id, pledge_id, request_id, people, status, guest_accepted_at, suggested_at) VALUES ($1, $2, $3, $4, $5, 'SUGGESTED', $6, $6)
     ON CONFLICT (pledge_id, request_id) DO NOTHING`,
    [id, request.circleId, pledge.id, request.id, request.people, now],
  );
  const [row] = await manager.query(`${MATCH_SELECT} WHERE m.pledge_id = $1 AND m.request_id = $2`, [
    pledge.id,
    request.id,
  ]);
  const match = toMatch(row);
  const deliveryIds = await notify(manager, request.circleId, "HOUSING_MATCH", match.id, [pledge.hostMemberId], now);
  return { match, deliveryIds };
}

/**
 * The host or the guest accepts. Once both have, the pledge's row is locked and its room checked:
 * concurrent acceptances queue on that lock, so the pledge is never over-committed (the table
 * checks it again). The confirmed match makes both handlers of the case and emits crisis.buffered.
 */
export async function acceptMatch(
  manager: EntityManager,
  vault: Vault,
  matchId: string,
  memberId: string,
  now: Date,
): Promise<MatchRow> {
  const [locked] = await manager.query(`SELECT pledge_id FROM housing_matches WHERE id = $1 FOR UPDATE`, [matchId]);
  const [pledgeRow] = await manager.query(`SELECT * FROM housing_pledges WHERE id = $1 FOR UPDATE`, [locked.pledge_id]);
  const pledge = toPledge(pledgeRow);
  let match = (await matchById(manager, matchId))!;
  if (match.status !== "SUGGESTED") {
    if (match.status === "CONFIRMED") return match;
    throw conflict(`This match is ${match.status}.`);
  }
  const column =
    memberId === match.hostMemberId
      ? "host_accepted_at"
      : memberId === match.guestMemberId
        ? "guest_accepted_at"
        : undefined;
  if (!column) throw forbidden("Only the host and the guest of a match answer it.");
  await manager.query(`UPDATE housing_matches SET ${column} = COALESCE(${column}, $2) WHERE id = $1`, [matchId, now]);
  match = (await matchById(manager, matchId))!;
  if (!match.hostAcceptedAt || !match.guestAcceptedAt) return match;

  if (roomLeft(pledge) < match.people)
    throw conflict(`The pledge no longer has room for ${match.people}; its capacity is already promised to others.`);
  const [request] = await manager.query(`SELECT status FROM housing_requests WHERE id = $1 FOR UPDATE`, [
    match.requestId,
  ]);
  if (request.status !== "OPEN") throw conflict(`The request is already ${request.status}.`);
  await manager.query(`UPDATE housing_pledges SET committed_people = committed_people + $2 WHERE id = $1`, [
    pledge.id,
    match.people,
  ]);
  await manager.query(`UPDATE housing_matches SET status = 'CONFIRMED', decided_at = $2 WHERE id = $1`, [matchId, now]);
  await manager.query(`UPDATE housing_requests SET status = 'HOUSED' WHERE id = $1`, [match.requestId]);
  await addHandlers(manager, match.circleId, "HOUSING_MATCH", matchId, [match.hostMemberId, match.guestMemberId], now);
  // The guest is the person helped; they leave only as a pseudonym, the same one the fund's payments to them carry.
  const cycle = cycleContaining(now).label;
  const helpedKey = await vault.pseudonym(manager, match.circleId, "helpedPerson", cycle, match.guestMemberId, now);
  await emitEvent(
    manager,
    "crisis.buffered",
    { circleId: match.circleId, caseId: matchId, cycle, via: "HOUSING", helpedKey },
    now,
  );
  return (await matchById(manager, matchId))!;
}

export async function declineMatch(
  manager: EntityManager,
  matchId: string,
  memberId: string,
  now: Date,
): Promise<MatchRow> {
  const match = (await matchById(manager, matchId))!;
  if (memberId !== match.hostMemberId && memberId !== match.guestMemberId)
    throw forbidden("Only the host and the guest of a match answer it.");
  if (match.status !== "SUGGESTED") throw conflict(`This match is ${match.status}.`);
  await manager.query(`UPDATE housing_matches SET status = 'DECLINED', decided_at = $2 WHERE id = $1`, [matchId, now]);
  return (await matchById(manager, matchId))!;
}

/** The other party's contact, for a confirmed match only. */
export async function counterpartContact(
  db: Queryable,
  vault: Vault,
  match: MatchRow,
  memberId: string,
): Promise<string | null> {
  if (match.status !== "CONFIRMED") return null;
  const [row]: Array<{ id: string; contact_sealed: Buffer }> =
    memberId === match.hostMemberId
      ? await db.query(`SELECT id, contact_sealed FROM housing_requests WHERE id = $1`, [match.requestId])
      : memberId === match.guestMemberId
        ? await db.query(`SELECT id, contact_sealed FROM housing_pledges WHERE id = $1`, [match.pledgeId])
        : [];
  return row ? vault.open(db, match.circleId, "contact", row.id, row.contact_sealed) : null;
}
