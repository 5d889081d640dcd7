/**
 * `npm run backup -- [file]` and `npm run restore -- <file>` (in the image:
 * `node infra/dist/backup-cli.js backup|restore <file>`). The database is DATABASE_URL, or the
 * embedded Postgres of `npm start` (which must be running) when it is unset. A restore runs the
 * migrations as MIGRATION_DATABASE_URL when set.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { backupDatabase, restoreDatabase } from "./backup.js";
import { DATABASE_NAME, POSTGRES_PASSWORD, POSTGRES_USER } from "./embedded-postgres.js";
import { DEFAULT_POSTGRES_PORT } from "./local-stack.js";
import { portFromEnvironment } from "./services.js";

const [command, fileArgument] = process.argv.slice(2);
const env = process.env;
const databaseUrl =
  env.DATABASE_URL ||
  `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${portFromEnvironment("POSTGRES_PORT", DEFAULT_POSTGRES_PORT)}/${DATABASE_NAME}`;
const startedAtMs = performance.now();
const seconds = () => ((performance.now() - startedAtMs) / 1000).toFixed(1);

try {
  if (command === "backup") {
    const file = path.resolve(
      fileArgument ?? path.join("backups", `rhizome-${new Date().toISOString().replace(/[:.]/g, "-")}.backup.gz`),
    );
    mkdirSync(path.dirname(file), { recursive: true });
    const summary = await backupDatabase(databaseUrl, file);
    console.log(
      `Backed up ${summary.schemas.join(", ")}: ${summary.tables} tables, ${summary.rows} rows, in ${seconds()} s, to ${file}`,
    );
  } else if (command === "restore") {
    if (!fileArgument) throw new Error("Name the backup to restore: npm run restore -- <file>");
    const summary = await restoreDatabase(path.resolve(fileArgument), {
      databaseUrl,
      migrationUrl: env.MIGRATION_DATABASE_URL || undefined,
    });
    console.log(
      `Restored ${summary.schemas.join(", ")}: ${summary.tables} tables, ${summary.rows} rows, in ${seconds()} s.`,
    );
  } else {
    throw new Error("Usage: backup-cli backup [file] | restore <file>");
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
