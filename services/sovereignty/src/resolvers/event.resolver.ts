import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import {
  decodeInstantCursor,
  instantSortKey,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireMembership,
  toPage,
  Disclose,
} from "@rhizome/kit";
import type { SovereigntyContext } from "../context.js";
import { recordSovereigntyEvent } from "../actions/record-sovereignty-event.js";
import { kindRules, sovereigntyEventKinds } from "../domain/kinds.js";
import { eventsOfCircle } from "../store/events.js";
import { cycleOfLabel } from "./cycles.js";
import { RecordSovereigntyEventInput } from "./inputs.js";
import { toEvent } from "./mappers.js";
import { SovereigntyEvent, SovereigntyEventPage } from "./types.js";

@Resolver(() => SovereigntyEvent)
export class SovereigntyEventResolver {
  @Disclose("members")
  @Mutation(() => SovereigntyEvent, {
    description:
      "Records by hand a need met without a coercive intermediary (a meal shared, a police call avoided, a need met at a no-state sabbath). Organizers and stewards only.",
  })
  async recordSovereigntyEvent(
    @Arg("input", () => RecordSovereigntyEventInput) input: RecordSovereigntyEventInput,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyEvent> {
    return toEvent(await recordSovereigntyEvent(context, { ...input }));
  }

  @Directive(PAGE_LIST_SIZE)
  @Disclose("members")
  @Query(() => SovereigntyEventPage, {
    description:
      "A circle's sovereignty ledger, newest first, optionally of one cycle. Members only. Crises buffered are never listed one by one (the moment of one would show when someone was helped): they count in the closed cycle's figures.",
  })
  async sovereigntyEvents(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("cycle", () => String, { nullable: true }) cycle: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyEventPage> {
    requireMembership(context.caller, circleId);
    const limit = pageSize(page.first);
    const label = cycle == null ? undefined : cycleOfLabel(cycle, context.clock()).label;
    const rows = await eventsOfCircle(context.db, {
      circleId,
      cycle: label,
      after: decodeInstantCursor(page.after),
      limit: limit + 1,
      unlisted: sovereigntyEventKinds.filter((kind) => kindRules[kind].describesTrouble),
    });
    return Object.assign(
      new SovereigntyEventPage(),
      toPage(rows, limit, (row) => instantSortKey(row.recordedAt, row.id), toEvent),
    );
  }
}
