import "reflect-metadata";
import { DataSource, type EntityManager, type MixedList, type EntitySchema } from "typeorm";
import type { Logger } from "./logger.js";
import { Counter, type MetricsRegistry } from "./metrics.js";

export interface DatabaseOptions {
  url: string;
  /** The Postgres schema this service owns, e.g. "network". */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  logger?: Logger;
  /** Where to count the SQL statements sent (rhizome_db_queries_total); how tests prove a request's queries are bounded. */
  registry?: MetricsRegistry;
}

export const DEFAULT_POOL_SIZE = 10;

/**
 * Opens a data source confined to one service's schema and brings that schema up to date.
 * Each service owns its schema and never reads another's tables.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await ensureSchema(options.url, options.schema);
  const dataSource = new DataSource({
    type: "postgres",
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    synchronize: false,
    logging: false,
    ...(options.registry ? { logger: queryCountingLogger(options.registry) } : {}),
    extra: { max: options.poolSize ?? DEFAULT_POOL_SIZE, options: `-c search_path=${options.schema}` },
  });
  await dataSource.initialize();
  const applied = await dataSource.runMigrations();
  if (applied.length > 0) {
    options.logger?.info({ migrations: applied.map((m) => m.name) }, "applied migrations");
  }
  return dataSource;
}

function queryCountingLogger(registry: MetricsRegistry) {
  const queries = new Counter({ name: "rhizome_db_queries_total", help: "SQL statements this process sent to Postgres", registers: [registry] });
  const ignore = () => undefined;
  return { logQuery: () => queries.inc(), logQueryError: ignore, logQuerySlow: ignore, logSchemaBuild: ignore, logMigration: ignore, log: ignore };
}

async function ensureSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name ${schema}`);
  const bootstrap = new DataSource({ type: "postgres", url, extra: { max: 1 } });
  await bootstrap.initialize();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    // Two processes of one service may race to create the schema; the loser sees a duplicate.
    if ((error as { code?: string }).code !== "23505") throw error;
  } finally {
    await bootstrap.destroy();
  }
}

export const SERIALIZATION_FAILURE = "40001";
export const DEADLOCK_DETECTED = "40P01";
export const UNIQUE_VIOLATION = "23505";
export const MAX_TRANSACTION_ATTEMPTS = 8;

export function postgresErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.driverError?.code ?? e?.code;
}

/**
 * Runs work in a SERIALIZABLE transaction, retrying when Postgres reports a
 * serialization failure or deadlock, with a bounded number of attempts.
 */
export async function inSerializableTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  maxAttempts = MAX_TRANSACTION_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction("SERIALIZABLE", work);
    } catch (error) {
      const code = postgresErrorCode(error);
      const isRetryable = code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
      if (!isRetryable || attempt >= maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
