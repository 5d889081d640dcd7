import {
  accepted,
  defineAction,
  isRefusal,
  registerKnownCircle,
  type ActionStep,
  type LunarCycle,
  type Membership,
  type Verdict,
} from "@rhizome/kit";
import { handRecordingProblem, retriedHandRecord, type HandRecording } from "../domain/recording.js";
import type { SovereigntyContext } from "../context.js";
import { cycleToCountIn } from "../store/scores.js";
import { handEventByKey, insertHandEvent, type SovereigntyEventRow } from "../store/events.js";
import { requireOrganizerOrSteward } from "./access.js";

export interface RecordSovereigntyEventInput extends HandRecording {
  circleId: string;
}

interface Recording {
  membership: Membership;
  /** The circle's record already made with the input's idempotency key, if any. */
  first: SovereigntyEventRow | undefined;
}

type RecordingPlan =
  | { kind: "retry"; first: SovereigntyEventRow }
  | { kind: "record"; input: RecordSovereigntyEventInput; cycle: LunarCycle };

/**
 * Organizers and stewards record by hand a need met (S1); a retry with the same idempotency key
 * answers the first record. Like a service's event, it counts in the cycle it names only while that
 * cycle's figures are unpublished, otherwise in the first cycle not yet published.
 */
export const recordSovereigntyEvent = defineAction({
  authorize: async ({ caller, tx }: ActionStep<SovereigntyContext>, input: RecordSovereigntyEventInput) => {
    const membership = requireOrganizerOrSteward(caller, input.circleId, "record sovereignty events");
    const key = input.idempotencyKey;
    return { membership, first: key ? await handEventByKey(tx, input.circleId, key) : undefined } satisfies Recording;
  },
  decide: (input, { first }, now): Verdict<RecordingPlan> => {
    const checked = handRecordingProblem(input, now);
    if (isRefusal(checked)) return checked;
    if (!first) return { kind: "record", input, cycle: checked.cycle };
    const retried = retriedHandRecord(first, { ...input, cycle: checked.cycle });
    return isRefusal(retried) ? retried : { kind: "retry", first: retried };
  },
  apply: async ({ tx, now }, plan, { membership }) => {
    if (plan.kind === "retry") return plan.first;
    const { input } = plan;
    const cycle = await cycleToCountIn(tx, input.circleId, plan.cycle);
    const record = {
      circleId: input.circleId,
      cycle: cycle.label,
      kind: input.kind,
      count: input.count,
      recordedBy: membership.memberId,
      idempotencyKey: input.idempotencyKey ?? null,
    };
    const row = await insertHandEvent(tx, record, now);
    if (row) {
      await registerKnownCircle(tx, input.circleId, now);
      return row;
    }
    // A retry that ran alongside the first: the first is committed now, and this one is its retry.
    const first = await handEventByKey(tx, input.circleId, record.idempotencyKey!);
    if (!first) throw new Error("An idempotency key in conflict names no record.");
    return accepted(retriedHandRecord(first, { ...input, cycle: plan.cycle }));
  },
});
