import { Arg, Args, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { markSessionsEnded, unauthenticated, Disclose } from "@rhizome/kit";
import { lockoutRefusal, failedLoginKey, WRONG_LOGIN_MESSAGE } from "../domain/login-attempts.js";
import { passphraseMatches, spendPassphraseCheckTime } from "../domain/passphrases.js";
import { refreshRefusalMessages } from "../domain/sessions.js";
import { countLoginAttempt, forgetLoginAttempts } from "../store/login-attempts.js";
import { findMemberForLogin, findPresentMember } from "../store/members.js";
import { endRefreshTokenSession, rotateRefreshToken } from "../store/refresh-tokens.js";
import type { NetworkContext } from "../context.js";
import { CurrentCaller } from "./current-caller.js";
import { LoginInput, RefreshTokenArgs } from "./inputs.js";
import { toMember } from "./mappers.js";
import { openSession, signAccessToken } from "./sessions.js";
import { Session } from "./types.js";

/** Logging in, renewing the access token, logging out. */
@Resolver()
@UseMiddleware(CurrentCaller)
export class SessionResolver {
  @Disclose("public")
  @Mutation(() => Session, {
    description: "Logs in to one circle; the access token covers every circle the person belongs to.",
  })
  async login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() context: NetworkContext): Promise<Session> {
    const attemptsKey = failedLoginKey(input.circleSlug, input.handle);
    const { attempt, retryAfterSeconds } = await countLoginAttempt(context.redis, attemptsKey);
    const lockout = lockoutRefusal({ count: attempt - 1, retryAfterSeconds });
    if (lockout) throw unauthenticated(lockout);
    const member = await findMemberForLogin(context.db, input.circleSlug, input.handle);
    if (!member?.passphraseHash || !member.personId) {
      await spendPassphraseCheckTime(input.passphrase);
      context.logger.info({ attempt }, "failed login");
      throw unauthenticated(WRONG_LOGIN_MESSAGE);
    }
    if (!(await passphraseMatches(member.passphraseHash, input.passphrase))) {
      context.logger.info({ attempt }, "failed login");
      throw unauthenticated(WRONG_LOGIN_MESSAGE);
    }
    await forgetLoginAttempts(context.redis, attemptsKey);
    const session = await openSession(context, member.personId, member.id);
    return Object.assign(new Session(), { ...session, member: toMember(member) });
  }

  @Disclose("public")
  @Mutation(() => Session, {
    description:
      "Renews a session: a new access token naming your memberships and roles as they are now, and a new refresh token in place of this one, which stops working. Using a refresh token twice ends every session of yours.",
  })
  async refreshSession(
    @Args(() => RefreshTokenArgs) { refreshToken }: RefreshTokenArgs,
    @Ctx() context: NetworkContext,
  ): Promise<Session> {
    const now = context.clock();
    const rotated = await rotateRefreshToken(context.db, refreshToken, now, context.config.REFRESH_TOKEN_TTL_SECONDS);
    if (rotated.kind !== "rotated") {
      if (rotated.kind === "reused") {
        await markSessionsEnded(context.redis, rotated.endedSessionIds, context.config.ACCESS_TOKEN_TTL_SECONDS);
        context.logger.warn("a replaced refresh token was used again; every session of its person was ended");
      }
      throw unauthenticated(refreshRefusalMessages[rotated.kind]);
    }
    const member = await findPresentMember(context.db, rotated.memberId);
    if (!member) throw unauthenticated(refreshRefusalMessages.revoked);
    const access = await signAccessToken(context, rotated.personId, now, rotated.sessionId);
    return Object.assign(new Session(), {
      ...access,
      refreshToken: rotated.refreshToken,
      refreshExpiresAt: rotated.refreshExpiresAt,
      member: toMember(member),
    });
  }

  @Disclose("public")
  @Mutation(() => Boolean, {
    description:
      "Ends the session of a refresh token: the refresh token and that session's access tokens stop working at once, in every service. True when it ended a live session.",
  })
  async logout(
    @Args(() => RefreshTokenArgs) { refreshToken }: RefreshTokenArgs,
    @Ctx() context: NetworkContext,
  ): Promise<boolean> {
    const { hasEnded, endedSessionIds } = await endRefreshTokenSession(context.db, refreshToken, context.clock());
    await markSessionsEnded(context.redis, endedSessionIds, context.config.ACCESS_TOKEN_TTL_SECONDS);
    return hasEnded;
  }
}
