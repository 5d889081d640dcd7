import { randomBytes } from "node:crypto";
import pg from "pg";
import type { BaseConfig } from "../runtime/config.js";
import type { Clock } from "../runtime/clock.js";
import { startService, type RunningService, type ServiceContext, type ServiceDefinition } from "../service/service.js";
import { hubEnvironment } from "./environment.js";

export interface TestServiceOptions {
  clock?: Clock;
  /** A database of its own (fresh, empty) instead of the test hub's; then nothing else sees its rows. */
  ownDatabase?: boolean;
  /** Extra or overriding environment (e.g. ROLE: "api"). */
  env?: Record<string, string>;
  eventPollIntervalMs?: number;
  scheduleCheckIntervalMs?: number;
}

export interface TestService<Config extends BaseConfig> extends RunningService<Config> {
  url: string;
  databaseUrl: string;
  /** The BullMQ key prefix of this instance, so a test can wipe its Redis data alone. */
  queuePrefix: string;
}

/** A new, empty database in the test Postgres; returns its URL. */
export async function freshDatabase(): Promise<string> {
  const base = new URL(hubEnvironment().databaseUrl);
  const name = `rhizome_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: base.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  base.pathname = `/${name}`;
  return base.toString();
}

/**
 * Starts a service in the test process on a free port, with its own clock, queue prefix and metrics,
 * against the test hub's Postgres and Redis (or a database of its own), reading other services'
 * events from the running hub. Stop it in afterAll.
 */
export async function startTestService<Config extends BaseConfig, Context extends ServiceContext<Config>>(
  definition: ServiceDefinition<Config, Context>,
  options: TestServiceOptions = {},
): Promise<TestService<Config>> {
  const hub = hubEnvironment();
  const databaseUrl = options.ownDatabase ? await freshDatabase() : hub.databaseUrl;
  const queuePrefix = `test-${randomBytes(6).toString("hex")}`;
  const serviceUrls = Object.fromEntries(
    Object.entries(hub.serviceUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]),
  );
  const running = await startService(definition, {
    env: {
      ...serviceUrls,
      NODE_ENV: "test",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      DATABASE_URL: databaseUrl,
      REDIS_URL: hub.redisUrl,
      TOKEN_SECRET: hub.tokenSecret,
      HOST: "127.0.0.1",
      PORT: "0",
      METRICS_PORT: "0",
      ROLE: "all",
      // Tests check what cycle jobs do, not how they share the machine: back to back.
      CYCLE_JOB_PACE: "0",
      ...options.env,
    },
    clock: options.clock,
    queuePrefix,
    eventPollIntervalMs: options.eventPollIntervalMs ?? 200,
    scheduleCheckIntervalMs: options.scheduleCheckIntervalMs,
  });
  return { ...running, url: running.server.url, databaseUrl, queuePrefix };
}

/** The value of one Prometheus counter (summed over its labels) on a service's registry. */
export async function metricValue(service: RunningService, name: string): Promise<number> {
  const metric = await service.runtime.registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, value) => sum + value.value, 0) ?? 0;
}
