import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { badInput, conflict, notFound } from "@rhizome/kit";
import { chainOf, MAX_BRANCH_DEPTH, type ContactKind, type Shift } from "../domain/alerts.js";
import { rememberMember } from "./members.js";
import type { Vault } from "./vault.js";

type Queryable = Pick<EntityManager, "query">;

export interface BranchRow {
  id: string;
  circleId: string;
  name: string;
  parentBranchId: string | null;
  createdAt: Date;
}

export interface ResponderRow {
  id: string;
  circleId: string;
  memberId: string;
  branchId: string;
  position: number;
  contactKind: ContactKind;
  contactSealed: Buffer | null;
  shifts: Shift[];
  isTrusted: boolean;
  /** The webhook URL the responder agreed their contact may be sent to, if any. */
  contactSharedWith: string | null;
  joinedAt: Date;
  leftAt: Date | null;
}

const toBranch = (r: Record<string, never>): BranchRow => ({
  id: r.id,
  circleId: r.circle_id,
  name: r.name,
  parentBranchId: r.parent_branch_id,
  createdAt: r.created_at,
});
const toResponder = (r: Record<string, never>): ResponderRow => ({
  id: r.id,
  circleId: r.circle_id,
  memberId: r.member_id,
  branchId: r.branch_id,
  position: Number(r.position),
  contactKind: r.contact_kind,
  contactSealed: r.contact_sealed,
  shifts: r.shifts,
  isTrusted: r.is_trusted,
  contactSharedWith: r.contact_shared_with,
  joinedAt: r.joined_at,
  leftAt: r.left_at,
});

export const MAX_BRANCHES_PER_CIRCLE = 200;

export async function createBranch(
  manager: EntityManager,
  input: { circleId: string; name: string; parentBranchId?: string | null },
  now: Date,
): Promise<BranchRow> {
  const branches = await branchesOfCircle(manager, input.circleId);
  if (branches.length >= MAX_BRANCHES_PER_CIRCLE)
    throw badInput(`A circle has at most ${MAX_BRANCHES_PER_CIRCLE} branches.`);
  if (branches.some((b) => b.name.toLowerCase() === input.name.toLowerCase()))
    throw conflict(`The circle already has a branch named ${input.name}.`);
  if (input.parentBranchId) {
    const byId = new Map(branches.map((b) => [b.id, b]));
    if (!byId.has(input.parentBranchId)) throw notFound("No branch with that id in this circle.");
    if (chainOf(input.parentBranchId, byId).length >= MAX_BRANCH_DEPTH)
      throw badInput(`The tree is at most ${MAX_BRANCH_DEPTH} branches deep.`);
  }
  const [row] = await manager.query(
    `INSERT INTO branches (id, circle_id, name, parent_branch_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [randomUUID(), input.circleId, input.name, input.parentBranchId ?? null, now],
  );
  return toBranch(row);
}

export async function branchesOfCircle(db: Queryable, circleId: string): Promise<BranchRow[]> {
  return (await db.query(`SELECT * FROM branches WHERE circle_id = $1 ORDER BY created_at, id`, [circleId])).map(
    toBranch,
  );
}

export async function branchesByIds(db: Queryable, ids: readonly string[]): Promise<BranchRow[]> {
  return (await db.query(`SELECT * FROM branches WHERE id = ANY($1::uuid[])`, [ids])).map(toBranch);
}

export interface JoiningResponder {
  circleId: string;
  memberId: string;
  branchId: string;
  contactKind: ContactKind;
  /** The phone number, Signal name or e-mail; sealed before it is stored. Absent for INBOX. */
  contact: string | null;
  shifts: Shift[];
}

/** Joins (or re-joins, moving branch or changing contact and shifts) the circle's responders. */
export async function joinResponders(
  manager: EntityManager,
  vault: Vault,
  input: JoiningResponder,
  now: Date,
): Promise<ResponderRow> {
  await rememberMember(manager, input.circleId, input.memberId, now);
  const [branch] = await manager.query(`SELECT id FROM branches WHERE id = $1 AND circle_id = $2`, [
    input.branchId,
    input.circleId,
  ]);
  if (!branch) throw notFound("No branch with that id in this circle.");
  // The contact is sealed bound to the row it is stored in: the member's one responder row, kept on
  // re-joining (the lock keeps two joins of one member from sealing for two different new rows).
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('defense.responder:' || $1))`, [input.memberId]);
  const [existing]: Array<{ id: string; circle_id: string }> = await manager.query(
    `SELECT id, circle_id FROM responders WHERE member_id = $1 FOR UPDATE`,
    [input.memberId],
  );
  if (existing && existing.circle_id !== input.circleId) throw notFound("No branch with that id in this circle.");
  const id = existing?.id ?? randomUUID();
  const contactSealed =
    input.contact === null ? null : await vault.seal(manager, input.circleId, "contact", id, input.contact, now);
  // Joining again (a new contact, branch or shifts, or a return after leaving) shares the contact
  // with no webhook until the responder agrees again.
  const [row] = await manager.query(
    `INSERT INTO responders (id, circle_id, member_id, branch_id, contact_kind, contact_sealed, shifts, joined_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (member_id) DO UPDATE SET branch_id = $4, contact_kind = $5, contact_sealed = $6, shifts = $7,
       joined_at = CASE WHEN responders.left_at IS NULL THEN responders.joined_at ELSE $8 END, left_at = NULL, contact_shared_with = NULL
     RETURNING *`,
    [
      id,
      input.circleId,
      input.memberId,
      input.branchId,
      input.contactKind,
      contactSealed,
      JSON.stringify(input.shifts),
      now,
    ],
  );
  return toResponder(row);
}

