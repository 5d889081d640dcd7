import "reflect-metadata";
import type { Express } from "express";
import type { DataSource } from "typeorm";
import type { Redis } from "ioredis";
import type { NonEmptyArray } from "type-graphql";
import type { z } from "zod";
import { remoteApiKeyVerifier } from "../auth/api-keys.js";
import type { ApiKeyVerifier, Caller } from "../auth/auth.js";
import type { Clock } from "../runtime/clock.js";
import { clockOfSettings } from "../runtime/clock-file.js";
import { ConfigError, loadConfig, type BaseConfig } from "../runtime/config.js";
import {
  cycleJobConcurrencyFor,
  DEFAULT_SCHEDULE_CHECK_INTERVAL_MS,
  startCycleJobs,
  type CycleJob,
  type CycleJobs,
} from "../jobs/cycles.js";
import {
  DEFAULT_EVENT_POLL_INTERVAL_MS,
  startEventConsumer,
  topicsByProducer,
  WAKE_COALESCE_MS,
  type EventConsumer,
  type Subscriptions,
} from "../events/consumer.js";
import { EVENT_FEED_PATH, mountEventFeed, wakeConsumers } from "../events/feed.js";
import type { EventTopic } from "../events/catalogue.js";
import { serviceCredentialSource } from "../auth/internal-auth.js";
import { subgraphAccessOf } from "../auth/gateway-trust.js";
import { currentAccessOf, type CurrentAccess } from "../auth/member-access.js";
import { GraphQLError } from "graphql";
import { errorCodes } from "../runtime/errors.js";
import { kitMigrations } from "../data/kit-migrations.js";
import { createLogger, type Logger } from "../runtime/logger.js";
import { createMetricsRegistry, Counter, type MetricsRegistry } from "../runtime/metrics.js";
import { createWorker, type Job, type Queue, type Worker } from "../jobs/queues.js";
import { openServiceResources, type ServiceResources } from "./resources.js";
import type { Tracing } from "../runtime/tracing.js";
import { serveSubgraph, type RequestContext, type RunningServer } from "../api/server.js";
import { buildSubgraph, type ReferenceResolver } from "../api/subgraph.js";
import { mountQueueList, queueNamesOf } from "../jobs/queue-names.js";
import { tracingFor } from "../runtime/tracing-settings.js";

/** What a service process holds while it runs, handed to its jobs, routes and request contexts. */
export interface ServiceRuntime<Config extends BaseConfig = BaseConfig> {
  name: string;
  config: Config;
  logger: Logger;
  clock: Clock;
  db: DataSource;
  redis: Redis;
  registry: MetricsRegistry;
  /** The queue of that name (`<service>.<purpose>`), created on first use. */
  queue(name: string): Queue;
  /** Call after committing a transaction that emitted events: consumers read them at once instead of at their next poll. */
  eventsEmitted(): void;
}

/** Every request context: who is asking, and the service's database, Redis, configuration and clock. */
export interface ServiceContext<Config extends BaseConfig = BaseConfig> extends RequestContext {
  db: DataSource;
  redis: Redis;
  config: Config;
  clock: Clock;
  eventsEmitted(): void;
}

/** A BullMQ processor of the service, one file in src/jobs/ each. */
export interface QueueJob<Config extends BaseConfig = BaseConfig> {
  /** The purpose: the queue is `<service>.<purpose>`. */
  purpose: string;
  concurrency?: number;
  /**
   * Also run every this many milliseconds (a job named "every", from a BullMQ job scheduler). Each
   * worker process puts the scheduler in place when it starts and again whenever Redis lost it or
   * its interval changed. A function reads the interval from the service's settings.
   */
  everyMs?: number | ((config: Config) => number);
  process(job: Job, runtime: ServiceRuntime<Config>): Promise<unknown>;
}

