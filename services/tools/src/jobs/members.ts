import type { Subscriptions } from "@rhizome/kit";
import { memberJoined, memberLeft } from "../store/members.js";

/**
 * What tools learns from network's events (it never reads network's tables). The kit records each
 * event's circle in known_circles first, the list caretaker draws fan out over; members who join
 * can receive tools, and members who leave drop out of queues and of the caretaker pool.
 */
export const memberSubscriptions: Subscriptions = {
  "circle.founded": async () => {
    // The kit has registered the circle; the library needs nothing else until someone adds a tool.
  },
  "member.joined": (manager, event) => memberJoined(manager, event.circleId, event.payload.memberId, event.occurredAt),
  "member.left": (manager, event) => memberLeft(manager, event.circleId, event.payload.memberId, event.occurredAt),
};
