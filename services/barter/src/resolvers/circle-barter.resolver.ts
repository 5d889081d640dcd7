import { Kind, type GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from "type-graphql";
import {
  badInput,
  cycleByLabel,
  cycleContaining,
  isMemberOf,
  isUuid,
  nextBoundaryAfter,
  notFound,
  precedingCycle,
  requireMembership,
  requireRole,
  type LunarCycle,
  Disclose,
} from "@rhizome/kit";
import { setBarterLimits } from "../actions/set-barter-limits.js";
import { DEFAULT_BALANCE_LIMITS } from "../domain/balance-limits.js";
import { publishCycleSummary } from "../domain/summary.js";
import { couldHaveFigures, recordedFiguresKey } from "../store/cycle-figures.js";
import type { BarterContext } from "../context.js";
import { BarterLimitsInput } from "./inputs.js";
import { BarterCircle, BarterCycleSummary, BarterExpiry, BarterExpiryRun, BarterSettings } from "./types.js";

async function settingsOf(context: BarterContext, circleId: string): Promise<BarterSettings> {
  const row = await context.settings.load(circleId);
  return Object.assign(
    new BarterSettings(),
    row ? { floorMinutes: row.floorMinutes, ceilingMinutes: row.ceilingMinutes } : DEFAULT_BALANCE_LIMITS,
  );
}

/** A cycle summary's fields that say when the cycle runs: no figure is counted for them. */
const CALENDAR_FIELDS: ReadonlySet<string> = new Set([
  "cycle",
  "startsAt",
  "endsAt",
  "isClosed",
  "previousCycle",
  "__typename",
]);

/** Whether the request asks a summary only when its cycle runs (the member app's home view: days to the new moon). */
function asksOnlyCalendar(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every(
    (node) =>
      node.selectionSet?.selections.every(
        (selection) => selection.kind === Kind.FIELD && CALENDAR_FIELDS.has(selection.name.value),
      ) ?? false,
  );
}

@Resolver(() => BarterCircle)
export class CircleBarterResolver {
  @Disclose("members")
  @FieldResolver(() => BarterSettings, {
    nullable: true,
    description: "The circle's balance floor and ceiling. Members only.",
  })
  barterSettings(@Root() circle: BarterCircle, @Ctx() context: BarterContext): Promise<BarterSettings> {
    requireMembership(context.caller, circle.id);
    return settingsOf(context, circle.id);
  }

  @Disclose("stewards")
  @Mutation(() => BarterSettings, {
    description: "Sets the circle's balance floor and ceiling. Organizers only. Existing balances are not changed.",
  })
  async setBarterLimits(
    @Arg("input", () => BarterLimitsInput) input: BarterLimitsInput,
    @Ctx() context: BarterContext,
  ): Promise<BarterSettings> {
    await setBarterLimits(context, { ...input });
    context.settings.clear(input.circleId);
    return settingsOf(context, input.circleId);
  }

  @Disclose("members")
  @FieldResolver(() => BarterExpiry, {
    nullable: true,
    description: "When balances next expire and what the last expiry did. Organizers only.",
  })
  async barterExpiry(@Root() circle: BarterCircle, @Ctx() context: BarterContext): Promise<BarterExpiry> {
    requireRole(context.caller, circle.id, "organizer");
    const last = await context.lastExpiryRuns.load(circle.id);
    return Object.assign(new BarterExpiry(), {
      nextRunAt: nextBoundaryAfter(context.clock()),
      lastRun: last ? Object.assign(new BarterExpiryRun(), last) : null,
    });
  }

  @Disclose("public")
  @FieldResolver(() => BarterCycleSummary, {
    nullable: true,
    description:
      "The anonymized summary of a cycle (label: the UTC date of its new moon). Defaults to the last closed cycle. Closed cycles are public once their new moon's expiry has recorded them (NOT_FOUND for the public until then, usually minutes), and never change after; the current one, and a closed one not yet recorded, are counted live for members.",
  })
  async barterSummary(
    @Root() circle: BarterCircle,
    @Arg("cycle", () => String, { nullable: true }) label: string | null,
    @Ctx() context: BarterContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<BarterCycleSummary> {
    // Circle ids are UUIDs; anything else names no circle, and must not reach Postgres.
    if (!isUuid(circle.id)) throw notFound("No circle with that id.");
    const current = cycleContaining(context.clock());
    let cycle: LunarCycle;
    if (label == null) {
      cycle = precedingCycle(current);
    } else {
      const found = cycleByLabel(label);
      if (!found)
        throw badInput(
          `"${label}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
        );
      if (found.startsAt.getTime() > current.startsAt.getTime())
        throw badInput(`Cycle ${label} has not begun; the current cycle is ${current.label}.`);
      cycle = found;
    }
    const isClosed = cycle.label !== current.label;
    if (!isClosed) requireMembership(context.caller, circle.id);
    const calendar = {
      cycle: cycle.label,
      startsAt: cycle.startsAt,
      endsAt: cycle.endsAt,
      isClosed,
      previousCycle: precedingCycle(cycle).label,
    };
    // A member may see any of the circle's figures, so asking only for the calendar tells them nothing
    // less; it is answered without counting the cycle (six statements). Others still meet NOT_FOUND below.
    if (isMemberOf(context.caller, circle.id) && asksOnlyCalendar(info))
      return Object.assign(new BarterCycleSummary(), calendar);
    // Recorded when the cycle's expiry completed; counted live while it is open or not yet expired.
    // Both are loaders, so a list of circles costs one query of each kind, not one per circle.
    const key = recordedFiguresKey(circle.id, cycle.label);
    const recorded = await context.recordedFigures.load(key);
    // A closed cycle is published as its expiry recorded it, never counted live for the public: live
    // figures of an ended cycle still move (its expiry, listings edited) and would single someone out.
    if (
      !recorded &&
      !isMemberOf(context.caller, circle.id) &&
      (await couldHaveFigures(context.db, circle.id, cycle.endsAt))
    ) {
      throw notFound(
        `The figures of cycle ${cycle.label} are not published yet: they are published once its new moon's expiry has run, within minutes of it. Try again shortly.`,
      );
    }
    const figures = recorded ?? (await context.liveFigures.load(key));
    const published = publishCycleSummary(figures);
    return Object.assign(new BarterCycleSummary(), { ...calendar, ...published });
  }
}