/** The id of the job scheduler behind a queue job's `everyMs`. */
export const everySchedulerId = (purpose: string) => `${purpose}-every`;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM and type-graphql take their classes as Function
type ClassList = Function[];

/** One service, written once: src/service.ts exports this and src/main.ts runs it. */
export interface ServiceDefinition<
  Config extends BaseConfig = BaseConfig,
  Context extends ServiceContext<Config> = ServiceContext<Config>,
> {
  name: string;
  config: z.ZodType<Config>;
  /** TypeORM entities, if the service has any (stores use typed SQL; see services/README.md). */
  entities?: ClassList;
  /** The service's own migrations; the kit adds the ones for its tables (outbox, inbox, cycle runs). */
  migrations: ClassList;
  resolvers: NonEmptyArray<ClassList[number]>;
  /** Types no query or mutation returns but the schema must carry, e.g. an entity only `_entities` resolves. */
  orphanedTypes?: ClassList;
  /** How `_entities` turns keys into objects, per type. Each must authorize like a field. */
  references?: Record<string, ReferenceResolver<Context>>;
  /** Adds per-request loaders to the context. */
  context?: (base: ServiceContext<Config>, runtime: ServiceRuntime<Config>) => Context;
  jobs?: Array<QueueJob<Config>>;
  cycleJobs?: Array<CycleJob<never, unknown>>;
  /** The topics this service emits (src/store writes them with emitEvent); the kit serves them to consumers. */
  emits?: readonly EventTopic[];
  /** What this service does with other services' events. */
  subscriptions?: (runtime: ServiceRuntime<Config>) => Subscriptions;
  /** Extra HTTP routes (internal endpoints), mounted before /graphql. */
  routes?: (app: Express, runtime: ServiceRuntime<Config>) => void;
  /** How API keys are checked; default: ask network. */
  verifyApiKey?: (runtime: ServiceRuntime<Config>) => ApiKeyVerifier;
  operatorKey?: (config: Config) => string | undefined;
  /**
   * Replaces what a verified caller's token says with what the service knows now, wholly (network:
   * current memberships from its own database). It is given the caller as their token names them,
   * while Redis is asked at the same time whether the token's session has ended (which refuses the
   * request whatever this returns): the two round trips overlap instead of adding up.
   */
  currentCaller?: (caller: Caller, runtime: ServiceRuntime<Config>) => Promise<Caller>;
  /**
   * For the service that owns memberships and login sessions (network): a person as they stand
   * now and whether their token's session has ended, read from its own database in place of
   * Redis, wholly (currentCaller then serves only other callers). It must see a session ended as
   * soon as the logout that ended it has answered, from any process.
   */
  currentAccess?: (
    caller: Extract<Caller, { kind: "person" }>,
    runtime: ServiceRuntime<Config>,
  ) => Promise<CurrentAccess>;
}

function sessionEnded(): GraphQLError {
  return new GraphQLError("This session has ended (logged out). Log in again.", {
    extensions: { code: errorCodes.unauthenticated, http: { status: 401 } },
  });
}

export function defineService<Config extends BaseConfig, Context extends ServiceContext<Config>>(
  definition: ServiceDefinition<Config, Context>,
) {
  return definition;
}

export interface StartOptions {
  /** Where configuration and other services' URLs are read from; default process.env. */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  /** BullMQ key prefix; tests give each in-process service its own. */
  queuePrefix?: string;
  eventPollIntervalMs?: number;
  scheduleCheckIntervalMs?: number;
}

export interface RunningService<Config extends BaseConfig = BaseConfig> {
  runtime: ServiceRuntime<Config>;
  server: RunningServer;
  /** Present in worker processes of a service that subscribes to events. */
  events?: EventConsumer;
  /** Present in worker processes of a service with cycle jobs. */
  cycles?: CycleJobs;
  stop(): Promise<void>;
}

