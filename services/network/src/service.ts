import "reflect-metadata";
import { buildSubgraph, createLogger, loadConfig, openServiceResources, serveSubgraph, startOutboxRelay, type RunningServer } from "@rhizome/kit";
import { networkConfigSchema, type NetworkConfig } from "./config.js";
import { createLoaders, type NetworkContext } from "./context.js";
import { ApiKeyRow } from "./entities/api-key.js";
import { CircleRow } from "./entities/circle.js";
import { InvitationRow } from "./entities/invitation.js";
import { MemberRow } from "./entities/member.js";
import { PersonRow } from "./entities/person.js";
import { NetworkSchema1795420800000 } from "./migrations/0001-network-schema.js";
import { referenceResolvers } from "./references.js";
import { AccessResolver } from "./resolvers/access.resolver.js";
import { CircleResolver } from "./resolvers/circle.resolver.js";
import { MembershipResolver } from "./resolvers/membership.resolver.js";
import { mountApiKeyVerification, verifyApiKey } from "./api-key-verification.js";

export const SERVICE_NAME = "network";

export function buildNetworkSubgraph() {
  return buildSubgraph<NetworkContext>({
    resolvers: [CircleResolver, MembershipResolver, AccessResolver],
    referenceResolvers,
  });
}

export interface NetworkService {
  server: RunningServer;
  stop(): Promise<void>;
}

export async function startNetworkService(config: NetworkConfig = loadConfig(networkConfigSchema)): Promise<NetworkService> {
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const resources = await openServiceResources({
    databaseUrl: config.DATABASE_URL,
    redisUrl: config.REDIS_URL,
    schema: SERVICE_NAME,
    entities: [CircleRow, PersonRow, MemberRow, InvitationRow, ApiKeyRow],
    migrations: [NetworkSchema1795420800000],
    logger,
  });
  const { db, redis } = resources;
  const relay = config.ROLE === "api" ? undefined : startOutboxRelay({ dataSource: db, queueFor: resources.queue, logger });
  const server = await serveSubgraph<NetworkContext>({
    service: SERVICE_NAME,
    schema: config.ROLE === "worker" ? undefined : (await buildNetworkSubgraph()).schema,
    host: config.HOST,
    port: config.PORT,
    logger,
    isProduction: config.NODE_ENV === "production",
    credentials: {
      tokenSecret: config.TOKEN_SECRET,
      operatorKey: config.OPERATOR_KEY,
      verifyApiKey: (key) => verifyApiKey(db, key),
    },
    createContext: (base) => ({ ...base, db, config, redis, ...createLoaders(db), eventsRecorded: () => relay?.wake() }),
    readinessChecks: resources.readinessChecks,
    routes: (app) => mountApiKeyVerification(app, db),
  });

  return {
    server,
    async stop() {
      await server.close();
      await relay?.stop();
      await resources.close();
    },
  };
}
