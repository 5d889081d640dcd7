import { randomUUID } from "node:crypto";
import { changedCount, hashSecret, newSecret, sqlRow, sqlRows, type Queryable } from "@rhizome/kit";
import { refreshTokenExpiresAt } from "../domain/sessions.js";

const REFRESH_TOKEN_PREFIX = "rhr";
const REFRESH_TOKEN_BYTES = 32;

/**
 * A refresh token: an opaque secret of which only the hash is stored. Each use replaces it with a
 * new one (`replacedAt`); a replaced token used again means it was copied, and every token of the
 * person is revoked.
 */
export interface RefreshTokenRow {
  id: string;
  /** The login session: the same through every rotation, named in its access tokens. */
  sessionId: string;
  personId: string;
  /** The membership the session was opened through; its member is the session's `member`. */
  memberId: string;
  expiresAt: Date;
  replacedAt: Date | null;
  revokedAt: Date | null;
}

export interface IssuedRefreshToken {
  refreshToken: string;
  refreshExpiresAt: Date;
  /** The login session: the same through every rotation, named in its access tokens. */
  sessionId: string;
}

/** A new refresh token for the person's session through `memberId` (a new session unless one is given); only its hash is stored. */
export async function issueRefreshToken(
  tx: Queryable,
  owner: { personId: string; memberId: string; sessionId?: string },
  now: Date,
  ttlSeconds: number,
): Promise<IssuedRefreshToken> {
  const refreshToken = newSecret(REFRESH_TOKEN_PREFIX, REFRESH_TOKEN_BYTES);
  const refreshExpiresAt = refreshTokenExpiresAt(now, ttlSeconds);
  const sessionId = owner.sessionId ?? randomUUID();
  await tx.query(
    `INSERT INTO refresh_tokens (person_id, member_id, token_hash, issued_at, expires_at, session_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [owner.personId, owner.memberId, hashSecret(refreshToken), now, refreshExpiresAt, sessionId],
  );
  return { refreshToken, refreshExpiresAt, sessionId };
}

/** The row of a refresh token, locked until the transaction ends; undefined for a token this hub never gave out. */
export function lockRefreshToken(tx: Queryable, refreshToken: string): Promise<RefreshTokenRow | undefined> {
  return sqlRow<RefreshTokenRow>(
    tx,
    `SELECT id, session_id, person_id, member_id, expires_at, replaced_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [hashSecret(refreshToken)],
  );
}

/** A token used for its successor: it never works again, and coming back it reveals a copy. */
export async function markRefreshTokenReplaced(tx: Queryable, id: string, now: Date): Promise<void> {
  await tx.query(`UPDATE refresh_tokens SET replaced_at = $2 WHERE id = $1`, [id, now]);
}

/** Ends one session's refresh token (logging out). */
export async function revokeRefreshToken(tx: Queryable, id: string, now: Date): Promise<void> {
  await tx.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1`, [id, now]);
}

/** Ends every live session of the person: what a copied refresh token calls for. Returns the sessions it ended. */
export async function revokePersonRefreshTokens(tx: Queryable, personId: string, now: Date): Promise<string[]> {
  const rows = await sqlRows<{ sessionId: string }>(
    tx,
    `UPDATE refresh_tokens SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL RETURNING session_id`,
    [personId, now],
  );
  return [...new Set(rows.map((row) => row.sessionId))];
}

/** Ends the sessions opened through a membership, e.g. when the member leaves. */
export async function revokeMemberRefreshTokens(tx: Queryable, memberId: string, now: Date): Promise<void> {
  await tx.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL`, [
    memberId,
    now,
  ]);
}

/** Records sessions as ended, in the transaction that ends them: their access tokens stop in network at once. */
export async function recordEndedSessions(tx: Queryable, sessionIds: readonly string[], now: Date): Promise<void> {
  if (sessionIds.length === 0) return;
  await tx.query(
    `INSERT INTO ended_sessions (session_id, ended_at) SELECT unnest($1::uuid[]), $2 ON CONFLICT (session_id) DO NOTHING`,
    [sessionIds, now],
  );
}

/** Deletes up to `limit` sessions that ended before `before`, oldest first; answers how many. */
export async function deleteEndedSessionsBefore(db: Queryable, before: Date, limit: number): Promise<number> {
  return changedCount(
    db,
    `DELETE FROM ended_sessions WHERE session_id IN (
       SELECT session_id FROM ended_sessions WHERE ended_at < $1 ORDER BY ended_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [before, limit],
  );
}
