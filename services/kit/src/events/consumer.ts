import type { DataSource, EntityManager } from "typeorm";
import type { Redis } from "ioredis";
import type { Logger } from "../runtime/logger.js";
import { registerKnownCircle } from "../data/circles.js";
import { eventCatalogue, isEventTopic, producerOf, type EventTopic, type HubEvent } from "./catalogue.js";
import { EVENT_FEED_PATH, EVENT_WAKE_CHANNEL_PREFIX, FEED_START, MAX_EVENT_FEED_PAGE, type FeedEvent } from "./feed.js";

/** What a consumer does with one event, inside the transaction that records it as consumed. */
export type EventHandler<Topic extends EventTopic> = (manager: EntityManager, event: HubEvent<Topic>) => Promise<void>;

/** A service's subscriptions: topic to handler. Topics without a handler are not read at all. */
export type Subscriptions = { [Topic in EventTopic]?: EventHandler<Topic> };

/**
 * How often a consumer reads its producers' logs unasked. Producers wake their consumers through
 * Redis after every event, and a consumer reads at once when its subscription (re)connects, so
 * this read only catches a wake-up lost otherwise; at 1 s it was three quarters of an idle hub's CPU.
 */
export const DEFAULT_EVENT_POLL_INTERVAL_MS = 10_000;
export const EVENT_FETCH_TIMEOUT_MS = 10_000;
/** The longest pause between two reads after failures: a producer or database back from an outage is read again within it. */
const MAX_RETRY_DELAY_MS = 5_000;
/** The first pause after a failed read, doubled after each further failure up to MAX_RETRY_DELAY_MS. */
const FIRST_RETRY_DELAY_MS = 1_000;
/**
 * Wake-ups closer together than this are answered by one read. A busy producer announces every
 * event (hundreds a second under load); reading its feed once per announcement cost the consumer,
 * the producer and Postgres a round each for a page of one or two events.
 */
export const WAKE_COALESCE_MS = 50;

export type DeliveryOutcome = "consumed" | "duplicate" | "rejected";

class MalformedEvent extends Error {
  override name = "MalformedEvent";
}

