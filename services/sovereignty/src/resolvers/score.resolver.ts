import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { accepted, cycleContaining, isMemberOf, requireId, requireMembership, Disclose } from "@rhizome/kit";
import { NO_CIRCLE } from "../actions/access.js";
import type { SovereigntyContext } from "../context.js";
import { historyLength, TREND_CYCLES } from "../domain/scores.js";
import { figuresOfCycles } from "../jobs/scores.js";
import { cycleOfLabel, cycleOrLastClosed, cyclesEndingWith } from "./cycles.js";
import { toScore } from "./mappers.js";
import { SovereigntyScore } from "./types.js";

@Resolver(() => SovereigntyScore)
export class SovereigntyScoreResolver {
  @Disclose("public")
  @Query(() => SovereigntyScore, {
    description:
      "A circle's sovereignty figures for a cycle (default: the last closed one). Closed cycles are public; the current one is for the circle's members.",
  })
  async sovereigntyScore(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("cycle", () => String, { nullable: true }) label: string | null,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyScore> {
    requireId(circleId, NO_CIRCLE);
    const now = context.clock();
    const cycle = cycleOrLastClosed(label, now);
    const isClosed = cycle.endsAt.getTime() <= now.getTime();
    if (!isClosed) requireMembership(context.caller, circleId);
    const figures = await figuresOfCycles(context.db, circleId, [cycle], now);
    return toScore(circleId, cycle, isClosed, figures.get(cycle.label)!);
  }

  @Disclose("public")
  @Query(() => [SovereigntyScore], {
    description: `A circle's figures for up to ${TREND_CYCLES} cycles ending with \`throughCycle\` (default: the current one for members, else the last closed), oldest first.`,
  })
  async sovereigntyHistory(
    @Arg("circleId", () => ID) circleId: string,
    @Arg("throughCycle", () => String, { nullable: true }) label: string | null,
    @Arg("cycles", () => Int, { nullable: true, description: `1 to ${TREND_CYCLES}; default ${TREND_CYCLES}.` })
    count: number | null,
    @Ctx() context: SovereigntyContext,
  ): Promise<SovereigntyScore[]> {
    requireId(circleId, NO_CIRCLE);
    const cycleCount = accepted(historyLength(count));
    const now = context.clock();
    const last =
      label == null
        ? isMemberOf(context.caller, circleId)
          ? cycleContaining(now)
          : cycleOrLastClosed(null, now)
        : cycleOfLabel(label, now);
    const isLastClosed = last.endsAt.getTime() <= now.getTime();
    if (!isLastClosed) requireMembership(context.caller, circleId);
    const cycles = cyclesEndingWith(last, cycleCount);
    const figures = await figuresOfCycles(context.db, circleId, cycles, now);
    return cycles.map((cycle) =>
      toScore(circleId, cycle, cycle.endsAt.getTime() <= now.getTime(), figures.get(cycle.label)!),
    );
  }
}
