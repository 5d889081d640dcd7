// The runtime and the two plugins it uses, not @graphql-hive/gateway, whose CLI and bundled plugins cost about 100 MB per process.
import { createGatewayRuntime, type GatewayPlugin, type GatewayRuntime } from "@graphql-hive/gateway-runtime";
import { useJWT } from "@graphql-mesh/plugin-jwt-auth";
import { unifiedGraphHandler } from "@graphql-hive/router-runtime";
import { createSecretKey } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { API_KEY_HEADER, createMetricsRegistry, GATEWAY_SIGNATURE_HEADER, gatewaySignatureSource, OPERATOR_KEY_HEADER, REQUEST_ID_HEADER, serveMetrics, TOKEN_AUDIENCE, TOKEN_ISSUER, type Logger, type MetricsRegistry } from "@rhizome/kit";
import type { GatewayConfig } from "./config.js";
import { operationLimitPlugins } from "./limits.js";
import { useErrorCodes } from "./error-codes.js";
import { maskGatewayError, useUnavailableStatus } from "./subgraph-failures.js";
import { useApiKeyCheck } from "./api-key-check.js";
import { limitRequestBytes } from "./request-size-limit.js";
import { subgraphsOf } from "./supergraph.js";
import { serveDashboard } from "./dashboard/serve.js";
import { useGatewayMetrics } from "./metrics.js";
import { useRateLimits } from "./rate-limits.js";
import { localGraphiQL, useLocalLandingPage } from "./local-pages.js";
import { trustedDocuments } from "./trusted-documents.js";
import { runtimeLogLevel } from "./logging.js";
import { createQueueConsole } from "./queue-console.js";
import { gatewayTracing } from "./tracing.js";

/** Credentials and tracing headers the gateway passes on; each subgraph verifies credentials itself. */
const FORWARDED_HEADERS = ["authorization", API_KEY_HEADER, OPERATOR_KEY_HEADER, REQUEST_ID_HEADER];

export interface RunningGateway {
  url: string;
  /** `http://host:METRICS_PORT/metrics`, apart from the public port. */
  metricsUrl: string;
  close(): Promise<void>;
}

/**
 * The token secret as a ready-made KeyObject. Given a string, jsonwebtoken first tries it as a
 * public key and catches the failure on every request: 12% of the gateway's CPU when profiled.
 */
function tokenSigningKey(secret: string) {
  const key = createSecretKey(Buffer.from(secret));
  // The plugin's type says string; jsonwebtoken, which it calls, accepts a KeyObject as well.
  return () => key as unknown as string;
}

export function createRhizomeRuntime(config: GatewayConfig, supergraph: string, logger: Logger, registry: MetricsRegistry = createMetricsRegistry("gateway"), tracingPlugins: GatewayPlugin[] = []): GatewayRuntime {
  const isProduction = config.NODE_ENV === "production";
  const networkSubgraphUrl = subgraphsOf(supergraph).get("network");
  if (!networkSubgraphUrl) throw new Error("The supergraph has no network subgraph, which owns API keys.");
  const gatewaySignature = gatewaySignatureSource(config.TOKEN_SECRET);
  return createGatewayRuntime({
    supergraph,
    ...(config.QUERY_PLANNER === "rust" ? { unifiedGraphHandler } : {}),
    graphqlEndpoint: "/graphql",
    persistedDocuments: trustedDocuments({
      networkUrl: new URL("/", networkSubgraphUrl).toString(),
      tokenSecret: config.TOKEN_SECRET,
      isRequired: config.PERSISTED_OPERATIONS_ONLY,
    }),
    healthCheckEndpoint: "/health",
    readinessCheckEndpoint: "/ready",
    landingPage: false,
    graphiql: !isProduction,
    renderGraphiQL: localGraphiQL(),
    logging: runtimeLogLevel(config.LOG_LEVEL),
    maskedErrors: { maskError: maskGatewayError },
    upstreamTimeout: config.SUBGRAPH_TIMEOUT_MS,
    requestId: { headerName: REQUEST_ID_HEADER },
    requestDeadline: config.REQUEST_DEADLINE_MS,
    disableIntrospection: isProduction ? {} : undefined,
    demandControl: { maxCost: config.MAX_COST, listSize: 50, includeExtensionMetadata: false },
    propagateHeaders: {
      fromClientToSubgraphs: async ({ request }) => ({
        ...Object.fromEntries(FORWARDED_HEADERS.map((name) => [name, request.headers.get(name) ?? undefined])),
        [GATEWAY_SIGNATURE_HEADER]: await gatewaySignature(),
      }),
    },
    plugins: (context) => [
      ...tracingPlugins,
      useGatewayMetrics(registry),
      ...(isProduction ? [] : [useLocalLandingPage()]),
      useRateLimits({ requestsPerMinute: config.RATE_LIMIT_REQUESTS_PER_MINUTE, loginsPerMinute: config.RATE_LIMIT_LOGINS_PER_MINUTE }),
      useJWT({
        signingKeyProviders: [tokenSigningKey(config.TOKEN_SECRET)],
        tokenVerification: { algorithms: ["HS256"], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
        reject: { missingToken: false, invalidToken: true },
      }) as unknown as GatewayPlugin, // its Logger type comes from a second declaration file of @graphql-hive/logger
      ...operationLimitPlugins(config),
      useErrorCodes(),
      useUnavailableStatus(),
      useApiKeyCheck({ networkUrl: new URL("/", networkSubgraphUrl).toString(), tokenSecret: config.TOKEN_SECRET }, logger),
    ],
  });
}

export async function startGateway(config: GatewayConfig, supergraph: string, logger: Logger): Promise<RunningGateway> {
  const registry = createMetricsRegistry("gateway");
  const tracing = await gatewayTracing(config);
  const runtime = createRhizomeRuntime(config, supergraph, logger, registry, tracing.plugins);
  const handleGraphQL = limitRequestBytes(config.MAX_REQUEST_BYTES, (request, response) => void runtime(request, response));
  const queueConsole = createQueueConsole({ operatorKey: config.OPERATOR_KEY, redisUrl: config.REDIS_URL, tokenSecret: config.TOKEN_SECRET, subgraphUrls: subgraphsOf(supergraph), logger });
  const server: Server = createServer((request, response) => serveDashboard(request, response) || queueConsole.handle(request, response) || handleGraphQL(request, response));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST}:${port}/graphql`;
  const metrics = await serveMetrics(registry, { host: config.HOST, port: config.METRICS_PORT });
  logger.info({ url, metricsUrl: metrics.url, queryPlanner: config.QUERY_PLANNER }, "gateway listening");
  return {
    url,
    metricsUrl: metrics.url,
    async close() {
      // A bare Hive runtime behind http.createServer does not stop by itself on SIGTERM.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await metrics.close();
      await queueConsole.close();
      await runtime.dispose();
      await tracing.shutdown();
    },
  };
}
