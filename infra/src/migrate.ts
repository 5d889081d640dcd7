/**
 * `node infra/dist/migrate.js [service ...]` (default: every service): runs each service's
 * migrations once and exits, for a deploy's migration job. Reads `<NAME>_MIGRATION_DATABASE_URL`,
 * MIGRATION_DATABASE_URL, `<NAME>_DATABASE_URL` or DATABASE_URL, in that order, for who migrates,
 * and grants the runtime role of `<NAME>_DATABASE_URL` or DATABASE_URL the use of the tables.
 * Safe to run from several replicas at once: each schema migrates under an advisory lock.
 */
import { ConfigError, createLogger, migrateSchema, migrationsOf, postgresUrlProblem, roleOf } from "@rhizome/kit";
import { loadServiceDefinition } from "./service-definitions.js";
import { SERVICES, variablePrefix } from "./services.js";

const logger = createLogger("migrate");
const env = process.env;

/** The first of the variables that is set, with its name, so a problem with it can name it (and never show it). */
function firstSet(variables: string[]): { variable: string; url: string } | undefined {
  const variable = variables.find((name) => env[name]);
  return variable ? { variable, url: env[variable]! } : undefined;
}

async function migrate(name: string): Promise<void> {
  const prefix = variablePrefix(name);
  const runtime = firstSet([`${prefix}_DATABASE_URL`, "DATABASE_URL"]);
  const migration = firstSet([`${prefix}_MIGRATION_DATABASE_URL`, "MIGRATION_DATABASE_URL"]) ?? runtime;
  if (!migration || !runtime)
    throw new Error(`Set DATABASE_URL (and MIGRATION_DATABASE_URL for a separate migration role) to migrate ${name}.`);
  const problems = [...new Set([runtime, migration])].flatMap(({ variable, url }) => {
    const problem = postgresUrlProblem(url);
    return problem ? [`${variable} is invalid: ${problem}`] : [];
  });
  if (problems.length > 0) throw new ConfigError(`Configuration is invalid:\n  ${problems.join("\n  ")}`);
  const runtimeUrl = runtime.url;
  const migrationUrl = migration.url;
  const definition = await loadServiceDefinition(name);
  const applied = await migrateSchema({
    url: migrationUrl,
    schema: definition.name,
    entities: definition.entities ?? [],
    migrations: migrationsOf(definition),
    runtimeRole: roleOf(runtimeUrl),
  });
  logger.info({ service: name, applied }, applied.length > 0 ? "migrated" : "already up to date");
}

const names = process.argv.slice(2);
const unknown = names.filter((name) => !SERVICES.some((service) => service.name === name));
try {
  if (unknown.length > 0)
    throw new Error(`Unknown service(s): ${unknown.join(", ")}. Known: ${SERVICES.map((s) => s.name).join(", ")}.`);
  for (const name of names.length > 0 ? names : SERVICES.map((service) => service.name)) await migrate(name);
} catch (error) {
  logger.fatal({ err: error }, (error as Error).message);
  process.exitCode = 1;
}
