/**
 * The part of the kit a process that serves no subgraph needs (the gateway): auth, errors,
 * configuration, logs, metrics, cycles' dates. It loads none of the database, queue or GraphQL
 * server libraries, which cost the gateway about 90 MB of memory when it imported the whole kit.
 */
export * from "./errors.js";
export * from "./auth.js";
export * from "./metrics.js";
export * from "./logger.js";
export * from "./lunar.js";
export * from "./expiring-lru.js";
export * from "./gateway-trust.js";
export * from "./internal-auth.js";
export * from "./api-keys.js";
export * from "./persisted-operations.js";
export * from "./config.js";
export * from "./process.js";
export * from "./operation-limits.js";
export * from "./tracing-settings.js";
export * from "./queue-list.js";
export type { Tracing } from "./tracing.js";
