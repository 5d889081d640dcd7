// The runtime and the two plugins it uses, not @graphql-hive/gateway, whose CLI and bundled plugins cost about 100 MB per process.
import { createGatewayRuntime, type GatewayPlugin, type GatewayRuntime } from "@graphql-hive/gateway-runtime";
import { unifiedGraphHandler } from "@graphql-hive/router-runtime";
import { isObjectType } from "graphql";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  API_KEY_HEADER,
  cachingPersonTokenVerifier,
  remoteApiKeyVerifier,
  GATEWAY_SIGNATURE_HEADER,
  gatewaySignatureSource,
  OPERATOR_KEY_HEADER,
} from "@rhizome/kit/auth";
import {
  Counter,
  createMetricsRegistry,
  REQUEST_ID_HEADER,
  serveMetrics,
  shareMetricsWithClusterPrimary,
  type Logger,
  type MetricsRegistry,
} from "@rhizome/kit/runtime";
import type { GatewayConfig } from "./config.js";
import { operationLimitPlugins } from "./limits.js";
import { useErrorCodes } from "./error-codes.js";
import { maskGatewayError, useUnavailableStatus } from "./subgraph-failures.js";
import { useApiKeyCheck } from "./api-key-check.js";
import { limitRequestBytes } from "./request-size-limit.js";
import { answerByDeadline } from "./request-deadline.js";
import { subgraphsOf } from "./supergraph.js";
import { serveApp } from "./app/serve-app.js";
import { redirectDashboard } from "./app/dashboard-redirect.js";
import { loadAppOperations } from "./app/app-operations.js";
import { requestDurations, subgraphRequestDurations, useGatewayMetrics } from "./metrics.js";
import { createRateLimits, type RateLimits } from "./rate-limits.js";
import { createPublicCache } from "./public-cache.js";
import { useSharedFetchCache } from "./shared-fetch-cache.js";
import { createCoalescing } from "./coalescing.js";
import { createOperations, readOperation, useParsedOperations } from "./operations.js";
import { pipelineListener, route, type Step } from "./pipeline.js";
import { answerOfResponse } from "./answers.js";
import { useTokenCheck } from "./token-check.js";
import { createSubgraphRequests, useSubgraphFetch, type SubgraphRequests } from "./subgraph-fetch.js";
import { fastLane } from "./fast-lane.js";
import type { LaneOptions } from "./lanes.js";
import { planLane } from "./plan-lane.js";
import { supergraphSchemaOf } from "./plan-projection.js";
import { createQueryPlans } from "./query-plans.js";
import { localGraphiQL, useLocalLandingPage } from "./local-pages.js";
import { trustedDocuments } from "./trusted-documents.js";
import { runtimeLogLevel } from "./logging.js";
import { createQueueConsole } from "./queue-console.js";
import { creditCommonsProxy } from "./credit-commons-proxy.js";
import { gatewayTracing } from "./tracing.js";
import { createReadiness } from "./readiness.js";

/** How many requests that may write had ended when a subgraph request was sent (see coalescing.ts). */
const WRITES_ENDED_HEADER = "x-rhizome-writes-ended";
/** Credentials and tracing headers the gateway passes on; each subgraph verifies credentials itself. */
const FORWARDED_HEADERS = ["authorization", API_KEY_HEADER, OPERATOR_KEY_HEADER, REQUEST_ID_HEADER];

export interface RunningGateway {
  url: string;
  /** `http://host:METRICS_PORT/metrics`, apart from the public port. */
  metricsUrl: string;
  close(): Promise<void>;
}

function networkUrlOf(supergraph: string): string {
  const networkSubgraphUrl = subgraphsOf(supergraph).get("network");
  if (!networkSubgraphUrl) throw new Error("The supergraph has no network subgraph, which owns API keys.");
  return new URL("/", networkSubgraphUrl).toString();
}

/** Limits per person (whichever token or API key they send), else per address. */
const rateLimitsOf = (config: GatewayConfig, supergraph: string) =>
  createRateLimits(
    { requestsPerMinute: config.RATE_LIMIT_REQUESTS_PER_MINUTE, loginsPerMinute: config.RATE_LIMIT_LOGINS_PER_MINUTE },
    {
      verifyPersonToken: cachingPersonTokenVerifier(config.TOKEN_SECRET),
      verifyApiKey: remoteApiKeyVerifier({
        networkUrl: networkUrlOf(supergraph),
        tokenSecret: config.TOKEN_SECRET,
        service: "gateway",
      }),
    },
  );

