import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Max, Min } from "class-validator";
import {
  conflict,
  forbidden,
  hasRole,
  isMemberOf,
  MAX_PAGE_SIZE,
  pageSize,
  postgresErrorCode,
  recordEvent,
  requireMembership,
  requireRole,
  suppressSmallCount,
  unauthenticated,
  UNIQUE_VIOLATION,
} from "@rhizome/kit";
import { CircleRow } from "../entities/circle.js";
import { MemberRow } from "../entities/member.js";
import { PersonRow } from "../entities/person.js";
import { InvitationRow } from "../entities/invitation.js";
import { ApiKeyRow } from "../entities/api-key.js";
import { hashPassphrase } from "../domain/passphrases.js";
import type { NetworkContext } from "../context.js";
import { CreateCircleInput } from "./inputs.js";
import { toApiKey, toCircle, toInvitation, toMember } from "./mappers.js";
import { issueToken } from "./sessions.js";
import { ApiKey, BlocCounts, Circle, CircleFounded, Invitation, Member, Role } from "./types.js";

@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true, description: `At most ${MAX_PAGE_SIZE}.` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;
  @Field(() => String, { nullable: true, description: "The last slug (for circles) or handle (for members) of the previous page." })
  after?: string;
}

@Resolver(() => Circle)
export class CircleResolver {
  @Query(() => Circle, { nullable: true, description: "A circle by its slug; null when there is none." })
  async circle(@Arg("slug", () => String) slug: string, @Ctx() context: NetworkContext): Promise<Circle | null> {
    const row = await context.db.getRepository(CircleRow).findOneBy({ slug: slug.toLowerCase() });
    return row ? toCircle(row) : null;
  }

  @Query(() => [Circle], { description: "All circles on this hub by slug (public fields)." })
  async circles(@Args(() => PageArgs) { first, after }: PageArgs, @Ctx() context: NetworkContext): Promise<Circle[]> {
    const limit = pageSize(first);
    // Slugs are unique, so the last one a client saw is all it needs to ask for the next page.
    const query = context.db.getRepository(CircleRow).createQueryBuilder("c").orderBy("c.slug", "ASC").limit(limit);
    if (after) query.where("c.slug > :after", { after });
    return (await query.getMany()).map(toCircle);
  }

  @Mutation(() => CircleFounded, { description: "Founds a circle; the founder becomes its first organizer." })
  async createCircle(@Arg("input", () => CreateCircleInput) input: CreateCircleInput, @Ctx() context: NetworkContext): Promise<CircleFounded> {
    if (context.config.CIRCLE_FOUNDING === "operator" && context.caller.kind !== "operator") {
      throw context.caller.kind === "anonymous"
        ? unauthenticated("On this hub only its operators may found circles: send the operator key.")
        : forbidden("On this hub only its operators may found circles.");
    }
    const passphraseHash = await hashPassphrase(input.passphrase);
    const founderPersonId = context.caller.kind === "person" ? context.caller.personId : undefined;
    try {
      const founded = await context.db.transaction(async (manager) => {
        const circle = await manager.getRepository(CircleRow).save(manager.create(CircleRow, { slug: input.slug, name: input.name.trim() }));
        const personId = founderPersonId ?? (await manager.getRepository(PersonRow).save(manager.create(PersonRow, {}))).id;
        const member = await manager.getRepository(MemberRow).save(
          manager.create(MemberRow, {
            circleId: circle.id,
            personId,
            handle: input.founderHandle,
            passphraseHash,
            bloc: input.founderBloc,
            roles: [Role.MEMBER, Role.ORGANIZER],
          }),
        );
        await recordEvent(manager, "member.joined", circle.id, { memberId: member.id, circleId: circle.id });
        const session = await issueToken(context, manager, personId);
        return { circle: await manager.getRepository(CircleRow).findOneByOrFail({ id: circle.id }), member: await manager.getRepository(MemberRow).findOneByOrFail({ id: member.id }), session };
      });
      context.eventsRecorded();
      return Object.assign(new CircleFounded(), {
        circle: toCircle(founded.circle),
        member: toMember(founded.member),
        token: founded.session.token,
        expiresAt: founded.session.expiresAt,
      });
    } catch (error) {
      if (postgresErrorCode(error) === UNIQUE_VIOLATION) throw conflict(`The slug "${input.slug}" is taken; choose another.`);
      throw error;
    }
  }

