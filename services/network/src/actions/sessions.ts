import { recordMemberAccess, signPersonToken, type MemberAccess, type Queryable } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { membershipsOf } from "../store/members.js";
import { issueRefreshToken } from "../store/refresh-tokens.js";

/** Steps the session and membership actions share: tokens, and what other services learn of a changed membership. */

export interface SessionTokens {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** A short-lived access token naming the person's memberships now, for every subgraph to authorize on its own. */
export async function signAccessToken(
  context: NetworkContext,
  db: Queryable,
  session: { personId: string; sessionId: string },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const memberships = await membershipsOf(db, session.personId);
  return signPersonToken(context.config.TOKEN_SECRET, session.personId, memberships, {
    now,
    ttlSeconds: context.config.ACCESS_TOKEN_TTL_SECONDS,
    sessionId: session.sessionId,
  });
}

/** Opens a session through a membership: an access token and a new refresh token. */
export async function openSession(
  context: NetworkContext,
  db: Queryable,
  member: { personId: string; memberId: string },
  now: Date,
): Promise<SessionTokens> {
  const { sessionId, ...refresh } = await issueRefreshToken(db, member, now, context.config.REFRESH_TOKEN_TTL_SECONDS);
  const access = await signAccessToken(context, db, { personId: member.personId, sessionId }, now);
  return { ...access, ...refresh };
}

/**
 * Tells every service at once what a changed membership holds now, for as long as an earlier token
 * lives. Called inside the change's transaction while the circle is locked, so records of one circle
 * are written in the order of their changes; when it fails, the change is rolled back.
 */
export function recordAccess(context: NetworkContext, access: MemberAccess): Promise<void> {
  return recordMemberAccess(context.redis, [access], context.config.ACCESS_TOKEN_TTL_SECONDS);
}
