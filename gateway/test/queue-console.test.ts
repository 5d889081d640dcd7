import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectRedis, createLogger, loadConfig, Queue } from "@rhizome/kit";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

const OPERATOR_KEY = "operator-key-of-the-queue-console-test-0123";

interface QueueView {
  name: string;
  counts: Record<string, number>;
  jobs: Array<{ id: string; name: string }>;
}

// A gateway with the console open (OPERATOR_KEY and REDIS_URL set) in front of the test run's services.
let gateway: RunningGateway;
let consoleUrl: string;
beforeAll(async () => {
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "test",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
    OPERATOR_KEY,
    REDIS_URL: inject("redisUrl"),
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
  consoleUrl = new URL("/operator/queues", gateway.url).toString();
}, 60_000);
afterAll(() => gateway?.close());

const withKey = { "x-operator-key": OPERATOR_KEY };
const basic = (password: string) => ({
  authorization: `Basic ${Buffer.from(`operator:${password}`).toString("base64")}`,
});

async function queues(query = ""): Promise<QueueView[]> {
  const response = await fetch(`${consoleUrl}/api/queues${query}`, { headers: withKey });
  expect(response.status).toBe(200);
  return ((await response.json()) as { queues: QueueView[] }).queues;
}

describe("the operators' queue console", () => {
  it("refuses anyone without the operator key, and shows nothing of the console", async () => {
    for (const path of ["", "/", "/api/queues", "/static/css/main.css", "/queue/barter.cycles"]) {
      for (const headers of <Array<Record<string, string>>>[
        {},
        { "x-operator-key": "not-the-operator-key-but-long-enough" },
        basic("wrong-password-of-some-length"),
        { authorization: "Bearer x" },
      ]) {
        const response = await fetch(`${consoleUrl}${path}`, { headers });
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
        const body = await response.text();
        expect(body).not.toMatch(/barter|tools|governance|defense|cycles|<html/i);
      }
    }
    const changed = await fetch(`${consoleUrl}/api/queues/barter.cycles/empty`, { method: "PUT" });
    expect(changed.status).toBe(401);
  });

  it("does not exist on a gateway without an operator key", async () => {
    const hubConsole = await fetch(new URL("/operator/queues/api/queues", inject("gatewayUrl")), { headers: withKey });
    expect(hubConsole.status).toBe(404);
    expect(await hubConsole.text()).not.toMatch(/queue/i);
  });

  it("lists every service's queues from their definitions to the operator key, in a page served from the hub", async () => {
    const names = (await queues()).map((queue) => queue.name);
    // Each service's own queue jobs and, for those with cycle jobs, its cycles queue.
    expect(names).toEqual(
      expect.arrayContaining([
        "barter.cycles",
        "tools.reminders",
        "tools.cycles",
        "governance.deadlines",
        "governance.cycles",
        "defense.escalation",
        "defense.webhooks",
        "defense.accompaniment",
        "sovereignty.cycles",
      ]),
    );
    expect(names.every((name) => /^[a-z]+\.[a-z-]+$/.test(name))).toBe(true);

    const page = await fetch(`${consoleUrl}/`, { headers: basic(OPERATOR_KEY) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/operator/queues/"');
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const script = /<script defer src="([^"]+)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(`${consoleUrl}/${script}`, { headers: basic(OPERATOR_KEY) });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
  });

  it("shows a job added to a service's queue, and refuses a change sent from another site", async () => {
    const redis = connectRedis(inject("redisUrl"));
    const queue = new Queue("barter.cycles", { connection: redis });
    const jobId = `console-test-${Date.now()}`;
    try {
      // Far in the future, so barter's worker leaves it waiting in the console.
      await queue.add("boundary", { purpose: "console-test", cycle: "none" }, { jobId, delay: 30 * 24 * 3600 * 1000 });
      const listed = (await queues("?activeQueue=barter.cycles&status=delayed&page=1")).find(
        (view) => view.name === "barter.cycles",
      );
      expect(listed?.counts.delayed).toBeGreaterThanOrEqual(1);
      expect(listed?.jobs.map((job) => job.id)).toContain(jobId);

      const fromElsewhere = await fetch(`${consoleUrl}/api/queues/barter.cycles/clean/delayed`, {
        method: "PUT",
        headers: { ...withKey, "sec-fetch-site": "cross-site" },
      });
      expect(fromElsewhere.status).toBe(403);
      expect(await queue.getJob(jobId)).toBeDefined();
    } finally {
      await queue.remove(jobId);
      await queue.close();
      redis.disconnect();
    }
  });
});
