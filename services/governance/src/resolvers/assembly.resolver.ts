import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  cycleContaining,
  decodeInstantCursor,
  forbidden,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
  badInput,
} from "@rhizome/kit";
import type { GovernanceContext } from "../context.js";
import {
  MAX_AGENDA_ITEM_LENGTH,
  MAX_MINUTES_LENGTH,
  MAX_REFLECTION_LENGTH,
  MAX_TITLE_LENGTH,
} from "../domain/limits.js";
import {
  addAgendaItem,
  addReflection,
  agendaOf,
  assembliesOfCircle,
  createAssembly,
  recordMinutes,
  reflectionsOf,
  type AssemblyRow,
} from "../store/assemblies.js";
import { agendaSubmissionProblem, publishedShadowAgenda, shadowAgendaClosesAt } from "../domain/agenda.js";
import { blocOfCaller, owned, text } from "./access.js";
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
    const membership = requireMembership(context.caller, input.circleId);
    const title = text("An assembly's title", input.title, MAX_TITLE_LENGTH);
    // Not by bloc: an assembly that only an edge member could call would show its caller's bloc to
    // whoever saw it appear. What makes it the least heard's is its agenda (see addAgendaItem).
    const now = context.clock();
    const row = await createAssembly(
      context.db,
      {
        circleId: input.circleId,
        kind: input.kind,
        title,
        cycle: cycleContaining(now).label,
        meetsAt: input.meetsAt ?? null,
        calledBy: membership.memberId,
      },
      now,
    );
    return toAssembly(row);
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
    const { row, membership } = await owned(context.assemblies, input.assemblyId, context, "assembly");
    const itemText = text("An agenda item", input.text, MAX_AGENDA_ITEM_LENGTH);
    const now = context.clock();
    if (row.kind === "COMMONS") {
      const item = await addAgendaItem(context.db, row, { text: itemText, publishes: true }, now);
      return Object.assign(new AgendaItem(), {
        id: item.id,
        text: item.text,
        addedAt: item.addedAt,
        state: AgendaItemState.PUBLISHED,
      });
    }
    // Every member is answered the same way, whatever their bloc: a refusal, or an answer only an edge
    // member could get, would show the submitter's bloc to whoever watched them submit.
    const problem = agendaSubmissionProblem(shadowAgendaClosesAt(row), now);
    if (problem) throw badInput(problem);
    const isEdge = (await blocOfCaller(context, membership)) === "EDGE";
    const item = await addAgendaItem(context.db, row, { text: itemText, publishes: isEdge }, now);
    return Object.assign(new AgendaItem(), {
      id: item.id,
      text: item.text,
      addedAt: item.addedAt,
      state: AgendaItemState.SUBMITTED,
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
    const { row } = await owned(context.assemblies, input.assemblyId, context, "assembly");
    const reflectionText = text("A reflection", input.text, MAX_REFLECTION_LENGTH);
    return Object.assign(
      new Reflection(),
      await addReflection(
        context.db,
        row,
        { kind: input.kind, text: reflectionText, mayQuote: input.mayQuote },
        context.clock(),
      ),
    );
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
    const { row, membership } = await owned(context.assemblies, input.assemblyId, context, "assembly");
    const minutes = text("Minutes", input.minutes, MAX_MINUTES_LENGTH);
    if (row.kind === "SHADOW" && row.calledBy !== membership.memberId && !membership.roles.includes("organizer"))
      throw forbidden("Only the member who called a shadow assembly, or an organizer, records its minutes.");
    return toAssembly(await recordMinutes(context.db, row.id, minutes));
  }

  @Disclose("members")
  @Query(() => Assembly)
  async assembly(@Arg("id", () => ID) id: string, @Ctx() context: GovernanceContext): Promise<Assembly> {
    return toAssembly((await owned(context.assemblies, id, context, "assembly")).row);
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
    const limit = pageSize(page.first);
    const rows = await assembliesOfCircle(context.db, circleId, decodeInstantCursor(page.after), limit + 1);
    return Object.assign(
      new AssemblyPage(),
      toPage(rows, limit, (row: AssemblyRow) => instantSortKey(row.createdAt, row.id), toAssembly),
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
