import { readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import pg from "pg";
import {
  randomTokenSecret,
  SERVICES,
  startHub,
  startLocalStack,
  type LocalStack,
  type RunningHub,
} from "@rhizome/infra";
import { gql } from "@rhizome/kit";
import { createInvitation, joinCircle } from "@rhizome/kit/testing";
import { loadClient } from "./load-client.js";
import { benchEnvironment, profilingFlags } from "./measure.js";

const REPRODUCE = "npm run bench -- subgraph";
const PASSPHRASE = "a long enough passphrase";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
/** Distinct members whose tokens the requests rotate through, one per request. */
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 64);
const MEMBERS_PER_CIRCLE = 8;
const QUERY = JSON.stringify({ query: "{ me { memberships { handle } } }" });
/** The SQL network runs for that query: the caller's present memberships (store/members.ts). */
const MEMBERSHIPS_SQL = `SELECT * FROM members WHERE person_id = $1 AND left_at IS NULL ORDER BY joined_at, id`;
const CLOCK_TICK_MS = 10;
const UNPREPARED = "the same SQL on pg alone";
const PREPARED = "the same SQL on pg alone, prepared";

interface Member {
  token: string;
  personId: string;
}

interface Round {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU ms per request of the network process (NaN for pg alone). */
  networkCpuMs: number;
  /** CPU ms per request of the bench's own Postgres and Redis. */
  storesCpuMs: number;
  /** CPU ms per request of this process, the load generator (its HTTP client, or its pg client). */
  clientCpuMs: number;
  /** CPU ms per request of the whole machine (Postgres, Redis, the load generator and whatever else runs on it). */
  machineCpuMs: number;
}

/** User and system CPU ticks of one process, from Linux's /proc. */
function processTicks(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** The process ids of this bench's Postgres (its server and every backend) and Redis, found by their ports. */
function storePids(databaseUrl: string, redisUrl: string): { postgres: number[]; redis: number[] } {
  const postgresPort = new URL(databaseUrl).port;
  const redisPort = new URL(redisUrl).port;
  const processes = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        const parent = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]);
        return [{ pid: Number(entry), parent, commandLine }];
      } catch {
        return [];
      }
    });
  const server = processes.find(
    ({ commandLine }) => commandLine[0].endsWith("/postgres") && commandLine.includes(postgresPort),
  );
  const redis = processes.filter(
    ({ commandLine }) => commandLine[0].includes("redis-server") && commandLine.join(" ").includes(`:${redisPort}`),
  );
  return {
    postgres: server ? [server.pid, ...processes.filter((p) => p.parent === server.pid).map((p) => p.pid)] : [],
    redis: redis.map((p) => p.pid),
  };
}

/** CPU ticks of the bench's Postgres and Redis, backends started since included. */
function storeTicks(find: () => { postgres: number[]; redis: number[] }): number {
  const { postgres, redis } = find();
  let ticks = 0;
  for (const pid of [...postgres, ...redis]) {
    try {
      ticks += processTicks(pid);
    } catch {
      // A backend that ended meanwhile.
    }
  }
  return ticks;
}

function machineTicks(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return user + nice + system + irq + softirq;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/** `CONNECTIONS` workers each doing `work(i)` back to back for `seconds`, `i` counting every request. */
async function load(
  work: (i: number) => Promise<boolean>,
  seconds: number,
  stores: () => { postgres: number[]; redis: number[] },
  networkPid?: number,
): Promise<Round> {
  const latenciesMs: number[] = [];
  const [networkBefore, storesBefore, machineBefore] = [processTicks(networkPid), storeTicks(stores), machineTicks()];
  const clientBefore = process.cpuUsage();
  let sent = 0;
  let errors = 0;
  const startedAtMs = performance.now();
  const endAtMs = startedAtMs + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < endAtMs) {
        const sentAtMs = performance.now();
        try {
          if (!(await work(sent++))) errors++;
        } catch {
          errors++;
        }
        latenciesMs.push(performance.now() - sentAtMs);
      }
    }),
  );
  const elapsedSeconds = (performance.now() - startedAtMs) / 1000;
  const client = process.cpuUsage(clientBefore);
  const perRequest = (ticks: number) => (ticks * CLOCK_TICK_MS) / latenciesMs.length;
  latenciesMs.sort((a, b) => a - b);
  return {
    requestsPerSecond: latenciesMs.length / elapsedSeconds,
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
    errors,
    networkCpuMs: perRequest(processTicks(networkPid) - networkBefore),
    storesCpuMs: perRequest(storeTicks(stores) - storesBefore),
    clientCpuMs: (client.user + client.system) / 1000 / latenciesMs.length,
    machineCpuMs: perRequest(machineTicks() - machineBefore),
  };
}

