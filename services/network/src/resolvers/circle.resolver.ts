import {
  Arg,
  Args,
  Ctx,
  Directive,
  FieldResolver,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from "type-graphql";
import {
  decodeInstantCursor,
  decodeTextCursor,
  hasRole,
  instantSortKey,
  isMemberOf,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  requireRole,
  publishBreakdown,
  suppressSmallCount,
  toPage,
  Disclose,
} from "@rhizome/kit";
import { createCircle } from "../actions/create-circle.js";
import { publishBlocCounts } from "../actions/publish-bloc-counts.js";
import { circlesAfter } from "../store/circles.js";
import type { NetworkContext } from "../context.js";
import { CurrentCaller } from "./current-caller.js";
import { CreateCircleInput } from "./inputs.js";
import { circleBySlug } from "./known-circles.js";
import { toApiKey, toCircle, toInvitation, toMember } from "./mappers.js";
import {
  ApiKeyPage,
  BlocCounts,
  Circle,
  CircleFounded,
  CirclePage,
  InvitationPage,
  MemberPage,
  Role,
} from "./types.js";

@Resolver(() => Circle)
@UseMiddleware(CurrentCaller)
export class CircleResolver {
  @Disclose("public")
  @Query(() => Circle, { nullable: true, description: "A circle by its slug; null when there is none." })
  async circle(@Arg("slug", () => String) slug: string, @Ctx() context: NetworkContext): Promise<Circle | null> {
    const row = await circleBySlug(context, slug);
    if (row) context.circles.prime(row.id, row);
    return row ? toCircle(row) : null;
  }

  @Disclose("public")
  @Query(() => CirclePage, { description: "All circles on this hub by slug (public fields)." })
  @Directive(PAGE_LIST_SIZE)
  async circles(@Args(() => PageArgs) { first, after }: PageArgs, @Ctx() context: NetworkContext): Promise<CirclePage> {
    const limit = pageSize(first);
    const rows = await circlesAfter(context.db, decodeTextCursor(after), limit + 1);
    for (const row of rows) context.circles.prime(row.id, row);
    return toPage(rows, limit, (row) => [row.slug], toCircle);
  }

  @Disclose("public")
  @Mutation(() => CircleFounded, { description: "Founds a circle; the founder becomes its first organizer." })
  async createCircle(
    @Arg("input", () => CreateCircleInput) input: CreateCircleInput,
    @Ctx() context: NetworkContext,
  ): Promise<CircleFounded> {
    const { circle, member, ...session } = await createCircle(context, { ...input });
    return Object.assign(new CircleFounded(), { circle: toCircle(circle), member: toMember(member), ...session });
  }

  @Disclose("public")
  @FieldResolver(() => Int, {
    nullable: true,
    description: "Number of members; for non-members null when fewer than 5.",
  })
  async memberCount(@Root() circle: Circle, @Ctx() context: NetworkContext): Promise<number | null> {
    const { edge, advantaged } = await context.blocCounts.load(circle.id);
    const count = edge + advantaged;
    return isMemberOf(context.caller, circle.id) ? count : suppressSmallCount(count);
  }

  @Disclose("public")
  @FieldResolver(() => BlocCounts, {
    nullable: true,
    description:
      "Members per bloc as counted after the last new moon, changed only when at least 5 people joined (and none or at least 5 left) since the counts before; both null unless each counts at least 5. Members only (others get an error and null).",
  })
  async blocCounts(@Root() circle: Circle, @Ctx() context: NetworkContext): Promise<BlocCounts> {
    const snapshot = await publishBlocCounts(context, { circleId: circle.id });
    return Object.assign(new BlocCounts(), snapshot ? publishBreakdown(snapshot) : { edge: null, advantaged: null });
  }

  @Disclose("members")
  @FieldResolver(() => MemberPage, {
    nullable: true,
    description:
      "The circle's members by handle. Members only (others get an error and null, and the rest of a list of circles still arrives).",
  })
  @Directive(PAGE_LIST_SIZE)
  async members(
    @Root() circle: Circle,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: NetworkContext,
  ): Promise<MemberPage> {
    requireMembership(context.caller, circle.id);
    const limit = pageSize(first);
    // Handles are unique per circle whatever their case, so the last lower-cased one seen marks the page.
    const rows = await context.memberPages.load({ circleId: circle.id, limit, after: decodeTextCursor(after) });
    for (const row of rows) context.members.prime(row.id, row);
    return toPage(rows, limit, (row) => [row.sortKey], toMember);
  }

  @Disclose("stewards")
  @FieldResolver(() => InvitationPage, {
    nullable: true,
    description: "Invitations, newest first. Organizers only (others get an error and null).",
  })
  @Directive(PAGE_LIST_SIZE)
  async invitations(
    @Root() circle: Circle,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: NetworkContext,
  ): Promise<InvitationPage> {
    requireRole(context.caller, circle.id, "organizer");
    const limit = pageSize(first);
    const rows = await context.invitationPages.load({ circleId: circle.id, limit, after: decodeInstantCursor(after) });
    return toPage(rows, limit, (row) => instantSortKey(row.createdAt, row.id), toInvitation);
  }

  @Disclose("stewards")
  @FieldResolver(() => ApiKeyPage, {
    nullable: true,
    description: "API keys, newest first. Organizers only (others get an error and null).",
  })
  @Directive(PAGE_LIST_SIZE)
  async apiKeys(
    @Root() circle: Circle,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: NetworkContext,
  ): Promise<ApiKeyPage> {
    requireRole(context.caller, circle.id, "organizer");
    const limit = pageSize(first);
    const rows = await context.apiKeyPages.load({ circleId: circle.id, limit, after: decodeInstantCursor(after) });
    return toPage(rows, limit, (row) => instantSortKey(row.createdAt, row.id), toApiKey);
  }

  @Disclose("viewer")
  @FieldResolver(() => Boolean, { description: "Whether the caller is a member of this circle." })
  viewerIsMember(@Root() circle: Circle, @Ctx() context: NetworkContext): boolean {
    return isMemberOf(context.caller, circle.id);
  }

  @Disclose("viewer")
  @FieldResolver(() => [Role], { description: "The caller's roles in this circle (empty for non-members)." })
  viewerRoles(@Root() circle: Circle, @Ctx() context: NetworkContext): Role[] {
    const roles = [Role.MEMBER, Role.STEWARD, Role.ORGANIZER];
    return roles.filter((role) => hasRole(context.caller, circle.id, role));
  }
}
