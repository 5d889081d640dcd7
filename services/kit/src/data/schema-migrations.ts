import "reflect-metadata";
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from "typeorm";
import type { Logger } from "../runtime/logger.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM and type-graphql take their classes as Function
type Classes = MixedList<Function | string | EntitySchema>;

export interface MigrateOptions {
  /** A role that owns the schema (or may create it): the migration role. */
  url: string;
  schema: string;
  entities?: Classes;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM and type-graphql take their classes as Function
  migrations: MixedList<Function | string>;
  logger?: Logger;
  /** The role the service runs as, when it is not the migration role: given use of the schema's rows, nothing more. */
  runtimeRole?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name ${schema}`);
}

/** The user name in a postgres:// URL. A URL that does not parse is refused without repeating it (it may hold a password). */
export function roleOf(url: string): string {
  if (!URL.canParse(url)) throw new Error("A database URL is not a URL (postgres://user:password@host:port/database).");
  return decodeURIComponent(new URL(url).username);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function dataSourceFor(
  url: string,
  schema: string,
  entities: Classes,
  migrations: MigrateOptions["migrations"],
  extra: Record<string, unknown>,
  logger?: DataSourceOptions["logger"],
): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    schema,
    entities,
    migrations,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    synchronize: false,
    logging: false,
    ...(logger ? { logger } : {}),
    extra: { ...extra, options: `-c search_path=${schema}` },
  });
}

/**
 * Brings one service's schema up to date: creates it if missing and runs its pending migrations,
 * holding a Postgres advisory lock named after the schema, so replicas that start together
 * migrate one after another (the later ones find nothing to do). With a runtime role, grants it
 * the use of the schema's tables and sequences (now and those later migrations add), and nothing
 * else: it needs no right to create schemas or tables. Returns the names of the migrations applied.
 */
export async function migrateSchema(options: MigrateOptions): Promise<string[]> {
  assertSchemaName(options.schema);
  // One connection that never idles out, so the session that takes the lock is the one that migrates and unlocks.
  const db = dataSourceFor(options.url, options.schema, options.entities ?? [], options.migrations, {
    max: 1,
    idleTimeoutMillis: 0,
  });
  await db.initialize();
  const lockKey = `rhizome.migrations.${options.schema}`;
  try {
    await db.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
    try {
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      const applied = await db.runMigrations();
      if (options.runtimeRole && options.runtimeRole !== roleOf(options.url))
        await grantRuntimeRole(db, options.schema, options.runtimeRole);
      if (applied.length > 0) options.logger?.info({ migrations: applied.map((m) => m.name) }, "applied migrations");
      return applied.map((migration) => migration.name);
    } finally {
      await db.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]);
    }
  } finally {
    await db.destroy();
  }
}

async function grantRuntimeRole(db: DataSource, schema: string, role: string): Promise<void> {
  const grantee = quoteIdentifier(role);
  for (const statement of [
    `GRANT USAGE ON SCHEMA ${schema} TO ${grantee}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${grantee}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${grantee}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${grantee}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${grantee}`,
  ]) {
    await db.query(statement);
  }
}

export class PendingMigrationsError extends Error {
  override name = "PendingMigrationsError";
}

/** Fails when the schema lacks migrations this code expects: the migration job has not run yet. */
export async function assertMigrated(db: DataSource, schema: string): Promise<void> {
  let isPending: boolean;
  try {
    isPending = await db.showMigrations();
  } catch (error) {
    throw new PendingMigrationsError(
      `The ${schema} schema is not ready (${(error as Error).message}): run its migrations first (MIGRATIONS=run, or the migration job).`,
    );
  }
  if (isPending)
    throw new PendingMigrationsError(
      `The ${schema} schema has migrations not yet applied: run them first (MIGRATIONS=run, or the migration job).`,
    );
}