/** The base URL of another service: `<NAME>_URL`. */
function serviceUrl(env: Record<string, string | undefined>, name: string): string {
  const variable = `${name.toUpperCase()}_URL`;
  const url = env[variable];
  if (!url)
    throw new ConfigError(`Configuration is invalid:\n  ${variable} is required: the base URL of the ${name} service`);
  return url;
}

export function buildServiceSubgraph<Config extends BaseConfig, Context extends ServiceContext<Config>>(
  definition: ServiceDefinition<Config, Context>,
) {
  return buildSubgraph<Context>({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    referenceResolvers: definition.references,
  });
}

export function migrationsOf(definition: ServiceDefinition<never, never>): ClassList {
  return [
    ...definition.migrations,
    ...kitMigrations({
      emitsEvents: (definition.emits?.length ?? 0) > 0,
      consumesEvents: !!definition.subscriptions,
      runsCycleJobs: (definition.cycleJobs?.length ?? 0) > 0,
    }),
  ];
}

/**
 * Starts a service from its definition: logs, configuration, its database schema with migrations,
 * Redis, by ROLE the GraphQL subgraph (api), and the workers, event consumer and cycle jobs
 * (worker); `all` runs both. Stops in order: no new requests, then workers, then pools.
 */
/** Calls `act` at once, then at most once per `intervalMs`: a call inside the interval is answered at its end. */
function throttled(intervalMs: number, act: () => void): () => void {
  let isWaiting = false;
  let isCalledMeanwhile = false;
  const open = () => {
    if (!isCalledMeanwhile) {
      isWaiting = false;
      return;
    }
    isCalledMeanwhile = false;
    act();
    setTimeout(open, intervalMs).unref();
  };
  return () => {
    if (isWaiting) {
      isCalledMeanwhile = true;
      return;
    }
    isWaiting = true;
    act();
    setTimeout(open, intervalMs).unref();
  };
}

type AnyDefinition = ServiceDefinition<never, never>;

/** The service's settings, checked beyond their schema where two of them must agree. */
function loadServiceConfig<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  env: Record<string, string | undefined>,
): Config {
  // eslint-disable-next-line no-restricted-syntax -- every service's schema is a Zod object extending the base config; loadConfig reads only its shape
  const config = loadConfig(definition.config as unknown as z.ZodObject<z.ZodRawShape>, env) as Config;
  if (config.CYCLE_JOB_CONCURRENCY !== undefined && config.CYCLE_JOB_CONCURRENCY >= config.DATABASE_POOL_SIZE)
    throw new ConfigError(
      "Configuration is invalid:\n  CYCLE_JOB_CONCURRENCY must be less than DATABASE_POOL_SIZE: each run holds a connection, and requests need one too",
    );
  return config;
}

/** What the process holds while it runs, handed to jobs, routes and request contexts. */
function runtimeOf<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  parts: Omit<ServiceRuntime<Config>, "name" | "queue" | "eventsEmitted">,
  resources: ServiceResources,
): ServiceRuntime<Config> {
  const { redis, logger } = parts;
  const wake = () =>
    void wakeConsumers(redis, definition.name).catch((error) =>
      logger.debug({ err: error }, "could not wake event consumers"),
    );
  const runtime: ServiceRuntime<Config> = {
    ...parts,
    name: definition.name,
    queue: resources.queue,
    eventsEmitted: (definition.emits ?? []).length > 0 ? throttled(WAKE_COALESCE_MS, wake) : () => undefined,
  };
  // Opened now, while Redis is up: a queue first opened during an outage would wait for Redis to
  // return before its first job could be added, instead of failing at once.
  for (const job of definition.jobs ?? []) runtime.queue(`${definition.name}.${job.purpose}`);
  return runtime;
}

/** What a worker process runs: queue workers, repeating schedules, the event consumer, cycle jobs. */
interface ServiceWorkers {
  events?: EventConsumer;
  cycles?: CycleJobs;
  stop(): Promise<void>;
}

