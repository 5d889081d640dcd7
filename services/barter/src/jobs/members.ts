import type { Subscriptions } from "@rhizome/kit";
import { closeMemberAccount, openMemberAccount } from "../store/accounts.js";

/**
 * Barter learns its members from network's events and never reads network's tables: a member who
 * joins gets an account (and a circle seen for the first time its settings and commons); a member
 * who leaves has their balance returned to the commons and their account closed.
 */
export const memberSubscriptions: Subscriptions = {
  "member.joined": (manager, event) =>
    openMemberAccount(manager, event.circleId, event.payload.memberId, event.occurredAt),
  "member.left": async (manager, event) => {
    await closeMemberAccount(manager, event.circleId, event.payload.memberId, event.occurredAt);
  },
};
