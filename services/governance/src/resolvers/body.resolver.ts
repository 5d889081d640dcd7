import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireOwned, PAGE_LIST_SIZE, PageArgs, requireMembership, membershipIn, Disclose } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { newestFirstPage } from "./pages.js";
import { decidingProblem, howBodyDecides } from "../domain/composition.js";
import { createBody } from "../actions/create-body.js";
import { leaveSeat } from "../actions/leave-seat.js";
import { NO_BODY } from "../actions/not-found.js";
import { takeSeat } from "../actions/take-seat.js";
import { bodiesOfCircle, seatKindOf } from "../store/bodies.js";
import { CreateBodyInput } from "./inputs.js";
import { toBody, toRole } from "./mappers.js";
import { SeatKind } from "./enums.js";
import { GovernanceBody, GovernanceBodyPage, GovernanceMember, GovernanceRole, SeatTaken, memberRef } from "./types.js";

@Resolver(() => GovernanceBody)
export class BodyResolver {
  @Disclose("members")
  @Query(() => GovernanceBody, { description: "A body of your circle." })
  async body(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<GovernanceBody> {
    return toBody((await requireOwned(context.caller, id, (key) => context.bodies.load(key), NO_BODY)).row);
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
    return newestFirstPage(
      GovernanceBodyPage,
      page,
      (after, limit) => bodiesOfCircle(context.db, circleId, after, limit),
      (row) => row.createdAt,
      toBody,
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
    return toBody(await createBody(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => SeatTaken, {
    description:
      "Takes a free seat, of the kind your own private bloc gives you. Never refused by bloc (only when every seat is taken), so it tells nobody yours; what the body may decide follows the number of seats taken and its next new moon's count.",
  })
  async takeSeat(@Arg("bodyId", () => ID) bodyId: string, @Ctx() context: GovernanceContext): Promise<SeatTaken> {
    const seat = await takeSeat(context, bodyId);
    return Object.assign(new SeatTaken(), { body: toBody(seat.body), kind: seat.kind as SeatKind });
  }

  @Disclose("members")
  @Mutation(() => GovernanceBody, {
    description:
      "Leaves your seat (and any role of the body you hold). The body's composition follows at the next new moon's count.",
  })
  async leaveSeat(@Arg("bodyId", () => ID) bodyId: string, @Ctx() context: GovernanceContext): Promise<GovernanceBody> {
    return toBody(await leaveSeat(context, bodyId));
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
    return (await publishedComposition(body, context))?.holds ?? null;
  }

  @Disclose("members")
  @FieldResolver(() => Boolean, {
    description:
      "True while the body decides by the consent of every seat (a proposal passes unless a seat objects or vetoes) instead of its own rule: while it has fewer than 5 seats or no published composition. Follows the number of seats taken, never anyone's bloc.",
  })
  async decidesByConsentOfEverySeat(@Root() body: GovernanceBody, @Ctx() context: GovernanceContext): Promise<boolean> {
    const [seated, published] = await Promise.all([
      this.seatsTaken(body, context),
      publishedComposition(body, context),
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
      publishedComposition(body, context),
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
    const kind = await seatKindOf(context.db, body.id, membership.memberId);
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

/** The body's composition as published at the last new moon (one query per request for all bodies). */
function publishedComposition(body: GovernanceBody, context: GovernanceContext) {
  return context.compositions.load({ id: body.id, circleId: body.circle.id, createdAt: body.createdAt });
}
