import { defineAction, forbidden, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { verificationPlan } from "../domain/alerts.js";
import { enqueueWork } from "../jobs/triggers.js";
import { addVerification, broadcastAlert, hasVerified, noWork, verificationCount } from "../store/alerts.js";
import { settingsOf } from "../store/settings.js";
import { requireLockedAlert, trustedResponderFor } from "./access.js";

const verifying = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, alertId: string) => {
    const seen = await requireLockedAlert(context, tx, alertId);
    const responder = await trustedResponderFor(tx, seen.alert, seen.membership.memberId);
    if (!responder)
      throw forbidden("Only the circle's trusted responders called or asked to verify this alert verify it.");
    const verifications = await verificationCount(tx, alertId);
    const alreadyVerified = await hasVerified(tx, alertId, responder.id);
    const settings = await settingsOf(tx, seen.alert.circleId);
    return { ...seen, responder, tally: { verifications, alreadyVerified, ...settings } };
  },
  decide: (_alertId: string, { alert, tally }) => verificationPlan(alert, tally),
  apply: async ({ tx, now }, plan, { alert, responder, membership, access }) => {
    const viewer = { membership, access };
    if (!plan.record) return { alert, work: noWork(), ...viewer };
    await addVerification(tx, alert, responder, now);
    if (!plan.broadcast) return { alert, work: noWork(), ...viewer };
    return { ...(await broadcastAlert(tx, alert.id, now)), ...viewer };
  },
});

/**
 * A trusted responder called or asked to verify the alert confirms it; the verification that reaches
 * the threshold broadcasts it. Deliveries are queued only after the transaction committed (a job
 * must find its rows), so this action is the transaction and then the queue.
 */
export async function verifyAlert(context: DefenseContext, alertId: string) {
  const { work, ...verified } = await verifying(context, alertId);
  await enqueueWork(context.runtime, work);
  return verified;
}
