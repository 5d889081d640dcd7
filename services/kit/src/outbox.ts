import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { Queue } from "bullmq";
import type { Logger } from "./logger.js";

/**
 * Transactional outbox. A service writes an event row in the same transaction as the change
 * it describes; a relay later moves it onto every subscribing queue (jobId = event id, so a
 * relay that dies after adding but before marking simply adds again and BullMQ keeps one).
 * Consumers dedupe by event id with `consumeOnce`.
 */
export interface OutboxEvent<Payload = Record<string, unknown>> {
  id: string;
  topic: string;
  circleId: string;
  payload: Payload;
  occurredAt: string;
}

/** Which inbox queues receive each topic. Inbox queues are named `<service>.inbox`. */
export const eventRoutes: Record<string, string[]> = {
  "member.joined": ["barter.inbox"],
  "sovereignty.event": ["network.inbox"],
};

export const OUTBOX_BATCH_SIZE = 200;
export const OUTBOX_POLL_INTERVAL_MS = 500;

export function outboxMigrationSql(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.outbox (
      id uuid PRIMARY KEY,
      topic text NOT NULL,
      circle_id uuid NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`,
    `CREATE INDEX outbox_unpublished ON ${schema}.outbox (occurred_at) WHERE published_at IS NULL`,
    `CREATE TABLE ${schema}.consumed_events (
      event_id uuid PRIMARY KEY,
      consumed_at timestamptz NOT NULL DEFAULT now()
    )`,
  ];
}

export async function recordEvent(
  manager: EntityManager,
  topic: string,
  circleId: string,
  payload: Record<string, unknown>,
): Promise<string> {
  const id = randomUUID();
  await manager.query(`INSERT INTO outbox (id, topic, circle_id, payload) VALUES ($1, $2, $3, $4)`, [id, topic, circleId, payload]);
  return id;
}

/**
 * Runs `handle` for an event at most once, inside one transaction with the record that it ran.
 * A redelivered event finds its id already consumed and does nothing.
 */
export async function consumeOnce(
  dataSource: DataSource,
  eventId: string,
  handle: (manager: EntityManager) => Promise<void>,
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO consumed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id`,
      [eventId],
    );
    if (inserted.length === 0) return false;
    await handle(manager);
    return true;
  });
}

export interface OutboxRelay {
  /** Relay soon instead of waiting for the next poll. */
  wake(): void;
  /** Moves everything pending now; resolves with how many events moved. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

export function startOutboxRelay(options: {
  dataSource: DataSource;
  queueFor: (name: string) => Queue;
  logger: Logger;
  pollIntervalMs?: number;
}): OutboxRelay {
  const { dataSource, queueFor, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let isStopped = false;

  async function relayBatch(): Promise<number> {
    return dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; topic: string; circle_id: string; payload: Record<string, unknown>; occurred_at: Date }> =
        await manager.query(
          `SELECT id, topic, circle_id, payload, occurred_at FROM outbox
           WHERE published_at IS NULL ORDER BY occurred_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [OUTBOX_BATCH_SIZE],
        );
      if (rows.length === 0) return 0;
      const byQueue = new Map<string, OutboxEvent[]>();
      for (const row of rows) {
        const event: OutboxEvent = {
          id: row.id,
          topic: row.topic,
          circleId: row.circle_id,
          payload: row.payload,
          occurredAt: new Date(row.occurred_at).toISOString(),
        };
        for (const queue of eventRoutes[row.topic] ?? []) {
          byQueue.set(queue, [...(byQueue.get(queue) ?? []), event]);
        }
      }
      for (const [queue, events] of byQueue) {
        await queueFor(queue).addBulk(events.map((event) => ({ name: event.topic, data: event, opts: { jobId: event.id } })));
      }
      await manager.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  async function drain(): Promise<number> {
    let moved = 0;
    for (;;) {
      const count = await relayBatch();
      moved += count;
      if (count < OUTBOX_BATCH_SIZE) return moved;
    }
  }

  function run(): Promise<number> {
    if (!running) {
      running = drain()
        .catch((error) => {
          logger.warn({ err: error }, "outbox relay failed; will retry");
          return 0;
        })
        .finally(() => {
          running = undefined;
        });
    }
    return running;
  }

  function schedule(delayMs: number) {
    if (isStopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      void run().then(() => schedule(options.pollIntervalMs ?? OUTBOX_POLL_INTERVAL_MS));
    }, delayMs);
  }
  schedule(0);

  return {
    wake: () => schedule(0),
    flush: async () => {
      await running;
      return run();
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
