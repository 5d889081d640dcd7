import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  requireRole,
  toPage,
  membershipIn,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { decidingProblem, howBodyDecides } from "../domain/composition.js";
import { MAX_BODY_SIZE, MAX_NAME_LENGTH } from "../domain/limits.js";
import { bodiesOfCircle, createBody, leaveSeat, seatKindsOf, takeSeat, type BodyRow } from "../store/bodies.js";
import { blocOfCaller, owned, text } from "./access.js";
import { CreateBodyInput } from "./inputs.js";
import { toBody, toRole } from "./mappers.js";
import { SeatKind } from "./enums.js";
import { GovernanceBody, GovernanceBodyPage, GovernanceMember, GovernanceRole, SeatTaken, memberRef } from "./types.js";

@Resolver(() => GovernanceBody)
export class BodyResolver {
  @Disclose("members")
  @Query(() => GovernanceBody, { description: "A body of your circle." })
  async body(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<GovernanceBody> {
    return toBody((await owned(context.bodies, id, context, "body")).row);
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => GovernanceBodyPage, {
    description: "Your circle's steward teams and assemblies, newest first. Members only.",
  })
  async bodies(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<GovernanceBodyPage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await bodiesOfCircle(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new GovernanceBodyPage(),
      toPage(rows, limit, (row: BodyRow) => instantSortKey(row.createdAt, row.id), toBody),
    );
  }

  @Disclose("members")
  @Mutation(() => GovernanceBody, {
    description: "Creates a steward team or an assembly with its decision rule and size. Organizers only.",
  })
  async createBody(
    @Arg("input", () => CreateBodyInput) input: CreateBodyInput,
    @Ctx() context: GovernanceContext,
  ): Promise<GovernanceBody> {
    const membership = requireRole(context.caller, input.circleId, "organizer");
    if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_BODY_SIZE)
      throw badInput(`A body has 1 to ${MAX_BODY_SIZE} seats; got ${input.size}.`);
    const quorumPercent = input.quorumPercent ?? 50;
    if (!Number.isInteger(quorumPercent) || quorumPercent < 1 || quorumPercent > 100)
      throw badInput(`A quorum is 1 to 100 percent; got ${quorumPercent}.`);
    const row = await createBody(
      context.db,
      {
        circleId: input.circleId,
        name: text("A body's name", input.name, MAX_NAME_LENGTH),
        kind: input.kind,
        decisionRule: input.decisionRule,
        size: input.size,
        quorumPercent,
        createdBy: membership.memberId,
      },
      context.clock(),
    );
    return toBody(row);
  }

  @Disclose("members")
  @Mutation(() => SeatTaken, {
    description:
      "Takes a free seat, of the kind your own private bloc gives you. Never refused by bloc (only when every seat is taken), so it tells nobody yours; what the body may decide follows the number of seats taken and its next new moon's count.",
  })
  async takeSeat(@Arg("bodyId", () => ID) bodyId: string, @Ctx() context: GovernanceContext): Promise<SeatTaken> {
    const { row, membership } = await owned(context.bodies, bodyId, context, "body");
    const kind = await blocOfCaller(context, membership);
    await takeSeat(context.db, row.id, membership.memberId, kind, context.clock());
    return Object.assign(new SeatTaken(), { body: toBody(row), kind: kind as SeatKind });
  }

  @Disclose("members")
  @Mutation(() => GovernanceBody, {
    description:
      "Leaves your seat (and any role of the body you hold). The body's composition follows at the next new moon's count.",
  })
  async leaveSeat(@Arg("bodyId", () => ID) bodyId: string, @Ctx() context: GovernanceContext): Promise<GovernanceBody> {
    const { row, membership } = await owned(context.bodies, bodyId, context, "body");
    await leaveSeat(context.db, row.id, membership.memberId, context.clock());
    return toBody(row);
  }

  @Disclose("members")
  @FieldResolver(() => Int, { description: "Seats taken." })
  async seatsTaken(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<number> {
    const counts = await context.seatCounts.load(body.id);
    return counts.edge + counts.advantaged;
  }

  @Disclose("members")
  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      "Whether the body held at least two edge seats for every advantaged seat, as published at a new moon: only for a body of at least 5 seats, first after a cohort of at least 5 seat changes in one cycle, then replaced only after another cohort (kit's rule), never live. Null while nothing is published. Who sits where is never shown.",
  })
  async compositionHolds(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<boolean | null> {
    return (
      (await context.compositions.load({ id: body.id, circleId: body.circle.id, createdAt: body.createdAt }))?.holds ??
      null
    );
  }

  @Disclose("members")
  @FieldResolver(() => Boolean, {
    description:
      "True while the body decides by the consent of every seat (a proposal passes unless a seat objects or vetoes) instead of its own rule: while it has fewer than 5 seats or no published composition. Follows the number of seats taken, never anyone's bloc.",
  })
  async decidesByConsentOfEverySeat(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<boolean> {
    const [seated, published] = await Promise.all([
      this.seatsTaken(body, context),
      context.compositions.load({ id: body.id, circleId: body.circle.id, createdAt: body.createdAt }),
    ]);
    return howBodyDecides(seated, published).mode === "EVERY_SEAT";
  }

  @Disclose("members")
  @FieldResolver(() => String, {
    nullable: true,
    description: "Why the body cannot decide now (nobody seated, or its published composition does not hold), or null.",
  })
  async cannotDecideBecause(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<string | null> {
    const [seated, published] = await Promise.all([
      this.seatsTaken(body, context),
      context.compositions.load({ id: body.id, circleId: body.circle.id, createdAt: body.createdAt }),
    ]);
    return decidingProblem(seated, published) ?? null;
  }

  @Disclose("viewer")
  @FieldResolver(() => SeatKind, {
    nullable: true,
    description: "Your own seat's kind, or null when you hold no seat. Nobody else sees it.",
  })
  async mySeat(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<SeatKind | null> {
    const membership = membershipIn(context.caller, body.circle.id);
    if (!membership) return null;
    const [kind] = await seatKindsOf(context.db, [{ bodyId: body.id, memberId: membership.memberId }]);
    return (kind as SeatKind | undefined) ?? null;
  }

  @Disclose("members")
  @FieldResolver(() => [GovernanceMember], { description: "Who holds a seat (never which kind)." })
  async seatHolders(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<GovernanceMember[]> {
    return (await context.seatHolders.load(body.id)).map(memberRef);
  }

  @Disclose("members")
  @FieldResolver(() => [GovernanceRole], { description: "The body's roles, active and composted." })
  async roles(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<GovernanceRole[]> {
    return (await context.rolesOfBody.load(body.id)).map(toRole);
  }
}
