import os from "node:os";
import { Queue, Worker, type Processor, type WorkerOptions, type QueueOptions } from "bullmq";
import { Redis } from "ioredis";

export type { Job, WorkerOptions } from "bullmq";
export { Queue, Worker };

/** A Redis connection fit for BullMQ (blocking commands need maxRetriesPerRequest: null). */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/** Queue names are `<service>.<purpose>`, e.g. `barter.expiry`. */
export function queueName(service: string, purpose: string): string {
  return `${service}.${purpose}`;
}

export const DEFAULT_JOB_ATTEMPTS = 5;

export function createQueue(name: string, connection: Redis, options: Partial<QueueOptions> = {}): Queue {
  return new Queue(name, {
    connection,
    defaultJobOptions: {
      attempts: DEFAULT_JOB_ATTEMPTS,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    },
    ...options,
  });
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
  return new Worker<Data, Result>(name, processor, { connection, concurrency: 4, name: workerName(), ...options });
}
