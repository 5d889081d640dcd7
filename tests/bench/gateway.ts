import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  findFreePorts,
  randomTokenSecret,
  SERVICES,
  startHub,
  startLocalStack,
  type LocalStack,
  type RunningHub,
} from "@rhizome/infra";
import { cycleContaining, gql, precedingCycle } from "@rhizome/kit";
import { createInvitation, joinCircle, type Session } from "@rhizome/kit/testing";
import { loadSupergraph } from "../../gateway/src/supergraph.js";
import { loadClient } from "./load-client.js";
import { benchEnvironment, profilingFlags, waitFor } from "./measure.js";

const REPRODUCE = "npm run bench -- gateway";
const PASSPHRASE = "a long enough passphrase";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
const CIRCLES = Number(process.env.BENCH_CIRCLES ?? 20);
/** Distinct members whose tokens the member operations rotate through, one per request. */
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 64);
const TSX_LOADER_URL = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** Comma-separated parts of operation and target names to run, for profiling one path. */
const ONLY_OPERATIONS = process.env.BENCH_OPERATIONS?.split(",");
const ONLY_TARGETS = process.env.BENCH_TARGETS?.split(",");
const STOCK_GATEWAY = fileURLToPath(new URL("./stock-gateway.ts", import.meta.url));
const client = loadClient(CONNECTIONS);

/** Who sends what: the seeded circles and members. */
interface Seeded {
  slugs: string[];
  members: Array<Session & { slug: string }>;
}

interface BenchRequest {
  body: string;
  headers: Record<string, string>;
}

interface Operation {
  name: string;
  /** The request number `i` sends: member operations rotate through the seeded members. */
  request: (seeded: Seeded, i: number) => BenchRequest;
  /** The one subgraph it touches, when it touches one: then it is also sent there directly. */
  subgraph?: string;
  /** One caller sending one body on every connection: the best case, where answers are shared. */
  isBestCase?: boolean;
}

const memberRequest =
  (query: string, variables?: (member: Seeded["members"][number]) => Record<string, unknown>) =>
  (seeded: Seeded, i: number): BenchRequest => {
    const member = seeded.members[i % seeded.members.length];
    return {
      body: JSON.stringify({ query, variables: variables?.(member) }),
      headers: { authorization: `Bearer ${member.token}` },
    };
  };
const publicRequest =
  (query: string, variables?: (seeded: Seeded) => Record<string, unknown>) =>
  (seeded: Seeded): BenchRequest => ({
    body: JSON.stringify({ query, variables: variables?.(seeded) }),
    headers: {},
  });

const OPERATIONS: Operation[] = [
  {
    name: "member's memberships (network only)",
    request: memberRequest(`{ me { memberships { handle } } }`),
    subgraph: "network",
  },
  {
    name: "member's single field with balance",
    request: memberRequest(`{ me { memberships { balance { minutes } } } }`),
  },
  {
    name: "member's cross-service view",
    request: memberRequest(
      `{ me { memberships { handle circle { name } balance { minutes floorMinutes ceilingMinutes } } } }`,
    ),
  },
  {
    name: "member's circle page",
    request: memberRequest(
      `query ($slug: String!) { circle(slug: $slug) { name viewerRoles members(first: 10) { items { handle } } barterSettings { floorMinutes ceilingMinutes } listings(first: 10) { items { id } } } }`,
      (member) => ({ slug: member.slug }),
    ),
  },
  {
    name: "best case: one member repeating one request (shared answers)",
    request: (seeded) => ({
      body: JSON.stringify({ query: `{ me { memberships { handle } } }` }),
      headers: { authorization: `Bearer ${seeded.members[0].token}` },
    }),
    subgraph: "network",
    isBestCase: true,
  },
  {
    name: "public cross-service list",
    request: publicRequest(
      `{ circles(first: ${CIRCLES}) { items { slug name barterSummary { cycle isClosed minutesExchanged exchangeCount } } } }`,
    ),
  },
  {
    name: "single-subgraph public list, live",
    request: publicRequest(`{ circles(first: ${CIRCLES}) { items { slug name } } }`),
    subgraph: "network",
  },
  // Public reads the gateway may answer from its cache (gateway/src/public-cache.ts); the stock gateways have none.
  {
    name: "single-subgraph field, cacheable",
    request: publicRequest(`{ barterStarterSkills }`),
    subgraph: "barter",
    isBestCase: true,
  },
  {
    name: "closed cycle's public figures, cacheable",
    request: publicRequest(
      `query ($slug: String!, $cycle: String) { circle(slug: $slug) { name barterSummary(cycle: $cycle) { cycle isClosed minutesExchanged exchangeCount } } }`,
      (seeded) => ({ slug: seeded.slugs[0], cycle: precedingCycle(cycleContaining(new Date())).label }),
    ),
    isBestCase: true,
  },
];

