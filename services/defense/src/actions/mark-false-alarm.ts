import { defineAction, forbidden, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { falseAlarmPlan } from "../domain/alerts.js";
import { closeAsFalseAlarm } from "../store/alerts.js";
import { requireLockedAlert, trustedResponderFor } from "./access.js";

/** Whoever raised an alert, or a trusted responder called or asked to verify it, closes it as not real. */
export const markFalseAlarm = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, alertId: string) => {
    const seen = await requireLockedAlert(context, tx, alertId);
    if (!seen.access.isRaiser && !(await trustedResponderFor(tx, seen.alert, seen.membership.memberId)))
      throw forbidden(
        "Only whoever raised an alert, or a trusted responder called or asked to verify it, marks it a false alarm.",
      );
    return seen;
  },
  decide: (_alertId: string, { alert }) => falseAlarmPlan(alert),
  apply: async ({ tx, now }, alert, { membership, access }) => ({
    alert: await closeAsFalseAlarm(tx, alert, now),
    membership,
    access,
  }),
});
