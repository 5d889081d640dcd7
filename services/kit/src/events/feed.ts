import type { Express } from "express";
import type { DataSource } from "typeorm";
import type { Redis } from "ioredis";
import { requireServiceCredential } from "../auth/internal-auth.js";
import { isEventTopic, type EventTopic } from "./catalogue.js";

/**
 * The producer's side of events. A producer's outbox is an append-only log; each consumer reads it
 * in order from where it last recorded (a cursor in the consumer's own database), so an event
 * counts as delivered only once its consumer has committed what it did with it. Redis only wakes
 * consumers early: when it loses its data nothing is lost, and a service that starts later reads
 * the log from the beginning and learns every circle and member that came before it.
 *
 * Order: each row carries the id of the transaction that wrote it (xid8). A reader returns only
 * rows of transactions older than every transaction still running, so a row that commits late can
 * never appear behind a cursor that has already passed it.
 */
export const EVENT_FEED_PATH = "/internal/events";
export const MAX_EVENT_FEED_PAGE = 500;
export const EVENT_WAKE_CHANNEL_PREFIX = "rhizome:events:";

export interface FeedEvent {
  id: string;
  topic: string;
  circleId: string;
  payload: unknown;
  occurredAt: string;
  /** Where this event sits in the producer's log; pass back as `after`. */
  position: string;
}

export const FEED_START = "0:0";
const POSITION_PATTERN = /^\d{1,20}:\d{1,20}$/;

export function isFeedPosition(value: string): boolean {
  return POSITION_PATTERN.test(value);
}

export async function readEventFeed(
  db: DataSource,
  after: string,
  topics: readonly EventTopic[],
  limit: number,
): Promise<FeedEvent[]> {
  if (!isFeedPosition(after)) throw new Error(`"${after}" is not an event feed position.`);
  const [tx, seq] = after.split(":");
  // The transaction id leaves as text under a name of its own: ORDER BY would take an output column
  // named tx over the table's, and order positions as text ("1000" before "999"), so a page could end
  // on an event older than others in it, and a consumer's cursor would go back or skip events.
  const rows: Array<{
    id: string;
    topic: string;
    circle_id: string;
    payload: unknown;
    occurred_at: Date;
    tx_text: string;
    seq: string;
  }> = await db.query(
    `SELECT id, topic, circle_id, payload, occurred_at, tx::text AS tx_text, seq
     FROM outbox
     WHERE (tx, seq) > ($1::xid8, $2::bigint) AND topic = ANY($3::text[]) AND tx < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY outbox.tx, outbox.seq
     LIMIT $4`,
    [tx, seq, topics, Math.min(limit, MAX_EVENT_FEED_PAGE)],
  );
  return rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    circleId: row.circle_id,
    payload: row.payload,
    occurredAt: new Date(row.occurred_at).toISOString(),
    position: `${row.tx_text}:${row.seq}`,
  }));
}

/** Serves the producer's log to other services (service credential required). */
export function mountEventFeed(app: Express, db: DataSource, tokenSecret: string, service: string): void {
  app.get(EVENT_FEED_PATH, requireServiceCredential(tokenSecret, service), async (request, response, next) => {
    const after = typeof request.query.after === "string" ? request.query.after : FEED_START;
    const topics = String(request.query.topics ?? "")
      .split(",")
      .filter(Boolean);
    const limit = Number(request.query.limit ?? MAX_EVENT_FEED_PAGE);
    if (
      !isFeedPosition(after) ||
      topics.length === 0 ||
      !topics.every(isEventTopic) ||
      !Number.isInteger(limit) ||
      limit < 1
    ) {
      response.status(400).json({ error: "expected ?after=<position>&topics=<topic,...>&limit=<1..500>" });
      return;
    }
    try {
      response.json({ events: await readEventFeed(db, after, topics as EventTopic[], limit) });
    } catch (error) {
      next(error);
    }
  });
}

/** Tells consumers there is something new; best effort, since they also poll. */
export async function wakeConsumers(redis: Redis, producer: string): Promise<void> {
  await redis.publish(`${EVENT_WAKE_CHANNEL_PREFIX}${producer}`, "1");
}
