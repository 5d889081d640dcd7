import type { Subscriptions } from "@rhizome/kit";
import { forgetMember, rememberMember } from "../store/members.js";

/**
 * Defense learns the circle's members from network's events (a broadcast reaches all of them) and
 * never reads network's tables; a member who leaves is no longer called or notified.
 */
export const memberSubscriptions: Subscriptions = {
  "circle.founded": async () => {
    // The kit has registered the circle in known_circles; defense keeps nothing else for it yet.
  },
  "member.joined": (manager, event) =>
    rememberMember(manager, event.circleId, event.payload.memberId, event.occurredAt),
  "member.left": (manager, event) => forgetMember(manager, event.circleId, event.payload.memberId, event.occurredAt),
};