export interface RuntimeParts {
  /** Shared with what answers before the runtime (the public cache), so both count against one limit. */
  rateLimits?: RateLimits;
  /** Empty unless traces are exported. */
  tracingPlugins?: GatewayPlugin[];
  /** The clock of the caches' lifetimes. */
  now?: () => Date;
  /** How many requests that may write have ended (coalescing.ts); 0 when nothing watches. */
  writesEnded?: () => number;
  /** Each registered document fetched for a persisted operation's id, so coalescing knows a read from a write. */
  onPersistedDocument?: (documentId: string, document: string) => void;
  /** How subgraph requests are sent, shared with the fast lane. */
  subgraphRequests?: SubgraphRequests;
  /** The subgraph requests' durations, shared with the fast lane. */
  subgraphCalls?: ReturnType<typeof subgraphRequestDurations>;
}

export function createRhizomeRuntime(
  config: GatewayConfig,
  supergraph: string,
  logger: Logger,
  registry: MetricsRegistry = createMetricsRegistry("gateway"),
  {
    rateLimits = rateLimitsOf(config, supergraph),
    tracingPlugins = [],
    now = () => new Date(),
    writesEnded = () => 0,
    onPersistedDocument,
    subgraphRequests = createSubgraphRequests(config.SUBGRAPH_TIMEOUT_MS),
    subgraphCalls = subgraphRequestDurations(registry),
  }: RuntimeParts = {},
): GatewayRuntime {
  const isProduction = config.NODE_ENV === "production";
  const networkSubgraphUrl = subgraphsOf(supergraph).get("network");
  if (!networkSubgraphUrl) throw new Error("The supergraph has no network subgraph, which owns API keys.");
  const gatewaySignature = gatewaySignatureSource(config.TOKEN_SECRET);
  const networkUrl = new URL("/", networkSubgraphUrl).toString();
  return createGatewayRuntime({
    supergraph,
    ...(config.QUERY_PLANNER === "rust" ? { unifiedGraphHandler } : {}),
    graphqlEndpoint: "/graphql",
    persistedDocuments: learningDocuments(
      trustedDocuments({
        networkUrl,
        tokenSecret: config.TOKEN_SECRET,
        isRequired: config.PERSISTED_OPERATIONS_ONLY,
        builtIn: loadAppOperations(),
      }),
      onPersistedDocument,
    ),
    // Identical subgraph reads in flight share one request in subgraph-fetch.ts, which knows when
    // every client waiting for one has gone.
    transportEntries: { "*.http": { options: { deduplicateInflightRequests: false } } },
    healthCheckEndpoint: "/health",
    readinessCheckEndpoint: "/ready",
    landingPage: false,
    graphiql: !isProduction,
    renderGraphiQL: localGraphiQL(),
    logging: runtimeLogLevel(config.LOG_LEVEL),
    maskedErrors: { maskError: maskGatewayError },
    requestId: { headerName: REQUEST_ID_HEADER },
    disableIntrospection: isProduction ? {} : undefined,
    demandControl: { maxCost: config.MAX_COST, listSize: 50, includeExtensionMetadata: false },
    propagateHeaders: {
      fromClientToSubgraphs: async ({ request, subgraphName }) => ({
        ...Object.fromEntries(FORWARDED_HEADERS.map((name) => [name, request.headers.get(name) ?? undefined])),
        [GATEWAY_SIGNATURE_HEADER]: await gatewaySignature(subgraphName),
        // The HTTP executor shares identical subgraph requests in flight, headers included: one sent
        // after a write ended never shares the answer of one sent before.
        [WRITES_ENDED_HEADER]: String(writesEnded()),
      }),
    },
    plugins: () => [
      useParsedOperations(),
      ...tracingPlugins,
      useGatewayMetrics(subgraphCalls),
      ...(isProduction ? [] : [useLocalLandingPage()]),
      rateLimits.plugin,
      useTokenCheck(config.TOKEN_SECRET),
      ...operationLimitPlugins(config),
      useErrorCodes(),
      useUnavailableStatus(),
      useApiKeyCheck({ networkUrl, tokenSecret: config.TOKEN_SECRET }, logger),
      useSubgraphFetch(subgraphRequests),
      ...sharedFetchCacheOf(config, supergraph, registry, now),
    ],
  });
}