interface WorkerSetup<Config extends BaseConfig> {
  runtime: ServiceRuntime<Config>;
  workerRedis: ServiceResources["workerRedis"];
  tracing: Tracing | undefined;
  env: Record<string, string | undefined>;
  options: StartOptions;
}

function stalledJobsOf(config: BaseConfig) {
  return { lockDuration: config.QUEUE_LOCK_DURATION_MS, stalledInterval: config.QUEUE_STALLED_INTERVAL_MS };
}

function scheduleCheckIntervalMsOf(setup: WorkerSetup<BaseConfig>): number {
  return (
    setup.options.scheduleCheckIntervalMs ??
    Number(setup.env.CYCLE_SCHEDULE_CHECK_INTERVAL_MS ?? DEFAULT_SCHEDULE_CHECK_INTERVAL_MS)
  );
}

function startQueueWorkers<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  { runtime, workerRedis, tracing, options }: WorkerSetup<Config>,
): Worker[] {
  return (definition.jobs ?? []).map((job) => {
    const queue = runtime.queue(`${definition.name}.${job.purpose}`);
    const process = tracing
      ? (received: Job) => tracing.job(queue.name, received, () => job.process(received, runtime))
      : (received: Job) => job.process(received, runtime);
    const worker = createWorker(queue.name, process, workerRedis, {
      concurrency: job.concurrency ?? 4,
      ...stalledJobsOf(runtime.config),
      ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}),
    });
    worker.on("failed", (failed, error) =>
      runtime.logger.error({ err: error, jobId: failed?.id, queue: queue.name }, "job failed"),
    );
    return worker;
  });
}

/** Puts each `everyMs` job's BullMQ scheduler in place now and again whenever Redis lost it or its interval changed. */
async function keepRepeatingJobs<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  setup: WorkerSetup<Config>,
): Promise<NodeJS.Timeout | undefined> {
  const { runtime } = setup;
  const repeating = (definition.jobs ?? []).filter((job) => job.everyMs !== undefined);
  if (repeating.length === 0) return undefined;
  const keepRepeating = async () => {
    for (const job of repeating) {
      const queue = runtime.queue(`${definition.name}.${job.purpose}`);
      const everyMs = typeof job.everyMs === "function" ? job.everyMs(runtime.config) : job.everyMs!;
      const scheduler = await queue.getJobScheduler(everySchedulerId(job.purpose));
      if (scheduler && Number(scheduler.every) === everyMs) continue;
      await queue.upsertJobScheduler(everySchedulerId(job.purpose), { every: everyMs }, { name: "every" });
    }
  };
  await keepRepeating();
  const keeper = setInterval(() => {
    keepRepeating().catch((error) =>
      runtime.logger.warn({ err: error }, "could not check repeating job schedules; will retry"),
    );
  }, scheduleCheckIntervalMsOf(setup));
  keeper.unref();
  return keeper;
}

function startSubscriptions<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  { runtime, workerRedis, env, options }: WorkerSetup<Config>,
): EventConsumer | undefined {
  if (!definition.subscriptions) return undefined;
  const subscriptions = definition.subscriptions(runtime);
  const delivered = new Counter({
    name: "rhizome_events_delivered_total",
    help: "Events this service consumed, by topic and outcome",
    labelNames: ["topic", "outcome"] as const,
    registers: [runtime.registry],
  });
  // Credentials between services live in real time, whatever clock the service's rules run on; a
  // consumer's credential for each producer opens that producer's event feed and nothing else.
  const serviceCredential = serviceCredentialSource(runtime.config.TOKEN_SECRET, definition.name);
  return startEventConsumer({
    service: definition.name,
    db: runtime.db,
    subscriptions,
    producerUrls: Object.fromEntries(
      [...topicsByProducer(subscriptions).keys()].map((producer) => [producer, serviceUrl(env, producer)]),
    ),
    serviceToken: (producer: string) => serviceCredential({ target: producer, route: EVENT_FEED_PATH }),
    redis: workerRedis,
    logger: runtime.logger,
    pollIntervalMs: options.eventPollIntervalMs ?? Number(env.EVENT_POLL_INTERVAL_MS ?? DEFAULT_EVENT_POLL_INTERVAL_MS),
    onDelivered: (outcome, topic) => delivered.inc({ topic, outcome }),
  });
}

