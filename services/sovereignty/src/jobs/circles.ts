import type { Subscriptions } from "@rhizome/kit";

/**
 * What sovereignty does with other services' events. Before a handler runs, the kit records the
 * event's circle in known_circles, the list cycle jobs fan out over; a new service reads network's
 * log from the start, so it also learns every circle founded before it existed.
 */
export const circleSubscriptions: Subscriptions = {
  "circle.founded": async () => {
    // Nothing of sovereignty's own to set up yet: the kit has registered the circle.
  },
};
