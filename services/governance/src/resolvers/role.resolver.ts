import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  badInput,
  checkWitnessedDraw,
  commitWitnessSeed,
  cycleContaining,
  decodeInstantCursor,
  drawSealKey,
  forbidden,
  hasRole,
  instantSortKey,
  latestFrozenDrawIds,
  notFound,
  decodeTextCursor,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  revealWitnessSeed,
  toPage,
  witnessedDrawHistory,
  witnessedDrawOf,
  witnessedDrawsByIds,
  type WitnessedDrawRecord,
  Disclose,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { roleDrawPurpose } from "../domain/draws.js";
import { MAX_COMPOST_REASONS_LENGTH, MAX_ROLE_HOLDERS, MAX_ROLE_NAME_LENGTH } from "../domain/limits.js";
import { seatKindsOf } from "../store/bodies.js";
import { compostArchive, compostRole, createRole, requireDrawableRole, type RoleRow } from "../store/roles.js";
import { owned, text } from "./access.js";
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
    const { row: body } = await owned(context.bodies, input.bodyId, context, "body");
    if (!hasRole(context.caller, body.circleId, "organizer"))
      throw forbidden("Only a circle's organizers can do this.");
    if (!Number.isInteger(input.holderCount) || input.holderCount < 1 || input.holderCount > MAX_ROLE_HOLDERS)
      throw badInput(`A role has 1 to ${MAX_ROLE_HOLDERS} holders; got ${input.holderCount}.`);
    if (input.powers.length === 0) throw badInput("A role grants at least one power.");
    if (input.hasBlocQuota) {
      throw badInput(
        "A role cannot have a bloc quota: its public draw would show who was passed over for their seat kind. Its holders are drawn from all the members seated in the body, passing over nobody.",
      );
    }
    const row = await createRole(
      context.db,
      {
        circleId: body.circleId,
        bodyId: body.id,
        name: text("A role's name", input.name, MAX_ROLE_NAME_LENGTH),
        powers: [...new Set(input.powers)],
        holderCount: input.holderCount,
        hasBlocQuota: input.hasBlocQuota,
      },
      context.clock(),
    );
    return toRole(row);
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
    const { row, membership } = await owned(context.roles, input.roleId, context, "role");
    const role = await requireDrawableRole(context.db, row.id);
    const now = context.clock();
    const drawId = await commitWitnessSeed(
      context.db,
      drawSealKey(context.config.TOKEN_SECRET),
      {
        circleId: role.circleId,
        purpose: roleDrawPurpose(role.id),
        cycle: cycleContaining(now).label,
        memberId: membership.memberId,
        seed: input.seed,
      },
      now,
    );
    return toDraw((await witnessedDrawsByIds(context.db, [drawId]))[0]);
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
    const { draw, memberId } = await ownedDraw(context, input.drawId);
    await revealWitnessSeed(context.db, draw.id, memberId, input.seed, context.clock());
    return toDraw((await witnessedDrawsByIds(context.db, [draw.id]))[0]);
  }

  @Disclose("public")
  @Query(() => Draw, { description: "A role's draw, with everything needed to recompute it once frozen. Public." })
  async draw(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Draw> {
    return toDraw(await publicDraw(context, id));
  }

  @Disclose("public")
  @Query(() => DrawVerification, {
    description:
      "Recomputes a frozen draw from its published pool, rules, commitments and seeds, and says whether it matches. Public.",
  })
  async verifyDraw(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<DrawVerification> {
    const draw = await publicDraw(context, id);
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
    const { row: role, membership } = await owned(context.roles, input.roleId, context, "role");
    const reasons = text("The reasons", input.reasons, MAX_COMPOST_REASONS_LENGTH);
    await requireSeatedOrOrganizer(context, role, membership.memberId);
    return toRole(await compostRole(context.db, role.id, reasons, context.clock()));
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
    const limit = pageSize(page.first);
    const rows = await compostArchive(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new GovernanceRolePage(),
      toPage(rows, limit, (row: RoleRow) => instantSortKey(row.compostedAt!, row.id), toRole),
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

async function requireSeatedOrOrganizer(context: GovernanceContext, role: RoleRow, memberId: string): Promise<void> {
  if (hasRole(context.caller, role.circleId, "organizer")) return;
  const [seat] = await seatKindsOf(context.db, [{ bodyId: role.bodyId, memberId }]);
  if (!seat) throw forbidden("Only members seated in the role's body, or organizers, can do this.");
}

async function publicDraw(context: GovernanceContext, id: string): Promise<WitnessedDrawRecord> {
  const [draw] = await witnessedDrawsByIds(context.db, [id]);
  if (!draw || !draw.purpose.startsWith("role:")) throw notFound("No draw with that id.");
  return draw;
}

/** A draw of one of the caller's circles, with the caller's member id there; otherwise NOT_FOUND, like a wrong id. */
async function ownedDraw(
  context: GovernanceContext,
  id: string,
): Promise<{ draw: WitnessedDrawRecord; memberId: string }> {
  const draw = await publicDraw(context, id).catch(() => undefined);
  const membership =
    draw && context.caller.kind === "person"
      ? context.caller.memberships.find((m) => m.circleId === draw.circleId)
      : undefined;
  if (!draw || !membership) throw notFound("No draw with that id in your circles.");
  return { draw, memberId: membership.memberId };
}
