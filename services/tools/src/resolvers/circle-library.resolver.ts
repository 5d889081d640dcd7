import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import {
  accepted,
  badInput,
  cycleByLabel,
  cycleContaining,
  decodeCursor,
  isMemberOf,
  isUuid,
  notFound,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  precedingCycle,
  requireMembership,
  toPage,
  type LunarCycle,
  Disclose,
} from "@rhizome/kit";
import { setLoanPeriod } from "../actions/set-loan-period.js";
import { setToolLibrarySettings } from "../actions/set-tool-library-settings.js";
import { volunteerAsCaretaker } from "../actions/volunteer-as-caretaker.js";
import { withdrawAsCaretaker } from "../actions/withdraw-as-caretaker.js";
import type { ToolsContext } from "../context.js";
import { MAX_SEARCH_WORDS_LENGTH, normaliseCategory } from "../domain/catalogue.js";
import { MAP_PRECISION, publishLoanCells } from "../domain/loan-map.js";
import { caretakerDraw, isVolunteering } from "../store/caretakers.js";
import { searchCatalogue } from "../store/catalogue.js";
import { loanCellCounts } from "../store/loan-map.js";
import { libraryRulesOf } from "../store/settings.js";
import { LoanPeriodInput, ToolLibrarySettingsInput, ToolSearchInput } from "./inputs.js";
import { toCaretakerDuo, toLibrarySettings, toTool } from "./mappers.js";
import { CaretakerDuo, LoanMap, LoanMapCell, ToolLibrarySettings, ToolPage, ToolsCircle } from "./types.js";

