import {
  badInput,
  cycleByLabel,
  cycleContaining,
  isUuid,
  notFound,
  precedingCycle,
  type LunarCycle,
} from "@rhizome/kit";

/** The cycle a client named, refusing labels that are not new moons and cycles not yet begun. */
export function cycleOfLabel(label: string, now: Date): LunarCycle {
  const current = cycleContaining(now);
  const found = cycleByLabel(label);
  if (!found)
    throw badInput(
      `"${label}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
    );
  if (found.startsAt.getTime() > current.startsAt.getTime())
    throw badInput(`Cycle ${label} has not begun; the current cycle is ${current.label}.`);
  return found;
}

/** The named cycle, or by default the last closed one. */
export function cycleOrLastClosed(label: string | null | undefined, now: Date): LunarCycle {
  return label == null ? precedingCycle(cycleContaining(now)) : cycleOfLabel(label, now);
}

/** Circle ids are UUIDs; anything else names no circle and must not reach Postgres. */
export function requireCircleId(circleId: string): string {
  if (!isUuid(circleId)) throw notFound("No circle with that id.");
  return circleId;
}

/** The `count` cycles ending with `last`, oldest first. */
export function cyclesEndingWith(last: LunarCycle, count: number): LunarCycle[] {
  const cycles = [last];
  while (cycles.length < count) cycles.unshift(precedingCycle(cycles[0]));
  return cycles;
}
