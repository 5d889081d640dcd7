import { defineAction, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { hearingPlan, REMINDER_LEAD_MS, SHORTAGE_CHECK_LEAD_MS } from "../domain/accompaniment.js";
import { ACCOMPANIMENT_QUEUE } from "../jobs/accompaniment.js";
import { triggerJob } from "../jobs/triggers.js";
import { scheduleHearing as insertHearing } from "../store/hearings.js";
import { hearingView } from "./hearing-access.js";

export interface ScheduleHearingInput {
  circleId: string;
  startsAt: Date;
  place: string;
  companionsNeeded: number;
  shifts?: Array<{ startsAt: Date; endsAt: Date }> | null;
}

const scheduling = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: ScheduleHearingInput) =>
    requireMembership(caller, input.circleId),
  decide: (input: ScheduleHearingInput, _membership, now) => hearingPlan(input, now),
  apply: async ({ tx, now }, plan, { memberId }) => {
    const { hearing, shiftIds } = await insertHearing(tx, { ...plan, memberId }, now);
    return { ...(await hearingView(tx, hearing, memberId, [])), shiftIds, shiftTimes: plan.shifts, now };
  },
});

/**
 * A member asks the circle for companions to a hearing. Its check (48 h before) and its shifts'
 * reminders are timed in the queue only after the transaction committed (a job must find its rows),
 * so this action is the transaction and then the queue; when the queue is down the sweep times them.
 */
export async function scheduleHearing(context: DefenseContext, input: ScheduleHearingInput) {
  const { shiftIds, shiftTimes, now, ...view } = await scheduling(context, input);
  try {
    const queue = context.runtime.queue(ACCOMPANIMENT_QUEUE);
    const checkAt = view.hearing.startsAt.getTime() - SHORTAGE_CHECK_LEAD_MS;
    await triggerJob(queue, "check", {}, `hearing-check-${view.hearing.id}`, checkAt - now.getTime());
    for (const [index, id] of shiftIds.entries()) {
      const remindAt = shiftTimes[index].startsAt.getTime() - REMINDER_LEAD_MS;
      await triggerJob(queue, "remind", {}, `shift-reminder-${id}`, remindAt - now.getTime());
    }
  } catch (error) {
    context.runtime.logger.warn({ err: error }, "could not time a hearing's check; the sweep will do it");
  }
  return view;
}