/** The cycle a label names; the current one when none is given. Cycles that have not begun are refused. */
function cycleAsked(
  label: string | null | undefined,
  now: Date,
  fallback: (current: LunarCycle) => LunarCycle,
): LunarCycle {
  const current = cycleContaining(now);
  if (label == null) return fallback(current);
  const cycle = cycleByLabel(label);
  if (!cycle)
    throw badInput(
      `"${label}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
    );
  if (cycle.startsAt.getTime() > current.startsAt.getTime())
    throw badInput(`Cycle ${label} has not begun; the current cycle is ${current.label}.`);
  return cycle;
}

@Resolver(() => ToolsCircle)
export class CircleLibraryResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @FieldResolver(() => ToolPage, {
    nullable: true,
    description: "The circle's tools in name order, searched by category, words and availability. Members only.",
  })
  async tools(
    @Root() circle: ToolsCircle,
    @Arg("search", () => ToolSearchInput, { nullable: true }) search: ToolSearchInput | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: ToolsContext,
  ): Promise<ToolPage> {
    requireMembership(context.caller, circle.id);
    const limit = pageSize(page.first);
    const after = decodeCursor(page.after, 2);
    if (after && !isUuid(String(after[1])))
      throw badInput("The cursor is not one this API gave out; start again without it.");
    const words = search?.words?.trim();
    if (words && words.length > MAX_SEARCH_WORDS_LENGTH)
      throw badInput(`Search words are at most ${MAX_SEARCH_WORDS_LENGTH} characters; these have ${words.length}.`);
    const rows = await searchCatalogue(context.db, {
      circleId: circle.id,
      category: search?.category ? accepted(normaliseCategory(search.category)).category : undefined,
      words: words || undefined,
      isAvailable: search?.isAvailable ?? undefined,
      includeRetired: search?.includeRetired ?? false,
      after: after && [String(after[0]), String(after[1])],
      limit: limit + 1,
    });
    return Object.assign(
      new ToolPage(),
      toPage(rows, limit, (row) => [row.name.toLowerCase(), row.id], toTool),
    );
  }

  @Disclose("members")
  @FieldResolver(() => CaretakerDuo, {
    nullable: true,
    description:
      "The caretaker duo of a cycle and how it was drawn. Default: the current cycle, as for every cycle argument a member of the circle leaves out (`loanMap` too); null before its draw. Members only.",
  })
  async caretakers(
    @Root() circle: ToolsCircle,
    @Arg("cycle", () => String, { nullable: true }) label: string | null,
    @Ctx() context: ToolsContext,
  ): Promise<CaretakerDuo | null> {
    requireMembership(context.caller, circle.id);
    const cycle = cycleAsked(label, context.clock(), (current) => current);
    const row = await caretakerDraw(context.db, circle.id, cycle.label);
    return row ? toCaretakerDuo(row) : null;
  }

  @Disclose("public")
  @FieldResolver(() => LoanMap, {
    nullable: true,
    description: `Loans per coarse cell (${MAP_PRECISION} geohash characters, about 5 km across; one precision for every reader) in a cycle. Default: the current cycle for members of the circle (as \`caretakers\`), the last closed one for anyone else. A closed cycle's map is public and unchanging; the current one is for members. A cell is shown only when at least 5 distinct hosts and 5 distinct borrowers stand behind it, and more cells are left out when those left out would otherwise be recoverable from the circle's total.`,
  })
  async loanMap(
    @Root() circle: ToolsCircle,
    @Arg("cycle", () => String, { nullable: true }) label: string | null,
    @Ctx() context: ToolsContext,
  ): Promise<LoanMap> {
    if (!isUuid(circle.id)) throw notFound("No circle with that id.");
    const now = context.clock();
    const cycle = cycleAsked(label, now, (current) =>
      isMemberOf(context.caller, circle.id) ? current : precedingCycle(current),
    );
    const isClosed = cycle.endsAt.getTime() <= now.getTime();
    if (!isClosed) requireMembership(context.caller, circle.id);
    const cells = publishLoanCells(await loanCellCounts(context.db, circle.id, cycle.label, MAP_PRECISION));
    return Object.assign(new LoanMap(), {
      cycle: cycle.label,
      isClosed,
      precision: MAP_PRECISION,
      cells: cells.map((cell) => Object.assign(new LoanMapCell(), cell)),
    });
  }

  @Disclose("members")
  @FieldResolver(() => ToolLibrarySettings, { nullable: true, description: "The library's rules. Members only." })
  async toolLibrarySettings(@Root() circle: ToolsCircle, @Ctx() context: ToolsContext): Promise<ToolLibrarySettings> {
    requireMembership(context.caller, circle.id);
    return toLibrarySettings(await libraryRulesOf(context.db, circle.id));
  }

  @Disclose("viewer")
  @FieldResolver(() => Boolean, { nullable: true, description: "Whether you volunteer as caretaker. Members only." })
  isCaretakerVolunteer(@Root() circle: ToolsCircle, @Ctx() context: ToolsContext): Promise<boolean> {
    const membership = requireMembership(context.caller, circle.id);
    return isVolunteering(context.db, circle.id, membership.memberId);
  }

  @Disclose("stewards")
  @Mutation(() => ToolLibrarySettings, {
    description:
      "Sets the per-member limit of open reservations and the interval between overdue reminders. Organizers only.",
  })
  async setToolLibrarySettings(
    @Arg("input", () => ToolLibrarySettingsInput) input: ToolLibrarySettingsInput,
    @Ctx() context: ToolsContext,
  ): Promise<ToolLibrarySettings> {
    return toLibrarySettings(await setToolLibrarySettings(context, { ...input }));
  }

  @Disclose("stewards")
  @Mutation(() => ToolLibrarySettings, {
    description:
      "Sets how many days a loan of a category lasts. Organizers only; loans already out keep their due date.",
  })
  async setLoanPeriod(
    @Arg("input", () => LoanPeriodInput) input: LoanPeriodInput,
    @Ctx() context: ToolsContext,
  ): Promise<ToolLibrarySettings> {
    return toLibrarySettings(await setLoanPeriod(context, { ...input }));
  }

  @Disclose("members")
  @Mutation(() => Boolean, {
    description:
      "Puts you in the pool the next caretaker duos are drawn from. Returns whether you volunteer. Members only.",
  })
  async volunteerAsCaretaker(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: ToolsContext,
  ): Promise<boolean> {
    return volunteerAsCaretaker(context, { circleId });
  }

  @Disclose("members")
  @Mutation(() => Boolean, {
    description:
      "Takes you out of the pool for the next draws; a duo already drawn serves its cycle. Returns whether you volunteer. Members only.",
  })
  async withdrawAsCaretaker(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: ToolsContext,
  ): Promise<boolean> {
    return withdrawAsCaretaker(context, { circleId });
  }
}
