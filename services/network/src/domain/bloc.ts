import { cycleContaining } from "@rhizome/kit";

/** Self-declared: EDGE for people facing the sharpest coercion, ADVANTAGED otherwise. Private to the member. */
export const blocs = ["EDGE", "ADVANTAGED"] as const;
export type Bloc = (typeof blocs)[number];

/**
 * A change of one's own bloc holds from the next new moon: every change made during a cycle lands
 * at the same instant, so no figure moves when one member changes theirs.
 */
export function blocChangeTakesEffectAt(now: Date): Date {
  return cycleContaining(now).endsAt;
}