async function startServiceCycleJobs<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  setup: WorkerSetup<Config>,
): Promise<CycleJobs | undefined> {
  if (!definition.cycleJobs?.length) return undefined;
  const { runtime } = setup;
  const { config } = runtime;
  return startCycleJobs({
    service: definition.name,
    db: runtime.db,
    redis: setup.workerRedis,
    jobs: definition.cycleJobs,
    config,
    clock: runtime.clock,
    logger: runtime.logger,
    registry: runtime.registry,
    prefix: setup.options.queuePrefix,
    tracing: setup.tracing,
    stalledJobs: stalledJobsOf(config),
    concurrency: config.CYCLE_JOB_CONCURRENCY ?? cycleJobConcurrencyFor(config.DATABASE_POOL_SIZE),
    pace: config.CYCLE_JOB_PACE,
    scheduleCheckIntervalMs: scheduleCheckIntervalMsOf(setup),
  });
}

/** Starts what a worker process runs; on a failure part-way, stops what already started. */
async function startWorkers<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  setup: WorkerSetup<Config>,
): Promise<ServiceWorkers> {
  const started: { workers: Worker[]; keeper?: NodeJS.Timeout; events?: EventConsumer; cycles?: CycleJobs } = {
    workers: [],
  };
  const stop = async () => {
    clearInterval(started.keeper);
    await started.events?.stop();
    await started.cycles?.stop();
    await Promise.all(started.workers.map((worker) => worker.close()));
  };
  try {
    started.workers = startQueueWorkers(definition, setup);
    started.keeper = await keepRepeatingJobs(definition, setup);
    started.events = startSubscriptions(definition, setup);
    started.cycles = await startServiceCycleJobs(definition, setup);
  } catch (error) {
    await stop();
    throw error;
  }
  return { events: started.events, cycles: started.cycles, stop };
}

/** The caller as the service knows them now: a person whose session ended is refused; the service may refine the rest. */
function currentCallerOf<Config extends BaseConfig>(
  definition: ServiceDefinition<Config, never>,
  runtime: ServiceRuntime<Config>,
) {
  return async (caller: Caller): Promise<Caller> => {
    if (caller.kind !== "person") return definition.currentCaller ? definition.currentCaller(caller, runtime) : caller;
    if (definition.currentAccess) {
      const owned = await definition.currentAccess(caller, runtime);
      if (owned.hasSessionEnded) throw sessionEnded();
      return owned.caller;
    }
    const [access, known] = await Promise.all([
      currentAccessOf(runtime.redis, caller),
      definition.currentCaller?.(caller, runtime),
    ]);
    if (access.hasSessionEnded) throw sessionEnded();
    return known ?? access.caller;
  };
}

