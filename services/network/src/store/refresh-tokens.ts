import { randomUUID } from "node:crypto";
import { hashSecret, newSecret } from "@rhizome/kit";
import type { DataSource } from "typeorm";
import { refreshTokenExpiresAt, refreshTokenState, type RefreshTokenState } from "../domain/sessions.js";
import type { Queryable } from "./queryable.js";

const REFRESH_TOKEN_PREFIX = "rhr";
const REFRESH_TOKEN_BYTES = 32;

export interface IssuedRefreshToken {
  refreshToken: string;
  refreshExpiresAt: Date;
  /** The login session: the same through every rotation, named in its access tokens. */
  sessionId: string;
}

/** A new refresh token for the person's session through `memberId` (a new session unless one is given); only its hash is stored. */
export async function issueRefreshToken(
  db: Queryable,
  owner: { personId: string; memberId: string; sessionId?: string },
  now: Date,
  ttlSeconds: number,
): Promise<IssuedRefreshToken> {
  const refreshToken = newSecret(REFRESH_TOKEN_PREFIX, REFRESH_TOKEN_BYTES);
  const refreshExpiresAt = refreshTokenExpiresAt(now, ttlSeconds);
  const sessionId = owner.sessionId ?? randomUUID();
  await db.query(
    `INSERT INTO refresh_tokens (person_id, member_id, token_hash, issued_at, expires_at, session_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [owner.personId, owner.memberId, hashSecret(refreshToken), now, refreshExpiresAt, sessionId],
  );
  return { refreshToken, refreshExpiresAt, sessionId };
}

interface RefreshTokenSql {
  id: string;
  session_id: string;
  person_id: string;
  member_id: string;
  expires_at: Date;
  replaced_at: Date | null;
  revoked_at: Date | null;
}

export type RotationResult =
  | ({ kind: "rotated"; personId: string; memberId: string } & IssuedRefreshToken)
  | { kind: Exclude<RefreshTokenState, "usable" | "reused"> }
  | { kind: "reused"; endedSessionIds: string[] };

async function lockByToken(db: Queryable, refreshToken: string): Promise<RefreshTokenSql | undefined> {
  const rows: RefreshTokenSql[] = await db.query(
    `SELECT id, session_id, person_id, member_id, expires_at, replaced_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [hashSecret(refreshToken)],
  );
  return rows[0];
}

function stateOf(row: RefreshTokenSql | undefined, now: Date): RefreshTokenState {
  return refreshTokenState(
    row && { expiresAt: row.expires_at, replacedAt: row.replaced_at, revokedAt: row.revoked_at },
    now,
  );
}

/** Ends every live session of the person: what a copied refresh token calls for. Returns the sessions it ended. */
async function revokePersonRefreshTokens(db: Queryable, personId: string, now: Date): Promise<string[]> {
  const rows: Array<{ session_id: string }> = await db.query(
    `UPDATE refresh_tokens SET revoked_at = $2 WHERE person_id = $1 AND revoked_at IS NULL RETURNING session_id`,
    [personId, now],
  );
  return [...new Set(rows.map((row) => row.session_id))];
}

/** Ends the sessions opened through a membership, e.g. when the member leaves. */
export async function revokeMemberRefreshTokens(db: Queryable, memberId: string, now: Date): Promise<void> {
  await db.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE member_id = $1 AND revoked_at IS NULL`, [
    memberId,
    now,
  ]);
}

/**
 * Uses a refresh token: marks it replaced and issues its successor. A token already replaced is
 * being used a second time, so it was copied: every session of the person ends, and that is
 * committed even though the caller is refused.
 */
export async function rotateRefreshToken(
  db: DataSource,
  refreshToken: string,
  now: Date,
  ttlSeconds: number,
): Promise<RotationResult> {
  return db.transaction(async (manager): Promise<RotationResult> => {
    const row = await lockByToken(manager, refreshToken);
    const state = stateOf(row, now);
    if (state === "reused" && row)
      return { kind: "reused", endedSessionIds: await revokePersonRefreshTokens(manager, row.person_id, now) };
    if (state !== "usable" || !row) return { kind: state === "usable" || state === "reused" ? "unknown" : state };
    await manager.query(`UPDATE refresh_tokens SET replaced_at = $2 WHERE id = $1`, [row.id, now]);
    const successor = await issueRefreshToken(
      manager,
      { personId: row.person_id, memberId: row.member_id, sessionId: row.session_id },
      now,
      ttlSeconds,
    );
    return { kind: "rotated", personId: row.person_id, memberId: row.member_id, ...successor };
  });
}

/**
 * Ends the session of a refresh token. `hasEnded` is false when it was not a live one (a copied
 * one still ends every session); `endedSessionIds` are the sessions whose access tokens must stop.
 */
export async function endRefreshTokenSession(
  db: DataSource,
  refreshToken: string,
  now: Date,
): Promise<{ hasEnded: boolean; endedSessionIds: string[] }> {
  return db.transaction(async (manager) => {
    const row = await lockByToken(manager, refreshToken);
    const state = stateOf(row, now);
    if (!row) return { hasEnded: false, endedSessionIds: [] };
    if (state === "reused")
      return { hasEnded: false, endedSessionIds: await revokePersonRefreshTokens(manager, row.person_id, now) };
    if (state !== "usable") return { hasEnded: false, endedSessionIds: [] };
    await manager.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1`, [row.id, now]);
    return { hasEnded: true, endedSessionIds: [row.session_id] };
  });
}