/** The cache of subgraph answers every caller shares (a circle's id by its slug), when it has room. */
function sharedFetchCacheOf(config: GatewayConfig, supergraph: string, registry: MetricsRegistry, now: () => Date) {
  if (config.SHARED_FETCH_CACHE_ENTRIES <= 0) return [];
  const lookups = new Counter({
    name: "rhizome_gateway_shared_fetch_lookups_total",
    help: "Subgraph requests for answers shared by every caller (a circle's id by its slug) looked up in the gateway's cache, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  return [
    useSharedFetchCache({
      supergraph,
      maxEntries: config.SHARED_FETCH_CACHE_ENTRIES,
      now,
      onLookup: (outcome) => lookups.inc({ outcome }),
    }),
  ];
}

/** Tells `onDocument` each registered document the runtime fetched for a persisted operation's id. */
function learningDocuments<Documents extends ReturnType<typeof trustedDocuments>>(
  documents: Documents,
  onDocument: ((documentId: string, document: string) => void) | undefined,
): Documents {
  if (!onDocument) return documents;
  return {
    ...documents,
    async getPersistedOperation(key: string, request: Request) {
      const document = await documents.getPersistedOperation(key, request);
      if (document) onDocument(key, document);
      return document;
    },
  };
}

/**
 * The last step: the Hive runtime answers, as a value. Its plugins find the exchange in their
 * context (what the pipeline parsed, useParsedOperations), and the request's signal ends when the
 * client hangs up (subgraph-fetch.ts).
 */
function answerByRuntime(runtime: GatewayRuntime): Step {
  return async (exchange) => {
    const { request, response } = exchange;
    return answerOfResponse(
      await runtime.handleNodeRequestAndResponse(request, response, { req: request, res: response, exchange }),
    );
  };
}

type LaneParts = Required<Pick<RuntimeParts, "rateLimits" | "subgraphRequests" | "subgraphCalls" | "writesEnded">>;

/** What both lanes share with the runtime's path: its sender, rate limits, credentials and metrics. */
function laneOptionsOf(config: GatewayConfig, supergraph: string, parts: LaneParts): LaneOptions {
  return {
    subgraphUrls: subgraphsOf(supergraph),
    requests: parts.subgraphRequests,
    gatewaySignature: gatewaySignatureSource(config.TOKEN_SECRET),
    writesEnded: parts.writesEnded,
    verifyPersonToken: cachingPersonTokenVerifier(config.TOKEN_SECRET),
    mayRequest: parts.rateLimits.mayRequest,
    isPersistedOnly: config.PERSISTED_OPERATIONS_ONLY,
    onSubgraphAnswered: (subgraph, outcome, seconds) => parts.subgraphCalls.observe({ subgraph, outcome }, seconds),
    appDocumentIds: new Set(loadAppOperations().keys()),
  };
}

/**
 * The fast lane (fast-lane.ts), with the same rate limits, sender and metrics as the runtime's
 * path; none when FAST_LANE is false or traces are exported (the runtime's plugins make the spans).
 */
function fastLaneOf(
  config: GatewayConfig,
  supergraph: string,
  isTracing: boolean,
  parts: LaneParts & { registry: MetricsRegistry },
): Step[] {
  if (!config.FAST_LANE || isTracing) return [];
  const answered = new Counter({
    name: "rhizome_gateway_fast_lane_answers_total",
    help: "Queries one subgraph answered by itself, sent straight to it without the runtime's planner, by subgraph",
    labelNames: ["subgraph"] as const,
    registers: [parts.registry],
  });
  return [
    fastLane({
      ...laneOptionsOf(config, supergraph, parts),
      onAnswered: (subgraph) => answered.inc({ subgraph }),
    }),
  ];
}

/**
 * The plan lane (plan-lane.ts): queries that need several subgraphs executed from their cached
 * plan, with the same rate limits, sender and metrics as the runtime's path; none when PLAN_LANE is
 * false or traces are exported (the runtime's plugins make the spans).
 */
function planLaneOf(
  config: GatewayConfig,
  supergraph: string,
  isTracing: boolean,
  parts: LaneParts & { registry: MetricsRegistry },
): Step[] {
  if (!config.PLAN_LANE || isTracing) return [];
  const answered = new Counter({
    name: "rhizome_gateway_plan_lane_answers_total",
    help: "Queries that need several subgraphs, executed by the gateway from their cached plan without the runtime, by outcome (answered, or handed back to the runtime)",
    labelNames: ["outcome"] as const,
    registers: [parts.registry],
  });
  const schema = supergraphSchemaOf(supergraph);
  const objectTypes = new Set(
    Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type))
      .map((type) => type.name),
  );
  return [
    planLane({
      ...laneOptionsOf(config, supergraph, parts),
      schema,
      planOf: createQueryPlans({ supergraph, subgraphUrls: subgraphsOf(supergraph), objectTypes }),
      onAnswered: () => answered.inc({ outcome: "answered" }),
      onHandedBack: () => answered.inc({ outcome: "handed back" }),
    }),
  ];
}

