/**
 * A process's plumbing, light enough for the gateway: settings, logs, metrics, the clock, errors,
 * process lifecycle, tracing settings (the tracing libraries load only when tracing is on).
 */
export { manualClock, systemClock, type Clock } from "./clock.js";
export { clockOfSettings, fileClock } from "./clock-file.js";
export {
  ConfigError,
  DEFAULT_DATABASE_POOL_SIZE,
  DEFAULT_QUEUE_LOCK_DURATION_MS,
  DEFAULT_QUEUE_STALLED_INTERVAL_MS,
  MIN_TOKEN_SECRET_LENGTH,
  baseConfigSchema,
  loadConfig,
  migrationModes,
  operationLimitSettings,
  portSetting,
  postgresUrlProblem,
  processRoles,
  redisUrlSetting,
  tokenSecretSetting,
  z,
  type BaseConfig,
  type MigrationMode,
  type ProcessRole,
} from "./config.js";
export {
  CONCURRENCY_FAILURE_MESSAGE,
  OUTAGE_MESSAGE,
  badInput,
  conflict,
  errorCodes,
  forbidden,
  formatClientError,
  isClientErrorCode,
  isUnexpectedError,
  notFound,
  outageError,
  rateLimited,
  serviceUnavailable,
  unauthenticated,
  type ErrorCode,
} from "./errors.js";
export { ExpiringLru } from "./expiring-lru.js";
export {
  GRAPHQL_REQUEST_TIMEOUT_MS,
  dataOrThrow,
  gql,
  type GraphQLErrorBody,
  type GraphQLResponse,
} from "./graphql-client.js";
export { REDACTED, REQUEST_ID_HEADER, createLogger, type Logger } from "./logger.js";
export {
  Counter,
  DEPLOYED_METRICS_PORT,
  Gauge,
  Histogram,
  METRICS_PATH,
  clusterMetricsRegistry,
  createMetricsRegistry,
  serveMetrics,
  shareMetricsWithClusterPrimary,
  type MetricsRegistry,
  type RunningMetricsServer,
} from "./metrics.js";
export {
  CIRCUIT_OPEN_MS,
  Circuit,
  DATABASE_CONNECT_TIMEOUT_MS,
  DependencyUnavailableError,
  OUTAGE_RETRY_AFTER_SECONDS,
  REDIS_COMMAND_TIMEOUT_MS,
  isOutageError,
} from "./outages.js";
export { SHUTDOWN_TIMEOUT_MS, runAsMain, type Stoppable } from "./process.js";
export { QUEUE_LIST_PATH, type QueueList } from "./queue-list.js";
export { type Tracing } from "./tracing.js";
export { tracesUrlOf, tracingFor, tracingSettings, type TracingSettings } from "./tracing-settings.js";
