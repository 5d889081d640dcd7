import { SearchMoonPhase } from "astronomy-engine";

/**
 * A lunar cycle runs from one new moon (inclusive) to the next (exclusive), in UTC.
 * It is labelled by the UTC date of its first new moon, e.g. "2026-11-09".
 */
export interface LunarCycle {
  label: string;
  startsAt: Date;
  endsAt: Date;
}

const NEW_MOON_LONGITUDE = 0;
const MS_PER_DAY = 86_400_000;
/** The synodic month is 29.18 to 29.93 days; 31 days back always passes a new moon. */
const LOOKBACK_DAYS = 31;
const SEARCH_LIMIT_DAYS = 40;

/** The first new moon at or after `instant`. */
export function nextNewMoon(instant: Date): Date {
  const found = SearchMoonPhase(NEW_MOON_LONGITUDE, instant, SEARCH_LIMIT_DAYS);
  if (!found) throw new Error(`No new moon found within ${SEARCH_LIMIT_DAYS} days of ${instant.toISOString()}`);
  return found.date;
}

/** The cycle that contains `instant`. */
export function cycleContaining(instant: Date): LunarCycle {
  let startsAt = nextNewMoon(new Date(instant.getTime() - LOOKBACK_DAYS * MS_PER_DAY));
  for (;;) {
    const endsAt = nextNewMoon(new Date(startsAt.getTime() + MS_PER_DAY));
    if (endsAt.getTime() > instant.getTime()) return cycleFrom(startsAt, endsAt);
    startsAt = endsAt;
  }
}

/** The instant the cycle containing `instant` ends, i.e. the next boundary strictly after it. */
export function nextBoundaryAfter(instant: Date): Date {
  return cycleContaining(instant).endsAt;
}

export function cycleLabel(startsAt: Date): string {
  return startsAt.toISOString().slice(0, 10);
}

/** The cycle that follows `cycle`. */
export function followingCycle(cycle: LunarCycle): LunarCycle {
  return cycleContaining(cycle.endsAt);
}

/** The cycle just before `cycle`. */
export function precedingCycle(cycle: LunarCycle): LunarCycle {
  return cycleContaining(new Date(cycle.startsAt.getTime() - 1));
}

/** The cycle whose label is `label` ("YYYY-MM-DD"), or undefined when no new moon falls on that date. */
export function cycleByLabel(label: string): LunarCycle | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(label)) return undefined;
  const dayStart = new Date(`${label}T00:00:00.000Z`);
  if (Number.isNaN(dayStart.getTime())) return undefined;
  const cycle = cycleContaining(new Date(dayStart.getTime() + MS_PER_DAY - 1));
  return cycle.label === label ? cycle : undefined;
}

/** Every cycle boundary (new moon) in (after, until]. Used to catch up after downtime. */
export function boundariesBetween(after: Date, until: Date): Date[] {
  const boundaries: Date[] = [];
  let boundary = nextBoundaryAfter(after);
  while (boundary.getTime() <= until.getTime()) {
    boundaries.push(boundary);
    boundary = nextBoundaryAfter(boundary);
  }
  return boundaries;
}

function cycleFrom(startsAt: Date, endsAt: Date): LunarCycle {
  return { label: cycleLabel(startsAt), startsAt, endsAt };
}