interface Round {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** What the first few errors said (message and code), to tell a timeout from a refusal. */
  errorSamples: string[];
  /** CPU time per request of the process answering it (the gateway, or the subgraph sent to directly), and of the whole machine. */
  targetCpuMs: number;
  machineCpuMs: number;
  /** Share of one core the load generator itself used. */
  generatorBusy: number;
  /** Of Rhizome's answers, the share served from its public cache or shared with an identical query in flight. */
  sharedShare?: number;
  /** CPU time per request of each subgraph process. */
  subgraphCpuMs: Record<string, number>;
}

/** Rhizome's answers not worked out for the request itself: public cache hits and shared answers. */
async function answersNotWorkedOut(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (
      /^rhizome_gateway_shared_answers_total[ {]/.test(line) ||
      (/^rhizome_gateway_public_cache_lookups_total[ {]/.test(line) && line.includes('outcome="hit"'))
    ) {
      total += Number(line.split(" ").pop());
    }
  }
  return total;
}

const CLOCK_TICK_MS = 10;

/** User and system CPU ticks of one process and its children (a gateway's cluster workers), from Linux's /proc. */
function processTicks(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const statOf = (id: number | string) => readFileSync(`/proc/${id}/stat`, "utf8").split(") ")[1].split(" ");
  try {
    let ticks = 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let fields: string[];
      try {
        fields = statOf(entry);
      } catch {
        continue;
      }
      if (Number(entry) === pid || Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks;
  } catch {
    return NaN;
  }
}

/** Busy CPU ticks of the whole machine, every core. */
function machineTicks(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return user + nice + system + irq + softirq;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `CONNECTIONS` clients sending requests back to back for `seconds`, each the next of `requestAt`. */
async function load(
  url: string,
  requestAt: (i: number) => BenchRequest,
  seconds: number,
  targetPid?: number,
  subgraphPids: Record<string, number | undefined> = {},
): Promise<Round> {
  const latenciesMs: number[] = [];
  const [targetBefore, machineBefore, generatorBefore] = [processTicks(targetPid), machineTicks(), process.cpuUsage()];
  const subgraphsBefore = Object.fromEntries(
    Object.entries(subgraphPids).map(([name, pid]) => [name, processTicks(pid)]),
  );
  let sent = 0;
  let errors = 0;
  const errorSamples = new Set<string>();
  const endAtMs = performance.now() + seconds * 1000;
  const startedAtMs = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < endAtMs) {
        const sentAtMs = performance.now();
        const { body, headers } = requestAt(sent++);
        try {
          const response = await client.send(url, body, headers);
          if (response.status !== 200 || response.body.errors?.length || !response.body.data) {
            errors++;
            const error = response.body.errors?.[0];
            if (errorSamples.size < 3)
              errorSamples.add(`${response.status} ${String(error?.extensions?.code ?? "")} ${error?.message ?? ""}`);
          }
        } catch (error) {
          errors++;
          if (errorSamples.size < 3) errorSamples.add(String(error));
        }
        latenciesMs.push(performance.now() - sentAtMs);
      }
    }),
  );
  const elapsedSeconds = (performance.now() - startedAtMs) / 1000;
  const cpuMsPerRequest = (ticks: number) => (ticks * CLOCK_TICK_MS) / latenciesMs.length;
  latenciesMs.sort((a, b) => a - b);
  return {
    requestsPerSecond: latenciesMs.length / elapsedSeconds,
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
    errors,
    errorSamples: [...errorSamples],
    targetCpuMs: cpuMsPerRequest(processTicks(targetPid) - targetBefore),
    machineCpuMs: cpuMsPerRequest(machineTicks() - machineBefore),
    generatorBusy: (({ user, system }) => (user + system) / 1000 / (elapsedSeconds * 1000))(
      process.cpuUsage(generatorBefore),
    ),
    subgraphCpuMs: Object.fromEntries(
      Object.entries(subgraphPids).map(([name, pid]) => [
        name,
        cpuMsPerRequest(processTicks(pid) - subgraphsBefore[name]),
      ]),
    ),
  };
}

