import "reflect-metadata";
import { type DataSource, type EntityManager, type MixedList, type EntitySchema } from "typeorm";
import type { Logger } from "../runtime/logger.js";
import { Counter, type MetricsRegistry } from "../runtime/metrics.js";
import { DEFAULT_DATABASE_IDLE_TIMEOUT_MS, DEFAULT_DATABASE_POOL_SIZE, type MigrationMode } from "../runtime/config.js";
import { assertMigrated, assertSchemaName, dataSourceFor, migrateSchema, roleOf } from "./schema-migrations.js";
import { Circuit, DATABASE_CONNECT_TIMEOUT_MS, isOutageError } from "../runtime/outages.js";

export interface DatabaseOptions {
  url: string;
  /** The Postgres schema this service owns, e.g. "network". */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM and type-graphql take their classes as Function
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM and type-graphql take their classes as Function
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /** How long an idle connection stays in the pool; default DEFAULT_DATABASE_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  logger?: Logger;
  /** Where to count the SQL statements sent (rhizome_db_queries_total); how tests prove a request's queries are bounded. */
  registry?: MetricsRegistry;
  /** Who runs the migrations, when not the runtime role of `url` (which then needs no right to create anything). */
  migrationUrl?: string;
  /** Default "run". */
  migrationMode?: MigrationMode;
}

export const DEFAULT_POOL_SIZE = DEFAULT_DATABASE_POOL_SIZE;

/**
 * Opens a data source confined to one service's schema, after bringing that schema up to date
 * (or, with `migrations: "check"`, after checking that a migration job did).
 * Each service owns its schema and never reads another's tables.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  assertSchemaName(options.schema);
  if ((options.migrationMode ?? "run") === "run") {
    const migrationUrl = options.migrationUrl ?? options.url;
    await migrateSchema({
      url: migrationUrl,
      schema: options.schema,
      entities: options.entities,
      migrations: options.migrations,
      logger: options.logger,
      runtimeRole: roleOf(options.url),
    });
  }
  const logger = options.registry ? queryCountingLogger(options.registry) : undefined;
  const dataSource = await firstConnection(
    () =>
      dataSourceFor(
        options.url,
        options.schema,
        options.entities,
        options.migrations,
        {
          max: options.poolSize ?? DEFAULT_POOL_SIZE,
          connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
          idleTimeoutMillis: options.idleTimeoutMs ?? DEFAULT_DATABASE_IDLE_TIMEOUT_MS,
        },
        logger,
      ),
    options.logger,
  );
  guardConnections(dataSource, new Circuit("the database"));
  if (options.migrationMode === "check") {
    try {
      await assertMigrated(dataSource, options.schema);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }
  return dataSource;
}

/** How long start-up keeps trying to reach Postgres before the process gives up. */
export const DATABASE_FIRST_CONNECT_TIMEOUT_MS = 60_000;
const FIRST_CONNECT_PAUSE_MS = 500;

/**
 * Initializes a fresh data source until one connects. Many processes starting together (a hub
 * scaled out, a host rebooting) can keep Postgres busier than one connection timeout allows; that
 * is no reason for a process to exit, so start-up tries again for a while. Only outages are
 * retried: a wrong password or a missing database fails at once.
 */
async function firstConnection(create: () => DataSource, logger: Logger | undefined): Promise<DataSource> {
  const giveUpAt = Date.now() + DATABASE_FIRST_CONNECT_TIMEOUT_MS;
  for (;;) {
    const dataSource = create();
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (!isOutageError(error) || Date.now() + FIRST_CONNECT_PAUSE_MS >= giveUpAt) throw error;
      logger?.warn({ err: error }, "Postgres not reachable at start-up; trying again");
      await new Promise((resolve) => setTimeout(resolve, FIRST_CONNECT_PAUSE_MS));
    }
  }
}

type ConnectCallback = (error: Error | undefined, client?: unknown, release?: (error?: Error) => void) => void;
interface ConnectingPool {
  connect(callback?: ConnectCallback): Promise<unknown> | void;
  readonly totalCount: number;
  readonly idleCount: number;
  readonly options: { max: number };
}

/**
 * Every new connection the pool makes goes through the database's circuit: while Postgres is known
 * to be down (killed, restarting, unreachable), a request fails at once instead of waiting out a
 * connection attempt. The pool itself drops broken connections and makes new ones once Postgres is
 * back, so the service reconnects without a restart. Waiting for a connection of a pool whose every
 * connection is in use is no attempt to reach Postgres: pg gives up after the same timeout with the
 * same words, but that says the pool is busy (a new moon's jobs hold most of it), not that Postgres
 * is down, so it does not open the circuit for every other request.
 */
function guardConnections(dataSource: DataSource, circuit: Circuit): void {
  // eslint-disable-next-line no-restricted-syntax -- TypeORM's Postgres driver keeps its pg Pool on master, outside its public type
  const pool = (dataSource.driver as unknown as { master?: ConnectingPool }).master;
  if (!pool) return;
  const connect = pool.connect.bind(pool) as (callback: ConnectCallback) => void;
  const connectAsPromise = () =>
    new Promise<{ client: unknown; release: (error?: Error) => void }>((resolve, reject) => {
      connect((error, client, release) => (error ? reject(error) : resolve({ client, release: release! })));
    });
  const isBusy = () => pool.totalCount >= pool.options.max && pool.idleCount === 0;
  pool.connect = (callback?: ConnectCallback) => {
    const attempt = isBusy() && !circuit.isKnownDown ? connectAsPromise() : circuit.attempt(connectAsPromise);
    if (!callback) return attempt.then(({ client }) => client);
    attempt.then(
      ({ client, release }) => callback(undefined, client, release),
      (error: Error) => callback(error),
    );
  };
}

function queryCountingLogger(registry: MetricsRegistry) {
  const queries = new Counter({
    name: "rhizome_db_queries_total",
    help: "SQL statements this process sent to Postgres",
    registers: [registry],
  });
  const ignore = () => undefined;
  return {
    logQuery: () => queries.inc(),
    logQueryError: ignore,
    logQuerySlow: ignore,
    logSchemaBuild: ignore,
    logMigration: ignore,
    log: ignore,
  };
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

interface RowsPool {
  query(
    statement: string | { name: string; text: string; values: unknown[] },
    parameters?: unknown[],
  ): Promise<{ rows: unknown[] }>;
}

/**
 * Runs one read straight on the data source's pool, where TypeORM would create, connect, log and
 * release a query runner around the statement: for the reads every request makes (network's
 * current caller). The pool's connections still pass the database's circuit, and the statement is
 * counted like any other. Anything else (a transaction's manager) runs it as usual.
 *
 * With a `name`, each pooled connection prepares the statement once and then only binds and runs
 * it: Postgres neither parses nor plans it again. A name stands for one text in the whole process.
 */
export async function queryRows<Row>(
  db: Pick<EntityManager, "query"> | DataSource,
  sql: string,
  parameters: unknown[],
  name?: string,
): Promise<Row[]> {
  // eslint-disable-next-line no-restricted-syntax -- TypeORM's Postgres driver keeps its pg Pool on master, outside its public type
  const source = db as unknown as { driver?: { master?: RowsPool }; logger?: { logQuery(sql: string): void } };
  const pool = "manager" in db && source.driver?.master;
  if (!pool) return (await db.query(sql, parameters)) as Row[];
  source.logger?.logQuery(sql);
  const result = await (name ? pool.query({ name, text: sql, values: parameters }) : pool.query(sql, parameters));
  return result.rows as Row[];
}
