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
const SEARCH_LIMIT_DAYS = 40;

/** The first new moon at or after `instant`. */
export function nextNewMoon(instant: Date): Date {
  const found = SearchMoonPhase(NEW_MOON_LONGITUDE, instant, SEARCH_LIMIT_DAYS);
  if (!found) throw new Error(`No new moon found within ${SEARCH_LIMIT_DAYS} days of ${instant.toISOString()}`);
  return found.date;
}

/**
 * The numeric search finds a new moon only to within about 0.1 s, and where within that depends
 * on where the search starts. A boundary must be the same instant every time it is computed (it
 * keys expiry, labels and job ids), so each new moon is always searched from the same start: two
 * days before the mean new moon of its lunation. True new moons stray less than 15 hours from the
 * mean, so that search finds that lunation's new moon and no other.
 */
const SYNODIC_MONTH_MS = 29.530588853 * MS_PER_DAY;
/** The new moon of 2000-01-06 18:14 UTC numbers lunation 0 here. */
const REFERENCE_NEW_MOON_MS = Date.UTC(2000, 0, 6, 18, 14);
const SEARCH_LEAD_MS = 2 * MS_PER_DAY;
const MAX_CACHED_LUNATIONS = 10_000;
const newMoonByLunation = new Map<number, Date>();

function newMoonOfLunation(lunation: number): Date {
  const cached = newMoonByLunation.get(lunation);
  if (cached) return cached;
  const found = nextNewMoon(new Date(REFERENCE_NEW_MOON_MS + lunation * SYNODIC_MONTH_MS - SEARCH_LEAD_MS));
  if (newMoonByLunation.size >= MAX_CACHED_LUNATIONS) newMoonByLunation.clear();
  newMoonByLunation.set(lunation, found);
  return found;
}

/** The cycle that contains `instant`. */
export function cycleContaining(instant: Date): LunarCycle {
  const at = instant.getTime();
  let lunation = Math.floor((at - REFERENCE_NEW_MOON_MS) / SYNODIC_MONTH_MS);
  // The mean lunation is at most a day off the true one: step to the cycle that holds `instant`.
  while (newMoonOfLunation(lunation).getTime() > at) lunation--;
  while (newMoonOfLunation(lunation + 1).getTime() <= at) lunation++;
  return cycleFrom(newMoonOfLunation(lunation), newMoonOfLunation(lunation + 1));
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

/** The cycle whose label is `label`; throws when no new moon falls on that date. */
export function cycleByLabelOrThrow(label: string): LunarCycle {
  const cycle = cycleByLabel(label);
  if (!cycle) throw new Error(`"${label}" is not a lunar cycle label (the UTC date of a new moon).`);
  return cycle;
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