/** The person a token names (its subject), read without verifying: the bench minted it. */
function personOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as { sub: string }).sub;
}

async function seedMembers(networkUrl: string): Promise<Member[]> {
  const members: Member[] = [];
  for (let c = 0; members.length < MEMBERS; c++) {
    const slug = `subgraph-bench-${c}`;
    const founded = await gql(
      networkUrl,
      `mutation ($i: CreateCircleInput!) { createCircle(input: $i) { circle { id } member { id } token } }`,
      { i: { name: `Bench circle ${c}`, slug, founderHandle: "founder", passphrase: PASSPHRASE } },
    );
    if (!founded.body.data) throw new Error(`seeding failed: ${JSON.stringify(founded.body.errors)}`);
    const { circle, member, token } = founded.body.data.createCircle;
    members.push({ token, personId: personOf(token) });
    const code = await createInvitation(networkUrl, {
      id: circle.id,
      slug,
      organizer: { token, memberId: member.id, handle: "founder" },
    });
    for (let j = 1; j < MEMBERS_PER_CIRCLE && members.length < MEMBERS; j++) {
      const joined = await joinCircle(networkUrl, code, `member${j}`);
      members.push({ token: joined.token, personId: personOf(joined.token) });
    }
  }
  return members;
}

/**
 * A single-table member read, `me { memberships { handle } }`, sent straight to network by
 * distinct members (the next member's token on every request), beside the SQL network runs for
 * it sent to Postgres alone over as many connections: alternating rounds, one run, one ratio.
 */
