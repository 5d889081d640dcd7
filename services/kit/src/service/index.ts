/**
 * A service, written once and started: its definition, the resources it opens and its lifecycle.
 */
export { REDIS_FIRST_CONNECT_TIMEOUT_MS, openServiceResources, type ServiceResources } from "./resources.js";
export {
  buildServiceSubgraph,
  defineService,
  everySchedulerId,
  migrationsOf,
  startService,
  type QueueJob,
  type RunningService,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceRuntime,
  type StartOptions,
} from "./service.js";
