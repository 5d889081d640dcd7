import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  findFreePorts,
  GATEWAY_PROCESS,
  portVariable,
  processTree,
  REPO_ROOT,
  SERVICES,
  type ProcessInfo,
} from "@rhizome/infra";
import { eventually } from "@rhizome/kit/testing";

const STOP_WAIT_MS = 40_000;

/** `npm start` run as a person or a service manager runs it, on free ports and a throwaway data folder. */
export interface NpmStartedHub {
  npm: ChildProcess;
  /** Everything npm and the hub printed so far. */
  output(): string;
  gatewayUrl: string;
  serviceUrls: Record<string, string>;
  /** Where the embedded Postgres and the local Redis listen (unless DATABASE_URL / REDIS_URL were given). */
  postgresPort: number;
  redisPort: number;
  /** npm and every process below it now. */
  tree(): ProcessInfo[];
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM to npm, then waits until none of the processes it started is left; returns those that were. */
  stopWithSigterm(): Promise<ProcessInfo[]>;
  /** Kills whatever is left and removes the data folder. */
  cleanUp(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function npmStart(extraEnv: Record<string, string> = {}): Promise<NpmStartedHub> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "rhizome-npm-start-"));
  await chmod(dataDir, 0o755); // Postgres runs as its own user
  const definitions = [...SERVICES, GATEWAY_PROCESS];
  const ports = await findFreePorts(definitions.length + 2);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    SEED: "false",
    LOG_LEVEL: "warn",
    POSTGRES_PORT: String(ports[0]),
    REDIS_PORT: String(ports[1]),
  };
  // The hub's own Postgres and Redis, unless the caller names servers of its own.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  Object.assign(env, extraEnv);
  definitions.forEach((definition, i) => (env[portVariable(definition)] = String(ports[i + 2])));
  const baseUrl = (port: string | undefined) => `http://127.0.0.1:${port}`;

  const npm = spawn("npm", ["start"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  npm.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const seen: ProcessInfo[] = [];
  const tree = () => {
    const now = processTree(npm.pid!);
    for (const info of now) if (!seen.some((known) => known.pid === info.pid)) seen.push(info);
    return now;
  };
  const killLeft = () => {
    for (const info of seen) if (isAlive(info.pid)) process.kill(info.pid, "SIGKILL");
  };

  return {
    npm,
    output: () => output,
    gatewayUrl: `${baseUrl(env[portVariable(GATEWAY_PROCESS)])}/graphql`,
    serviceUrls: Object.fromEntries(SERVICES.map((service) => [service.name, baseUrl(env[portVariable(service)])])),
    postgresPort: ports[0],
    redisPort: ports[1],
    tree,
    async waitForOutput(pattern, timeoutMs) {
      await eventually(
        async () => {
          tree(); // remember every process as it appears, to check later that none is left
          if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output.slice(-4000)}`);
          return pattern.test(output) ? true : undefined;
        },
        `${pattern} in the output of npm start; so far:\n${output.slice(-4000)}`,
        timeoutMs,
      );
    },
    async stopWithSigterm() {
      tree();
      npm.kill("SIGTERM");
      const deadline = performance.now() + STOP_WAIT_MS;
      while (seen.some((info) => isAlive(info.pid)) && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      return seen.filter((info) => isAlive(info.pid));
    },
    async cleanUp() {
      killLeft();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
