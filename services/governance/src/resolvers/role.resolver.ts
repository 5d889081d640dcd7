import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  checkWitnessedDraw,
  cycleContaining,
  latestFrozenDrawIds,
  decodeTextCursor,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  witnessedDrawHistory,
  witnessedDrawOf,
  witnessedDrawsByIds,
  type WitnessedDrawRecord,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { newestFirstPage } from "./pages.js";
import { roleDrawPurpose } from "../domain/draws.js";
import { commitRoleDrawSeed } from "../actions/commit-role-draw-seed.js";
import { compostRole } from "../actions/compost-role.js";
import { createRole } from "../actions/create-role.js";
import { revealDrawSeed, roleDraw } from "../actions/reveal-draw-seed.js";
import { compostArchive } from "../store/roles.js";
import { CommitRoleDrawSeedInput, CompostRoleInput, CreateRoleInput, RevealDrawSeedInput } from "./inputs.js";
import { toDraw, toRole } from "./mappers.js";
import {
  Draw,
  DrawPage,
  DrawVerification,
  GovernanceMember,
  GovernanceRole,
  GovernanceRolePage,
  memberRef,
} from "./types.js";

@Resolver(() => GovernanceRole)
export class RoleResolver {
  @Disclose("members")
  @Mutation(() => GovernanceRole, {
    description:
      "Creates a role of a body (e.g. a facilitator who opens proposal rounds), filled by draws. Organizers only.",
  })
  async createRole(
    @Arg("input", () => CreateRoleInput) input: CreateRoleInput,
    @Ctx() context: GovernanceContext,
  ): Promise<GovernanceRole> {
    return toRole(await createRole(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Draw, {
    description:
      "Commits you as a witness of a role's next new-moon draw: the hub publishes SHA-256([drawId, yourId, seed]) and keeps the seed sealed until the pool is frozen at the new moon. One commitment per witness and draw, never changed. Members of the role's circle.",
  })
  async commitRoleDrawSeed(
    @Arg("input", () => CommitRoleDrawSeedInput) input: CommitRoleDrawSeedInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Draw> {
    return toDraw(await commitRoleDrawSeed(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Draw, {
    description:
      "Reveals your seed after the pool was frozen, checked in public against your commitment. The result does not depend on it: the hub opened your sealed seed at the freeze. Witnesses only.",
  })
  async revealDrawSeed(
    @Arg("input", () => RevealDrawSeedInput) input: RevealDrawSeedInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Draw> {
    return toDraw(await revealDrawSeed(context, { ...input }));
  }

  @Disclose("public")
  @Query(() => Draw, { description: "A role's draw, with everything needed to recompute it once frozen. Public." })
  async draw(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Draw> {
    return toDraw(await roleDraw(context.db, id));
  }

  @Disclose("public")
  @Query(() => DrawVerification, {
    description:
      "Recomputes a frozen draw from its published pool, rules, commitments and seeds, and says whether it matches. Public.",
  })
  async verifyDraw(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<DrawVerification> {
    const draw = await roleDraw(context.db, id);
    if (draw.status !== "DRAWN")
      throw badInput(
        draw.status === "GATHERING"
          ? "This draw is still gathering commitments: its pool is frozen at the new moon."
          : "This draw was carried over: nobody was drawn, so there is no order to check.",
      );
    const result = checkWitnessedDraw({
      drawId: draw.id,
      purpose: draw.purpose,
      cycle: draw.cycle,
      pool: draw.pool!,
      rules: draw.rules!,
      poolCommitment: draw.poolCommitment!,
      drawSeed: draw.drawSeed!,
      order: draw.order!,
      witnesses: draw.witnesses,
    });
    return Object.assign(new DrawVerification(), {
      drawId: draw.id,
      matches: result.seedsMatchCommitments && result.commitmentMatches && result.orderMatches,
      ...result,
    });
  }

  @Disclose("members")
  @Mutation(() => GovernanceRole, {
    description:
      "Dissolves a role in public, with reasons kept in the archive; its holders lose its powers at once. Seated members of its body, or organizers.",
  })
  async compostRole(
    @Arg("input", () => CompostRoleInput) input: CompostRoleInput,
    @Ctx() context: GovernanceContext,
  ): Promise<GovernanceRole> {
    return toRole(await compostRole(context, { ...input }));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => GovernanceRolePage, {
    description: "Your circle's composted roles and why they were dissolved, newest first. Members only.",
  })
  async compostArchive(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<GovernanceRolePage> {
    requireMembership(context.caller, circleId);
    return newestFirstPage(
      GovernanceRolePage,
      page,
      (after, limit) => compostArchive(context.db, circleId, after, limit),
      (row) => row.compostedAt!,
      toRole,
    );
  }

  @Disclose("members")
  @FieldResolver(() => Draw, {
    nullable: true,
    description:
      "The draw the next new moon freezes: its witnesses' commitments so far; null until a witness commits. Public.",
  })
  async nextDraw(@Root() role: GovernanceRole, @Ctx() context: GovernanceContext): Promise<Draw | null> {
    const draw = await witnessedDrawOf(
      context.db,
      role.circle.id,
      roleDrawPurpose(role.id),
      cycleContaining(context.clock()).label,
    );
    return draw ? toDraw(draw) : null;
  }

  @Disclose("members")
  @FieldResolver(() => Draw, {
    nullable: true,
    description:
      "The latest new moon's draw of this role (drawn or carried over): the one that explains who holds it now. Public.",
  })
  async lastDraw(@Root() role: GovernanceRole, @Ctx() context: GovernanceContext): Promise<Draw | null> {
    const purpose = roleDrawPurpose(role.id);
    const id = (await latestFrozenDrawIds(context.db, role.circle.id, [purpose])).get(purpose);
    return id ? toDraw((await witnessedDrawsByIds(context.db, [id]))[0]) : null;
  }

  @Disclose("members")
  @Directive(PAGE_LIST_SIZE)
  @FieldResolver(() => DrawPage, {
    description:
      "Every draw of this role, newest cycle first: the one gathering commitments now, then each new moon's, drawn or carried over. Public.",
  })
  async draws(
    @Root() role: GovernanceRole,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<DrawPage> {
    const limit = pageSize(page.first);
    const rows = await witnessedDrawHistory(
      context.db,
      role.circle.id,
      roleDrawPurpose(role.id),
      decodeTextCursor(page.after),
      limit + 1,
    );
    return Object.assign(
      new DrawPage(),
      toPage(rows, limit, (row: WitnessedDrawRecord) => [row.cycle], toDraw),
    );
  }

  @Disclose("members")
  @FieldResolver(() => [GovernanceMember], { description: "Who holds the role now." })
  async holders(@Root() role: GovernanceRole, @Ctx() context: GovernanceContext): Promise<GovernanceMember[]> {
    return (await context.roleHolders.load(role.id)).map(memberRef);
  }
}
