import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger, loadConfig } from "@rhizome/kit";
import { foundCircle, startTestService, succeed, testMember, type TestService } from "@rhizome/kit/testing";
import { barterService } from "@rhizome/barter";
import { networkService } from "../../services/network/src/service.js";
import { defenseService } from "../../services/defense/src/service.js";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

/** OTLP span kinds as numbers in OTLP/JSON. */
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{
      spans: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
      }>;
    }>;
  }>;
}

const attributesOf = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue]));

/** A stand-in OpenTelemetry collector: OTLP/HTTP with JSON bodies, keeping every span it receives. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.url === "/v1/traces" && (request.headers["content-type"] ?? "").includes("json")) {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OtlpExport;
        for (const resourceSpans of body.resourceSpans) {
          const service = String(attributesOf(resourceSpans.resource.attributes)["service.name"]);
          for (const scope of resourceSpans.scopeSpans) {
            for (const span of scope.spans)
              spans.push({
                service,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? "",
                name: span.name,
                kind: span.kind,
                attributes: attributesOf(span.attributes),
              });
          }
        }
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let network: TestService<never>;
let barter: TestService<never>;
let defense: TestService<never>;
let gateway: RunningGateway;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "100" };
  // Network, barter and defense as the hub runs them, but exporting traces; the rest of the hub unchanged.
  // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
  [network, barter, defense] = (await Promise.all([
    startTestService(networkService, { env: otel }),
    startTestService(barterService, { env: otel }),
    startTestService(defenseService, { env: otel }),
  ])) as unknown as Array<TestService<never>>;
  const subgraphUrls = {
    ...Object.fromEntries(
      Object.entries(inject("serviceUrls")).map(([name, url]) => [
        `${name.toUpperCase()}_SUBGRAPH_URL`,
        `${url}/graphql`,
      ]),
    ),
    NETWORK_SUBGRAPH_URL: network.url,
    BARTER_SUBGRAPH_URL: barter.url,
    DEFENSE_SUBGRAPH_URL: defense.url,
  };
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "test",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
    ...otel,
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await Promise.all([network?.stop(), barter?.stop(), defense?.stop()]);
  await new Promise((resolve) => receiver?.server.close(resolve));
});

/** Retries `check` until it stops throwing, then rethrows its last failure after `timeoutMs`. */
async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A W3C trace context of the test's own, so each test finds its request's trace by id. */
function clientTrace() {
  const traceId = randomBytes(16).toString("hex");
  return { traceId, headers: { traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01` } };
}

const traceOf = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
const byId = (spans: ReceivedSpan[]) => new Map(spans.map((span) => [span.spanId, span]));

/** The chain of parents of a span, up to the root of its trace. */
function ancestorsOf(span: ReceivedSpan, spans: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  for (let parent = spans.get(span.parentSpanId); parent; parent = spans.get(parent.parentSpanId)) chain.push(parent);
  return chain;
}

describe("traces across the hub", () => {
  it("gives one request through the gateway one trace: the gateway, each subgraph it called, and their SQL under them", async () => {
    const circle = await foundCircle(inject("gatewayUrl"), "traced");
    // memberCount keeps network's part of the plan live: a circle's name and id alone would be shared from the gateway's memory.
    const query = `query ($slug: String!) { circle(slug: $slug) { name memberCount barterSettings { floorMinutes } } }`;
    // Barter learns of the circle from network's events.
    await eventually(async () => {
      const data = await succeed(gateway.url, query, { slug: circle.slug }, circle.organizer.token);
      expect(data.circle.barterSettings.floorMinutes).toBeTypeOf("number");
    });
    const client = clientTrace();
    await succeed(
      gateway.url,
      query,
      { slug: circle.slug },
      { authorization: `Bearer ${circle.organizer.token}`, ...client.headers },
    );

    await eventually(() => {
      // The gateway continues the trace the client started.
      const roots = traceOf(client.traceId).filter((span) => span.service === "gateway" && span.kind === SERVER);
      expect(roots).toHaveLength(1);
      const spans = traceOf(roots[0].traceId);
      const ids = byId(spans);
      const servers = spans.filter((span) => span.kind === SERVER && span.service !== "gateway");
      expect(new Set(servers.map((span) => span.service))).toEqual(new Set(["network", "barter"]));
      for (const server of servers) {
        // Each subgraph's span continues the gateway's request to it.
        expect(ids.get(server.parentSpanId)).toMatchObject({ service: "gateway", kind: CLIENT });
        expect(ancestorsOf(server, ids).at(-1)).toBe(roots[0]);
      }
      for (const service of ["network", "barter"]) {
        const queries = spans.filter(
          (span) => span.service === service && span.attributes["db.system.name"] === "postgresql",
        );
        expect(queries.length).toBeGreaterThan(0);
        for (const sql of queries)
          expect(ancestorsOf(sql, ids).some((span) => span.service === service && span.kind === SERVER)).toBe(true);
        // Statements only, never a value: the slug asked for is nowhere in the trace.
        for (const sql of queries) expect(String(sql.attributes["db.query.text"])).not.toContain(circle.slug);
      }
    }, 15_000);
  });

  it("carries a request's trace into the queue job it enqueued", async () => {
    const circleId = randomUUID();
    const member = await testMember(circleId, ["member"]);
    // Close enough that its shortage check is due at once: defense's worker runs it now.
    const startsAt = new Date(Date.now() + 6 * 3600 * 1000).toISOString();
    const client = clientTrace();
    await succeed(
      gateway.url,
      `mutation ($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { id } }`,
      { input: { circleId, startsAt, place: "gcpvj0", companionsNeeded: 1 } },
      { authorization: `Bearer ${member.token}`, ...client.headers },
    );

    await eventually(() => {
      const roots = traceOf(client.traceId).filter((span) => span.service === "gateway" && span.kind === SERVER);
      expect(roots).toHaveLength(1);
      const spans = traceOf(roots[0].traceId);
      const ids = byId(spans);
      // The request may enqueue more than one accompaniment job; the one processed must hang under one of its sends.
      const sends = spans.filter((span) => span.kind === PRODUCER && span.name === "send defense.accompaniment");
      const processed = spans.find((span) => span.kind === CONSUMER && span.name === "process defense.accompaniment");
      expect(processed?.service).toBe("defense");
      const sent = ids.get(processed!.parentSpanId);
      expect(sends).toContain(sent);
      expect(sent?.service).toBe("defense");
      expect(ancestorsOf(sent!, ids).some((span) => span.service === "defense" && span.kind === SERVER)).toBe(true);
      // The job's own SQL belongs to the same trace.
      expect(
        spans.some(
          (span) => span.attributes["db.system.name"] === "postgresql" && ancestorsOf(span, ids).includes(processed!),
        ),
      ).toBe(true);
    }, 15_000);
  });
});
