import { cycleContaining, isRefusal, precedingCycle, type Refusal, type Verdict } from "@rhizome/kit/rules";
import type { ToolCondition } from "./catalogue.js";

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

export const maintenanceKinds = ["AUDIT", "REPAIR"] as const;
export type MaintenanceKind = (typeof maintenanceKinds)[number];

/** Whether an audit may record `found` on the tool as it is now. */
export function auditProblem(
  tool: { condition: ToolCondition; retiredAt: Date | null },
  found: ToolCondition,
): Refusal | undefined {
  if (tool.retiredAt) return { code: "CONFLICT", problem: "This tool is retired; there is nothing to audit." };
  if (found === "RETIRED") return { problem: "An audit records the condition found; retire a tool with retireTool." };
  if (tool.condition === "NEEDS_REPAIR" && found !== "NEEDS_REPAIR")
    return { code: "CONFLICT", problem: "This tool needs repair: record the repair (recordRepair) first." };
  return undefined;
}

/** Whether a repair may be recorded on the tool as it is now. */
export function repairProblem(tool: { retiredAt: Date | null }): Refusal | undefined {
  return tool.retiredAt ? { code: "CONFLICT", problem: "This tool is retired; record no repairs on it." } : undefined;
}

/** Notes of an audit or a repair: trimmed, at most MAX_MAINTENANCE_NOTES_LENGTH characters, may be empty. */
export function maintenanceNotes(raw: string | null | undefined): Verdict<{ notes: string }> {
  const notes = (raw ?? "").trim();
  if (notes.length > MAX_MAINTENANCE_NOTES_LENGTH)
    return { problem: `Notes are at most ${MAX_MAINTENANCE_NOTES_LENGTH} characters; these have ${notes.length}.` };
  return { notes };
}

export interface RepairInput {
  minutes: number;
  parts?: string | null;
  notes?: string | null;
  exchangeId?: string | null;
  conditionAfter?: ToolCondition | null;
}

export interface RepairDetails {
  minutes: number;
  parts: string;
  notes: string;
  /** The barter exchange the repair was paid in hours with, if any (barter's id; not checked here). */
  exchangeId: string | null;
  conditionAfter: ToolCondition;
}

/** What a repair records, checked in the order a client reads the problems; `isId` tells an id's shape. */
export function repairDetails(input: RepairInput, isId: (value: string) => boolean): Verdict<RepairDetails> {
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > MAX_REPAIR_MINUTES)
    return { problem: `A repair takes 1 to ${MAX_REPAIR_MINUTES} minutes of work; got ${input.minutes}.` };
  const parts = (input.parts ?? "").trim();
  if (parts.length > MAX_PARTS_LENGTH)
    return { problem: `Parts are at most ${MAX_PARTS_LENGTH} characters; these have ${parts.length}.` };
  const conditionAfter = input.conditionAfter ?? "GOOD";
  if (!["NEW", "GOOD", "WORN"].includes(conditionAfter))
    return { problem: "After a repair a tool is NEW, GOOD or WORN; if it still needs repair, record no repair yet." };
  if (input.exchangeId != null && !isId(input.exchangeId))
    return { problem: "exchangeId is not an exchange id (a UUID from barter)." };
  const notes = maintenanceNotes(input.notes);
  if (isRefusal(notes)) return notes;
  return { minutes: input.minutes, parts, notes: notes.notes, exchangeId: input.exchangeId ?? null, conditionAfter };
}

/** An idempotency key is any string of 1 to this many characters, as in barter. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;

/** A client's idempotency key for an audit or a repair: absent, or 1 to MAX_IDEMPOTENCY_KEY_LENGTH characters. */
export function maintenanceIdempotencyKey(raw: string | null | undefined): Verdict<{ idempotencyKey: string | null }> {
  if (raw == null) return { idempotencyKey: null };
  if (raw.length === 0 || raw.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return {
      problem: `An idempotency key is 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; this one has ${raw.length}.`,
    };
  return { idempotencyKey: raw };
}

/**
 * An audit or a repair sent again with a key its recorder already used (a phone's outbox after a lost
 * answer): the record the first attempt made, when it is of the same kind on the same tool; a key
 * reused for something else is refused rather than read as the earlier record.
 */
export function maintenanceReplay<Earlier extends { toolId: string; kind: MaintenanceKind }>(
  earlier: Earlier,
  toolId: string,
  kind: MaintenanceKind,
): Verdict<{ replay: Earlier }> {
  if (earlier.toolId !== toolId || earlier.kind !== kind)
    return { code: "CONFLICT", problem: "This idempotency key was already used for another audit or repair." };
  return { replay: earlier };
}