  @FieldResolver(() => Int, { nullable: true, description: "Number of members; for non-members null when fewer than 5." })
  async memberCount(@Root() circle: Circle, @Ctx() context: NetworkContext): Promise<number | null> {
    const { edge, advantaged } = await context.blocCounts.load(circle.id);
    const count = edge + advantaged;
    return isMemberOf(context.caller, circle.id) ? count : suppressSmallCount(count);
  }

  @FieldResolver(() => BlocCounts, { description: "Members per bloc, with counts below 5 suppressed. Members only." })
  async blocCounts(@Root() circle: Circle, @Ctx() context: NetworkContext): Promise<BlocCounts> {
    requireMembership(context.caller, circle.id);
    const { edge, advantaged } = await context.blocCounts.load(circle.id);
    return Object.assign(new BlocCounts(), { edge: suppressSmallCount(edge), advantaged: suppressSmallCount(advantaged) });
  }

  @FieldResolver(() => [Member], { description: "The circle's members by handle. Members only." })
  async members(@Root() circle: Circle, @Args(() => PageArgs) { first, after }: PageArgs, @Ctx() context: NetworkContext): Promise<Member[]> {
    requireMembership(context.caller, circle.id);
    const limit = pageSize(first);
    const query = context.db
      .getRepository(MemberRow)
      .createQueryBuilder("m")
      .where("m.circle_id = :circleId", { circleId: circle.id })
      .orderBy("lower(m.handle)", "ASC")
      .limit(limit);
    // Handles are unique per circle whatever their case, so the last one seen marks the page.
    if (after) query.andWhere("lower(m.handle) > lower(:after)", { after });
    const rows = await query.getMany();
    for (const row of rows) context.members.prime(row.id, row);
    return rows.map(toMember);
  }

  @FieldResolver(() => [Invitation], { description: "Invitations, newest first. Organizers only." })
  async invitations(@Root() circle: Circle, @Ctx() context: NetworkContext): Promise<Invitation[]> {
    requireRole(context.caller, circle.id, "organizer");
    const rows = await context.db.getRepository(InvitationRow).find({ where: { circleId: circle.id }, order: { createdAt: "DESC" }, take: MAX_PAGE_SIZE });
    return rows.map(toInvitation);
  }

  @FieldResolver(() => [ApiKey], { description: "API keys, newest first. Organizers only." })
  async apiKeys(@Root() circle: Circle, @Ctx() context: NetworkContext): Promise<ApiKey[]> {
    requireRole(context.caller, circle.id, "organizer");
    const rows = await context.db.getRepository(ApiKeyRow).find({ where: { circleId: circle.id }, order: { createdAt: "DESC" }, take: MAX_PAGE_SIZE });
    return rows.map(toApiKey);
  }

  @FieldResolver(() => Boolean, { description: "Whether the caller is a member of this circle." })
  viewerIsMember(@Root() circle: Circle, @Ctx() context: NetworkContext): boolean {
    return isMemberOf(context.caller, circle.id);
  }

  @FieldResolver(() => [Role], { description: "The caller's roles in this circle (empty for non-members)." })
  viewerRoles(@Root() circle: Circle, @Ctx() context: NetworkContext): Role[] {
    const roles = [Role.MEMBER, Role.STEWARD, Role.ORGANIZER];
    return roles.filter((role) => hasRole(context.caller, circle.id, role));
  }
}
