import { asGiven, defineAction, forbidden, type ActionStep } from "@rhizome/kit";
import type { DefenseContext } from "../context.js";
import { acknowledgeCall, callOfResponder } from "../store/alerts.js";
import { responderOfMember } from "../store/responders.js";
import { requireLockedAlert } from "./access.js";

/** A called responder answers: their call stops escalating. Answering twice changes nothing. */
export const acknowledgeAlert = defineAction({
  authorize: async ({ context, tx }: ActionStep<DefenseContext>, alertId: string) => {
    const seen = await requireLockedAlert(context, tx, alertId);
    const responder = await responderOfMember(tx, seen.alert.circleId, seen.membership.memberId);
    const call = responder && (await callOfResponder(tx, alertId, responder.id));
    if (!responder || !call)
      throw forbidden("Only the responders called for this alert acknowledge it; you were not called.");
    return { ...seen, responder, call };
  },
  decide: asGiven,
  apply: async ({ tx, now }, _alertId, { alert, call, responder, membership, access }) => {
    await acknowledgeCall(tx, alert, call, responder.id, now);
    return { alert, membership, access };
  },
});
