import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import express, { type Request, type Response } from "express";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer, type IncomingMessage, type Server } from "node:http";
import client from "prom-client";
import { createMetricsRegistry, serveMetrics, type MetricsRegistry } from "../runtime/metrics.js";
import { cachingPersonTokenVerifier, resolveCaller, type Caller, type CredentialSources } from "../auth/auth.js";
import { errorCodes, formatClientError, isUnexpectedError, outageError } from "../runtime/errors.js";
import { isOutageError } from "../runtime/outages.js";
import { REQUEST_ID_HEADER, type Logger } from "../runtime/logger.js";
import {
  GATEWAY_SIGNATURE_REFUSAL,
  SUBGRAPH_GRAPHQL_ROUTE,
  gatewaySignatureCheck,
  type SubgraphAccess,
} from "../auth/gateway-trust.js";
import { requireServiceCredential } from "../auth/internal-auth.js";
import type { Tracing } from "../runtime/tracing.js";
import {
  QUERY_PLANNER_TOKEN_ALLOWANCE,
  subgraphValidationRules,
  type OperationLimits,
} from "../auth/operation-limits.js";
import { graphqlHttpHandler } from "./graphql-http.js";

export const MAX_REQUEST_BYTES = 256 * 1024;
/** How long /ready waits for one of its checks (database, Redis, schedules) before reporting it as failing. */
export const READINESS_CHECK_TIMEOUT_MS = 1_500;

export interface RequestContext {
  caller: Caller;
  requestId: string;
  logger: Logger;
}

export type ReadinessCheck = () => Promise<void>;

export interface SubgraphServerOptions<Context extends RequestContext> {
  service: string;
  /** Absent in a worker-only process (ROLE=worker): then only /health and /ready are served. */
  schema?: GraphQLSchema;
  host: string;
  port: number;
  /** /metrics is served there, never on the public port. */
  metricsPort: number;
  logger: Logger;
  credentials: CredentialSources;
  isProduction: boolean;
  /** "gateway-only": /graphql answers only requests signed by the gateway. */
  subgraphAccess: SubgraphAccess;
  /** The gateway's limits, applied here too. */
  operationLimits: OperationLimits;
  /** Extends the base context per request, e.g. with DataLoaders. */
  createContext: (base: RequestContext) => Context;
  readinessChecks: Record<string, ReadinessCheck>;
  /** Where the service's own metrics live; served on the metrics port with the server's. Default: a new one. */
  registry?: MetricsRegistry;
  /** Replaces a verified caller with what the service knows now (see ServiceDefinition.currentCaller). */
  currentCaller?: (caller: Caller) => Promise<Caller>;
  /** Extra HTTP routes, mounted before /graphql (e.g. internal endpoints: any path under /internal requires a service credential). */
  routes?: (app: express.Express) => void;
  /** A server span per /graphql request, under the gateway's trace; absent when tracing is off. */
  tracing?: Tracing;
}

