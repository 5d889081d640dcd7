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

/**
 * Records many events of one topic in the producer's outbox in one statement, inside the caller's
 * transaction, in the order given: what emitEvent does for each, without a round trip for each.
 */
export async function emitEvents<Topic extends EventTopic>(
  manager: Pick<EntityManager, "query">,
  topic: Topic,
  payloads: ReadonlyArray<EventPayload<Topic>>,
  occurredAt: Date,
): Promise<string[]> {
  if (payloads.length === 0) return [];
  const parsed = payloads.map((payload) => eventCatalogue[topic].payload.parse(payload) as EventPayload<Topic>);
  const ids = parsed.map(() => randomUUID());
  await manager.query(
    `INSERT INTO outbox (id, topic, circle_id, payload, occurred_at)
     SELECT e.id, $2, e.circle_id, e.payload, $5 FROM unnest($1::uuid[], $3::uuid[], $4::jsonb[]) WITH ORDINALITY AS e(id, circle_id, payload, n)
     ORDER BY e.n`,
    [ids, topic, parsed.map((p) => p.circleId), parsed.map((p) => JSON.stringify(p)), occurredAt],
  );
  return ids;
}
