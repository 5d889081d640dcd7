import { randomUUID } from "node:crypto";
import { changedCount, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import type { ContactKind, Shift } from "../domain/alerts.js";
import { rememberMember } from "./members.js";
import { returnedRow } from "./returned.js";
import type { Vault } from "./vault.js";

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

const BRANCH_COLUMNS = `id, circle_id, name, parent_branch_id, created_at`;
/** `position` is an identity (int8, a string to the driver): read as a number, exact far beyond any circle's size. */
const RESPONDER_COLUMNS = `id, circle_id, member_id, branch_id, position::float8 AS position, contact_kind, contact_sealed, shifts, is_trusted, contact_shared_with, joined_at, left_at`;

export async function insertBranch(
  tx: Queryable,
  circleId: string,
  branch: { name: string; parentBranchId: string | null },
  now: Date,
): Promise<BranchRow> {
  const row = await sqlRow<BranchRow>(
    tx,
    `INSERT INTO branches (id, circle_id, name, parent_branch_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${BRANCH_COLUMNS}`,
    [randomUUID(), circleId, branch.name, branch.parentBranchId, now],
  );
  return returnedRow(row, "INSERT INTO branches");
}

export async function branchesOfCircle(db: Queryable, circleId: string): Promise<BranchRow[]> {
  return sqlRows<BranchRow>(db, `SELECT ${BRANCH_COLUMNS} FROM branches WHERE circle_id = $1 ORDER BY created_at, id`, [
    circleId,
  ]);
}

export async function branchesByIds(db: Queryable, ids: readonly string[]): Promise<BranchRow[]> {
  return sqlRows<BranchRow>(db, `SELECT ${BRANCH_COLUMNS} FROM branches WHERE id = ANY($1::uuid[])`, [ids]);
}

export async function branchInCircle(db: Queryable, circleId: string, branchId: string): Promise<boolean> {
  return (
    (await sqlRow(db, `SELECT id FROM branches WHERE id = $1 AND circle_id = $2`, [branchId, circleId])) !== undefined
  );
}

/**
 * The member's one responder row (in any circle), locked: the contact is sealed bound to the row it
 * is stored in, kept on re-joining, and the advisory lock keeps two joins of one member from sealing
 * for two different new rows.
 */
export async function lockResponderOfMember(
  tx: Queryable,
  memberId: string,
): Promise<{ id: string; circleId: string } | undefined> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('defense.responder:' || $1))`, [memberId]);
  return sqlRow<{ id: string; circleId: string }>(
    tx,
    `SELECT id, circle_id FROM responders WHERE member_id = $1 FOR UPDATE`,
    [memberId],
  );
}

export interface JoiningResponder {
  /** The member's existing responder row, kept on re-joining; a new one otherwise. */
  id: string | undefined;
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
  tx: Queryable,
  vault: Vault,
  input: JoiningResponder,
  now: Date,
): Promise<ResponderRow> {
  await rememberMember(tx, input.circleId, input.memberId, now);
  const id = input.id ?? randomUUID();
  const contactSealed =
    input.contact === null ? null : await vault.seal(tx, input.circleId, "contact", id, input.contact, now);
  // Joining again (a new contact, branch or shifts, or a return after leaving) shares the contact
  // with no webhook until the responder agrees again.
  const row = await sqlRow<ResponderRow>(
    tx,
    `INSERT INTO responders (id, circle_id, member_id, branch_id, contact_kind, contact_sealed, shifts, joined_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (member_id) DO UPDATE SET branch_id = $4, contact_kind = $5, contact_sealed = $6, shifts = $7,
       joined_at = CASE WHEN responders.left_at IS NULL THEN responders.joined_at ELSE $8 END, left_at = NULL, contact_shared_with = NULL
     RETURNING ${RESPONDER_COLUMNS}`,
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
  return returnedRow(row, "INSERT INTO responders");
}

/** Leaving also withdraws the contact from the webhook: nothing more is sent for them, even deliveries already queued. */
export async function leaveResponders(db: Queryable, circleId: string, memberId: string, now: Date): Promise<boolean> {
  const changed = await changedCount(
    db,
    `UPDATE responders SET left_at = $3, contact_shared_with = NULL WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [circleId, memberId, now],
  );
  return changed > 0;
}

/** Records the webhook URL a responder agreed their contact may go to (null withdraws it). */
export async function shareContactWith(db: Queryable, responderId: string, url: string | null): Promise<ResponderRow> {
  const row = await sqlRow<ResponderRow>(
    db,
    `UPDATE responders SET contact_shared_with = $2 WHERE id = $1 RETURNING ${RESPONDER_COLUMNS}`,
    [responderId, url],
  );
  return returnedRow(row, "UPDATE responders");
}

export async function setTrusted(
  db: Queryable,
  responderId: string,
  isTrusted: boolean,
): Promise<ResponderRow | undefined> {
  return sqlRow<ResponderRow>(
    db,
    `UPDATE responders SET is_trusted = $2 WHERE id = $1 RETURNING ${RESPONDER_COLUMNS}`,
    [responderId, isTrusted],
  );
}

export async function respondersByIds(db: Queryable, ids: readonly string[]): Promise<ResponderRow[]> {
  return sqlRows<ResponderRow>(db, `SELECT ${RESPONDER_COLUMNS} FROM responders WHERE id = ANY($1::uuid[])`, [ids]);
}

export async function responderOfMember(
  db: Queryable,
  circleId: string,
  memberId: string,
): Promise<ResponderRow | undefined> {
  return sqlRow<ResponderRow>(
    db,
    `SELECT ${RESPONDER_COLUMNS} FROM responders WHERE circle_id = $1 AND member_id = $2 AND left_at IS NULL`,
    [circleId, memberId],
  );
}

export async function respondersOfCircle(
  db: Queryable,
  circleId: string,
  afterPosition: number | undefined,
  limit: number,
): Promise<ResponderRow[]> {
  return sqlRows<ResponderRow>(
    db,
    `SELECT ${RESPONDER_COLUMNS} FROM responders WHERE circle_id = $1 AND left_at IS NULL AND position > $2 ORDER BY position LIMIT $3`,
    [circleId, afterPosition ?? 0, limit],
  );
}

/** True when the member is an active responder of the circle: who sees its alerts and tree. */
export async function isResponder(db: Queryable, circleId: string, memberId: string): Promise<boolean> {
  return (await responderOfMember(db, circleId, memberId)) !== undefined;
}

export async function responderCountsByBranch(db: Queryable, circleId: string): Promise<Map<string, number>> {
  const rows = await sqlRows<{ branchId: string; count: number }>(
    db,
    `SELECT branch_id, count(*)::int AS count FROM responders WHERE circle_id = $1 AND left_at IS NULL GROUP BY branch_id`,
    [circleId],
  );
  return new Map(rows.map((r) => [r.branchId, r.count]));
}
