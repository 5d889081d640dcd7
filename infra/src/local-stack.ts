import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type RunningPostgres } from "./embedded-postgres.js";
import { findFreePorts } from "./free-port.js";
import type { OutputMode } from "./process-output.js";
import { startRedisServer, type RunningRedis } from "./redis-server.js";
import { DEFAULT_DATA_DIR } from "./repo-paths.js";
import { once, throwIfAborted } from "./timing.js";
import { superviseServer, type ServerSupervision, type ServerSupervisionHooks } from "./server-supervision.js";

export const DEFAULT_POSTGRES_PORT = 54329;
export const DEFAULT_REDIS_PORT = 63790;

export interface LocalStackOptions {
  /** Throwaway data in a temporary folder and free ports, all removed by stop(). */
  ephemeral: boolean;
  /** Postgres flushes every commit to disk, as in production (benchmarks). Default: only when not ephemeral. */
  durable?: boolean;
  /** Persistent data root (ignored when ephemeral); default `<repo>/.data`. */
  dataDir?: string;
  /** Default: a free port when ephemeral, else 54329. */
  postgresPort?: number;
  /** Default: a free port when ephemeral, else 63790. */
  redisPort?: number;
  /** An existing Postgres to use instead of starting one. */
  databaseUrl?: string;
  /** An existing Redis to use instead of starting one. */
  redisUrl?: string;
  output?: OutputMode;
  signal?: AbortSignal;
  /** Extra settings for the embedded Postgres (`name=value`). */
  postgresSettings?: readonly string[];
  /**
   * Start the embedded Postgres or the local Redis again, on the same data, whenever it ends on
   * its own (`npm start`), with the services' backoff; the hooks say what happens. Default: off.
   */
  supervision?: ServerSupervisionHooks;
}

export interface LocalStack {
  databaseUrl: string;
  redisUrl: string;
  /** Where this stack's data lives (a temporary folder when ephemeral). */
  dataDir: string;
  stop(): Promise<void>;
}

async function makeTemporaryDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rhizome-stack-"));
  // mkdtemp makes the folder private to us; Postgres runs as another user and must reach its folder inside.
  await chmod(dir, 0o755);
  return dir;
}

async function choosePorts(options: LocalStackOptions): Promise<{ postgresPort: number; redisPort: number }> {
  if (!options.ephemeral) {
    return {
      postgresPort: options.postgresPort ?? DEFAULT_POSTGRES_PORT,
      redisPort: options.redisPort ?? DEFAULT_REDIS_PORT,
    };
  }
  const [freeForPostgres, freeForRedis] = await findFreePorts(2);
  return { postgresPort: options.postgresPort ?? freeForPostgres, redisPort: options.redisPort ?? freeForRedis };
}

/**
 * Starts Postgres and Redis for the hub (in parallel), unless URLs of existing servers are given.
 * If either fails, whatever did start is stopped again before the error is thrown.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = options.ephemeral ? await makeTemporaryDataDir() : (options.dataDir ?? DEFAULT_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const { postgresPort, redisPort } = await choosePorts(options);

  const [postgresResult, redisResult] = await Promise.allSettled([
    options.databaseUrl
      ? undefined
      : startEmbeddedPostgres({
          dataDir: path.join(dataDir, "postgres"),
          port: postgresPort,
          ephemeral: options.ephemeral,
          durable: options.durable,
          output: options.output,
          settings: options.postgresSettings,
        }),
    options.redisUrl
      ? undefined
      : startRedisServer({ dir: path.join(dataDir, "redis"), port: redisPort, output: "tail" }),
  ]);
  const postgres: RunningPostgres | undefined =
    postgresResult.status === "fulfilled" ? postgresResult.value : undefined;
  const redis: RunningRedis | undefined = redisResult.status === "fulfilled" ? redisResult.value : undefined;

  const supervisions: ServerSupervision[] = [];
  const stop = once(async () => {
    for (const supervision of supervisions) supervision.stop();
    await postgres?.stop();
    await redis?.stop();
    if (options.ephemeral) await rm(dataDir, { recursive: true, force: true });
  });

  const failures = [postgresResult, redisResult].flatMap((result) =>
    result.status === "rejected" ? [result.reason as Error] : [],
  );
  try {
    if (failures.length > 0) throw new Error(failures.map((failure) => failure.message).join("\n\n"));
    throwIfAborted(options.signal);
  } catch (error) {
    await stop();
    throw error;
  }
  if (options.supervision) {
    if (postgres)
      supervisions.push(
        superviseServer({ name: "postgres", exited: postgres.exited, restart: postgres.restart }, options.supervision),
      );
    if (redis)
      supervisions.push(
        superviseServer(
          { name: "redis", exited: () => redis.exited(), restart: () => redis.restart() },
          options.supervision,
        ),
      );
  }
  return {
    databaseUrl: options.databaseUrl ?? postgres!.url,
    redisUrl: options.redisUrl ?? redis!.url,
    dataDir,
    stop,
  };
}