async function serveService<Config extends BaseConfig, Context extends ServiceContext<Config>>(
  definition: ServiceDefinition<Config, Context>,
  runtime: ServiceRuntime<Config>,
  resources: ServiceResources,
  workers: ServiceWorkers | undefined,
  setup: { env: Record<string, string | undefined>; tracing: Tracing | undefined },
): Promise<RunningServer> {
  const { config, db, redis, clock } = runtime;
  const verifyApiKey =
    definition.verifyApiKey?.(runtime) ??
    remoteApiKeyVerifier({
      networkUrl: serviceUrl(setup.env, "network"),
      tokenSecret: config.TOKEN_SECRET,
      service: definition.name,
    });
  const cycles = workers?.cycles;
  return serveSubgraph<Context>({
    service: definition.name,
    schema: config.ROLE !== "worker" ? (await buildServiceSubgraph(definition)).schema : undefined,
    host: config.HOST,
    // eslint-disable-next-line no-restricted-syntax -- every service's config schema has a PORT with its own default (services/*/src/config.ts)
    port: (config as unknown as { PORT: number }).PORT,
    metricsPort: config.METRICS_PORT,
    logger: runtime.logger,
    isProduction: config.NODE_ENV === "production",
    subgraphAccess: subgraphAccessOf(config.SUBGRAPH_ACCESS, config.NODE_ENV === "production"),
    operationLimits: { maxDepth: config.MAX_DEPTH, maxAliases: config.MAX_ALIASES, maxTokens: config.MAX_TOKENS },
    credentials: { tokenSecret: config.TOKEN_SECRET, operatorKey: definition.operatorKey?.(config), verifyApiKey },
    // eslint-disable-next-line no-restricted-syntax -- the caller check reads only the definition's currentCaller, whatever its context type
    currentCaller: currentCallerOf(definition as unknown as ServiceDefinition<Config, never>, runtime),
    createContext: (base) => {
      const context: ServiceContext<Config> = {
        ...base,
        db,
        redis,
        config,
        clock,
        eventsEmitted: runtime.eventsEmitted,
      };
      return definition.context ? definition.context(context, runtime) : (context as Context);
    },
    registry: runtime.registry,
    tracing: setup.tracing,
    readinessChecks: { ...resources.readinessChecks, ...(cycles ? { schedules: cycles.checkSchedules } : {}) },
    routes: (app) => {
      if ((definition.emits ?? []).length > 0) mountEventFeed(app, db, config.TOKEN_SECRET, definition.name);
      mountQueueList(app, { service: definition.name, queues: queueNamesOf(definition) });
      definition.routes?.(app, runtime);
    },
  });
}

export async function startService<Config extends BaseConfig, Context extends ServiceContext<Config>>(
  definition: ServiceDefinition<Config, Context>,
  options: StartOptions = {},
): Promise<RunningService<Config>> {
  const env = options.env ?? process.env;
  // eslint-disable-next-line no-restricted-syntax -- the steps below read only the definition's lists and hooks, whatever its context type
  const steps = definition as unknown as ServiceDefinition<Config, never>;
  const config = loadServiceConfig(steps, env);
  const clock = options.clock ?? clockOfSettings(config);
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  const registry = createMetricsRegistry(definition.name);
  const tracing = await tracingFor(definition.name, config);
  const resources = await openServiceResources({
    databaseUrl: config.DATABASE_URL,
    redisUrl: config.REDIS_URL,
    schema: definition.name,
    entities: definition.entities ?? [],
    // eslint-disable-next-line no-restricted-syntax -- migrationsOf reads only a definition's lists, whatever its config and context types
    migrations: migrationsOf(definition as unknown as AnyDefinition),
    logger,
    queuePrefix: options.queuePrefix,
    registry,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    migrationMode: config.MIGRATIONS,
    tracing,
    poolSize: config.DATABASE_POOL_SIZE,
    idleTimeoutMs: config.DATABASE_IDLE_TIMEOUT_MS,
  });
  const { db, redis, workerRedis } = resources;
  const runtime = runtimeOf(steps, { config, logger, clock, db, redis, registry }, resources);
  let workers: ServiceWorkers | undefined;
  let server: RunningServer;
  try {
    if (config.ROLE !== "api") workers = await startWorkers(steps, { runtime, workerRedis, tracing, env, options });
    server = await serveService(definition, runtime, resources, workers, { env, tracing });
  } catch (error) {
    await workers?.stop();
    await resources.close();
    await tracing?.shutdown();
    throw error;
  }
  return {
    runtime,
    server,
    events: workers?.events,
    cycles: workers?.cycles,
    async stop() {
      await server.close();
      await workers?.stop();
      await resources.close();
      await tracing?.shutdown();
    },
  };
}