export interface GatewayOptions {
  /** The clock that says which lunar cycles are closed, for the public cache. */
  now?: () => Date;
  /** One of several processes of a cluster (processes.ts): its metrics go to the primary, which serves them. */
  isClusterWorker?: boolean;
}

/** The cache of anonymous public reads of closed cycles, when it has room. */
function publicCacheOf(
  config: GatewayConfig,
  registry: MetricsRegistry,
  now: () => Date,
  mayRequest: Parameters<typeof createPublicCache>[0]["mayRequest"],
) {
  if (config.PUBLIC_CACHE_ENTRIES <= 0) return undefined;
  const lookups = new Counter({
    name: "rhizome_gateway_public_cache_lookups_total",
    help: "Anonymous public reads looked up in the gateway's cache, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  return createPublicCache({
    maxEntries: config.PUBLIC_CACHE_ENTRIES,
    now,
    mayRequest,
    onLookup: (outcome) => lookups.inc({ outcome }),
  });
}

/** Queries from one caller identical to one in flight share its answer, counted. */
function coalescingOf(
  config: GatewayConfig,
  registry: MetricsRegistry,
  mayRequest: Parameters<typeof createCoalescing>[0]["mayRequest"],
) {
  const sharedAnswers = new Counter({
    name: "rhizome_gateway_shared_answers_total",
    help: "Queries answered with the answer of the same query from the same caller already in flight",
    registers: [registry],
  });
  return createCoalescing({ shareAnswers: config.COALESCE_QUERIES, mayRequest, onShared: () => sharedAnswers.inc() });
}

/** A cluster worker's metrics go to the primary, which serves them; a lone process serves its own. */
async function metricsOf(registry: MetricsRegistry, config: GatewayConfig, isClusterWorker = false) {
  if (!isClusterWorker) return serveMetrics(registry, { host: config.HOST, port: config.METRICS_PORT });
  shareMetricsWithClusterPrimary(registry);
  return { url: "", close: async () => undefined };
}

async function listen(server: Server, config: GatewayConfig): Promise<Server> {
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  return server;
}

export async function startGateway(
  config: GatewayConfig,
  supergraph: string,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const registry = createMetricsRegistry("gateway");
  const rateLimits = rateLimitsOf(config, supergraph);
  const tracing = await gatewayTracing(config);
  const operations = createOperations({ supergraph, maxTokens: config.MAX_TOKENS });
  const coalescing = coalescingOf(config, registry, rateLimits.mayRequest);
  // What the runtime's path and the fast lane share: limits, one subgraph sender and its histogram.
  const shared = {
    rateLimits,
    writesEnded: coalescing.writesEnded,
    subgraphRequests: createSubgraphRequests(config.SUBGRAPH_TIMEOUT_MS),
    subgraphCalls: subgraphRequestDurations(registry),
  };
  const runtime = createRhizomeRuntime(config, supergraph, logger, registry, {
    ...shared,
    tracingPlugins: tracing.plugins,
    now: options.now,
    onPersistedDocument: operations.learnDocument,
  });
  const publicCache = publicCacheOf(config, registry, options.now ?? (() => new Date()), rateLimits.mayRequest);
  const queueConsole = createQueueConsole({
    operatorKey: config.OPERATOR_KEY,
    redisUrl: config.REDIS_URL,
    tokenSecret: config.TOKEN_SECRET,
    subgraphUrls: subgraphsOf(supergraph),
    logger,
  });
  const readiness = createReadiness(subgraphsOf(supergraph));
  // The hub's Credit Commons node for neighbouring hubs: /cc/ passed to barter as it is.
  const creditCommons = creditCommonsProxy(subgraphsOf(supergraph).get("barter"));
  // Every request passes these steps in this order; a new route is one more entry.
  const steps: Step[] = [
    route(readiness.handle),
    route(serveApp),
    route(redirectDashboard),
    route(queueConsole.handle),
    route(creditCommons.handle),
    // Everything else is the runtime's: GraphQL at /graphql, /health, GraphiQL outside production.
    requestDurations(registry),
    limitRequestBytes(config.MAX_REQUEST_BYTES),
    readOperation(operations),
    ...(publicCache ? [publicCache] : []),
    coalescing.step,
    answerByDeadline(config.REQUEST_DEADLINE_MS),
    ...fastLaneOf(config, supergraph, tracing.plugins.length > 0, { ...shared, registry }),
    ...planLaneOf(config, supergraph, tracing.plugins.length > 0, { ...shared, registry }),
    answerByRuntime(runtime),
  ];
  const server = await listen(createServer(pipelineListener(steps, logger)), config);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST}:${port}/graphql`;
  const metrics = await metricsOf(registry, config, options.isClusterWorker);
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
