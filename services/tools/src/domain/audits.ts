import { cycleContaining, precedingCycle } from "@rhizome/kit";

/**
 * Caretakers audit every tool during their cycle. A tool is flagged when neither the current cycle
 * nor the one before saw an audit of it (or, for a new tool, when it was added before both).
 */
export function needsAudit(lastAuditedOrAddedAt: Date, now: Date): boolean {
  const previous = precedingCycle(cycleContaining(now));
  return lastAuditedOrAddedAt.getTime() < previous.startsAt.getTime();
}

export const MAX_REPAIR_MINUTES = 24 * 60;
export const MAX_MAINTENANCE_NOTES_LENGTH = 2_000;
export const MAX_PARTS_LENGTH = 500;
