import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { emitEvent, queryRows, type Caller, type CircleRole, type MemberAccess, type Membership } from "@rhizome/kit";
import { MemberRow } from "../entities/member.js";
import type { Bloc } from "../domain/bloc.js";
import { invitationProblem } from "../domain/invitations.js";
import { tombstoneHandle } from "../domain/names.js";
import { leavingProblem, roleChangeProblem, rolesAfter, type RoleChange } from "../domain/organizers.js";
import { lockCircle } from "./circles.js";
import { countInvitationUse, lockInvitationByCodeHash } from "./invitations.js";
import { revokeMemberRefreshTokens } from "./refresh-tokens.js";
import { groupByKeyIndex, type CirclePageKey, type Queryable } from "./queryable.js";

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

export function memberFromSql(raw: MemberSql): MemberRow {
  return Object.assign(new MemberRow(), {
    id: raw.id,
    circleId: raw.circle_id,
    personId: raw.person_id,
    handle: raw.handle,
    passphraseHash: raw.passphrase_hash,
    bloc: raw.bloc,
    roles: raw.roles,
    joinedAt: raw.joined_at,
    leftAt: raw.left_at,
  });
}

/** The person's memberships now, from the database: the only source network trusts for roles. */
export async function membershipsOf(db: Queryable, personId: string): Promise<Membership[]> {
  const rows: Array<{ id: string; circle_id: string; roles: CircleRole[] }> = await db.query(
    `SELECT id, circle_id, roles FROM members WHERE person_id = $1 AND left_at IS NULL ORDER BY joined_at, id`,
    [personId],
  );
  return rows.map((row) => ({ circleId: row.circle_id, memberId: row.id, roles: row.roles }));
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
    `SELECT * FROM members WHERE person_id = $1 AND left_at IS NULL ORDER BY joined_at, id`,
    [personId],
  );
  return rows.map(memberFromSql);
}

/** Members by id, present or left (the circle's history still names members who left, by their tombstone). */
export async function membersByIds(db: Queryable, ids: readonly string[]): Promise<MemberRow[]> {
  const rows: MemberSql[] = await db.query(`SELECT * FROM members WHERE id = ANY($1::uuid[])`, [ids]);
  return rows.map(memberFromSql);
}

/** A present member by id, or undefined (also for members who left). */
export async function findPresentMember(db: Queryable, memberId: string): Promise<MemberRow | undefined> {
  const rows: MemberSql[] = await db.query(`SELECT * FROM members WHERE id = $1 AND left_at IS NULL`, [memberId]);
  return rows[0] && memberFromSql(rows[0]);
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
  const raws: Array<MemberSql & { n: string; sort_key: string }> = await db.query(
    `SELECT k.n, page.* FROM unnest($1::uuid[], $2::text[], $3::int[]) WITH ORDINALITY AS k(circle_id, after_key, row_limit, n)
     CROSS JOIN LATERAL (
       SELECT m.*, lower(m.handle) AS sort_key FROM members m
       WHERE m.circle_id = k.circle_id AND m.left_at IS NULL AND (k.after_key IS NULL OR lower(m.handle) > k.after_key)
       ORDER BY lower(m.handle) LIMIT k.row_limit
     ) page
     ORDER BY k.n, page.sort_key`,
    [keys.map((k) => k.circleId), keys.map((k) => k.after ?? null), keys.map((k) => k.limit + 1)],
  );
  return groupByKeyIndex(keys.length, raws, (raw) => Object.assign(memberFromSql(raw), { sortKey: raw.sort_key }));
}

export interface BlocCounts {
  edge: number;
  advantaged: number;
}

/** Present members per bloc, for many circles in one query. */
export async function blocCountsOf(db: Queryable, circleIds: readonly string[]): Promise<BlocCounts[]> {
  const rows: Array<{ circle_id: string; bloc: Bloc; count: string }> = await db.query(
    `SELECT circle_id, bloc, count(*) AS count FROM members WHERE circle_id = ANY($1::uuid[]) AND left_at IS NULL GROUP BY circle_id, bloc`,
    [circleIds],
  );
  const countOf = (circleId: string, bloc: Bloc) =>
    Number(rows.find((r) => r.circle_id === circleId && r.bloc === bloc)?.count ?? 0);
  return circleIds.map((id) => ({ edge: countOf(id, "EDGE"), advantaged: countOf(id, "ADVANTAGED") }));
}

