import { Arg, Args, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { unauthenticated } from "@rhizome/kit";
import { lockoutRefusal, failedLoginKey, WRONG_LOGIN_MESSAGE } from "../domain/login-attempts.js";
import { passphraseMatches, spendPassphraseCheckTime } from "../domain/passphrases.js";
import { refreshRefusalMessages } from "../domain/sessions.js";
import { failedLogins, forgetFailedLogins, recordFailedLogin } from "../store/login-attempts.js";
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
  @Mutation(() => Session, { description: "Logs in to one circle; the access token covers every circle the person belongs to." })
  async login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() context: NetworkContext): Promise<Session> {
    const attemptsKey = failedLoginKey(input.circleSlug, input.handle);
    const lockout = lockoutRefusal(await failedLogins(context.redis, attemptsKey));
    if (lockout) throw unauthenticated(lockout);
    const refuse = async () => {
      const failures = await recordFailedLogin(context.redis, attemptsKey);
      context.logger.info({ failures }, "failed login");
      return unauthenticated(WRONG_LOGIN_MESSAGE);
    };
    const member = await findMemberForLogin(context.db, input.circleSlug, input.handle);
    if (!member?.passphraseHash || !member.personId) {
      await spendPassphraseCheckTime(input.passphrase);
      throw await refuse();
    }
    if (!(await passphraseMatches(member.passphraseHash, input.passphrase))) throw await refuse();
    await forgetFailedLogins(context.redis, attemptsKey);
    const session = await openSession(context, member.personId, member.id);
    return Object.assign(new Session(), { ...session, member: toMember(member) });
  }

  @Mutation(() => Session, {
    description:
      "Renews a session: a new access token naming your memberships and roles as they are now, and a new refresh token in place of this one, which stops working. Using a refresh token twice ends every session of yours.",
  })
  async refreshSession(@Args(() => RefreshTokenArgs) { refreshToken }: RefreshTokenArgs, @Ctx() context: NetworkContext): Promise<Session> {
    const now = context.clock();
    const rotated = await rotateRefreshToken(context.db, refreshToken, now, context.config.REFRESH_TOKEN_TTL_SECONDS);
    if (rotated.kind !== "rotated") {
      if (rotated.kind === "reused") context.logger.warn("a replaced refresh token was used again; every session of its person was ended");
      throw unauthenticated(refreshRefusalMessages[rotated.kind]);
    }
    const member = await findPresentMember(context.db, rotated.memberId);
    if (!member) throw unauthenticated(refreshRefusalMessages.revoked);
    const access = await signAccessToken(context, rotated.personId, now);
    return Object.assign(new Session(), {
      ...access,
      refreshToken: rotated.refreshToken,
      refreshExpiresAt: rotated.refreshExpiresAt,
      member: toMember(member),
    });
  }

  @Mutation(() => Boolean, {
    description: "Ends the session of a refresh token. True when it ended a live session. The access token still works until it expires (at most a minute).",
  })
  async logout(@Args(() => RefreshTokenArgs) { refreshToken }: RefreshTokenArgs, @Ctx() context: NetworkContext): Promise<boolean> {
    return endRefreshTokenSession(context.db, refreshToken, context.clock());
  }
}
