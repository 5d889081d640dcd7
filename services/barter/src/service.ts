import "reflect-metadata";
import {
  buildSubgraph,
  createLogger,
  createMetricsRegistry,
  loadConfig,
  openDatabase,
  openServiceResources,
  remoteApiKeyVerifier,
  serveSubgraph,
  type RunningServer,
  type Worker,
} from "@rhizome/kit";
import type { DataSource } from "typeorm";
import { barterConfigSchema, type BarterConfig } from "./config.js";
import { createLoaders, type BarterContext } from "./context.js";
import { barterEntities } from "./entities/index.js";
import { startExpiryScheduling, startExpiryWorker } from "./jobs/expiry.js";
import { startInboxWorker } from "./jobs/inbox.js";
import { EXPIRY_QUEUE, SERVICE_NAME } from "./jobs/queues.js";
import { BarterSchema1795420900000 } from "./migrations/0001-barter-schema.js";
import { RecordedCycleFigures1795421000000 } from "./migrations/0002-recorded-cycle-figures.js";
import { referenceResolvers } from "./references.js";
import { createBarterMetrics } from "./metrics.js";
import { CircleBarterResolver } from "./resolvers/circle-barter.resolver.js";
import { ExchangeResolver } from "./resolvers/exchange.resolver.js";
import { CircleListingsResolver, ListingResolver } from "./resolvers/listing.resolver.js";
import { MemberBalanceResolver } from "./resolvers/member-balance.resolver.js";

export { SERVICE_NAME };
// What tests and the benchmark drive directly, without GraphQL.
export { confirmExchangeSql } from "./store/confirm-exchange.js";
export { ledgerSql } from "./store/transfers.js";
export { expireCircleCycle, cyclesDueForExpiry } from "./store/expiry.js";

export function buildBarterSubgraph() {
  return buildSubgraph<BarterContext>({
    resolvers: [ListingResolver, CircleListingsResolver, ExchangeResolver, CircleBarterResolver, MemberBalanceResolver],
    referenceResolvers,
  });
}

const barterMigrations = [BarterSchema1795420900000, RecordedCycleFigures1795421000000];

/** Opens barter's schema, bringing it up to date. */
export function openBarterDatabase(config: Pick<BarterConfig, "DATABASE_URL">, logger = createLogger(SERVICE_NAME, "silent")): Promise<DataSource> {
  return openDatabase({ url: config.DATABASE_URL, schema: SERVICE_NAME, entities: barterEntities, migrations: barterMigrations, logger });
}

export interface BarterService {
  /** Without the GraphQL endpoint when the process runs only workers (ROLE=worker). */
  server: RunningServer;
  stop(): Promise<void>;
}

export async function startBarterService(config: BarterConfig = loadConfig(barterConfigSchema)): Promise<BarterService> {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const resources = await openServiceResources({
    databaseUrl: config.DATABASE_URL,
    redisUrl: config.REDIS_URL,
    schema: SERVICE_NAME,
    entities: barterEntities,
    migrations: barterMigrations,
    logger,
  });
  const { db, redis } = resources;
  const registry = createMetricsRegistry(SERVICE_NAME);
  const metrics = createBarterMetrics(registry);
  const isServingApi = config.ROLE !== "worker";
  const isRunningWorkers = config.ROLE !== "api";

  const workers: Worker[] = [];
  if (isRunningWorkers) {
    const expiryQueue = resources.queue(EXPIRY_QUEUE);
    workers.push(startInboxWorker({ db, connection: redis, logger }));
    workers.push(startExpiryWorker({ db, queue: expiryQueue, connection: redis, logger, metrics }));
    const caughtUp = await startExpiryScheduling(db, expiryQueue, new Date());
    if (caughtUp.length > 0) logger.info({ jobs: caughtUp.length }, "catching up on expiries missed while the hub was down");
  }

  const server = await serveSubgraph<BarterContext>({
    service: SERVICE_NAME,
    schema: isServingApi ? (await buildBarterSubgraph()).schema : undefined,
    host: config.HOST,
    port: config.PORT,
    logger,
    isProduction: config.NODE_ENV === "production",
    credentials: { tokenSecret: config.TOKEN_SECRET, verifyApiKey: remoteApiKeyVerifier(config.NETWORK_URL) },
    createContext: (base) => ({ ...base, db, config, metrics, ...createLoaders(db), clock: () => new Date() }),
    registry,
    readinessChecks: resources.readinessChecks,
  });

  return {
    server,
    async stop() {
      await server.close();
      await Promise.all(workers.map((worker) => worker.close()));
      await resources.close();
    },
  };
}
