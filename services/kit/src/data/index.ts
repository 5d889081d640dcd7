/**
 * Postgres: the service's data source and migrations, typed SQL rows, the kit's own tables
 * (known circles, witnessed draws).
 */
export { KNOWN_CIRCLES_PAGE_SIZE, knownCirclePages, registerKnownCircle } from "./circles.js";
export {
  DEADLOCK_DETECTED,
  DEFAULT_POOL_SIZE,
  MAX_TRANSACTION_ATTEMPTS,
  SERIALIZATION_FAILURE,
  UNIQUE_VIOLATION,
  inSerializableTransaction,
  openDatabase,
  postgresErrorCode,
  queryRows,
  type DatabaseOptions,
} from "./database.js";
export {
  KitCycleRuns1795600000002,
  KitEventInbox1795600000001,
  KitEventOutbox1795600000000,
  firstEventTablesSql,
  kitMigrations,
} from "./kit-migrations.js";
export {
  PendingMigrationsError,
  assertMigrated,
  assertSchemaName,
  dataSourceFor,
  migrateSchema,
  roleOf,
  type MigrateOptions,
} from "./schema-migrations.js";
export { camelName, changedCount, rowsOfResult, sqlRow, sqlRows, type Queryable } from "./sql.js";
export {
  KitWitnessedDraws1796000000000,
  commitWitnessSeed,
  drawSealKey,
  freezeWitnessedDraw,
  latestFrozenDrawIds,
  revealWitnessSeed,
  witnessedDrawHistory,
  witnessedDrawOf,
  witnessedDrawsByIds,
  type DrawWitnessRecord,
  type FreezeOutcome,
  type WitnessCommitmentInput,
  type WitnessedDrawRecord,
  type WitnessedDrawStatus,
} from "./witnessed-draws.js";
export { newestFirstRows, type NewestFirstQuery } from "./pages.js";
