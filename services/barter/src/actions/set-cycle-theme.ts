import {
  cycleByLabel,
  cycleContaining,
  defineAction,
  followingCycle,
  requireRole,
  type Membership,
} from "@rhizome/kit";
import { normaliseTheme, themeCycleProblem } from "../domain/themes.js";
import type { BarterContext } from "../context.js";
import { upsertCycleTheme, type CycleTheme } from "../store/themes.js";
import { lockActingMember } from "./acting-member.js";

export interface SetCycleThemeInput {
  circleId: string;
  /** A cycle label; the current cycle when absent. */
  cycle?: string | null;
  theme: string;
  skills: string[];
}

/** An organizer sets (or replaces) the theme of the current or the next cycle and the skills it features. */
export const setCycleTheme = defineAction<BarterContext, SetCycleThemeInput, Membership, CycleTheme, CycleTheme>({
  authorize: ({ caller }, input) => requireRole(caller, input.circleId, "organizer"),
  decide: (input, _organizer, now) => {
    const current = cycleContaining(now);
    const cycle = input.cycle == null ? current : cycleByLabel(input.cycle);
    if (!cycle)
      return {
        problem: `"${input.cycle}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
      };
    const cycleProblem = themeCycleProblem(cycle.label, current.label, followingCycle(current).label);
    if (cycleProblem) return { problem: cycleProblem };
    const normalised = normaliseTheme(input.theme, input.skills);
    if ("problem" in normalised) return normalised;
    return { circleId: input.circleId, cycle: cycle.label, ...normalised };
  },
  apply: async ({ tx, now }, theme, organizer) => {
    await lockActingMember(tx, organizer, now);
    return upsertCycleTheme(tx, theme, now);
  },
});