/** The present member a login names, by circle slug and handle in any case. */
export async function findMemberForLogin(
  db: Queryable,
  circleSlug: string,
  handle: string,
): Promise<MemberRow | undefined> {
  const rows: MemberSql[] = await db.query(
    `SELECT m.* FROM members m JOIN circles c ON c.id = m.circle_id
     WHERE c.slug = $1 AND lower(m.handle) = lower($2) AND m.left_at IS NULL`,
    [circleSlug.toLowerCase(), handle],
  );
  return rows[0] && memberFromSql(rows[0]);
}

export async function insertPerson(db: Queryable, now: Date): Promise<string> {
  const [{ id }]: Array<{ id: string }> = await db.query(`INSERT INTO persons (created_at) VALUES ($1) RETURNING id`, [
    now,
  ]);
  return id;
}

export interface NewMember {
  circleId: string;
  personId: string;
  handle: string;
  passphraseHash: string;
  bloc: Bloc;
  roles: CircleRole[];
}

/** Inserts a member; undefined when the handle (or the person) is already in that circle. */
export async function insertMember(db: Queryable, member: NewMember, now: Date): Promise<MemberRow | undefined> {
  const rows: MemberSql[] = await db.query(
    `INSERT INTO members (circle_id, person_id, handle, passphrase_hash, bloc, roles, joined_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *`,
    [member.circleId, member.personId, member.handle, member.passphraseHash, member.bloc, member.roles, now],
  );
  return rows[0] && memberFromSql(rows[0]);
}

export type JoinResult =
  | { kind: "joined"; member: MemberRow }
  | { kind: "noSuchInvitation" }
  | { kind: "invitationUnusable"; problem: string }
  | { kind: "alreadyMember" }
  | { kind: "handleTaken" };

/**
 * Uses an invitation: a new membership for the person (a new person when none is given), the
 * invitation's use counted, `member.joined` recorded, all in one transaction. The invitation row is
 * locked, so its last use goes to one joiner only.
 */
export async function joinWithInvitation(
  db: DataSource,
  join: { codeHash: string; personId: string | undefined; handle: string; passphraseHash: string; bloc: Bloc },
  now: Date,
): Promise<JoinResult> {
  return db.transaction(async (manager): Promise<JoinResult> => {
    const invitation = await lockInvitationByCodeHash(manager, join.codeHash);
    if (!invitation) return { kind: "noSuchInvitation" };
    const problem = invitationProblem(invitation, now);
    if (problem) return { kind: "invitationUnusable", problem };
    await lockCircle(manager, invitation.circleId, "shared");
    if (join.personId) {
      const already: unknown[] = await manager.query(`SELECT 1 FROM members WHERE person_id = $1 AND circle_id = $2`, [
        join.personId,
        invitation.circleId,
      ]);
      if (already.length > 0) return { kind: "alreadyMember" };
    }
    const personId = join.personId ?? (await insertPerson(manager, now));
    const member = await insertMember(
      manager,
      {
        circleId: invitation.circleId,
        personId,
        handle: join.handle,
        passphraseHash: join.passphraseHash,
        bloc: join.bloc,
        roles: ["member"],
      },
      now,
    );
    // Nothing was written yet when the handle is taken, so returning commits nothing.
    if (!member) return { kind: "handleTaken" };
    await countInvitationUse(manager, invitation.id);
    await emitEvent(manager, "member.joined", { circleId: member.circleId, memberId: member.id }, now);
    return { kind: "joined", member };
  });
}

export type RoleChangeResult =
  | { kind: "changed"; member: MemberRow }
  | { kind: "noSuchMember" }
  | { kind: "actorNotOrganizer" }
  | { kind: "refused"; problem: string };

/**
 * Records what a membership holds after a change, for the other services (kit's member-access).
 * Called inside the change's transaction while the circle is locked, so records of one circle are
 * written in the order of their changes; when it fails, the change is rolled back.
 */
export type AccessRecorder = (access: MemberAccess) => Promise<void>;

/**
 * Gives or takes a role. The circle is locked first, then the organizer acting is checked again
 * and the other organizers are counted, so two organizers taking the role from each other at once
 * leave one of them organizer, never none.
 */
