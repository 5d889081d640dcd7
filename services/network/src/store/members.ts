import {
  queryRows,
  sqlRow,
  sqlRows,
  type Caller,
  type CircleRole,
  type Membership,
  type Queryable,
} from "@rhizome/kit";
import type { Bloc } from "../domain/bloc.js";
import { groupByKeyIndex, type CirclePageKey } from "./pages.js";

/**
 * A pseudonymous membership of one person in one circle. When the member leaves, the row stays (the
 * circle's history refers to it) but holds nothing about them: a tombstone handle, no person, no
 * passphrase, no bloc and no roles.
 */
export interface MemberRow {
  id: string;
  circleId: string;
  /** Null once the member has left. */
  personId: string | null;
  handle: string;
  passphraseHash: string | null;
  bloc: Bloc | null;
  roles: CircleRole[];
  joinedAt: Date;
  leftAt: Date | null;
}

/** The row as the pool answers it: the read of every request maps it by hand, without the kit's generic renaming. */
interface MemberSql {
  id: string;
  circle_id: string;
  person_id: string | null;
  handle: string;
  passphrase_hash: string | null;
  bloc: Bloc | null;
  roles: CircleRole[];
  joined_at: Date;
  left_at: Date | null;
}

/**
 * MemberSql's columns, named rather than `*` in the prepared statements: a column added by a later
 * migration would otherwise change a prepared statement's result and fail it once per connection.
 */
const MEMBER_COLUMNS = "id, circle_id, person_id, handle, passphrase_hash, bloc, roles, joined_at, left_at";

function memberFromSql(raw: MemberSql): MemberRow {
  return {
    id: raw.id,
    circleId: raw.circle_id,
    personId: raw.person_id,
    handle: raw.handle,
    passphraseHash: raw.passphrase_hash,
    bloc: raw.bloc,
    roles: raw.roles,
    joinedAt: raw.joined_at,
    leftAt: raw.left_at,
  };
}

/** The person's memberships now, from the database: the only source network trusts for roles. */
export async function membershipsOf(db: Queryable, personId: string): Promise<Membership[]> {
  const rows = await sqlRows<{ id: string; circleId: string; roles: CircleRole[] }>(
    db,
    `SELECT id, circle_id, roles FROM members WHERE person_id = $1 AND left_at IS NULL ORDER BY joined_at, id`,
    [personId],
  );
  return rows.map((row) => ({ circleId: row.circleId, memberId: row.id, roles: row.roles }));
}

/** Callers read from the database by currentCaller, with the rows their memberships came from. */
const currentCallers = new WeakMap<Caller, readonly MemberRow[]>();

/**
 * The caller with the memberships and roles the database holds now, in place of the ones their
 * token named when it was issued: a role revoked or a circle left takes effect in network at once,
 * whatever tokens are still around. One query per request; other callers are returned unchanged.
 */
export async function currentCaller(db: Queryable, caller: Caller): Promise<Caller> {
  if (caller.kind !== "person" || currentCallers.has(caller)) return caller;
  const rows = await presentMembershipsOfPerson(db, caller.personId);
  const current: Caller = {
    kind: "person",
    personId: caller.personId,
    memberships: rows.map((row) => ({ circleId: row.circleId, memberId: row.id, roles: row.roles })),
  };
  currentCallers.set(current, rows);
  return current;
}

type Person = Extract<Caller, { kind: "person" }>;

/**
 * currentCaller and whether the token's login session has ended (logout, a copied refresh token),
 * in one statement (a second only for a person without memberships): network owns both, so a
 * request costs it one round trip to Postgres and none to Redis, and a session ended is refused on
 * its very next request (the row is committed before logout answers).
 */
export async function currentAccessOfPerson(
  db: Queryable,
  caller: Person,
): Promise<{ hasSessionEnded: true } | { hasSessionEnded: false; caller: Person }> {
  // No row: the session has ended, or the person holds no membership now; only then a second look.
  const members = (
    await queryRows<MemberSql>(
      db,
      `SELECT ${MEMBER_COLUMNS} FROM members WHERE person_id = $1 AND left_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM ended_sessions WHERE session_id = $2::uuid)
        ORDER BY joined_at, id`,
      [caller.personId, caller.sessionId ?? null],
      "network_current_access",
    )
  ).map(memberFromSql);
  if (members.length === 0 && caller.sessionId && (await isSessionEnded(db, caller.sessionId)))
    return { hasSessionEnded: true };
  const current: Person = {
    kind: "person",
    personId: caller.personId,
    memberships: members.map((row) => ({ circleId: row.circleId, memberId: row.id, roles: row.roles })),
  };
  currentCallers.set(current, members);
  return { hasSessionEnded: false, caller: current };
}

