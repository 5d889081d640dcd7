import { isUuid, type InstantCursor } from "@rhizome/kit";
import { InvitationRow } from "../entities/invitation.js";
import { newestFirstPagesOf, type CirclePageKey, type Queryable } from "./queryable.js";

interface InvitationSql {
  id: string;
  circle_id: string;
  code_hash: string;
  code_hint: string;
  max_uses: number;
  uses: number;
  expires_at: Date;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

function invitationFromSql(raw: InvitationSql): InvitationRow {
  return Object.assign(new InvitationRow(), {
    id: raw.id,
    circleId: raw.circle_id,
    codeHash: raw.code_hash,
    codeHint: raw.code_hint,
    maxUses: raw.max_uses,
    uses: raw.uses,
    expiresAt: raw.expires_at,
    createdBy: raw.created_by,
    createdAt: raw.created_at,
    revokedAt: raw.revoked_at,
  });
}

export interface NewInvitation {
  circleId: string;
  codeHash: string;
  codeHint: string;
  maxUses: number;
  expiresAt: Date;
  createdBy: string;
}

export async function insertInvitation(db: Queryable, invitation: NewInvitation, now: Date): Promise<InvitationRow> {
  const rows: InvitationSql[] = await db.query(
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
  return invitationFromSql(rows[0]);
}

/** An invitation by id; undefined for an id that is not a UUID. */
export async function findInvitation(db: Queryable, id: string): Promise<InvitationRow | undefined> {
  if (!isUuid(id)) return undefined;
  const rows: InvitationSql[] = await db.query(`SELECT * FROM invitations WHERE id = $1`, [id]);
  return rows[0] && invitationFromSql(rows[0]);
}

/** Revokes an invitation; revoking again keeps the first instant. */
export async function revokeInvitation(db: Queryable, id: string, now: Date): Promise<InvitationRow> {
  const rows: [InvitationSql[], number] = await db.query(
    `UPDATE invitations SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *`,
    [id, now],
  );
  return invitationFromSql(rows[0][0]);
}

/** The invitation with that code, locked until the transaction ends, so its last use goes to one joiner. */
export async function lockInvitationByCodeHash(db: Queryable, codeHash: string): Promise<InvitationRow | undefined> {
  const rows: InvitationSql[] = await db.query(`SELECT * FROM invitations WHERE code_hash = $1 FOR UPDATE`, [codeHash]);
  return rows[0] && invitationFromSql(rows[0]);
}

export async function countInvitationUse(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE invitations SET uses = uses + 1 WHERE id = $1`, [id]);
}

/** Pages of invitations newest first, for many circles in one query. */
export function invitationPagesOf(
  db: Queryable,
  keys: ReadonlyArray<CirclePageKey<InstantCursor>>,
): Promise<InvitationRow[][]> {
  return newestFirstPagesOf(db, "invitations", keys, invitationFromSql);
}
