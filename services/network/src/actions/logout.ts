import { defineAction, markSessionsEnded, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { refreshTokenState } from "../domain/sessions.js";
import {
  lockRefreshToken,
  recordEndedSessions,
  revokePersonRefreshTokens,
  revokeRefreshToken,
} from "../store/refresh-tokens.js";

/**
 * Ends the session of a refresh token. `hasEnded` is false when it was not a live one (a copied one
 * still ends every session); `endedSessionIds` are the sessions whose access tokens must stop.
 */
const endSession = defineAction({
  authorize: ({ tx }: ActionStep<NetworkContext>, input: { refreshToken: string }) =>
    lockRefreshToken(tx, input.refreshToken),
  decide: (_input, row, now) => ({ row, state: refreshTokenState(row, now) }),
  apply: async ({ tx, now }, { row, state }): Promise<{ hasEnded: boolean; endedSessionIds: string[] }> => {
    if (row && state === "reused") {
      const endedSessionIds = await revokePersonRefreshTokens(tx, row.personId, now);
      await recordEndedSessions(tx, endedSessionIds, now);
      return { hasEnded: false, endedSessionIds };
    }
    if (!row || state !== "usable") return { hasEnded: false, endedSessionIds: [] };
    await revokeRefreshToken(tx, row.id, now);
    await recordEndedSessions(tx, [row.sessionId], now);
    return { hasEnded: true, endedSessionIds: [row.sessionId] };
  },
});

/**
 * Logs out: the refresh token and that session's access tokens stop working at once, in every
 * service: network reads its own record of ended sessions, written in the transaction; the other
 * services are told through Redis after it commits.
 */
export async function logout(context: NetworkContext, input: { refreshToken: string }): Promise<boolean> {
  const { hasEnded, endedSessionIds } = await endSession(context, input);
  await markSessionsEnded(context.redis, endedSessionIds, context.config.ACCESS_TOKEN_TTL_SECONDS);
  return hasEnded;
}