export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  let pool: pg.Pool | undefined;
  const client = loadClient(CONNECTIONS);
  try {
    stack = await startLocalStack({ ephemeral: true, output: "tail" });
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret: randomTokenSecret(),
      // Network needs barter's address; barter idles through the measurement.
      services: SERVICES.filter((service) => service.name === "network" || service.name === "barter"),
      gateway: null,
      nodeEnv: "production",
      logLevel: "warn",
      output: "tail",
      ...profilingFlags(),
      env: { ...benchEnvironment(), ACCESS_TOKEN_TTL_SECONDS: "3600" },
    });
    const networkUrl = `${hub.serviceUrls.network}/graphql`;
    const networkPid = hub.processes.find((process) => process.name === "network")?.pid;
    const members = await seedMembers(networkUrl);
    pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONNECTIONS, options: "-c search_path=network" });
    const viaPool = pool;

    const paths: Record<string, (i: number) => Promise<boolean>> = {
      "network subgraph": async (i) => {
        const { token } = members[i % members.length];
        const response = await client.send(networkUrl, QUERY, { authorization: `Bearer ${token}` });
        return response.status === 200 && !response.body.errors?.length && !!response.body.data?.me;
      },
      [UNPREPARED]: async (i) => {
        const { rowCount } = await viaPool.query(MEMBERSHIPS_SQL, [members[i % members.length].personId]);
        return (rowCount ?? 0) > 0;
      },
      // As network sends its read: prepared once per connection, then only bound and run.
      [PREPARED]: async (i) => {
        const { rowCount } = await viaPool.query({
          name: "bench_memberships",
          text: MEMBERSHIPS_SQL,
          values: [members[i % members.length].personId],
        });
        return (rowCount ?? 0) > 0;
      },
    };
    const stores = () => storePids(stack!.databaseUrl, stack!.redisUrl);
    for (const work of Object.values(paths)) await load(work, WARMUP_SECONDS, stores);
    const rounds: Record<string, Round[]> = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, work] of Object.entries(paths))
        rounds[name].push(
          await load(work, ROUND_SECONDS, stores, name === "network subgraph" ? networkPid : undefined),
        );
    }

    const figures = Object.fromEntries(
      Object.entries(rounds).map(([name, measured]) => [
        name,
        {
          requestsPerSecond: median(measured.map((r) => r.requestsPerSecond)),
          p50Ms: median(measured.map((r) => r.p50Ms)),
          p99Ms: median(measured.map((r) => r.p99Ms)),
          errors: measured.reduce((sum, r) => sum + r.errors, 0),
          networkCpuMs: median(measured.map((r) => r.networkCpuMs)),
          storesCpuMs: median(measured.map((r) => r.storesCpuMs)),
          clientCpuMs: median(measured.map((r) => r.clientCpuMs)),
          machineCpuMs: median(measured.map((r) => r.machineCpuMs)),
          rounds: measured,
        },
      ]),
    );
    const rateRatio = (pgAlone: string) =>
      figures["network subgraph"].requestsPerSecond / figures[pgAlone].requestsPerSecond;
    // What each request costs the hub's side (network, Postgres, Redis), whatever else the machine runs.
    const serverCpuMs = (name: string) => (figures[name].networkCpuMs || 0) + figures[name].storesCpuMs;
    const cpuRatioTo = (pgAlone: string) => serverCpuMs(pgAlone) / serverCpuMs("network subgraph");
    // Network prepares its read, so the fair comparison is with pg alone preparing it too.
    const ratio = rateRatio(PREPARED);
    const cpuRatio = cpuRatioTo(PREPARED);
    console.log(
      `\n\`me { memberships { handle } }\` straight to network, ${members.length} distinct members (tokens rotating), ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s; medians. Production mode. Reproduce: ${REPRODUCE}`,
    );
    console.log(`pg alone: \`${MEMBERSHIPS_SQL}\` for the next member's person, over ${CONNECTIONS} connections.`);
    console.log(
      "\n| path | requests/s | p50 ms | p99 ms | errors | network CPU ms/request | Postgres + Redis CPU ms/request | load generator CPU ms/request | machine CPU ms/request |\n|---|---|---|---|---|---|---|---|---|",
    );
    for (const [name, figure] of Object.entries(figures)) {
      console.log(
        `| ${name} | ${fixed(figure.requestsPerSecond)} | ${fixed(figure.p50Ms, 1)} | ${fixed(figure.p99Ms, 1)} | ${figure.errors} | ${fixed(figure.networkCpuMs, 2)} | ${fixed(figure.storesCpuMs, 2)} | ${fixed(figure.clientCpuMs, 2)} | ${fixed(figure.machineCpuMs, 2)} |`,
      );
    }
    console.log(
      `\nnetwork / pg alone, prepared: ${ratio.toFixed(2)}x requests/s (goal: at least 0.5x); / pg alone, unprepared: ${rateRatio(UNPREPARED).toFixed(2)}x`,
    );
    console.log(
      `By CPU per request of network + Postgres + Redis (what the rate would be on cores of their own): ${cpuRatio.toFixed(2)}x prepared, ${cpuRatioTo(UNPREPARED).toFixed(2)}x unprepared`,
    );
    await mkdir("bench-results", { recursive: true });
    const measuredAt = new Date().toISOString();
    const file = `bench-results/subgraph-${measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(
      file,
      `${JSON.stringify({ measuredAt, reproduce: REPRODUCE, connections: CONNECTIONS, distinctMembers: members.length, ratio, cpuRatio, figures }, null, 2)}\n`,
    );
    console.log(`Wrote ${file}`);
  } finally {
    client.close();
    await pool?.end();
    await hub?.stop();
    await stack?.stop();
  }
}
