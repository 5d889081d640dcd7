import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { badInput, decodeInstantCursor, forbidden, hasRole, instantSortKey, notFound, PAGE_LIST_SIZE, PageArgs, pageSize, requireMembership, toPage, Disclose } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { verifyDrawRecord } from "../domain/draws.js";
import { MAX_COMPOST_REASONS_LENGTH, MAX_ROLE_HOLDERS, MAX_ROLE_NAME_LENGTH, MAX_SEED_LENGTH, MAX_SEEDS_PER_DRAW } from "../domain/limits.js";
import { seatKindsOf } from "../store/bodies.js";
import { compostArchive, compostRole, contributeSeed, createRole, drawsByIds, openRoleDraw, type RoleRow } from "../store/roles.js";
import { owned, text } from "./access.js";
import { CompostRoleInput, ContributeSeedInput, CreateRoleInput, OpenDrawInput } from "./inputs.js";
import { toDraw, toRole } from "./mappers.js";
import { Draw, DrawVerification, GovernanceMember, GovernanceRole, GovernanceRolePage, memberRef } from "./types.js";

@Resolver(() => GovernanceRole)
export class RoleResolver {
  @Disclose("members")
  @Mutation(() => GovernanceRole, { description: "Creates a role of a body (e.g. a facilitator who opens proposal rounds), filled by draws. Organizers only." })
  async createRole(@Arg("input", () => CreateRoleInput) input: CreateRoleInput, @Ctx() context: GovernanceContext): Promise<GovernanceRole> {
    const { row: body } = await owned(context.bodies, input.bodyId, context, "body");
    if (!hasRole(context.caller, body.circleId, "organizer")) throw forbidden("Only a circle's organizers can do this.");
    if (!Number.isInteger(input.holderCount) || input.holderCount < 1 || input.holderCount > MAX_ROLE_HOLDERS) throw badInput(`A role has 1 to ${MAX_ROLE_HOLDERS} holders; got ${input.holderCount}.`);
    if (input.powers.length === 0) throw badInput("A role grants at least one power.");
    const row = await createRole(
      context.db,
      { circleId: body.circleId, bodyId: body.id, name: text("A role's name", input.name, MAX_ROLE_NAME_LENGTH), powers: [...new Set(input.powers)], holderCount: input.holderCount, hasBlocQuota: input.hasBlocQuota },
      context.clock(),
    );
    return toRole(row);
  }

  @Disclose("members")
  @Mutation(() => Draw, { description: "Opens a draw for a role: publishes its commitment to the pool and rules, then waits for witnesses' seeds. Members seated in the role's body, or organizers." })
  async openDraw(@Arg("input", () => OpenDrawInput) input: OpenDrawInput, @Ctx() context: GovernanceContext): Promise<Draw> {
    const { row: role, membership } = await owned(context.roles, input.roleId, context, "role");
    if (!Number.isInteger(input.seedsRequired) || input.seedsRequired < 1 || input.seedsRequired > MAX_SEEDS_PER_DRAW) throw badInput(`A draw takes 1 to ${MAX_SEEDS_PER_DRAW} seeds; got ${input.seedsRequired}.`);
    await requireSeatedOrOrganizer(context, role, membership.memberId);
    const drawId = await openRoleDraw(context.db, role.id, input.seedsRequired, context.clock());
    return toDraw((await drawsByIds(context.db, [drawId]))[0]);
  }

  @Disclose("members")
  @Mutation(() => Draw, { description: "Adds a witness's seed to an open draw (e.g. dice rolled at the assembly). The last seed closes it; seeds and result are final. Members of the circle." })
  async contributeSeed(@Arg("input", () => ContributeSeedInput) input: ContributeSeedInput, @Ctx() context: GovernanceContext): Promise<Draw> {
    const draw = await ownedDraw(context, input.drawId);
    await contributeSeed(context.db, draw.id, text("A seed", input.seed, MAX_SEED_LENGTH), context.clock());
    return toDraw((await drawsByIds(context.db, [draw.id]))[0]);
  }

  @Disclose("public")
  @Query(() => Draw, { description: "A draw, with everything needed to recompute it. Public." })
  async draw(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Draw> {
    return toDraw(await publicDraw(context, id));
  }

  @Disclose("public")
  @Query(() => DrawVerification, { description: "Recomputes a past draw from its published commitment, pool, rules and seeds, and says whether it matches. Public." })
  async verifyDraw(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<DrawVerification> {
    const draw = await publicDraw(context, id);
    if (draw.status !== "CLOSED") throw badInput(`This draw is still open: it has ${draw.seeds.length} of its ${draw.seedsRequired} seeds.`);
    const result = verifyDrawRecord(draw);
    return Object.assign(new DrawVerification(), { drawId: draw.id, matches: result.commitmentMatches && result.orderMatches, ...result });
  }

  @Disclose("members")
  @Mutation(() => GovernanceRole, { description: "Dissolves a role in public, with reasons kept in the archive; its holders lose its powers at once. Seated members of its body, or organizers." })
  async compostRole(@Arg("input", () => CompostRoleInput) input: CompostRoleInput, @Ctx() context: GovernanceContext): Promise<GovernanceRole> {
    const { row: role, membership } = await owned(context.roles, input.roleId, context, "role");
    const reasons = text("The reasons", input.reasons, MAX_COMPOST_REASONS_LENGTH);
    await requireSeatedOrOrganizer(context, role, membership.memberId);
    return toRole(await compostRole(context.db, role.id, reasons, context.clock()));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => GovernanceRolePage, { description: "Your circle's composted roles and why they were dissolved, newest first. Members only." })
  async compostArchive(@Arg("circleId", () => ID) circleId: string, @Args(() => PageArgs) page: PageArgs, @Ctx() context: GovernanceContext): Promise<GovernanceRolePage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const rows = await compostArchive(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(new GovernanceRolePage(), toPage(rows, limit, (row: RoleRow) => instantSortKey(row.compostedAt!, row.id), toRole));
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

async function publicDraw(context: GovernanceContext, id: string) {
  const [draw] = /^[0-9a-f-]{36}$/i.test(id) ? await drawsByIds(context.db, [id]) : [];
  if (!draw) throw notFound("No draw with that id.");
  return draw;
}

async function ownedDraw(context: GovernanceContext, id: string) {
  const draw = await publicDraw(context, id).catch(() => undefined);
  const membership = draw && context.caller.kind === "person" ? context.caller.memberships.find((m) => m.circleId === draw.circleId) : undefined;
  if (!draw || !membership) throw notFound("No draw with that id in your circles.");
  return draw;
}