function parseEvent(raw: FeedEvent | Omit<FeedEvent, "position">): HubEvent {
  if (!isEventTopic(raw.topic)) throw new MalformedEvent(`unknown topic "${raw.topic}"`);
  const parsed = eventCatalogue[raw.topic].payload.safeParse(raw.payload);
  if (!parsed.success)
    throw new MalformedEvent(
      `payload does not match ${raw.topic}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    );
  if (parsed.data.circleId !== raw.circleId) throw new MalformedEvent("payload names another circle than the event");
  const occurredAt = new Date(raw.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) throw new MalformedEvent(`occurredAt "${raw.occurredAt}" is not an instant`);
  return { id: raw.id, topic: raw.topic, circleId: raw.circleId, payload: parsed.data, occurredAt } as HubEvent;
}

/**
 * Delivers one event at most once: records its id, registers its circle, runs the handler, all in
 * the caller's transaction. A malformed event is recorded as rejected (with the reason) instead of
 * blocking everything behind it; operators see it in the log and in consumed_events.
 */
export async function deliverEvent(
  manager: EntityManager,
  subscriptions: Subscriptions,
  raw: FeedEvent | Omit<FeedEvent, "position">,
): Promise<DeliveryOutcome> {
  let event: HubEvent;
  try {
    event = parseEvent(raw);
  } catch (error) {
    if (!(error instanceof MalformedEvent)) throw error;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO consumed_events (event_id, rejected_because) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
      [raw.id, error.message],
    );
    return inserted.length === 0 ? "duplicate" : "rejected";
  }
  const inserted: unknown[] = await manager.query(
    `INSERT INTO consumed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id`,
    [event.id],
  );
  if (inserted.length === 0) return "duplicate";
  await registerKnownCircle(manager, event.circleId, event.occurredAt);
  const handler = subscriptions[event.topic] as EventHandler<EventTopic> | undefined;
  await handler?.(manager, event);
  return "consumed";
}

/** Delivers events in one transaction (what a test does to play a producer). */
export async function deliverEvents(
  db: DataSource,
  subscriptions: Subscriptions,
  events: ReadonlyArray<Omit<FeedEvent, "position">>,
): Promise<DeliveryOutcome[]> {
  return db.transaction(async (manager) => {
    const outcomes: DeliveryOutcome[] = [];
    for (const event of events) outcomes.push(await deliverEvent(manager, subscriptions, event));
    return outcomes;
  });
}

export interface EventConsumerOptions {
  service: string;
  db: DataSource;
  subscriptions: Subscriptions;
  /** Base URL of each producer this service reads from, by producer name. */
  producerUrls: Record<string, string>;
  /** The consumer's credential for one producer's event feed. */
  serviceToken: (producer: string) => Promise<string>;
  /** A Redis connection to subscribe on for early wake-ups (the consumer duplicates it). */
  redis: Redis;
  logger: Logger;
  pollIntervalMs?: number;
  onDelivered?: (outcome: DeliveryOutcome, topic: string) => void;
}

export interface EventConsumer {
  stop(): Promise<void>;
}

/** The producers a set of subscriptions reads from, each with its topics. */
export function topicsByProducer(subscriptions: Subscriptions): Map<string, EventTopic[]> {
  const byProducer = new Map<string, EventTopic[]>();
  for (const topic of Object.keys(subscriptions) as EventTopic[]) {
    if (!subscriptions[topic]) continue;
    const producer = producerOf(topic);
    byProducer.set(producer, [...(byProducer.get(producer) ?? []), topic]);
  }
  return byProducer;
}

async function cursorOf(db: EventConsumerOptions["db"], source: string): Promise<string> {
  const rows: Array<{ position: string }> = await db.query(`SELECT position FROM event_cursors WHERE source = $1`, [
    source,
  ]);
  return rows[0]?.position ?? FEED_START;
}

async function fetchPage(
  options: EventConsumerOptions,
  producer: string,
  topics: EventTopic[],
  after: string,
): Promise<FeedEvent[]> {
  const url = new URL(EVENT_FEED_PATH, options.producerUrls[producer]);
  url.search = new URLSearchParams({ after, topics: topics.join(","), limit: String(MAX_EVENT_FEED_PAGE) }).toString();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${await options.serviceToken(producer)}` },
    signal: AbortSignal.timeout(EVENT_FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${producer}'s event feed answered HTTP ${response.status}`);
  return ((await response.json()) as { events: FeedEvent[] }).events;
}

/** Handles events in the transaction that moves the cursor, if it is still at `expected`; false when another replica moved it. */
async function handleChunk(
  options: EventConsumerOptions,
  producer: string,
  expected: string,
  chunk: FeedEvent[],
): Promise<boolean> {
  return options.db.transaction(async (manager) => {
    await manager.query(`INSERT INTO event_cursors (source, position) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      producer,
      FEED_START,
    ]);
    const [{ position }]: Array<{ position: string }> = await manager.query(
      `SELECT position FROM event_cursors WHERE source = $1 FOR UPDATE`,
      [producer],
    );
    if (position !== expected) return false;
    for (const event of chunk) {
      const outcome = await deliverEvent(manager, options.subscriptions, event);
      if (outcome === "rejected")
        options.logger.error({ eventId: event.id, topic: event.topic }, "rejected a malformed event");
      options.onDelivered?.(outcome, event.topic);
    }
    await manager.query(`UPDATE event_cursors SET position = $2, updated_at = now() WHERE source = $1`, [
      producer,
      chunk[chunk.length - 1].position,
    ]);
    return true;
  });
}

/** Handles a page whole, or event by event; false when another replica moved the cursor first. */
async function handlePage(
  options: EventConsumerOptions,
  producer: string,
  from: string,
  events: FeedEvent[],
  oneByOne: boolean,
): Promise<boolean> {
  let expected = from;
  for (const chunk of oneByOne ? events.map((event) => [event]) : [events]) {
    if (!(await handleChunk(options, producer, expected, chunk))) return false;
    expected = chunk[chunk.length - 1].position;
  }
  return true;
}

/** Reads one producer's log from the recorded cursor to its end; answers how many events it handled. */
async function drainSource(options: EventConsumerOptions, producer: string, topics: EventTopic[]): Promise<number> {
  let handled = 0;
  for (;;) {
    const from = await cursorOf(options.db, producer);
    const events = await fetchPage(options, producer, topics, from);
    if (events.length === 0) return handled;
    let isHandled: boolean;
    try {
      isHandled = await handlePage(options, producer, from, events, false);
    } catch (error) {
      options.logger.warn({ err: error, producer }, "an event page failed; handling its events one by one");
      isHandled = await handlePage(options, producer, from, events, true);
    }
    if (!isHandled) return handled; // another replica is on it
    handled += events.length;
    if (events.length < MAX_EVENT_FEED_PAGE) return handled;
  }
}

interface Poller {
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Runs `work` at once, then every `pollIntervalMs` (backing off after failures); a wake-up runs it at
 * once after a quiet spell, otherwise WAKE_COALESCE_MS after the last run, and is never lost during one.
 */
function startPoller(work: () => Promise<number>, logger: Logger, pollIntervalMs: number): Poller {
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let failures = 0;
  let dueAtMs = Infinity;
  let lastRunEndedAtMs = -Infinity;
  let isWokenWhileRunning = false;

  function run(): Promise<number> {
    running ??= work()
      .then((handled) => {
        failures = 0;
        return handled;
      })
      .catch((error) => {
        failures++;
        logger.warn({ err: error, failures }, "reading events failed; will retry");
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function nextDelayMs(isWoken: boolean): number {
    if (failures > 0)
      return Math.min(MAX_RETRY_DELAY_MS, Math.min(pollIntervalMs, FIRST_RETRY_DELAY_MS) * 2 ** failures);
    return isWoken ? WAKE_COALESCE_MS : pollIntervalMs;
  }

  function schedule(delayMs: number): void {
    if (isStopped) return;
    clearTimeout(timer);
    dueAtMs = Date.now() + delayMs;
    timer = setTimeout(() => {
      dueAtMs = Infinity;
      void run().then(() => {
        lastRunEndedAtMs = Date.now();
        const isWoken = isWokenWhileRunning;
        isWokenWhileRunning = false;
        schedule(nextDelayMs(isWoken));
      });
    }, delayMs);
  }

  schedule(0);
  return {
    wake() {
      if (isStopped || failures > 0) return;
      if (running) {
        isWokenWhileRunning = true;
        return;
      }
      const delayMs = Math.max(0, lastRunEndedAtMs + WAKE_COALESCE_MS - Date.now());
      if (Date.now() + delayMs < dueAtMs) schedule(delayMs);
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The kit's inbox: for each producer, reads its log after the cursor this service recorded, and
 * handles each page in one transaction that also moves the cursor. Replicas of one service take
 * turns through a row lock on the cursor; a page that fails is retried event by event so one bad
 * event cannot hold back the rest. Wakes on a Redis message, and polls anyway.
 */
export function startEventConsumer(options: EventConsumerOptions): EventConsumer {
  const sources = [...topicsByProducer(options.subscriptions)];
  for (const [producer] of sources) {
    if (!options.producerUrls[producer])
      throw new Error(`${options.service} subscribes to ${producer}'s events but has no URL for ${producer}.`);
  }
  if (sources.length === 0) return { stop: async () => undefined };
  const drainAll = async () => {
    let handled = 0;
    for (const [producer, topics] of sources) handled += await drainSource(options, producer, topics);
    return handled;
  };
  const poller = startPoller(drainAll, options.logger, options.pollIntervalMs ?? DEFAULT_EVENT_POLL_INTERVAL_MS);
  const subscriber = options.redis.duplicate();
  subscriber.on("error", (error) => options.logger.debug({ err: error }, "event wake-up subscription error"));
  void subscriber
    .subscribe(...sources.map(([producer]) => `${EVENT_WAKE_CHANNEL_PREFIX}${producer}`))
    .catch(() => undefined);
  subscriber.on("message", () => poller.wake());
  // Wake-ups sent while the subscription was down are lost: read once it is up again.
  subscriber.on("ready", () => poller.wake());
  return {
    async stop() {
      await poller.stop();
      subscriber.disconnect();
    },
  };
}