function spawnStockGateway(kind: "apollo" | "hive", port: number, supergraphFile: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", TSX_LOADER_URL, STOCK_GATEWAY, kind, String(port), supergraphFile],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  return child;
}

async function waitForGateway(url: string): Promise<void> {
  await waitFor(
    `${url} to answer`,
    async () => {
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ __typename }" }),
        });
        return response.ok;
      } catch {
        return false;
      }
    },
    180_000,
    250,
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/**
 * Rhizome's gateway (production mode, every security plugin on) beside stock @apollo/gateway and
 * stock Hive Gateway (JS planner, no plugins) on the same supergraph and subgraphs, and the
 * single-subgraph operations sent straight to their subgraph; alternating rounds.
 */
export async function runBenchmark(): Promise<void> {
  let stack: LocalStack | undefined;
  let hub: RunningHub | undefined;
  const stock: ChildProcess[] = [];
  try {
    stack = await startLocalStack({ ephemeral: true, output: "tail" });
    hub = await startHub({
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      tokenSecret: randomTokenSecret(),
      services: SERVICES.filter((service) => service.name === "network" || service.name === "barter"),
      nodeEnv: "production",
      logLevel: "warn",
      output: "tail",
      ...profilingFlags(),
      // The stock gateways do not sign their requests (subgraphs open to them); Rhizome's still does.
      env: { ...benchEnvironment(), ACCESS_TOKEN_TTL_SECONDS: "3600" },
    });
    const rhizome = hub.gatewayUrl!;

    // Seed: circles, and distinct members spread over them, each with a token of their own.
    const seeded: Seeded = { slugs: [], members: [] };
    const circles = [];
    for (let i = 0; i < CIRCLES; i++) {
      const slug = `bench-${Date.now()}-${i}`;
      const founded = await gql(
        rhizome,
        `mutation ($i: CreateCircleInput!) { createCircle(input: $i) { circle { id } member { id } token } }`,
        {
          i: { name: `Bench circle ${i}`, slug, founderHandle: "founder", passphrase: PASSPHRASE },
        },
      );
      if (!founded.body.data) throw new Error(`seeding failed: ${JSON.stringify(founded.body.errors)}`);
      const { circle, member, token } = founded.body.data.createCircle;
      seeded.slugs.push(slug);
      seeded.members.push({ token, memberId: member.id, handle: "founder", slug });
      circles.push({ id: circle.id, slug, organizer: { token, memberId: member.id, handle: "founder" } });
    }
    const joinersPerCircle = Math.ceil(Math.max(0, MEMBERS - CIRCLES) / CIRCLES);
    for (const circle of circles) {
      if (joinersPerCircle === 0) break;
      const code = await createInvitation(rhizome, circle, joinersPerCircle);
      for (let j = 0; j < joinersPerCircle && seeded.members.length < MEMBERS; j++) {
        seeded.members.push({ ...(await joinCircle(rhizome, code, `member${j}`)), slug: circle.slug });
      }
    }

    const supergraphFile = path.join(await mkdtemp(path.join(tmpdir(), "rhizome-bench-")), "supergraph.graphql");
    const subgraphUrls = Object.fromEntries(
      Object.entries(hub.serviceUrls).map(([name, url]) => [`${name.toUpperCase()}_SUBGRAPH_URL`, `${url}/graphql`]),
    );
    await writeFile(supergraphFile, loadSupergraph(undefined, subgraphUrls));
    const [apolloPort, hivePort] = await findFreePorts(2);
    stock.push(
      spawnStockGateway("apollo", apolloPort, supergraphFile),
      spawnStockGateway("hive", hivePort, supergraphFile),
    );
    const targets: Record<string, string> = {
      rhizome,
      "apollo-gateway": `http://127.0.0.1:${apolloPort}/`,
      "hive-gateway": `http://127.0.0.1:${hivePort}/graphql`,
    };
    await Promise.all([waitForGateway(targets["apollo-gateway"]), waitForGateway(targets["hive-gateway"])]);
    const stockPids: Record<string, number | undefined> = {
      "apollo-gateway": stock[0].pid,
      "hive-gateway": stock[1].pid,
    };
    const hubPid = (name: string) => hub!.processes.find((process) => process.name === name)?.pid;
    const subgraphPids = Object.fromEntries(
      hub.processes
        .filter((process) => process.name !== "gateway")
        .map((process) => [process.name, process.pid] as const),
    );

    const results: Record<string, Record<string, Round[]>> = {};
    for (const operation of OPERATIONS.filter(
      (operation) => !ONLY_OPERATIONS || ONLY_OPERATIONS.some((part) => operation.name.includes(part)),
    )) {
      const requestAt = (i: number) => operation.request(seeded, i);
      const runs: Record<string, string> = Object.fromEntries(
        Object.entries({
          ...targets,
          ...(operation.subgraph ? { "subgraph directly": `${hub.serviceUrls[operation.subgraph]}/graphql` } : {}),
        }).filter(
          ([target]) => target === "rhizome" || !ONLY_TARGETS || ONLY_TARGETS.some((part) => target.includes(part)),
        ),
      );
      const pidOf = (target: string) =>
        target === "rhizome"
          ? hubPid("gateway")
          : target === "subgraph directly"
            ? hubPid(operation.subgraph!)
            : stockPids[target];
      results[operation.name] = Object.fromEntries(Object.keys(runs).map((target) => [target, []]));
      for (const url of Object.values(runs)) await load(url, requestAt, WARMUP_SECONDS);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [target, url] of Object.entries(runs)) {
          const sharedBefore = target === "rhizome" ? await answersNotWorkedOut(hub.metricsUrls.gateway) : 0;
          const round = await load(url, requestAt, ROUND_SECONDS, pidOf(target), subgraphPids);
          if (target === "rhizome")
            round.sharedShare =
              ((await answersNotWorkedOut(hub.metricsUrls.gateway)) - sharedBefore) /
              (round.requestsPerSecond * ROUND_SECONDS);
          results[operation.name][target].push(round);
        }
      }
    }

    console.log(
      `\nGateways on Rhizome's supergraph (network + barter), ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s; medians. Reproduce: ${REPRODUCE}`,
    );
    console.log(
      `Member operations rotate through ${seeded.members.length} distinct members (the next member's token on every request) and their own variables.`,
    );
    console.log(
      "Production mode, every security plugin on. The load generator shares the machine's 2 cores with everything it measures.",
    );
    console.log(
      "CPU ms/request: of the process answering (the gateway, or the subgraph sent to directly), of each subgraph process, and of the whole machine.",
    );
    console.log(
      "Shared: of Rhizome's answers, those from its public cache or shared with the same query from the same caller already in flight.",
    );
    const subgraphNames = Object.keys(subgraphPids);
    const header = `| operation | target | requests/s | p50 ms | p99 ms | errors | CPU ms/request | ${subgraphNames.map((name) => `${name} CPU ms/request`).join(" | ")} | machine CPU ms/request | load generator's core | shared | Rhizome vs this |`;
    const figures: Record<string, unknown> = {};
    for (const section of [
      "Distinct callers (the figures that meet goals)",
      "Best case, labelled: one caller repeating one request, or a cacheable public read",
    ]) {
      const isBestCaseSection = section.startsWith("Best case");
      console.log(`\n${section}\n${header}\n|${"---|".repeat(header.split("|").length - 2)}`);
      for (const [operation, byTarget] of Object.entries(results)) {
        if ((OPERATIONS.find((o) => o.name === operation)?.isBestCase ?? false) !== isBestCaseSection) continue;
        const rhizomeRps = median(byTarget.rhizome.map((r) => r.requestsPerSecond));
        figures[operation] = {};
        for (const [target, rounds] of Object.entries(byTarget)) {
          const rps = median(rounds.map((r) => r.requestsPerSecond));
          const p50 = median(rounds.map((r) => r.p50Ms));
          const p99 = median(rounds.map((r) => r.p99Ms));
          const errors = rounds.reduce((sum, r) => sum + r.errors, 0);
          const targetCpuMs = median(rounds.map((r) => r.targetCpuMs));
          const machineCpuMs = median(rounds.map((r) => r.machineCpuMs));
          const subgraphCpuMs = Object.fromEntries(
            subgraphNames.map((name) => [name, median(rounds.map((r) => r.subgraphCpuMs[name] ?? NaN))]),
          );
          const shared = target === "rhizome" ? `${fixed(median(rounds.map((r) => r.sharedShare ?? NaN)) * 100)}%` : "";
          (figures[operation] as Record<string, unknown>)[target] = {
            requestsPerSecond: rps,
            p50Ms: p50,
            p99Ms: p99,
            errors,
            targetCpuMs,
            subgraphCpuMs,
            machineCpuMs,
            rounds,
          };
          const ratio = target === "rhizome" ? "" : `${fixed(rhizomeRps / rps, 2)}x`;
          const subgraphCells = subgraphNames.map((name) => fixed(subgraphCpuMs[name], 2)).join(" | ");
          console.log(
            `| ${operation} | ${target} | ${fixed(rps)} | ${fixed(p50, 1)} | ${fixed(p99, 1)} | ${errors} | ${fixed(targetCpuMs, 2)} | ${subgraphCells} | ${fixed(machineCpuMs, 2)} | ${fixed(median(rounds.map((r) => r.generatorBusy)) * 100)}% | ${shared} | ${ratio} |`,
          );
        }
      }
    }
    for (const [operation, byTarget] of Object.entries(results))
      for (const [target, rounds] of Object.entries(byTarget)) {
        const samples = [...new Set(rounds.flatMap((r) => r.errorSamples))];
        if (samples.length > 0) console.log(`Errors of ${operation} through ${target}: ${samples.join(" | ")}`);
      }
    await mkdir("bench-results", { recursive: true });
    const measuredAt = new Date().toISOString();
    const file = `bench-results/gateway-${measuredAt.replace(/[:.]/g, "-")}.json`;
    await writeFile(
      file,
      `${JSON.stringify({ measuredAt, reproduce: REPRODUCE, connections: CONNECTIONS, distinctMembers: seeded.members.length, roundSeconds: ROUND_SECONDS, rounds: ROUNDS, figures }, null, 2)}\n`,
    );
    console.log(`\nWrote ${file}`);
  } finally {
    client.close();
    for (const child of stock) child.kill("SIGTERM");
    await hub?.stop();
    await stack?.stop();
  }
}
