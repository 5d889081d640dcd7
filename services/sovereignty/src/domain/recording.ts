import { cycleByLabel, cycleContaining, precedingCycle, type LunarCycle } from "@rhizome/kit";
import { handRecordedKinds, kindRules, type SovereigntyEventKind } from "./kinds.js";

/** The most one hand-recorded event may count (a week of shared meals at a big table, not a census). */
export const MAX_HAND_RECORDED_COUNT = 500;
/** Idempotency keys are any string up to this length, as barter's and defense's are. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 100;
/** How many ended cycles back an organizer may still record by hand; older figures are settled. */
export const MAX_RECORDING_LOOKBACK_CYCLES = 3;

export interface HandRecording {
  kind: SovereigntyEventKind;
  count: number;
  /** A cycle label; default the current cycle. */
  cycle?: string | null;
  /** The client's key for retries. */
  idempotencyKey?: string | null;
}

/** The cycle a hand recording goes to, or the problem to tell the organizer. */
export function handRecordingProblem(recording: HandRecording, now: Date): { cycle: LunarCycle } | { problem: string } {
  if (!kindRules[recording.kind].isRecordedByHand) {
    return {
      problem: `${recording.kind} events come from the services' own records; by hand you can record ${handRecordedKinds.join(", ")}.`,
    };
  }
  if (!Number.isInteger(recording.count) || recording.count < 1 || recording.count > MAX_HAND_RECORDED_COUNT) {
    return { problem: `Count must be a whole number from 1 to ${MAX_HAND_RECORDED_COUNT}; got ${recording.count}.` };
  }
  const key = recording.idempotencyKey;
  if (key != null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH))
    return { problem: `An idempotency key is 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${key.length}.` };
  const current = cycleContaining(now);
  if (recording.cycle == null) return { cycle: current };
  const cycle = cycleByLabel(recording.cycle);
  if (!cycle)
    return {
      problem: `"${recording.cycle}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
    };
  if (cycle.startsAt.getTime() > current.startsAt.getTime())
    return { problem: `Cycle ${cycle.label} has not begun; the current cycle is ${current.label}.` };
  let oldest = current;
  for (let i = 0; i < MAX_RECORDING_LOOKBACK_CYCLES; i++) oldest = precedingCycle(oldest);
  if (cycle.startsAt.getTime() < oldest.startsAt.getTime()) {
    return {
      problem: `Cycle ${cycle.label} is settled: by hand you can record in the current cycle and the ${MAX_RECORDING_LOOKBACK_CYCLES} before it (from ${oldest.label}).`,
    };
  }
  return { cycle };
}

/** The cycle an event from a service belongs to: the one it names, or else the one it happened in. */
export function cycleOfServiceEvent(label: string, occurredAt: Date): LunarCycle {
  return cycleByLabel(label) ?? cycleContaining(occurredAt);
}
