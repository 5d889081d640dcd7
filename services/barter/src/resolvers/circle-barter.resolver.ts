import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import {
  badInput,
  cycleByLabel,
  cycleContaining,
  nextBoundaryAfter,
  precedingCycle,
  requireMembership,
  requireRole,
  type LunarCycle,
} from "@rhizome/kit";
import { balanceLimitsProblem, DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";
import { publishCycleSummary } from "../domain/summary.js";
import { ExpiryRunRow } from "../entities/expiry-run.js";
import { openMemberAccount } from "../store/accounts.js";
import { countCycleFigures, recordedFiguresKey } from "../store/cycle-figures.js";
import type { BarterContext } from "../context.js";
import { BarterLimitsInput } from "./inputs.js";
import { BarterCircle, BarterCycleSummary, BarterExpiry, BarterExpiryRun, BarterSettings } from "./types.js";
import { IsNull, Not } from "typeorm";

async function settingsOf(context: BarterContext, circleId: string): Promise<BarterSettings> {
  const row = await context.settings.load(circleId);
  return Object.assign(new BarterSettings(), row ? { floorMinutes: row.floorMinutes, ceilingMinutes: row.ceilingMinutes } : DEFAULT_BALANCE_LIMITS);
}

@Resolver(() => BarterCircle)
export class CircleBarterResolver {
  @FieldResolver(() => BarterSettings, { description: "The circle's balance floor and ceiling. Members only." })
  barterSettings(@Root() circle: BarterCircle, @Ctx() context: BarterContext): Promise<BarterSettings> {
    requireMembership(context.caller, circle.id);
    return settingsOf(context, circle.id);
  }

  @Mutation(() => BarterSettings, { description: "Sets the circle's balance floor and ceiling. Organizers only. Existing balances are not changed." })
  async setBarterLimits(@Arg("input", () => BarterLimitsInput) input: BarterLimitsInput, @Ctx() context: BarterContext): Promise<BarterSettings> {
    const membership = requireRole(context.caller, input.circleId, "organizer");
    const problem = balanceLimitsProblem(input);
    if (problem) throw badInput(problem);
    const now = context.clock();
    await context.db.transaction(async (manager) => {
      await openMemberAccount(manager, input.circleId, membership.memberId, now);
      await manager.query(`UPDATE circle_settings SET floor_minutes = $2, ceiling_minutes = $3, updated_at = $4 WHERE circle_id = $1`, [
        input.circleId,
        input.floorMinutes,
        input.ceilingMinutes,
        now,
      ]);
    });
    context.settings.clear(input.circleId);
    return settingsOf(context, input.circleId);
  }

  @FieldResolver(() => BarterExpiry, { description: "When balances next expire and what the last expiry did. Organizers only." })
  async barterExpiry(@Root() circle: BarterCircle, @Ctx() context: BarterContext): Promise<BarterExpiry> {
    requireRole(context.caller, circle.id, "organizer");
    const last = await context.db.getRepository(ExpiryRunRow).findOne({
      where: { circleId: circle.id, finishedAt: Not(IsNull()) },
      order: { cycle: "DESC" },
    });
    return Object.assign(new BarterExpiry(), {
      nextRunAt: nextBoundaryAfter(context.clock()),
      lastRun: last
        ? Object.assign(new BarterExpiryRun(), {
            cycle: last.cycle,
            finishedAt: last.finishedAt,
            accountsExpired: last.accountsExpired ?? 0,
            creditsExpiredMinutes: last.creditsExpiredMinutes ?? 0,
            debtsAnnulledMinutes: last.debtsAnnulledMinutes ?? 0,
          })
        : null,
    });
  }

  @FieldResolver(() => BarterCycleSummary, {
    description:
      "The anonymized summary of a cycle (label: the UTC date of its new moon). Defaults to the last closed cycle. Closed cycles are public; the current one is for members.",
  })
  async barterSummary(
    @Root() circle: BarterCircle,
    @Arg("cycle", () => String, { nullable: true }) label: string | null,
    @Ctx() context: BarterContext,
  ): Promise<BarterCycleSummary> {
    const current = cycleContaining(context.clock());
    let cycle: LunarCycle;
    if (label == null) {
      cycle = precedingCycle(current);
    } else {
      const found = cycleByLabel(label);
      if (!found) throw badInput(`"${label}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`);
      if (found.startsAt.getTime() > current.startsAt.getTime()) throw badInput(`Cycle ${label} has not begun; the current cycle is ${current.label}.`);
      cycle = found;
    }
    const isClosed = cycle.label !== current.label;
    if (!isClosed) requireMembership(context.caller, circle.id);
    // Recorded when the cycle's expiry completed; counted live while it is open or not yet expired.
    const figures = (await context.recordedFigures.load(recordedFiguresKey(circle.id, cycle.label))) ?? (await countCycleFigures(context.db, circle.id, cycle));
    const published = publishCycleSummary(figures);
    return Object.assign(new BarterCycleSummary(), { cycle: cycle.label, startsAt: cycle.startsAt, endsAt: cycle.endsAt, isClosed, ...published });
  }
}
