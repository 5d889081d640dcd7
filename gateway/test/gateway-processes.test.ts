import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { findFreePorts } from "@rhizome/infra";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const PROCESSES = 2;
const REQUESTS_PER_MINUTE = 6;

let primary: ChildProcess;
let url: string;
let metricsUrl: string;
beforeAll(async () => {
  const [port, metricsPort] = await findFreePorts(2);
  url = `http://127.0.0.1:${port}/graphql`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, base]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${base}/graphql`,
    ]),
  );
  primary = spawn(process.execPath, [MAIN], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      ...subgraphUrls,
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      TOKEN_SECRET: inject("tokenSecret"),
      GATEWAY_PROCESSES: String(PROCESSES),
      RATE_LIMIT_REQUESTS_PER_MINUTE: String(REQUESTS_PER_MINUTE),
    },
  });
  const startedMs = performance.now();
  while ((await fetch(metricsUrl).catch(() => undefined))?.status !== 200) {
    if (performance.now() - startedMs > 90_000) throw new Error("the gateway processes did not start");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 120_000);
afterAll(() => {
  if (primary.exitCode === null) primary.kill("SIGKILL");
});

/** The ids of the processes `pid` started, from Linux's /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** One GraphQL request on a connection of its own, so that the processes take turns. */
function askOnNewConnection(): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query: "{ barterStarterSkills }" });
    const outgoing = request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": body.length } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("several gateway processes on one port", () => {
  it("answer in turn, never allow a client more than the configured limit, and report their metrics together", async () => {
    expect(childrenOf(primary.pid!)).toHaveLength(PROCESSES);
    const statuses: number[] = [];
    for (let i = 0; i < 3 * REQUESTS_PER_MINUTE; i++) statuses.push(await askOnNewConnection());
    const answered = statuses.filter((status) => status === 200).length;
    // Each process allows its share of the client's limit; together no more than the limit.
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThanOrEqual(REQUESTS_PER_MINUTE);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 429)).toBe(true);

    const metrics = await (await fetch(metricsUrl)).text();
    const counted = metrics
      .split("\n")
      .filter((line) => line.startsWith("rhizome_gateway_request_seconds_count"))
      .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
    expect(counted).toBe(statuses.length);
  });

  it("stop together when the gateway is asked to stop", async () => {
    const workers = childrenOf(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const worker of workers) expect(() => process.kill(worker, 0)).toThrow();
  });
});