/** Leaving also withdraws the contact from the webhook: nothing more is sent for them, even deliveries already queued. */
export async function leaveResponders(db: Queryable, circleId: string, memberId: string, now: Date): Promise<boolean> {
  const [, changed]: [unknown, number] = await db.query(
    `UPDATE responders SET left_at = $3, contact_shared_with = NULL WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [circleId, memberId, now],
  );
  return changed > 0;
}

/** Records the webhook URL a responder agreed their contact may go to (null withdraws it). */
export async function shareContactWith(db: Queryable, responderId: string, url: string | null): Promise<ResponderRow> {
  const [rows] = await db.query(`UPDATE responders SET contact_shared_with = $2 WHERE id = $1 RETURNING *`, [
    responderId,
    url,
  ]);
  return toResponder(rows[0]);
}

export async function setTrusted(
  db: Queryable,
  responderId: string,
  isTrusted: boolean,
): Promise<ResponderRow | undefined> {
  const [rows] = await db.query(`UPDATE responders SET is_trusted = $2 WHERE id = $1 RETURNING *`, [
    responderId,
    isTrusted,
  ]);
  return rows[0] && toResponder(rows[0]);
}

export async function respondersByIds(db: Queryable, ids: readonly string[]): Promise<ResponderRow[]> {
  return (await db.query(`SELECT * FROM responders WHERE id = ANY($1::uuid[])`, [ids])).map(toResponder);
}

export async function responderOfMember(
  db: Queryable,
  circleId: string,
  memberId: string,
): Promise<ResponderRow | undefined> {
  const [row] = await db.query(`SELECT * FROM responders WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`, [
    circleId,
    memberId,
  ]);
  return row && toResponder(row);
}

export async function respondersOfCircle(
  db: Queryable,
  circleId: string,
  afterPosition: number | undefined,
  limit: number,
): Promise<ResponderRow[]> {
  const rows = await db.query(
    `SELECT * FROM responders WHERE circle_id = $1 AND left_at IS NULL AND position > $2 ORDER BY position LIMIT $3`,
    [circleId, afterPosition ?? 0, limit],
  );
  return rows.map(toResponder);
}

/** True when the member is an active responder of the circle: who sees its alerts and tree. */
export async function isResponder(db: Queryable, circleId: string, memberId: string): Promise<boolean> {
  return (await responderOfMember(db, circleId, memberId)) !== undefined;
}

export async function responderCountsByBranch(db: Queryable, circleId: string): Promise<Map<string, number>> {
  const rows: Array<{ branch_id: string; count: string }> = await db.query(
    `SELECT branch_id, count(*) FROM responders WHERE circle_id = $1 AND left_at IS NULL GROUP BY branch_id`,
    [circleId],
  );
  return new Map(rows.map((r) => [r.branch_id, Number(r.count)]));
}
