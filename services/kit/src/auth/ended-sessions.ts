import type { Redis } from "ioredis";

/**
 * A session ended by logout (or by a copied refresh token) is written here, for as long as an
 * access token of it could still live, and every service refuses that session's access tokens at
 * once, not only at their expiry.
 */
const ENDED_SESSION_PREFIX = "rhizome:ended-session:";

export const endedSessionKey = (sessionId: string) => `${ENDED_SESSION_PREFIX}${sessionId}`;

export async function markSessionsEnded(
  redis: Redis,
  sessionIds: readonly string[],
  accessTokenTtlSeconds: number,
): Promise<void> {
  if (sessionIds.length === 0) return;
  const batch = redis.multi();
  for (const sessionId of sessionIds) batch.set(endedSessionKey(sessionId), "1", "EX", accessTokenTtlSeconds);
  await batch.exec();
}

export async function isSessionEnded(redis: Redis, sessionId: string): Promise<boolean> {
  return (await redis.exists(endedSessionKey(sessionId))) === 1;
}
