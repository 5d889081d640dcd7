import { cycleContaining, mayReplaceSnapshot } from "@rhizome/kit/rules";

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

/**
 * A member's request for a bloc: a change from the next new moon, or, asking for the bloc in force,
 * only the cancellation of one asked for earlier (`bloc` undefined).
 */
export interface BlocChangePlan {
  bloc: Bloc | undefined;
  effectiveAt: Date;
  /** The cycle the change holds from, the one thing services that count blocs hear of it. */
  cycle: string;
}

export function planBlocChange(bloc: Bloc, inForce: Bloc | undefined, now: Date): BlocChangePlan {
  const effectiveAt = blocChangeTakesEffectAt(now);
  return { bloc: bloc === inForce ? undefined : bloc, effectiveAt, cycle: cycleContaining(effectiveAt).label };
}

/** The bloc counts members read during one lunar cycle. */
export interface BlocSnapshot {
  cycle: string;
  countedAt: Date;
  edge: number;
  advantaged: number;
}

/** A circle's present members per bloc now, and how many joined, left or changed bloc since the last counts. */
export interface CountsSince {
  edge: number;
  advantaged: number;
  joined: number;
  left: number;
  changedBloc: number;
}

/**
 * The counts members read during the cycle that contains `now`, decided at its first reading: the
 * counts of that moment when enough people joined or left since the published counts (a change of
 * bloc is one leaving a bloc and one joining the other), otherwise the published counts again.
 * Nothing a member does during a cycle changes what anyone reads in it.
 */
export function nextBlocSnapshot(latest: BlocSnapshot | undefined, counts: CountsSince, now: Date): BlocSnapshot {
  const cycle = cycleContaining(now).label;
  const changes = { joined: counts.joined + counts.changedBloc, left: counts.left + counts.changedBloc };
  if (!latest || mayReplaceSnapshot(changes))
    return { cycle, countedAt: now, edge: counts.edge, advantaged: counts.advantaged };
  return { ...latest, cycle };
}

/** Whether a circle founded at `foundedAt` has bloc counts to show at `now`: not before its first cycle has closed. */
export function hasClosedCycle(foundedAt: Date, now: Date): boolean {
  return foundedAt.getTime() < cycleContaining(now).startsAt.getTime();
}
