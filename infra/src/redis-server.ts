import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdir } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import { describeUnexpectedExit, spawnManaged, type ManagedProcess } from "./child-processes.js";
import { LOOPBACK_HOST } from "./free-port.js";
import type { OutputMode } from "./process-output.js";
import { sleep } from "./timing.js";

export const REDIS_READY_TIMEOUT_MS = 10_000;
export const REDIS_PING_TIMEOUT_MS = 500;
export const REDIS_POLL_INTERVAL_MS = 50;
export const REDIS_STOP_TIMEOUT_MS = 10_000;
const REDIS_BINARY = "redis-server";

export interface RedisServerOptions {
  /** Where Redis keeps its append-only file. */
  dir: string;
  port: number;
  output?: OutputMode;
}

export interface RunningRedis {
  url: string;
  /** The redis-server running now (a restart replaces it). */
  process: ManagedProcess;
  /** Resolves, with how it ended, when the running redis-server has ended (a crash, or stop()). */
  exited(): Promise<string>;
  /** Starts redis-server again on the same folder and port; resolves once it answers PING. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function findOnPath(binary: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function canInstallWithApt(): boolean {
  return process.platform === "linux" && process.getuid?.() === 0 && findOnPath("apt-get") !== undefined;
}

function installWithApt(): void {
  console.log("redis-server was not found: installing it with `apt-get update && apt-get install -y redis-server` ...");
  const result = spawnSync("sh", ["-c", "apt-get update && apt-get install -y redis-server"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) throw new Error("Installing redis-server with apt-get failed (see the output above).");
  console.log("Installed redis-server.");
}

/** The path of redis-server; installs it with apt-get where that is possible (Linux, as root). */
export function findOrInstallRedisServer(): string {
  const found = findOnPath(REDIS_BINARY);
  if (found) return found;
  if (canInstallWithApt()) {
    installWithApt();
    const installed = findOnPath(REDIS_BINARY);
    if (installed) return installed;
  }
  throw new Error(
    "redis-server is not installed (it is not on PATH). Install it and try again:\n" +
      "  Debian/Ubuntu: sudo apt-get install redis-server\n" +
      "  macOS:         brew install redis\n" +
      "or set REDIS_URL to a Redis server you already run.",
  );
}

/** True when a Redis server answers PING with PONG (not, for instance, LOADING). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, LOOPBACK_HOST);
    const finish = (isPong: boolean) => {
      socket.destroy();
      resolve(isPong);
    };
    socket.setTimeout(REDIS_PING_TIMEOUT_MS, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => finish(data.toString().startsWith("+PONG")));
  });
}

export async function startRedisServer(options: RedisServerOptions): Promise<RunningRedis> {
  const binary = findOrInstallRedisServer();
  await mkdir(options.dir, { recursive: true });
  // The flags replace any config file: persistence by append-only file only, and a foreground process we own.
  const args = ["--port", String(options.port), "--bind", LOOPBACK_HOST, "--dir", options.dir];
  args.push("--appendonly", "yes", "--save", "", "--daemonize", "no");

  /** Spawns redis-server and waits until it answers PING; the same data folder every time, so a restart finds what the last one wrote. */
  const spawnAndWait = async (): Promise<ManagedProcess> => {
    const redis = spawnManaged("redis", { command: binary, args, output: options.output ?? "tail" });
    const deadline = performance.now() + REDIS_READY_TIMEOUT_MS;
    while (!(await answersPing(options.port))) {
      if (redis.hasExited)
        throw new Error(describeUnexpectedExit(redis, `exited before it answered PING on port ${options.port}`));
      if (performance.now() > deadline) {
        await redis.stop(REDIS_STOP_TIMEOUT_MS);
        throw new Error(
          describeUnexpectedExit(
            redis,
            `did not answer PING on port ${options.port} within ${REDIS_READY_TIMEOUT_MS} ms`,
          ),
        );
      }
      await sleep(REDIS_POLL_INTERVAL_MS);
    }
    return redis;
  };

  const running: RunningRedis = {
    url: `redis://${LOOPBACK_HOST}:${options.port}`,
    process: await spawnAndWait(),
    async exited() {
      const current = running.process;
      await current.exited;
      return current.describeExit();
    },
    async restart() {
      running.process = await spawnAndWait();
    },
    stop: () => running.process.stop(REDIS_STOP_TIMEOUT_MS),
  };
  return running;
}