async function isSessionEnded(db: Queryable, sessionId: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    `SELECT 1 FROM ended_sessions WHERE session_id = $1::uuid`,
    [sessionId],
    "network_is_session_ended",
  );
  return rows.length > 0;
}

/** The present memberships read for a current caller, in the same statement as its roles: `me` needs no second read. */
export function presentMembershipsOfCaller(caller: Caller): readonly MemberRow[] | undefined {
  return caller.kind === "person" ? currentCallers.get(caller) : undefined;
}

/** Whether the caller's memberships were read from the database (by currentCaller), not taken from a token. */
export function isCurrentCaller(caller: Caller): boolean {
  return caller.kind !== "person" || currentCallers.has(caller);
}

export async function presentMembershipsOfPerson(db: Queryable, personId: string): Promise<MemberRow[]> {
  const rows = await queryRows<MemberSql>(
    db,
    `SELECT ${MEMBER_COLUMNS} FROM members WHERE person_id = $1 AND left_at IS NULL ORDER BY joined_at, id`,
    [personId],
    "network_present_memberships",
  );
  return rows.map(memberFromSql);
}

/** Members by id, present or left (the circle's history still names members who left, by their tombstone). */
export function membersByIds(db: Queryable, ids: readonly string[]): Promise<MemberRow[]> {
  return sqlRows<MemberRow>(db, `SELECT * FROM members WHERE id = ANY($1::uuid[])`, [ids]);
}

/** A present member by id, or undefined (also for members who left). */
export function findPresentMember(db: Queryable, memberId: string): Promise<MemberRow | undefined> {
  return sqlRow<MemberRow>(db, `SELECT * FROM members WHERE id = $1 AND left_at IS NULL`, [memberId]);
}

export type MemberWithSortKey = MemberRow & { sortKey: string };

/**
 * Pages of present members by lower-cased handle, for many circles in one query: each key gets
 * `limit + 1` rows at most, after its cursor (the last lower-cased handle seen).
 */
export async function memberPagesOf(
  db: Queryable,
  keys: ReadonlyArray<CirclePageKey<string>>,
): Promise<MemberWithSortKey[][]> {
  const rows = await sqlRows<MemberWithSortKey & { n: string }>(
    db,
    `SELECT k.n, page.* FROM unnest($1::uuid[], $2::text[], $3::int[]) WITH ORDINALITY AS k(circle_id, after_key, row_limit, n)
     CROSS JOIN LATERAL (
       SELECT m.*, lower(m.handle) AS sort_key FROM members m
       WHERE m.circle_id = k.circle_id AND m.left_at IS NULL AND (k.after_key IS NULL OR lower(m.handle) > k.after_key)
       ORDER BY lower(m.handle) LIMIT k.row_limit
     ) page
     ORDER BY k.n, page.sort_key`,
    [keys.map((k) => k.circleId), keys.map((k) => k.after ?? null), keys.map((k) => k.limit + 1)],
  );
  return groupByKeyIndex(keys.length, rows);
}

export interface BlocCounts {
  edge: number;
  advantaged: number;
}

/** Present members per bloc, for many circles in one query. */
export async function blocCountsOf(db: Queryable, circleIds: readonly string[]): Promise<BlocCounts[]> {
  const rows = await sqlRows<{ circleId: string; bloc: Bloc; count: number }>(
    db,
    `SELECT circle_id, bloc, count(*)::int AS count FROM members WHERE circle_id = ANY($1::uuid[]) AND left_at IS NULL GROUP BY circle_id, bloc`,
    [circleIds],
  );
  const countOf = (circleId: string, bloc: Bloc) =>
    rows.find((r) => r.circleId === circleId && r.bloc === bloc)?.count ?? 0;
  return circleIds.map((id) => ({ edge: countOf(id, "EDGE"), advantaged: countOf(id, "ADVANTAGED") }));
}

