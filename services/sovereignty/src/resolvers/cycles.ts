import { accepted, cycleContaining, precedingCycle, type LunarCycle } from "@rhizome/kit";
import { namedCycle } from "../domain/recording.js";
import { closedCycle } from "../domain/scores.js";

/** The cycle a client named, refusing labels that are not new moons and cycles not yet begun. */
export function cycleOfLabel(label: string, now: Date): LunarCycle {
  return accepted(namedCycle(label, now));
}

/** The named cycle, or by default the last closed one. */
export function cycleOrLastClosed(label: string | null | undefined, now: Date): LunarCycle {
  return label == null ? precedingCycle(cycleContaining(now)) : cycleOfLabel(label, now);
}

/** The named closed cycle, or by default the last closed one; an open one is refused. */
export function closedCycleOf(label: string | null | undefined, now: Date): LunarCycle {
  return accepted(closedCycle(cycleOrLastClosed(label, now), now));
}

/** The `count` cycles ending with `last`, oldest first. */
export function cyclesEndingWith(last: LunarCycle, count: number): LunarCycle[] {
  const cycles = [last];
  while (cycles.length < count) cycles.unshift(precedingCycle(cycles[0]));
  return cycles;
}
