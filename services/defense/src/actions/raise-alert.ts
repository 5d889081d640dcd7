import { defineAction, rateLimited, requireMembership, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import {
  ALERT_RATE_WINDOW_MINUTES,
  alertRateProblem,
  alertRateWindow,
  alertReport,
  type AlertKind,
  type Urgency,
} from "../domain/alerts.js";
import { enqueueWork } from "../jobs/triggers.js";
import { raiseAlert as insertAlert } from "../store/alerts.js";

export interface RaiseAlertInput {
  circleId: string;
  kind: AlertKind;
  place: string;
  urgency: Urgency;
  text: string;
}

/**
 * Counts an alert a member raises in the current window of the hub's clock, in Redis (expiring
 * with the window, so no lasting record links a member to the times they raised alerts), and
 * refuses it past MAX_ALERTS_PER_MEMBER_PER_WINDOW. When Redis cannot count, the alert is raised:
 * an alert is never lost to a limit.
 */
async function countRaise(context: DefenseContext, circleId: string, memberId: string, now: Date): Promise<void> {
  const window = alertRateWindow(now);
  let raised: number;
  try {
    const key = `defense:alert-raises:${circleId}:${memberId}:${window.index}`;
    raised = await context.redis.incr(key);
    if (raised === 1) await context.redis.pexpire(key, 2 * ALERT_RATE_WINDOW_MINUTES * 60_000);
  } catch (error) {
    context.runtime.logger.warn({ err: error }, "could not count an alert against the raise limit; raising it anyway");
    return;
  }
  const problem = alertRateProblem(raised, window.endsAt);
  if (problem) throw rateLimited(problem, Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000)));
}

const raising = defineAction({
  authorize: ({ caller }: ActionStep<DefenseContext>, input: RaiseAlertInput) =>
    requireMembership(caller, input.circleId),
  decide: (input: RaiseAlertInput) => alertReport(input),
  apply: async ({ tx, now, context }, report, membership) => {
    // The raise limit counts in Redis, not in the transaction: a valid alert counts once it is asked for.
    await countRaise(context, report.circleId, membership.memberId, now);
    const raisedByMemberId = membership.memberId;
    return { ...(await insertAlert(tx, context.vault, { ...report, raisedByMemberId }, now)), raisedByMemberId };
  },
});

/**
 * A member raises an alert: the head of every branch is called at once in the action's transaction;
 * the escalation steps and deliveries are queued only after it committed (a job must find its rows),
 * so this action is the transaction and then the queue.
 */
export async function raiseAlert(context: DefenseContext, input: RaiseAlertInput) {
  const { alert, work, raisedByMemberId } = await raising(context, input);
  await enqueueWork(context.runtime, work);
  return { alert, memberId: raisedByMemberId };
}
