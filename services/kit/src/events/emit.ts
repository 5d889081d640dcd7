import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import { eventCatalogue, type EventPayload, type EventTopic } from "./catalogue.js";

/**
 * Records an event in the producer's outbox, inside the caller's transaction: the event exists if
 * and only if the change it describes was committed. Consumers read the outbox in order (see
 * ./feed.ts), so nothing depends on Redis keeping it.
 */
export async function emitEvent<Topic extends EventTopic>(
  manager: Pick<EntityManager, "query">,
  topic: Topic,
  payload: EventPayload<Topic>,
  occurredAt: Date,
): Promise<string> {
  const parsed = eventCatalogue[topic].payload.parse(payload) as EventPayload<Topic>;
  const id = randomUUID();
  await manager.query(`INSERT INTO outbox (id, topic, circle_id, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    topic,
    parsed.circleId,
    parsed,
    occurredAt,
  ]);
  return id;
}
