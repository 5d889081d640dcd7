import { defineAction, markSessionsEnded, unauthenticated, type ActionStep } from "@rhizome/kit";
import type { NetworkContext } from "../context.js";
import { refreshRefusalMessages, refreshTokenState } from "../domain/sessions.js";
import { findPresentMember, type MemberRow } from "../store/members.js";
import {
  issueRefreshToken,
  lockRefreshToken,
  markRefreshTokenReplaced,
  recordEndedSessions,
  revokePersonRefreshTokens,
} from "../store/refresh-tokens.js";
import { signAccessToken, type SessionTokens } from "./sessions.js";

type Rotation =
  | { kind: "rotated"; session: SessionTokens & { member: MemberRow } }
  | { kind: "reused"; endedSessionIds: string[] }
  | { kind: "unknown" | "expired" | "revoked" };

/**
 * Uses a refresh token: marks it replaced and issues its successor, with an access token naming the
 * person's memberships now. A token already replaced is being used a second time, so it was copied:
 * every session of the person ends. Refusals are answers, not errors, so that is committed even
 * though the caller is refused.
 */
const rotate = defineAction({
  authorize: ({ tx }: ActionStep<NetworkContext>, input: { refreshToken: string }) =>
    lockRefreshToken(tx, input.refreshToken),
  decide: (_input, row, now) => ({ row, state: refreshTokenState(row, now) }),
  apply: async ({ context, tx, now }, { row, state }): Promise<Rotation> => {
    if (state === "reused" && row) {
      const endedSessionIds = await revokePersonRefreshTokens(tx, row.personId, now);
      await recordEndedSessions(tx, endedSessionIds, now);
      return { kind: "reused", endedSessionIds };
    }
    if (state !== "usable" || !row) return { kind: state === "usable" || state === "reused" ? "unknown" : state };
    await markRefreshTokenReplaced(tx, row.id, now);
    const { personId, memberId, sessionId } = row;
    const successor = await issueRefreshToken(
      tx,
      { personId, memberId, sessionId },
      now,
      context.config.REFRESH_TOKEN_TTL_SECONDS,
    );
    const member = await findPresentMember(tx, memberId);
    if (!member) return { kind: "revoked" };
    const access = await signAccessToken(context, tx, { personId, sessionId }, now);
    const { refreshToken, refreshExpiresAt } = successor;
    return { kind: "rotated", session: { ...access, refreshToken, refreshExpiresAt, member } };
  },
});

/** Renews a session; a copied refresh token ends every session of its person, in every service at once. */
export async function refreshSession(
  context: NetworkContext,
  input: { refreshToken: string },
): Promise<SessionTokens & { member: MemberRow }> {
  const rotation = await rotate(context, input);
  if (rotation.kind === "rotated") return rotation.session;
  if (rotation.kind === "reused") {
    await markSessionsEnded(context.redis, rotation.endedSessionIds, context.config.ACCESS_TOKEN_TTL_SECONDS);
    context.logger.warn("a replaced refresh token was used again; every session of its person was ended");
  }
  throw unauthenticated(refreshRefusalMessages[rotation.kind]);
}
