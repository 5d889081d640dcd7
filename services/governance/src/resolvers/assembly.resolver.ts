import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireOwned, PAGE_LIST_SIZE, PageArgs, requireMembership, Disclose } from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import { newestFirstPage } from "./pages.js";
import { addAgendaItem } from "../actions/add-agenda-item.js";
import { addReflection } from "../actions/add-reflection.js";
import { createAssembly } from "../actions/create-assembly.js";
import { NO_ASSEMBLY } from "../actions/not-found.js";
import { recordMinutes } from "../actions/record-minutes.js";
import { publishedShadowAgenda } from "../domain/agenda.js";
import { agendaOf, assembliesOfCircle, reflectionsOf } from "../store/assemblies.js";
import { AddAgendaItemInput, AddReflectionInput, CreateAssemblyInput, RecordMinutesInput } from "./inputs.js";
import { toAssembly } from "./mappers.js";
import { AgendaItemState } from "./enums.js";
import { AgendaItem, Assembly, AssemblyPage, Reflection } from "./types.js";

@Resolver(() => Assembly)
export class AssemblyResolver {
  @Disclose("members")
  @Mutation(() => Assembly, {
    description:
      "Calls a shadow assembly (any member, at most 3 a cycle: calling one tells nobody your bloc, and its agenda stays the edge members', sealed until it closes), or this cycle's commons assembly (any member; one per cycle).",
  })
  async createAssembly(
    @Arg("input", () => CreateAssemblyInput) input: CreateAssemblyInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Assembly> {
    return toAssembly(await createAssembly(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => AgendaItem, {
    description:
      "Adds an item to an assembly's agenda. A shadow assembly takes items from every member until its agendaClosesAt and answers SUBMITTED to all; at the close only edge members' items are published, all at once.",
  })
  async addAgendaItem(
    @Arg("input", () => AddAgendaItemInput) input: AddAgendaItemInput,
    @Ctx() context: GovernanceContext,
  ): Promise<AgendaItem> {
    const item = await addAgendaItem(context, { ...input });
    return Object.assign(new AgendaItem(), {
      id: item.id,
      text: item.text,
      addedAt: item.addedAt,
      state: AgendaItemState[item.state],
    });
  }

  @Disclose("members")
  @Mutation(() => Reflection, {
    description:
      "Records a failure, a win or a tension at a commons assembly; with mayQuote the narrative hub may quote it.",
  })
  async addReflection(
    @Arg("input", () => AddReflectionInput) input: AddReflectionInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Reflection> {
    return Object.assign(new Reflection(), await addReflection(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Assembly, {
    description:
      "Records an assembly's minutes. A commons assembly's: any member of the circle; a shadow assembly's: the member who called it, or an organizer (never by bloc, so recording tells nobody yours).",
  })
  async recordMinutes(
    @Arg("input", () => RecordMinutesInput) input: RecordMinutesInput,
    @Ctx() context: GovernanceContext,
  ): Promise<Assembly> {
    return toAssembly(await recordMinutes(context, { ...input }));
  }

  @Disclose("members")
  @Query(() => Assembly)
  async assembly(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Assembly> {
    return toAssembly((await requireOwned(context.caller, id, (key) => context.assemblies.load(key), NO_ASSEMBLY)).row);
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => AssemblyPage, { description: "Your circle's assemblies, newest first. Members only." })
  async assemblies(
    @Arg("circleId", () => ID) circleId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: GovernanceContext,
  ): Promise<AssemblyPage> {
    requireMembership(context.caller, circleId);
    return newestFirstPage(
      AssemblyPage,
      page,
      (after, limit) => assembliesOfCircle(context.db, circleId, after, limit),
      (row) => row.createdAt,
      toAssembly,
    );
  }

  @Disclose("members")
  @FieldResolver(() => [AgendaItem])
  async agenda(@Root() assembly: Assembly, @Ctx() context: GovernanceContext): Promise<AgendaItem[]> {
    const [items] = await agendaOf(context.db, [assembly.id]);
    if (assembly.agendaClosesAt === null)
      return items.map(({ id, text, addedAt }) =>
        Object.assign(new AgendaItem(), { id, text, addedAt, state: AgendaItemState.PUBLISHED }),
      );
    return publishedShadowAgenda(items, assembly.agendaClosesAt, context.clock()).map((item) =>
      Object.assign(new AgendaItem(), { ...item, state: AgendaItemState.PUBLISHED }),
    );
  }

  @Disclose("members")
  @FieldResolver(() => [Reflection])
  async reflections(@Root() assembly: Assembly, @Ctx() context: GovernanceContext): Promise<Reflection[]> {
    const [items] = await reflectionsOf(context.db, [assembly.id]);
    return items.map((item) => Object.assign(new Reflection(), item));
  }
}
