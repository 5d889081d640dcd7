import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import {
  badInput,
  cycleByLabel,
  cycleContaining,
  followingCycle,
  requireMembership,
  requireRole,
  Disclose,
} from "@rhizome/kit";
import { normaliseTheme, themeCycleProblem } from "../domain/themes.js";
import { setCycleTheme, themesOf } from "../store/themes.js";
import type { BarterContext } from "../context.js";
import { SetCycleThemeInput } from "./inputs.js";
import { BarterCircle, CycleTheme } from "./types.js";

@Resolver(() => BarterCircle)
export class CycleThemeResolver {
  @Disclose("stewards")
  @Mutation(() => CycleTheme, {
    description: "Sets the theme of the current or the next cycle and the skills it features. Organizers only.",
  })
  async setCycleTheme(
    @Arg("input", () => SetCycleThemeInput) input: SetCycleThemeInput,
    @Ctx() context: BarterContext,
  ): Promise<CycleTheme> {
    const organizer = requireRole(context.caller, input.circleId, "organizer");
    const current = cycleContaining(context.clock());
    const next = followingCycle(current);
    const cycle = input.cycle == null ? current : cycleByLabel(input.cycle);
    if (!cycle)
      throw badInput(
        `"${input.cycle}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
      );
    const cycleProblem = themeCycleProblem(cycle.label, current.label, next.label);
    if (cycleProblem) throw badInput(cycleProblem);
    const normalised = normaliseTheme(input.theme, input.skills);
    if ("problem" in normalised) throw badInput(normalised.problem);
    const theme = await setCycleTheme(
      context.db,
      { circleId: input.circleId, cycle: cycle.label, ...normalised },
      organizer.memberId,
      context.clock(),
    );
    return Object.assign(new CycleTheme(), { cycle: theme.cycle, theme: theme.theme, skills: theme.skills });
  }

  @Disclose("members")
  @FieldResolver(() => CycleTheme, {
    nullable: true,
    description: "The current cycle's theme, if organizers set one. Members only.",
  })
  async cycleTheme(@Root() circle: BarterCircle, @Ctx() context: BarterContext): Promise<CycleTheme | null> {
    requireMembership(context.caller, circle.id);
    const [theme] = await themesOf(context.db, [
      { circleId: circle.id, cycle: cycleContaining(context.clock()).label },
    ]);
    return theme
      ? Object.assign(new CycleTheme(), { cycle: theme.cycle, theme: theme.theme, skills: theme.skills })
      : null;
  }
}
