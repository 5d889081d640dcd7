export {
  startLocalStack,
  DEFAULT_POSTGRES_PORT,
  DEFAULT_REDIS_PORT,
  type LocalStack,
  type LocalStackOptions,
} from "./local-stack.js";
export { startHub, type HubOptions, type RunningHub } from "./hub.js";
export {
  SERVICES,
  GATEWAY,
  availableServices,
  availableGateway,
  portsFromEnvironment,
  type ProcessDefinition,
  type ServiceDefinition,
} from "./services.js";
export {
  seedDemoNetwork,
  seedDemoCircles,
  demoLogin,
  demoLoginMutation,
  DEMO_CIRCLES,
  DEMO_PASSPHRASE,
  type DemoCircle,
  type SeedOptions,
  type SeedResult,
} from "./seed.js";
export {
  seedDemoActivity,
  MAX_DEMO_PAST_CYCLES,
  type ActivityOptions,
  type DemoHistoryClock,
  type SeededCircle,
  type SeededDemoCircle,
  type SeededMember,
} from "./seed-activity.js";
export {
  clockFileHistory,
  demoHistoryStartsAt,
  hasNoCircles,
  DEMO_HISTORY_SETTINGS,
  DEMO_PAST_CYCLES,
  type ClockFileHistory,
  type ClockFileHistoryOptions,
} from "./demo-history.js";
export { seedDemoHub, startDemoHub, type DemoHub, type DemoHubOptions } from "./demo-hub.js";
export { randomTokenSecret, readOrCreateTokenSecret } from "./token-secret.js";
export { findFreePort, findFreePorts } from "./free-port.js";
export { startEmbeddedPostgres, DATABASE_NAME } from "./embedded-postgres.js";
export { startRedisServer } from "./redis-server.js";
export type { ManagedProcess, ProcessExit } from "./child-processes.js";
export type { OutputMode } from "./process-output.js";
export { processTree, readMemory, listProcesses, type ProcessInfo } from "./process-tree.js";
export { restartDelayMs, SMALL_NODE_FLAGS } from "./hub.js";
export {
  GATEWAY as GATEWAY_PROCESS,
  SERVICES_HOST,
  portVariable,
  variablePrefix,
  compiledEntryPath,
} from "./services.js";
export { REPO_ROOT } from "./repo-paths.js";
export { loadServiceDefinition, type AnyServiceDefinition } from "./service-definitions.js";
export { serviceEnvironment, PER_SERVICE_SETTINGS } from "./services.js";
export { backupDatabase, restoreDatabase, BACKUP_FORMAT, type BackupSummary, type RestoreOptions } from "./backup.js";
export { renderKubernetes, IMAGE, IMAGE_TAG, METRICS_PORT } from "./kubernetes.js";
export { startScaledHub, type ScaledHub, type ScaledHubOptions, type ScaledProcess } from "./scaled-hub.js";
