import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from "type-graphql";
import {
  badInput,
  decodeCursor,
  encodeCursor,
  forbidden,
  isMemberOf,
  isUuid,
  PAGE_LIST_SIZE,
  PageArgs,
  pageSize,
  requireId,
  requireMembership,
  Disclose,
} from "@rhizome/kit";
import { NO_CIRCLE } from "../actions/access.js";
import { setComparisonOptOut } from "../actions/set-comparison-opt-out.js";
import type { SovereigntyContext } from "../context.js";
import { TREND_CYCLES, type SovereigntyMetric } from "../domain/scores.js";
import { publishEndedCycles } from "../jobs/scores.js";
import { isOptedOutOfComparison, publishedValues, rankCircles, type ComparisonPosition } from "../store/comparison.js";
import { closedCycleOf, cyclesEndingWith } from "./cycles.js";
import { SovereigntyMetricEnum } from "./enums.js";
import { circleRef } from "./mappers.js";
import { CircleComparison, CircleComparisonPage, SovereigntySettings, SovereigntyTrendPoint } from "./types.js";

/** The largest page of a comparison: each item carries a 12-cycle trend. */
export const MAX_COMPARISON_PAGE_SIZE = 100;
const NOT_OUR_CURSOR = "The cursor is not one this API gave out; start again without it.";

function decodeComparisonCursor(after: string | null | undefined): (ComparisonPosition & { rank: number }) | undefined {
  const values = decodeCursor(after, 3);
  if (!values) return undefined;
  const [value, circleId, rank] = values;
  if (
    typeof value !== "number" ||
    typeof circleId !== "string" ||
    !isUuid(circleId) ||
    typeof rank !== "number" ||
    !Number.isInteger(rank) ||
    rank < 0
  )
    throw badInput(NOT_OUR_CURSOR);
  return { value, circleId, rank };
}

@Resolver(() => CircleComparison)
export class ComparisonResolver {
  @Directive(PAGE_LIST_SIZE)
  @Disclose("public")
  @Query(() => CircleComparisonPage, {
    description: `Every circle that publishes the metric for a closed cycle (default: the last), highest first, each with its trend over the ${TREND_CYCLES} cycles ending then. Circles that opted out are left out. Public: published figures only. At most ${MAX_COMPARISON_PAGE_SIZE} a page.`,
  })
  async compareCircles(
    @Arg("metric", () => SovereigntyMetricEnum) metric: SovereigntyMetric,
    @Arg("cycle", () => String, { nullable: true }) label: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: SovereigntyContext,
  ): Promise<CircleComparisonPage> {
    const limit = pageSize(page.first, MAX_COMPARISON_PAGE_SIZE);
    const now = context.clock();
    const cycle = closedCycleOf(label, now);
    const after = decodeComparisonCursor(page.after);
    const rows = await rankCircles(context.db, { metric, cycle: cycle.label, after, limit: limit + 1 });
    const pageRows = rows.slice(0, limit);
    const trendCycles = cyclesEndingWith(cycle, TREND_CYCLES);
    // The ranked circles published the compared cycle; their trends show no ended cycle still unpublished.
    await publishEndedCycles(
      context.db,
      pageRows.map((row) => row.circleId),
      trendCycles,
      now,
      { comparableOnly: true },
    );
    const cycles = trendCycles.map((c) => c.label);
    const values = await publishedValues(
      context.db,
      metric,
      pageRows.map((row) => row.circleId),
      cycles,
    );
    const firstRank = (after?.rank ?? 0) + 1;
    const items = pageRows.map((row, i) =>
      Object.assign(new CircleComparison(), {
        rank: firstRank + i,
        circle: circleRef(row.circleId),
        value: row.value,
        trend: cycles.map((c) =>
          Object.assign(new SovereigntyTrendPoint(), { cycle: c, value: values.get(row.circleId)?.get(c) ?? null }),
        ),
      }),
    );
    const last = pageRows[pageRows.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeCursor([last.value, last.circleId, firstRank + pageRows.length - 1]) : null;
    return Object.assign(new CircleComparisonPage(), { items, nextCursor });
  }

  @Disclose("public")
  @Query(() => [SovereigntyTrendPoint], {
    description: `A circle's published figure over the ${TREND_CYCLES} closed cycles ending with \`throughCycle\` (default: the last closed), oldest first. Public unless the circle opted out of comparisons; then members only.`,
  })
  async sovereigntyTrend(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("metric", () => SovereigntyMetricEnum) metric: SovereigntyMetric,
    @Arg("throughCycle", () => String, { nullable: true }) label: string | null,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyTrendPoint[]> {
    requireId(circleId, NO_CIRCLE);
    const now = context.clock();
    const last = closedCycleOf(label, now);
    if (!isMemberOf(context.caller, circleId) && (await isOptedOutOfComparison(context.db, circleId))) {
      throw forbidden("This circle has opted out of comparisons; its trends are for its members.");
    }
    const trendCycles = cyclesEndingWith(last, TREND_CYCLES);
    // A cycle just ended is published now if its job has not run: a reader never sees a figure that could still change.
    await publishEndedCycles(context.db, [circleId], trendCycles, now, { comparableOnly: true });
    const cycles = trendCycles.map((c) => c.label);
    const values = (await publishedValues(context.db, metric, [circleId], cycles)).get(circleId)!;
    return cycles.map((c) => Object.assign(new SovereigntyTrendPoint(), { cycle: c, value: values.get(c) ?? null }));
  }

  @Disclose("members")
  @Query(() => SovereigntySettings, { description: "Your circle's choices about its figures. Members only." })
  async sovereigntySettings(
    @Arg("circleId", () => ID) circleId: string,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntySettings> {
    requireMembership(context.caller, circleId);
    return Object.assign(new SovereigntySettings(), {
      isOptedOutOfComparison: await isOptedOutOfComparison(context.db, circleId),
    });
  }

  @Disclose("stewards")
  @Mutation(() => SovereigntySettings, {
    description: "Takes your circle out of comparisons with other circles, or back in. Organizers only.",
  })
  async setComparisonOptOut(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("isOptedOut", () => Boolean) isOptedOut: boolean,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntySettings> {
    return Object.assign(new SovereigntySettings(), await setComparisonOptOut(context, { circleId, isOptedOut }));
  }
}
