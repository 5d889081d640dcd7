import { z } from "zod";

const id = z.string().uuid();

/**
 * Every event the hub's services tell each other, with the payload its producer writes and its
 * consumers read. A producer can only emit a topic listed here with a payload of that shape, and a
 * consumer's handler receives the payload already parsed, so both sides agree at compile time.
 * Payloads carry ids only: never a handle, a bloc or anything else about a person.
 */
export const eventCatalogue = {
  "circle.founded": { producer: "network", payload: z.object({ circleId: id }) },
  "member.joined": { producer: "network", payload: z.object({ circleId: id, memberId: id }) },
  /** The member left; network has already replaced their handle with a tombstone. */
  "member.left": { producer: "network", payload: z.object({ circleId: id, memberId: id }) },
} as const;

export type EventTopic = keyof typeof eventCatalogue;
export type EventPayload<Topic extends EventTopic> = z.infer<(typeof eventCatalogue)[Topic]["payload"]>;

/** An event as a consumer receives it. */
export interface HubEvent<Topic extends EventTopic = EventTopic> {
  id: string;
  topic: Topic;
  circleId: string;
  payload: EventPayload<Topic>;
  occurredAt: Date;
}

export function producerOf(topic: EventTopic): string {
  return eventCatalogue[topic].producer;
}

export function isEventTopic(topic: string): topic is EventTopic {
  return Object.hasOwn(eventCatalogue, topic);
}
