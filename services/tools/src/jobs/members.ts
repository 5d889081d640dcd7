import type { Queryable, Subscriptions } from "@rhizome/kit";
import { withdraw } from "../store/caretakers.js";
import { queueShrank } from "../store/catalogue.js";
import { memberJoined, recordMemberLeft } from "../store/members.js";
import { tellReservationsClosed } from "../store/reservation-events.js";
import { cancelQueuesOfMember } from "../store/reservations.js";

/**
 * network said the member left: they leave every queue and stop volunteering as caretaker. Tools
 * they hold stay recorded with them until someone takes them over by a hand-off.
 */
export async function memberLeft(tx: Queryable, circleId: string, memberId: string, at: Date): Promise<void> {
  await recordMemberLeft(tx, circleId, memberId, at);
  const cancelled = await cancelQueuesOfMember(tx, circleId, memberId, at);
  for (const reservation of cancelled) await queueShrank(tx, reservation.toolId);
  await tellReservationsClosed(
    tx,
    circleId,
    cancelled.map((reservation) => reservation.id),
    at,
  );
  await withdraw(tx, circleId, memberId, at);
}

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
