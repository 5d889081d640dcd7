import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { cycleContaining, requireMembership, Disclose } from "@rhizome/kit";
import { setCycleTheme } from "../actions/set-cycle-theme.js";
import { themesOf } from "../store/themes.js";
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
    const theme = await setCycleTheme(context, { ...input });
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
