import {
  operationLimitSettings,
  portSetting,
  redisUrlSetting,
  tokenSecretSetting,
  tracingSettings,
  z,
} from "@rhizome/kit/runtime";

export const gatewayConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOST: z.string().default("127.0.0.1"),
  PORT: portSetting(4000),
  /** Where /metrics is served, apart from the public port; 0 picks a free port (logged at start). */
  METRICS_PORT: portSetting(0),
  TOKEN_SECRET: tokenSecretSetting,
  SUPERGRAPH_PATH: z.string().optional(),
  /** "rust" uses the Rust query planner of @graphql-hive/router-runtime; "js" the default planner. */
  QUERY_PLANNER: z.enum(["rust", "js"]).default("rust"),
  ...operationLimitSettings(),
  ...tracingSettings(),
  MAX_COST: z.coerce.number().int().min(10).default(5_000),
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(10 * 1024 * 1024)
    .default(256 * 1024),
  /** GraphQL requests one client (address or API key) may send per minute; then 429 with Retry-After. */
  RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(1_200),
  /** Login attempts one client may make per minute, across handles. */
  RATE_LIMIT_LOGINS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** "true": API keys and anonymous callers may run only registered operations (trusted documents). */
  PERSISTED_OPERATIONS_ONLY: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  /** How long the gateway waits for one subgraph request before its fields become SERVICE_UNAVAILABLE. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Answers to anonymous public reads kept in memory (gateway/src/public-cache.ts); 0 turns the cache off. */
  PUBLIC_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(2_000),
  /** Subgraph answers every caller shares (a circle's id by its slug) kept in memory (gateway/src/shared-fetch-cache.ts); 0 turns it off. */
  SHARED_FETCH_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** "false": every query runs on its own, even while the same query from the same caller is in flight (gateway/src/coalescing.ts). */
  COALESCE_QUERIES: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  /**
   * "false": every query goes through the runtime's planner, even one a single subgraph answers by
   * itself, which otherwise goes straight to that subgraph once its document has run cleanly
   * (gateway/src/fast-lane.ts).
   */
  FAST_LANE: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  /**
   * "false": every query that needs two or more subgraphs goes through the runtime, even one whose
   * plan is made of fetches only, which otherwise the gateway executes itself from the cached plan
   * once its document has run cleanly (gateway/src/plan-lane.ts).
   */
  PLAN_LANE: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  /** Opens the queue console (/operator/queues) to whoever presents it; without it the console does not exist. */
  OPERATOR_KEY: z.string().min(24, "must be at least 24 characters").optional(),
  /** The hub's Redis, where the queue console reads the services' queues. */
  REDIS_URL: redisUrlSetting().optional(),
  /**
   * Gateway processes sharing PORT (node cluster): one per core the machine gives the gateway. Each
   * keeps its own caches, and the per-client rate limits are divided between them, so no client gets
   * more than the limits say. The metrics of all are added up on METRICS_PORT.
   */
  GATEWAY_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** How long the gateway works on one request, whatever its plan, before answering 503 (retryable). */
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
