import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";

/**
 * The environment of a whole hub in production mode for a benchmark: the secrets no default may
 * stand in for there, subgraphs that answer direct requests, which benchmarks send beside the
 * gateway, and per-client rate limits out of the way of one load generator standing for many clients.
 */
export function benchEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    SUBGRAPH_ACCESS: "open",
    RATE_LIMIT_REQUESTS_PER_MINUTE: "100000000",
    RATE_LIMIT_LOGINS_PER_MINUTE: "100000",
    DEFENSE_MASTER_KEYS: base.DEFENSE_MASTER_KEYS ?? `bench:${randomBytes(32).toString("base64")}`,
  };
}

/** With BENCH_PROFILE_DIR set, every process of the hub writes a CPU profile there when it stops. */
export function profilingFlags(): { nodeFlags?: string[] } {
  const directory = process.env.BENCH_PROFILE_DIR;
  return directory ? { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${directory}`] } : {};
}

/** Runs `work` for every item with `concurrency` workers in parallel; returns items per second. */
export async function throughput<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, worker: number) => Promise<void>,
) {
  let next = 0;
  let failures = 0;
  let firstFailure: unknown;
  const startedAtMs = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < items.length) {
        const item = items[next++];
        try {
          await work(item, worker);
        } catch (error) {
          failures++;
          firstFailure ??= error;
        }
      }
    }),
  );
  const seconds = (performance.now() - startedAtMs) / 1000;
  return { perSecond: items.length / seconds, seconds, failures, firstFailure };
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const startedAtMs = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - startedAtMs) / 1000 };
}

/** Peak resident memory of a process (VmHWM) in MiB, read from Linux's /proc. */
export async function peakMemoryMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => undefined);
  const match = status && /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

export async function waitFor(
  description: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  pollMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${description}.`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Resets a process's peak resident memory (VmHWM) to its current size, so a later read shows the peak of what came after (Linux, own processes). */
export async function resetPeakMemory(pid: number): Promise<boolean> {
  return writeFile(`/proc/${pid}/clear_refs`, "5").then(
    () => true,
    () => false,
  );
}

/** Runs rounds of each path in turn (A, B, C, A, B, C ...) so that a noisy machine slows every path alike; returns each path's total rate. */
export async function alternatingRounds<Path extends string>(
  rounds: number,
  paths: Record<
    Path,
    (round: number) => Promise<{ items: number; seconds: number; failures: number; firstFailure?: unknown }>
  >,
): Promise<Record<Path, { perSecond: number; items: number; seconds: number }>> {
  const totals = Object.fromEntries(Object.keys(paths).map((path) => [path, { items: 0, seconds: 0 }])) as Record<
    Path,
    { items: number; seconds: number }
  >;
  for (let round = 0; round < rounds; round++) {
    for (const path of Object.keys(paths) as Path[]) {
      const result = await paths[path](round);
      if (result.failures > 0)
        throw new Error(
          `${result.failures} of ${result.items} failed via ${path}; first: ${String(result.firstFailure)}`,
        );
      totals[path].items += result.items;
      totals[path].seconds += result.seconds;
    }
  }
  return Object.fromEntries(
    Object.entries<{ items: number; seconds: number }>(totals).map(([path, t]) => [
      path,
      { ...t, perSecond: t.items / t.seconds },
    ]),
  ) as Record<Path, { perSecond: number; items: number; seconds: number }>;
}

/** Request latencies in milliseconds (rounded to 0.1) and the rate reached, for `latencies`. */
export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
}

/** Sends `count` requests with `concurrency` clients in parallel, timing each; throws if any failed. */
export async function latencies(
  count: number,
  concurrency: number,
  send: (i: number, worker: number) => Promise<void>,
): Promise<Latencies> {
  const durationsMs: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: unknown;
  const startedAtMs = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < count) {
        const i = next++;
        const sentAtMs = performance.now();
        try {
          await send(i, worker);
        } catch (error) {
          failures++;
          firstFailure ??= error;
        }
        durationsMs.push(performance.now() - sentAtMs);
      }
    }),
  );
  const seconds = (performance.now() - startedAtMs) / 1000;
  if (failures > 0) throw new Error(`${failures} of ${count} requests failed; first: ${String(firstFailure)}`);
  durationsMs.sort((a, b) => a - b);
  const tenth = (value: number) => Number(value.toFixed(1));
  const at = (q: number) => tenth(durationsMs[Math.min(durationsMs.length - 1, Math.floor(q * durationsMs.length))]);
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: tenth(durationsMs[durationsMs.length - 1]),
    perSecond: tenth(count / seconds),
  };
}

/** Linux's clock tick: /proc counts CPU time in hundredths of a second. */
export const CLOCK_TICK_MS = 10;

/** User and system CPU ticks of one process and of its children (a gateway's cluster workers), from Linux's /proc. */
export function processTicks(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fields: string[];
    try {
      fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ");
    } catch {
      continue;
    }
    if (Number(entry) === pid || Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/** Busy CPU ticks of the whole machine, every core. */
export function machineTicks(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return user + nice + system + irq + softirq;
}

/**
 * Starts counting the CPU time of each named process (and the whole machine); the function it
 * returns gives each one's milliseconds per item, for `items` done meanwhile.
 */
export function cpuMeter(pids: Record<string, number | undefined>): (items: number) => Record<string, number> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processTicks(pid)]));
  const machineBefore = machineTicks();
  return (items) => {
    const perItem = (ticks: number) => Number(((ticks * CLOCK_TICK_MS) / Math.max(1, items)).toFixed(2));
    return {
      ...Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, perItem(processTicks(pid) - before[name])]),
      ),
      machine: perItem(machineTicks() - machineBefore),
    };
  };
}
