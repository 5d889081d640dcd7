import type { Subscriptions } from "@rhizome/kit";
import { recordSisterExchangeParty } from "../store/sister-counterparts.js";

/**
 * What network learns from barter: the parties of confirmed sister exchanges. Barter tells each
 * circle of its own member only, so a sister exchange arrives as two events with one member each
 * and the same exchange id; an exchange inside one circle names both members and is not recorded.
 */
export const networkSubscriptions: Subscriptions = {
  "exchange.confirmed": async (manager, event) => {
    const { exchangeId, memberIds } = event.payload;
    if (memberIds.length !== 1) return;
    await recordSisterExchangeParty(manager, { exchangeId, circleId: event.circleId, memberId: memberIds[0] });
  },
};
