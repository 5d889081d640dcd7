import type { DataSource } from "typeorm";
import type { Redis } from "ioredis";
import { openDatabase, type DatabaseOptions } from "./database.js";
import type { Logger } from "./logger.js";
import type { MetricsRegistry } from "./metrics.js";
import { connectRedis, createQueue, type Queue } from "./queues.js";
import type { ReadinessCheck } from "./server.js";
import type { Tracing } from "./tracing.js";

/** What every service process holds: its database schema, Redis, and the queues it adds jobs to. */
export interface ServiceResources {
  db: DataSource;
  redis: Redis;
  /** The queue of that name, created on first use and closed with the rest. */
  queue(name: string): Queue;
  /** Database and Redis reachable: what /ready reports. */
  readinessChecks: Record<string, ReadinessCheck>;
  /** Closes queues, Redis and the database pool, in that order. Stop servers and workers first. */
  close(): Promise<void>;
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
  });
  options.tracing?.queries(db, options.schema);
  const redis = connectRedis(options.redisUrl);
  const queues = new Map<string, Queue>();
  return {
    db,
    redis,
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
      await db.destroy();
    },
  };
}