/** The present member a login names, by circle slug and handle in any case. */
export function findMemberForLogin(db: Queryable, circleSlug: string, handle: string): Promise<MemberRow | undefined> {
  return sqlRow<MemberRow>(
    db,
    `SELECT m.* FROM members m JOIN circles c ON c.id = m.circle_id
     WHERE c.slug = $1 AND lower(m.handle) = lower($2) AND m.left_at IS NULL`,
    [circleSlug.toLowerCase(), handle],
  );
}

/** Whether the person is a member of the circle now (a member who left keeps no link to their person). */
export async function hasMembershipIn(tx: Queryable, personId: string, circleId: string): Promise<boolean> {
  const rows = await sqlRows<{ one: number }>(
    tx,
    `SELECT 1 AS one FROM members WHERE person_id = $1 AND circle_id = $2`,
    [personId, circleId],
  );
  return rows.length > 0;
}

export async function insertPerson(tx: Queryable, now: Date): Promise<string> {
  const row = await sqlRow<{ id: string }>(tx, `INSERT INTO persons (created_at) VALUES ($1) RETURNING id`, [now]);
  if (!row) throw new Error("inserting a person returned no row");
  return row.id;
}

export type NewMember = Pick<MemberRow, "circleId" | "handle" | "bloc" | "roles"> & {
  personId: string;
  passphraseHash: string;
};

/** Inserts a member; undefined when the handle (or the person) is already in that circle. */
export function insertMember(tx: Queryable, member: NewMember, now: Date): Promise<MemberRow | undefined> {
  return sqlRow<MemberRow>(
    tx,
    `INSERT INTO members (circle_id, person_id, handle, passphrase_hash, bloc, roles, joined_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *`,
    [member.circleId, member.personId, member.handle, member.passphraseHash, member.bloc, member.roles, now],
  );
}

/** A present member of the circle, their row locked until the transaction ends; undefined for anyone else. */
export function lockPresentMember(tx: Queryable, memberId: string, circleId: string): Promise<MemberRow | undefined> {
  return sqlRow<MemberRow>(
    tx,
    `SELECT * FROM members WHERE id = $1 AND circle_id = $2 AND left_at IS NULL FOR UPDATE`,
    [memberId, circleId],
  );
}

/** The roles a present member of the circle holds now; undefined for anyone else. */
export async function presentRolesOf(
  tx: Queryable,
  memberId: string,
  circleId: string,
): Promise<CircleRole[] | undefined> {
  const row = await sqlRow<{ roles: CircleRole[] }>(
    tx,
    `SELECT roles FROM members WHERE id = $1 AND circle_id = $2 AND left_at IS NULL`,
    [memberId, circleId],
  );
  return row?.roles;
}

/** The circle's present members other than `memberId`: all of them, and those who are organizers. */
export async function countOthers(
  tx: Queryable,
  circleId: string,
  memberId: string,
): Promise<{ otherMembers: number; otherOrganizers: number }> {
  const row = await sqlRow<{ otherMembers: number; otherOrganizers: number }>(
    tx,
    `SELECT count(*)::int AS other_members, count(*) FILTER (WHERE 'organizer' = ANY(roles))::int AS other_organizers
     FROM members WHERE circle_id = $1 AND id <> $2 AND left_at IS NULL`,
    [circleId, memberId],
  );
  return row ?? { otherMembers: 0, otherOrganizers: 0 };
}

export async function setRoles(tx: Queryable, memberId: string, roles: readonly CircleRole[]): Promise<MemberRow> {
  const row = await sqlRow<MemberRow>(tx, `UPDATE members SET roles = $2 WHERE id = $1 RETURNING *`, [memberId, roles]);
  if (!row) throw new Error("a member locked for a role change was gone");
  return row;
}

/**
 * The member's row keeps only the tombstone handle (so the circle's history cannot be linked to
 * them) and loses person, passphrase, bloc and roles.
 */
export async function markLeft(tx: Queryable, memberId: string, tombstone: string, now: Date): Promise<void> {
  await tx.query(
    `UPDATE members SET handle = $2, person_id = NULL, passphrase_hash = NULL, bloc = NULL, roles = '{}', left_at = $3 WHERE id = $1`,
    [memberId, tombstone, now],
  );
}