export async function changeRole(
  db: DataSource,
  request: { circleId: string; memberId: string; actorMemberId: string; change: RoleChange },
  recordAccess: AccessRecorder,
): Promise<RoleChangeResult> {
  return db.transaction(async (manager): Promise<RoleChangeResult> => {
    if (!(await lockCircle(manager, request.circleId, "exclusive"))) return { kind: "noSuchMember" };
    const actor: Array<{ roles: CircleRole[] }> = await manager.query(
      `SELECT roles FROM members WHERE id = $1 AND circle_id = $2 AND left_at IS NULL`,
      [request.actorMemberId, request.circleId],
    );
    if (!actor[0]?.roles.includes("organizer")) return { kind: "actorNotOrganizer" };
    const targets: MemberSql[] = await manager.query(
      `SELECT * FROM members WHERE id = $1 AND circle_id = $2 AND left_at IS NULL FOR UPDATE`,
      [request.memberId, request.circleId],
    );
    if (!targets[0]) return { kind: "noSuchMember" };
    const roles = rolesAfter(targets[0].roles, request.change);
    const problem = roleChangeProblem(roles, await countOtherOrganizers(manager, request.circleId, request.memberId));
    if (problem) return { kind: "refused", problem };
    const [updated]: [MemberSql[], number] = await manager.query(
      `UPDATE members SET roles = $2 WHERE id = $1 RETURNING *`,
      [request.memberId, roles],
    );
    await recordAccess({ memberId: request.memberId, roles });
    return { kind: "changed", member: memberFromSql(updated[0]) };
  });
}

async function countOtherOrganizers(db: Queryable, circleId: string, memberId: string): Promise<number> {
  const [{ count }]: Array<{ count: string }> = await db.query(
    `SELECT count(*) FROM members WHERE circle_id = $1 AND id <> $2 AND left_at IS NULL AND 'organizer' = ANY(roles)`,
    [circleId, memberId],
  );
  return Number(count);
}

export type LeaveResult = { kind: "left" } | { kind: "notAMember" } | { kind: "refused"; problem: string };

/** A random tombstone, never derived from the member's id or handle. */
const TOMBSTONE_BYTES = 8;

/**
 * The member leaves: their row keeps only a random tombstone handle (so the circle's history
 * cannot be linked to them), loses person, passphrase, bloc and roles, and their sessions end.
 * `member.left` is recorded in the same transaction.
 */
export async function leaveCircle(
  db: DataSource,
  leaver: { circleId: string; memberId: string },
  now: Date,
  recordAccess: AccessRecorder,
): Promise<LeaveResult> {
  return db.transaction(async (manager): Promise<LeaveResult> => {
    if (!(await lockCircle(manager, leaver.circleId, "exclusive"))) return { kind: "notAMember" };
    const rows: MemberSql[] = await manager.query(
      `SELECT * FROM members WHERE id = $1 AND circle_id = $2 AND left_at IS NULL FOR UPDATE`,
      [leaver.memberId, leaver.circleId],
    );
    if (!rows[0]) return { kind: "notAMember" };
    const [{ count }]: Array<{ count: string }> = await manager.query(
      `SELECT count(*) FROM members WHERE circle_id = $1 AND id <> $2 AND left_at IS NULL`,
      [leaver.circleId, leaver.memberId],
    );
    const problem = leavingProblem(
      { roles: rows[0].roles },
      {
        otherOrganizers: await countOtherOrganizers(manager, leaver.circleId, leaver.memberId),
        otherMembers: Number(count),
      },
    );
    if (problem) return { kind: "refused", problem };
    await manager.query(
      `UPDATE members SET handle = $2, person_id = NULL, passphrase_hash = NULL, bloc = NULL, roles = '{}', left_at = $3 WHERE id = $1`,
      [leaver.memberId, tombstoneHandle(randomBytes(TOMBSTONE_BYTES).toString("hex")), now],
    );
    // Their declared bloc goes, and with it every change of it they made.
    await manager.query(`DELETE FROM bloc_changes WHERE member_id = $1`, [leaver.memberId]);
    await revokeMemberRefreshTokens(manager, leaver.memberId, now);
    await emitEvent(manager, "member.left", { circleId: leaver.circleId, memberId: leaver.memberId }, now);
    await recordAccess({ memberId: leaver.memberId, hasLeft: true });
    return { kind: "left" };
  });
}
