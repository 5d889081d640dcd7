/**
 * `npm run measure`: runs `npm start` as a person would, twice (on an empty data folder, then on
 * the same folder again), and prints how long each took to be ready and each process's memory
 * once the hub is idle. Then it sends SIGTERM to the npm process, as a service manager would, and
 * reports anything left running. Ports are free ones, the data folder a temporary one.
 *
 * MEASURE_IDLE_SECONDS (default 20) sets how long the hub idles before memory is read.
 */
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePorts } from "../infra/src/free-port.js";
import { GATEWAY, portVariable, SERVICES } from "../infra/src/services.js";
import { processTree, readMemory, type ProcessInfo } from "../infra/src/process-tree.js";
import { sleep } from "../infra/src/timing.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const READY_LINE = /Rhizome is ready/;
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const idleSeconds = Number(process.env.MEASURE_IDLE_SECONDS ?? 20);

/** Which part of the hub a process is, read from its command line. */
function partOf(info: ProcessInfo): string {
  const command = info.command;
  if (info.name === "postgres" || /\bpostgres\b/.test(command.split(" ")[0] ?? "")) return "postgres";
  if (info.name.startsWith("redis-server")) return "redis";
  if (info.name === "npm" || /npm-cli\.js|\bnpm\b/.test(command.split(" ").slice(0, 2).join(" "))) return "npm";
  if (info.name === "sh") return "sh";
  for (const definition of [...SERVICES, GATEWAY]) {
    const folder = path.dirname(path.dirname(definition.entry));
    if (command.includes(`${folder}/`)) return definition.name;
  }
  if (/infra\/(src|dist)\/services-host/.test(command)) return "services";
  if (/infra\/(src|dist)\/(start|launcher)/.test(command)) return "launcher";
  return info.name;
}

interface Run {
  label: string;
  readySeconds: number;
  startLine: string;
  memory: Map<string, { processes: number; rssMb: number; pssMb: number }>;
  leftAfterSigterm: string[];
}

async function measureOnce(label: string, dataDir: string): Promise<Run> {
  const ports = await findFreePorts(SERVICES.length + 3);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    POSTGRES_PORT: String(ports[0]),
    REDIS_PORT: String(ports[1]),
  };
  [...SERVICES, GATEWAY].forEach((definition, i) => (env[portVariable(definition)] = String(ports[i + 2])));
  delete env.DATABASE_URL;
  delete env.REDIS_URL;

  const startedAt = performance.now();
  const npm = spawn("npm", ["start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let readySeconds = Number.NaN;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output.slice(-3000)}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (Number.isNaN(readySeconds) && READY_LINE.test(output)) {
        readySeconds = (performance.now() - startedAt) / 1000;
        clearTimeout(timer);
        resolve();
      }
    };
    npm.stdout.on("data", onData);
    npm.stderr.on("data", onData);
    npm.once("exit", (code) =>
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output.slice(-3000)}`)),
    );
  });
  await ready;
  // Give the services time to settle (first GC cycles, lazily loaded modules) before reading memory.
  await sleep(idleSeconds * 1000);

  const tree = processTree(npm.pid!);
  const memory = new Map<string, { processes: number; rssMb: number; pssMb: number }>();
  for (const info of tree) {
    const usage = readMemory(info.pid);
    if (!usage) continue;
    const part = partOf(info);
    const entry = memory.get(part) ?? { processes: 0, rssMb: 0, pssMb: 0 };
    entry.processes += 1;
    entry.rssMb += usage.rssKb / 1024;
    entry.pssMb += usage.pssKb / 1024;
    memory.set(part, entry);
  }

  npm.kill("SIGTERM");
  const deadline = performance.now() + STOP_TIMEOUT_MS;
  let left = tree.filter((info) => isAlive(info.pid));
  while (left.length > 0 && performance.now() < deadline) {
    await sleep(200);
    left = left.filter((info) => isAlive(info.pid));
  }
  const leftAfterSigterm = left.map((info) => `${partOf(info)} (pid ${info.pid})`);
  for (const info of left) {
    try {
      process.kill(info.pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  const startLine = output.split("\n").find((line) => line.startsWith("Started in")) ?? "";
  return { label, readySeconds, startLine, memory, leftAfterSigterm };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function print(run: Run): void {
  console.log(
    `\n${run.label}: ready in ${run.readySeconds.toFixed(1)} s from \`npm start\` (${run.startLine || "no timing line"})`,
  );
  const order = [
    "npm",
    "sh",
    "launcher",
    ...SERVICES.map((s) => s.name),
    "services",
    GATEWAY.name,
    "postgres",
    "redis",
  ];
  const parts = [...run.memory.keys()].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  console.log("| process | count | RSS MB | PSS MB |");
  console.log("|---|---|---|---|");
  let rss = 0;
  let pss = 0;
  let hubRss = 0;
  for (const part of parts) {
    const entry = run.memory.get(part)!;
    console.log(`| ${part} | ${entry.processes} | ${entry.rssMb.toFixed(0)} | ${entry.pssMb.toFixed(0)} |`);
    rss += entry.rssMb;
    pss += entry.pssMb;
    if (part !== "npm" && part !== "sh") hubRss += entry.rssMb;
  }
  console.log(`| all | | ${rss.toFixed(0)} | ${pss.toFixed(0)} |`);
  console.log(
    `Hub (launcher, services, gateway, Postgres, Redis; without npm and its shell): ${hubRss.toFixed(0)} MB RSS.`,
  );
  console.log(
    run.leftAfterSigterm.length === 0
      ? "SIGTERM to npm stopped everything."
      : `Left running after SIGTERM to npm: ${run.leftAfterSigterm.join(", ")}`,
  );
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), "rhizome-measure-"));
// Postgres runs as its own user and must reach its folder inside.
await chmod(dataDir, 0o755);
try {
  print(await measureOnce("Empty data folder", dataDir));
  print(await measureOnce("Reused data folder", dataDir));
  console.log(
    `\nMeasured with: npm run measure (${os.cpus().length} cores, Node ${process.version}; idle ${idleSeconds} s before reading memory)`,
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
