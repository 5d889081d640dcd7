import type { DataSource } from "typeorm";
import type { Redis } from "ioredis";
import { openDatabase, type DatabaseOptions } from "../data/database.js";
import type { Logger } from "../runtime/logger.js";
import type { MetricsRegistry } from "../runtime/metrics.js";
import { connectRedis, connectRequestRedis, createQueue, type Queue } from "../jobs/queues.js";
import type { ReadinessCheck } from "../api/server.js";
import type { Tracing } from "../runtime/tracing.js";

/** What every service process holds: its database schema, Redis, and the queues it adds jobs to. */
export interface ServiceResources {
  db: DataSource;
  /** For the request path: fails at once while Redis is unreachable (connectRequestRedis). */
  redis: Redis;
  /** For BullMQ workers and subscriptions: waits while Redis is unreachable (connectRedis). */
  workerRedis: Redis;
  /** The queue of that name, created on first use and closed with the rest. */
  queue(name: string): Queue;
  /** Database and Redis reachable: what /ready reports. */
  readinessChecks: Record<string, ReadinessCheck>;
  /** Closes queues, Redis and the database pool, in that order. Stop servers and workers first. */
  close(): Promise<void>;
}

/** How long start-up waits for Redis before giving up (the launcher then starts the process again). */
export const REDIS_FIRST_CONNECT_TIMEOUT_MS = 10_000;

function untilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms of start-up`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}

export async function openServiceResources(options: {
  databaseUrl: string;
  redisUrl: string;
  schema: string;
  entities: DatabaseOptions["entities"];
  migrations: DatabaseOptions["migrations"];
  logger: Logger;
  /** BullMQ key prefix; tests give each in-process service its own. */
  queuePrefix?: string;
  registry?: MetricsRegistry;
  migrationUrl?: DatabaseOptions["migrationUrl"];
  migrationMode?: DatabaseOptions["migrationMode"];
  /** Spans for SQL and enqueued jobs, when tracing is on. */
  tracing?: Tracing;
  poolSize?: number;
  idleTimeoutMs?: number;
}): Promise<ServiceResources> {
  const db = await openDatabase({
    url: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    logger: options.logger,
    registry: options.registry,
    migrationUrl: options.migrationUrl,
    migrationMode: options.migrationMode,
    poolSize: options.poolSize,
    idleTimeoutMs: options.idleTimeoutMs,
  });
  options.tracing?.queries(db, options.schema);
  const redis = connectRequestRedis(options.redisUrl);
  const workerRedis = connectRedis(options.redisUrl);
  // Both reconnect by themselves; an outage is reported by /ready and by the requests it fails.
  for (const connection of [redis, workerRedis])
    connection.on("error", (error) => options.logger.debug({ err: error }, "Redis connection error"));
  // Without an offline queue, a command sent before the first connection is up would fail: wait for it.
  await untilReady(redis, REDIS_FIRST_CONNECT_TIMEOUT_MS).catch(async (error: Error) => {
    redis.disconnect();
    workerRedis.disconnect();
    await db.destroy();
    throw error;
  });
  const queues = new Map<string, Queue>();
  return {
    db,
    redis,
    workerRedis,
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = createQueue(name, redis, options.queuePrefix ? { prefix: options.queuePrefix } : {});
        if (options.tracing) options.tracing.queue(queue);
        queues.set(name, queue);
      }
      return queue;
    },
    readinessChecks: {
      database: async () => void (await db.query("SELECT 1")),
      redis: async () => void (await redis.ping()),
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      redis.disconnect();
      workerRedis.disconnect();
      await db.destroy();
    },
  };
}
