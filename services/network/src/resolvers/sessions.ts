import { signPersonToken } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { membershipsOf } from "../store/members.js";
import { issueRefreshToken } from "../store/refresh-tokens.js";

export interface SessionTokens {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** A short-lived access token naming the person's memberships now, for every subgraph to authorize on its own. */
export async function signAccessToken(
  context: NetworkContext,
  personId: string,
  now: Date,
  sessionId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const memberships = await membershipsOf(context.db, personId);
  return signPersonToken(context.config.TOKEN_SECRET, personId, memberships, {
    now,
    ttlSeconds: context.config.ACCESS_TOKEN_TTL_SECONDS,
    sessionId,
  });
}

/** Opens a session through a membership: an access token and a new refresh token. */
export async function openSession(context: NetworkContext, personId: string, memberId: string): Promise<SessionTokens> {
  const now = context.clock();
  const { sessionId, ...refresh } = await issueRefreshToken(
    context.db,
    { personId, memberId },
    now,
    context.config.REFRESH_TOKEN_TTL_SECONDS,
  );
  const access = await signAccessToken(context, personId, now, sessionId);
  return { ...access, ...refresh };
}
