import { Arg, Args, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { Disclose } from "@rhizome/kit";
import { login } from "../actions/login.js";
import { logout } from "../actions/logout.js";
import { refreshSession } from "../actions/refresh-session.js";
import type { NetworkContext } from "../context.js";
import { CurrentCaller } from "./current-caller.js";
import { LoginInput, RefreshTokenArgs } from "./inputs.js";
import { toMember } from "./mappers.js";
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
    const { member, ...session } = await login(context, { ...input });
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
    const { member, ...session } = await refreshSession(context, { refreshToken });
    return Object.assign(new Session(), { ...session, member: toMember(member) });
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
    return logout(context, { refreshToken });
  }
}
