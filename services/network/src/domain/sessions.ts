/** What a refresh token presented to refreshSession or logout turns out to be. */
export type RefreshTokenState = "usable" | "unknown" | "expired" | "revoked" | "reused";

export interface RefreshTokenRecord {
  expiresAt: Date;
  replacedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * A refresh token works once. One that was already replaced and comes back was copied: whoever
 * holds it, the person's tokens can no longer be trusted ("reused").
 */
export function refreshTokenState(record: RefreshTokenRecord | undefined, now: Date): RefreshTokenState {
  if (!record) return "unknown";
  if (record.replacedAt) return "reused";
  if (record.revokedAt) return "revoked";
  if (record.expiresAt.getTime() <= now.getTime()) return "expired";
  return "usable";
}

export const refreshRefusalMessages: Record<Exclude<RefreshTokenState, "usable">, string> = {
  unknown: "That refresh token is not one this hub gave out. Log in again.",
  expired: "Your session has expired. Log in again.",
  revoked: "That session has ended. Log in again.",
  reused:
    "That refresh token was already used, so it may have been copied: every session of yours has been ended. Log in again.",
};

/** When a refresh token issued at `now` stops working if unused. */
export function refreshTokenExpiresAt(now: Date, ttlSeconds: number): Date {
  return new Date(now.getTime() + ttlSeconds * 1000);
}

/**
 * Before when a session must have ended to be forgotten: its refresh tokens were revoked in the
 * transaction that ended it, so only its access tokens could still be presented, and none outlives
 * the longest access token lifetime the hub allows.
 */
export function endedSessionsForgottenBefore(now: Date, longestAccessTokenSeconds: number): Date {
  return new Date(now.getTime() - longestAccessTokenSeconds * 1000);
}