export interface RunningServer {
  url: string;
  port: number;
  /** `http://host:METRICS_PORT/metrics` */
  metricsUrl: string;
  close(): Promise<void>;
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Times each operation by outcome, and logs that it was answered (never what was asked). */
function metricsPlugin<Context extends RequestContext>(
  registry: MetricsRegistry,
  logger: Logger,
): ApolloServerPlugin<Context> {
  const operations = new client.Histogram({
    name: "rhizome_graphql_operation_seconds",
    // No operation name: a client chooses it, so it may say anything about the person asking.
    help: "Duration of GraphQL operations handled by this subgraph",
    labelNames: ["outcome"] as const,
    registers: [registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  return {
    async requestDidStart() {
      const stop = operations.startTimer();
      return {
        async willSendResponse(requestContext) {
          const hasErrors =
            requestContext.response.body.kind === "single" && !!requestContext.response.body.singleResult.errors;
          const outcome = hasErrors ? "error" : "ok";
          const seconds = stop({ outcome });
          // What was asked stays out of the log: its text, name and variables are the member's.
          if (logger.isLevelEnabled("debug"))
            requestContext.contextValue?.logger?.debug(
              { outcome, ms: Math.round(seconds * 1000) },
              "operation answered",
            );
        },
      };
    },
  };
}

function apolloServerOf<Context extends RequestContext>(
  options: SubgraphServerOptions<Context>,
  schema: GraphQLSchema,
  registry: MetricsRegistry,
): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema,
    introspection: !options.isProduction,
    includeStacktraceInErrorResponses: false,
    // "Did you mean ...?" would tell a caller the schema field by field.
    hideSchemaDetailsFromClientErrors: options.isProduction,
    validationRules: subgraphValidationRules(options.operationLimits, options.isProduction),
    parseOptions: { maxTokens: options.operationLimits.maxTokens + QUERY_PLANNER_TOKEN_ALLOWANCE },
    // runAsMain owns SIGTERM: Apollo's own handler would stop the server under us and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [
      metricsPlugin<Context>(registry, options.logger),
      ApolloServerPluginInlineTraceDisabled(),
      ...(options.isProduction ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
    formatError(formatted, error) {
      const clientError = formatClientError(formatted, error);
      if (isUnexpectedError(clientError)) options.logger.error({ err: error }, "unexpected error in resolver");
      return clientError;
    },
  });
}

/** A check's outcome, "ok" or why not, within READINESS_CHECK_TIMEOUT_MS. */
async function boundedCheck(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`did not answer within ${READINESS_CHECK_TIMEOUT_MS} ms`),
      READINESS_CHECK_TIMEOUT_MS,
    );
  });
  const checked = check().then(
    () => "ok",
    (error: Error) => error.message,
  );
  try {
    return await Promise.race([checked, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function mountHealth(app: express.Express, service: string, readinessChecks: Record<string, ReadinessCheck>) {
  app.get("/health", (_request, response) => {
    response.json({ status: "ok", service });
  });
  app.get("/ready", async (_request, response) => {
    // All at once and each bounded: a check that waits for a server that is away (a worker's
    // Redis connection queues its commands) must not keep /ready from answering.
    const checks = Object.entries(readinessChecks);
    const outcomes = await Promise.all(checks.map(([, check]) => boundedCheck(check)));
    const results = Object.fromEntries(checks.map(([name], i) => [name, outcomes[i]]));
    const isReady = outcomes.every((outcome) => outcome === "ok");
    response.status(isReady ? 200 : 503).json({ status: isReady ? "ready" : "not ready", checks: results });
  });
}

/**
 * A logger naming the request, made when first used: most requests log nothing, and making a
 * child logger (its bindings pass pino's redaction) was 1% of a subgraph's CPU on a one-row read.
 * A plain value, not a getter: Apollo copies the context object, which would read a getter.
 */
function lazyChildLogger(parent: Logger, bindings: Record<string, string>): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= parent.child(bindings));
  return new Proxy(parent, {
    get: (_parent, property) => {
      const logger = real();
      const value: unknown = Reflect.get(logger, property, logger);
      return typeof value === "function" ? value.bind(logger) : value;
    },
    set: (_parent, property, value) => Reflect.set(real(), property, value),
    has: (_parent, property) => Reflect.has(real(), property),
  });
}

function requestContext(caller: Caller, requestId: string, parent: Logger): RequestContext {
  return { caller, requestId, logger: lazyChildLogger(parent, { requestId }) };
}

/** Who asks, as the request's credentials and then the service say: 401 for a bad credential, 503 in an outage. */
function requestContextOf<Context extends RequestContext>(options: SubgraphServerOptions<Context>) {
  const credentials: CredentialSources = {
    verifyPersonToken: cachingPersonTokenVerifier(options.credentials.tokenSecret),
    ...options.credentials,
  };
  return async (req: IncomingMessage): Promise<Context> => {
    const requestId = headerOf(req, REQUEST_ID_HEADER) ?? randomUUID();
    let caller: Caller;
    try {
      caller = await resolveCaller(req.headers, credentials);
    } catch (error) {
      if (error instanceof GraphQLError) {
        throw new GraphQLError(error.message, {
          extensions: { code: errorCodes.unauthenticated, http: { status: 401 } },
        });
      }
      if (isOutageError(error)) throw outageError();
      throw error;
    }
    try {
      if (options.currentCaller && caller.kind === "person") caller = await options.currentCaller(caller);
    } catch (error) {
      // Who the caller is now lives in Postgres or Redis: while either is down, no request can be answered.
      if (isOutageError(error)) throw outageError();
      throw error;
    }
    return options.createContext(requestContext(caller, requestId, options.logger));
  };
}

/** /graphql on Node's own server (see graphql-http.ts), with the gateway's signature check and a trace span when they are on. */
function graphqlHandlerOf<Context extends RequestContext>(
  apollo: ApolloServer<Context>,
  options: SubgraphServerOptions<Context>,
) {
  const isSigned =
    options.subgraphAccess === "gateway-only"
      ? gatewaySignatureCheck(options.credentials.tokenSecret, options.service)
      : undefined;
  const trace = options.tracing?.requests(options.service);
  return graphqlHttpHandler<Context>({
    apollo,
    logger: options.logger,
    maxRequestBytes: MAX_REQUEST_BYTES,
    context: requestContextOf(options),
    ...(isSigned ? { admit: (request) => isSigned(request.headers), refusal: GATEWAY_SIGNATURE_REFUSAL } : {}),
    ...(trace
      ? {
          // The span is named by the route, as Express named it.
          around: (request, response, next) =>
            trace(Object.assign(request, { baseUrl: SUBGRAPH_GRAPHQL_ROUTE }) as Request, response as Response, next),
        }
      : {}),
  });
}

/** A body that is not JSON or too large is BAD_USER_INPUT with a GraphQL body; anything else is a logged 500 that says nothing. */
function answerHttpErrors(app: express.Express, logger: Logger): void {
  app.use(
    (
      error: Error & { status?: number; type?: string },
      _request: Request,
      response: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      if (status === 500) logger.error({ err: error }, "unexpected HTTP error");
      const message =
        error.type === "entity.too.large"
          ? `The request is larger than the limit of ${MAX_REQUEST_BYTES} bytes.`
          : status === 500
            ? "Something went wrong on our side."
            : "The request body is not valid JSON.";
      response.status(status).json({
        errors: [{ message, extensions: { code: status === 500 ? errorCodes.internal : errorCodes.badUserInput } }],
      });
    },
  );
}

/**
 * One HTTP server: /graphql goes straight to the GraphQL handler, every other route (health,
 * readiness, internal endpoints) to Express.
 */
async function listen(
  app: express.Express,
  graphql: ReturnType<typeof graphqlHandlerOf> | undefined,
  port: number,
  host: string,
): Promise<Server> {
  const server = createServer((request, response) => {
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    if (graphql && (path === SUBGRAPH_GRAPHQL_ROUTE || path.startsWith(`${SUBGRAPH_GRAPHQL_ROUTE}/`)))
      return graphql(request, response, queryStart);
    app(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Serves a subgraph schema over HTTP with /graphql, /health and /ready (only the last two without a schema), and /metrics on a port of its own. */
export async function serveSubgraph<Context extends RequestContext>(
  options: SubgraphServerOptions<Context>,
): Promise<RunningServer> {
  const { logger } = options;
  const registry = options.registry ?? createMetricsRegistry(options.service);
  const apollo = options.schema && apolloServerOf(options, options.schema, registry);
  await apollo?.start();

  const app = express();
  app.disable("x-powered-by");
  // An ETag is a hash of every answer, and no client revalidates a POST: a SHA-1 per request for nothing.
  app.disable("etag");
  mountHealth(app, options.service, options.readinessChecks);
  app.use("/internal", requireServiceCredential(options.credentials.tokenSecret, options.service));
  options.routes?.(app);
  answerHttpErrors(app, logger);

  const server = await listen(app, apollo && graphqlHandlerOf(apollo, options), options.port, options.host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}${apollo ? "/graphql" : ""}`;
  const metrics = await serveMetrics(registry, { host: options.host, port: options.metricsPort });
  logger.info(
    { url, metricsUrl: metrics.url },
    apollo ? `${options.service} subgraph listening` : `${options.service} worker reporting health`,
  );
  return {
    url,
    port,
    metricsUrl: metrics.url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await metrics.close();
      await apollo?.stop();
    },
  };
}
