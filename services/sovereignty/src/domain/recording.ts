import {
  cycleByLabel,
  cycleContaining,
  precedingCycle,
  isRefusal,
  type LunarCycle,
  type Verdict,
} from "@rhizome/kit/rules";
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

/**
 * The cycle a client named by its label: refused when the label is no new moon or the cycle has not
 * begun (the current cycle is the latest one may name).
 */
export function namedCycle(label: string, now: Date): Verdict<LunarCycle> {
  const current = cycleContaining(now);
  const cycle = cycleByLabel(label);
  if (!cycle)
    return {
      problem: `"${label}" is not a cycle: give the UTC date of a new moon as YYYY-MM-DD, e.g. "${current.label}".`,
    };
  if (cycle.startsAt.getTime() > current.startsAt.getTime())
    return { problem: `Cycle ${cycle.label} has not begun; the current cycle is ${current.label}.` };
  return cycle;
}

/** The cycle a hand recording goes to, or the problem to tell the organizer. */
export function handRecordingProblem(recording: HandRecording, now: Date): Verdict<{ cycle: LunarCycle }> {
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
  const cycle = namedCycle(recording.cycle, now);
  if (isRefusal(cycle)) return cycle;
  let oldest = current;
  for (let i = 0; i < MAX_RECORDING_LOOKBACK_CYCLES; i++) oldest = precedingCycle(oldest);
  if (cycle.startsAt.getTime() < oldest.startsAt.getTime()) {
    return {
      problem: `Cycle ${cycle.label} is settled: by hand you can record in the current cycle and the ${MAX_RECORDING_LOOKBACK_CYCLES} before it (from ${oldest.label}).`,
    };
  }
  return { cycle };
}

/**
 * A retry with an idempotency key already used answers the first record, when it is the same record:
 * the same kind and count, in the cycle it named or a later one (the first may have gone to a later
 * cycle than it named, when the named one was already published). Anything else reused the key.
 */
export function retriedHandRecord<Recorded extends { kind: string; count: number; cycle: string }>(
  first: Recorded,
  retry: { kind: string; count: number; cycle: LunarCycle },
): Verdict<Recorded> {
  if (first.kind !== retry.kind || first.count !== retry.count || first.cycle < retry.cycle.label)
    return {
      problem: "That idempotency key was already used for a different record; use a new key for a new record.",
      code: "CONFLICT",
    };
  return first;
}

/** The cycle an event from a service belongs to: the one it names, or else the one it happened in. */
export function cycleOfServiceEvent(label: string, occurredAt: Date): LunarCycle {
  return cycleByLabel(label) ?? cycleContaining(occurredAt);
}
