import { sqlRow, type InstantCursor, type Queryable } from "@rhizome/kit";
import { newestFirstPagesOf, type CirclePageKey } from "./pages.js";

/** An invitation into a circle: only the hash of its code is stored, and its last few characters as a hint. */
export interface InvitationRow {
  id: string;
  circleId: string;
  codeHash: string;
  codeHint: string;
  maxUses: number;
  uses: number;
  expiresAt: Date;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export type NewInvitation = Pick<
  InvitationRow,
  "circleId" | "codeHash" | "codeHint" | "maxUses" | "expiresAt" | "createdBy"
>;

export async function insertInvitation(tx: Queryable, invitation: NewInvitation, now: Date): Promise<InvitationRow> {
  const row = await sqlRow<InvitationRow>(
    tx,
    `INSERT INTO invitations (circle_id, code_hash, code_hint, max_uses, uses, expires_at, created_by, created_at)
     VALUES ($1, $2, $3, $4, 0, $5, $6, $7) RETURNING *`,
    [
      invitation.circleId,
      invitation.codeHash,
      invitation.codeHint,
      invitation.maxUses,
      invitation.expiresAt,
      invitation.createdBy,
      now,
    ],
  );
  if (!row) throw new Error("inserting an invitation returned no row");
  return row;
}

/** An invitation by id (a UUID). */
export function findInvitation(db: Queryable, id: string): Promise<InvitationRow | undefined> {
  return sqlRow<InvitationRow>(db, `SELECT * FROM invitations WHERE id = $1`, [id]);
}

/** Revokes an invitation (rows are never deleted); revoking again keeps the first instant. */
export async function revokeInvitation(tx: Queryable, id: string, now: Date): Promise<InvitationRow> {
  const row = await sqlRow<InvitationRow>(
    tx,
    `UPDATE invitations SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *`,
    [id, now],
  );
  if (!row) throw new Error(`no invitation ${id} to revoke`);
  return row;
}

/** The invitation with that code, locked until the transaction ends, so its last use goes to one joiner. */
export function lockInvitationByCodeHash(tx: Queryable, codeHash: string): Promise<InvitationRow | undefined> {
  return sqlRow<InvitationRow>(tx, `SELECT * FROM invitations WHERE code_hash = $1 FOR UPDATE`, [codeHash]);
}

export async function countInvitationUse(tx: Queryable, id: string): Promise<void> {
  await tx.query(`UPDATE invitations SET uses = uses + 1 WHERE id = $1`, [id]);
}

/** Pages of invitations newest first, for many circles in one query. */
export function invitationPagesOf(
  db: Queryable,
  keys: ReadonlyArray<CirclePageKey<InstantCursor>>,
): Promise<InvitationRow[][]> {
  return newestFirstPagesOf<InvitationRow>(db, "invitations", keys);
}
