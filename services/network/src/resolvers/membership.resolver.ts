import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root, UseMiddleware } from "type-graphql";
import { Disclose, notFound, requirePerson } from "@rhizome/kit";
import { changeMyBloc } from "../actions/change-my-bloc.js";
import { changeRole } from "../actions/change-role.js";
import { joinCircle } from "../actions/join-circle.js";
import { leaveCircle } from "../actions/leave-circle.js";
import type { Bloc } from "../domain/bloc.js";
import type { AssignableRole, RoleChange } from "../domain/organizers.js";
import { myBloc } from "../store/bloc-changes.js";
import { presentMembershipsOfCaller, presentMembershipsOfPerson } from "../store/members.js";
import type { NetworkContext } from "../context.js";
import { CurrentCaller } from "./current-caller.js";
import { circleById } from "./known-circles.js";
import { ChangeMyBlocInput, CircleIdArgs, JoinCircleInput, RoleChangeInput } from "./inputs.js";
import { toCircle, toMember } from "./mappers.js";
import { BlocEnum, Circle, Me, Member, Session } from "./types.js";

@Resolver(() => Member)
@UseMiddleware(CurrentCaller)
export class MembershipResolver {
  @Disclose("self")
  @Query(() => Me, { description: "The logged-in person and their memberships." })
  async me(@Ctx() context: NetworkContext): Promise<Me> {
    const person = requirePerson(context.caller);
    const rows =
      presentMembershipsOfCaller(context.caller) ?? (await presentMembershipsOfPerson(context.db, person.personId));
    return Object.assign(new Me(), { personId: person.personId, memberships: rows.map(toMember) });
  }

  @Disclose("public")
  @Mutation(() => Session, {
    description:
      "Joins a circle with an invitation code. Logged in, the new membership joins the same person; otherwise a new person is created.",
  })
  async joinCircle(
    @Arg("input", () => JoinCircleInput) input: JoinCircleInput,
    @Ctx() context: NetworkContext,
  ): Promise<Session> {
    const { member, ...session } = await joinCircle(context, { ...input });
    return Object.assign(new Session(), { ...session, member: toMember(member) });
  }

  @Disclose("members")
  @Mutation(() => Boolean, {
    description:
      "Leaves a circle. Your handle is replaced by a random tombstone in the circle's history, your passphrase and roles are removed, and your sessions through this membership end. The last organizer must hand the role on first. You may join again later with a new invitation.",
  })
  async leaveCircle(
    @Args(() => CircleIdArgs) { circleId }: CircleIdArgs,
    @Ctx() context: NetworkContext,
  ): Promise<boolean> {
    return leaveCircle(context, { circleId });
  }

  @Disclose("self")
  @Mutation(() => Member, {
    description:
      "Changes your own declared bloc. The change holds from the next new moon (see blocChangesAt), together with every other member's change of that cycle, so no figure moves when you make it; asking again before then replaces it, and asking for the bloc you have cancels it.",
  })
  async changeMyBloc(
    @Arg("input", () => ChangeMyBlocInput) input: ChangeMyBlocInput,
    @Ctx() context: NetworkContext,
  ): Promise<Member> {
    return toMember(await changeMyBloc(context, { circleId: input.circleId, bloc: input.bloc }));
  }

  @Disclose("stewards")
  @Mutation(() => Member, {
    description:
      "Gives a member the steward or organizer role. Organizers only. Takes effect at once in every service (a token issued before never carries it).",
  })
  async grantRole(
    @Arg("input", () => RoleChangeInput) input: RoleChangeInput,
    @Ctx() context: NetworkContext,
  ): Promise<Member> {
    return this.changeRole(input, { kind: "grant", role: input.role as AssignableRole }, context);
  }

  @Disclose("stewards")
  @Mutation(() => Member, {
    description:
      "Takes the steward or organizer role from a member. Organizers only; a circle keeps at least one organizer. Takes effect at once in every service, tokens issued before included.",
  })
  async revokeRole(
    @Arg("input", () => RoleChangeInput) input: RoleChangeInput,
    @Ctx() context: NetworkContext,
  ): Promise<Member> {
    return this.changeRole(input, { kind: "revoke", role: input.role as AssignableRole }, context);
  }

  private async changeRole(input: RoleChangeInput, change: RoleChange, context: NetworkContext): Promise<Member> {
    const row = await changeRole(context, { memberId: input.memberId, change });
    context.members.clear(row.id).prime(row.id, row);
    return toMember(row);
  }

  @Disclose("members")
  @FieldResolver(() => Circle)
  async circle(@Root() member: Member, @Ctx() context: NetworkContext): Promise<Circle> {
    const row = await circleById(context, member.circleId);
    if (!row) throw notFound("The member's circle is gone.");
    return toCircle(row);
  }

  @Disclose("self")
  @FieldResolver(() => BlocEnum, {
    nullable: true,
    description: "The member's self-declared bloc; null unless you are that member.",
  })
  async bloc(@Root() member: Member, @Ctx() context: NetworkContext): Promise<Bloc | null> {
    return (await this.ownBloc(member, context))?.bloc ?? null;
  }

  @Disclose("self")
  @FieldResolver(() => BlocEnum, {
    nullable: true,
    description:
      "The bloc you asked to change to, in force from blocChangesAt; null when none is waiting, or unless you are that member.",
  })
  async pendingBloc(@Root() member: Member, @Ctx() context: NetworkContext): Promise<Bloc | null> {
    return (await this.ownBloc(member, context))?.pendingBloc ?? null;
  }

  @Disclose("self")
  @FieldResolver(() => Date, {
    nullable: true,
    description:
      "The new moon from which pendingBloc holds; null when no change is waiting, or unless you are that member.",
  })
  async blocChangesAt(@Root() member: Member, @Ctx() context: NetworkContext): Promise<Date | null> {
    return (await this.ownBloc(member, context))?.changesAt ?? null;
  }

  /** The member's own bloc and any change waiting for the new moon; undefined unless the caller is that member. */
  private async ownBloc(member: Member, context: NetworkContext) {
    if (context.caller.kind !== "person" || !member.personId || context.caller.personId !== member.personId)
      return undefined;
    return myBloc(context.db, member.id, context.clock());
  }
}
