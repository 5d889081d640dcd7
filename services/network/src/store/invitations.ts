import { isUuid, type InstantCursor } from "@rhizome/kit";
import { InvitationRow } from "../entities/invitation.js";
import { groupByKeyIndex, type CirclePageKey, type Queryable } from "./queryable.js";

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
    [invitation.circleId, invitation.codeHash, invitation.codeHint, invitation.maxUses, invitation.expiresAt, invitation.createdBy, now],
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
  const rows: [InvitationSql[], number] = await db.query(`UPDATE invitations SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *`, [id, now]);
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

/**
 * Pages of invitations newest first, for many circles in one query; `limit + 1` rows a key at most.
 * Instants compare at millisecond precision, the precision of the cursor.
 */
export async function invitationPagesOf(db: Queryable, keys: ReadonlyArray<CirclePageKey<InstantCursor>>): Promise<InvitationRow[][]> {
  const raws: Array<InvitationSql & { n: string }> = await db.query(
    `SELECT k.n, page.* FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::int[]) WITH ORDINALITY AS k(circle_id, after_at, after_id, row_limit, n)
     CROSS JOIN LATERAL (
       SELECT i.* FROM invitations i
       WHERE i.circle_id = k.circle_id
         AND (k.after_at IS NULL OR (date_trunc('milliseconds', i.created_at), i.id) < (k.after_at, k.after_id))
       ORDER BY date_trunc('milliseconds', i.created_at) DESC, i.id DESC LIMIT k.row_limit
     ) page
     ORDER BY k.n, date_trunc('milliseconds', page.created_at) DESC, page.id DESC`,
    [keys.map((k) => k.circleId), keys.map((k) => k.after?.at ?? null), keys.map((k) => k.after?.id ?? null), keys.map((k) => k.limit + 1)],
  );
  return groupByKeyIndex(keys.length, raws, invitationFromSql);
}
