import os from "node:os";
import { Queue, Worker, type Processor, type WorkerOptions, type QueueOptions } from "bullmq";
import { Redis } from "ioredis";
import { REDIS_COMMAND_TIMEOUT_MS } from "../runtime/outages.js";

export type { Job, WorkerOptions } from "bullmq";
export { Queue, Worker };

/**
 * A Redis connection fit for BullMQ's workers (blocking commands need maxRetriesPerRequest: null):
 * while Redis is away its commands wait, and it reconnects by itself when Redis is back.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: reconnectDelayMs,
  });
}

/** The longest pause between two attempts to reach Redis again, so a restarted Redis is found within a second. */
export const REDIS_RECONNECT_MAX_DELAY_MS = 1_000;

function reconnectDelayMs(attempts: number): number {
  return Math.min(REDIS_RECONNECT_MAX_DELAY_MS, 50 * attempts);
}

/**
 * A Redis connection for the request path (sessions, login limits, adding jobs): while Redis is
 * unreachable a command fails at once (no offline queue) or within REDIS_COMMAND_TIMEOUT_MS, so the
 * request is answered SERVICE_UNAVAILABLE instead of waiting for Redis to return. It reconnects by itself.
 */
export function connectRequestRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    enableReadyCheck: true,
    lazyConnect: false,
    retryStrategy: reconnectDelayMs,
  });
}

/** Queue names are `<service>.<purpose>`, e.g. `barter.expiry`. */
export function queueName(service: string, purpose: string): string {
  return `${service}.${purpose}`;
}

export const DEFAULT_JOB_ATTEMPTS = 5;

/**
 * BullMQ reports a lost Redis connection as an "error" event on every queue and worker, and prints
 * it once per reconnection attempt when nobody listens. An outage is reported by /ready and by the
 * requests it fails; the jobs themselves report through "failed".
 */
function quietOnConnectionErrors<Emitter extends { on(event: "error", listener: (error: Error) => void): unknown }>(
  emitter: Emitter,
): Emitter {
  emitter.on("error", () => undefined);
  return emitter;
}

export function createQueue(name: string, connection: Redis, options: Partial<QueueOptions> = {}): Queue {
  return quietOnConnectionErrors(
    new Queue(name, {
      connection,
      defaultJobOptions: {
        attempts: DEFAULT_JOB_ATTEMPTS,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
      ...options,
    }),
  );
}

/** Each job records the worker that took it (`processedBy`): the host (a pod's name) and the process id. */
export function workerName(): string {
  return `${os.hostname()}:${process.pid}`;
}

export function createWorker<Data, Result>(
  name: string,
  processor: Processor<Data, Result>,
  connection: Redis,
  options: Partial<WorkerOptions> = {},
): Worker<Data, Result> {
  return quietOnConnectionErrors(
    new Worker<Data, Result>(name, processor, { connection, concurrency: 4, name: workerName(), ...options }),
  );
}
