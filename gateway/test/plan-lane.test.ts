import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, loadConfig } from "@rhizome/kit";
import { bearer, circleWithMembers, foundCircle } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadAppOperations } from "../src/app/app-operations.js";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";
import { laneComparisonSettings } from "./support/lanes.js";

const hubGatewayUrl = inject("gatewayUrl");
const HOME = readFileSync(new URL("../../app/src/operations/home.graphql", import.meta.url), "utf8");
/** A circle's end of cycle and its pending exchanges: two subgraphs, both refusing another circle's member. */
const CIRCLE_WAITING = `query CircleWaiting($slug: String!, $circleId: ID!, $cycle: String!) {
  circle(slug: $slug) { id barterSummary(cycle: $cycle) { cycle endsAt } }
  exchanges(circleId: $circleId, status: PENDING, first: 50) { items { id proposer { id } } }
}`;

/** What a subgraph received from a gateway through the link in front of it. */
interface Received {
  subgraph: string;
  headers: IncomingHttpHeaders;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  /** The gateway hung up before the answer. */
  isLeft?: boolean;
}

/** Requests with this request id are held by barter's link before it passes them on. */
const HOLD = "plan-lane-hold";
const HOLD_MS = 2_500;
/** Requests with this request id get an error from barter's link instead of barter's answer. */
const FAIL = "plan-lane-fail";

const received: Received[] = [];
const links: Server[] = [];
/** Every query through the runtime's planner, to compare with. */
let runtime: RunningGateway;
/** Both lanes on (the default). */
let lanes: RunningGateway;
/** Both lanes on, waiting less for a subgraph than barter's link holds a request. */
let impatient: RunningGateway;
const IMPATIENT_TIMEOUT_MS = 1_000;

/** A link in front of a subgraph that records what each gateway sends it, then passes it on unchanged. */
async function linkTo(subgraph: string, url: string): Promise<string> {
  const link = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const entry: Received = { subgraph, headers: request.headers, body: JSON.parse(body) as Received["body"] };
      received.push(entry);
      response.on("close", () => (entry.isLeft = !response.writableFinished));
      const requestId = request.headers["x-request-id"];
      if (subgraph === "barter" && requestId === HOLD) await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      if (entry.isLeft) return;
      if (subgraph === "barter" && requestId === FAIL) {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ data: null, errors: [{ message: "barter broke", path: ["_entities"] }] }));
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (header): header is [string, string] =>
            typeof header[1] === "string" && !["content-length", "host", "connection"].includes(header[0]),
        ),
      );
      const answer = await fetch(url, { method: "POST", headers, body });
      response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      response.end(await answer.text());
    });
  });
  links.push(link);
  await new Promise<void>((resolve) => link.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(link.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  const serviceUrls = inject("serviceUrls");
  const subgraphUrls = Object.fromEntries(
    Object.entries(serviceUrls).map(([name, url]) => [`${name.toUpperCase()}_SUBGRAPH_URL`, `${url}/graphql`]),
  );
  for (const subgraph of ["network", "barter", "tools", "defense"])
    subgraphUrls[`${subgraph.toUpperCase()}_SUBGRAPH_URL`] = await linkTo(subgraph, `${serviceUrls[subgraph]}/graphql`);
  const supergraph = loadSupergraph(undefined, subgraphUrls);
  const settings = laneComparisonSettings();
  const logger = createLogger("gateway", "silent");
  [runtime, lanes, impatient] = await Promise.all([
    startGateway(
      loadConfig(gatewayConfigSchema, { ...settings, FAST_LANE: "false", PLAN_LANE: "false" }),
      supergraph,
      logger,
    ),
    startGateway(loadConfig(gatewayConfigSchema, settings), supergraph, logger),
    startGateway(
      loadConfig(gatewayConfigSchema, { ...settings, SUBGRAPH_TIMEOUT_MS: String(IMPATIENT_TIMEOUT_MS) }),
      supergraph,
      logger,
    ),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([runtime?.close(), lanes?.close(), impatient?.close()]);
  for (const link of links) {
    link.closeAllConnections();
    await new Promise<void>((resolve) => link.close(() => resolve()));
  }
});

interface Sent {
  status: number;
  contentType: string | null;
  requestId: string | null;
  text: string;
  /** What the subgraphs received for this request. */
  atSubgraphs: Received[];
}

interface Request {
  query?: string;
  /** A registered operation's id, sent instead of its text as the member app sends it. */
  documentId?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  token?: string;
}

async function send(url: string, { query, documentId, operationName, variables, token }: Request, requestId?: string) {
  const before = received.length;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(token ? bearer(token) : {}),
      ...(requestId ? { "x-request-id": requestId } : {}),
    },
    body: JSON.stringify({ query, documentId, operationName, variables }),
  });
  const sent: Sent = {
    status: response.status,
    contentType: response.headers.get("content-type"),
    requestId: response.headers.get("x-request-id"),
    text: await response.text(),
    atSubgraphs: [],
  };
  sent.atSubgraphs = received.slice(before);
  return sent;
}

/** How many answers the plan lane gave, or handed back to the runtime. */
async function planLaneCount(outcome: "answered" | "handed back"): Promise<number> {
  const metrics = await (await fetch(lanes.metricsUrl)).text();
  const line = new RegExp(`^rhizome_gateway_plan_lane_answers_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)$`, "m");
  return Number(line.exec(metrics)?.[1] ?? 0);
}

/** The subgraph requests of an answer, without what differs per request (its id). */
const requestsOf = (sent: Sent) =>
  sent.atSubgraphs
    .map(({ subgraph, body, headers }) => ({
      subgraph,
      body,
      authorization: headers.authorization,
      accept: headers.accept,
      contentType: headers["content-type"],
      isSigned: typeof headers["x-rhizome-gateway"] === "string",
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("the plan lane: a query that needs several subgraphs runs from its cached plan", () => {
  it("answers the member app's home view and the benchmark's operations exactly as the runtime does", async () => {
    const { circle, members } = await circleWithMembers(hubGatewayUrl, ["ana", "bo"], "planlane");
    const myCircles: Request = { query: HOME, operationName: "MyCircles", token: members.ana.token };
    const mine = JSON.parse((await send(runtime.url, myCircles)).text) as {
      data: { me: { memberships: Array<{ balance: { cycle: string } }> } };
    };
    const cycle = mine.data.me.memberships[0].balance.cycle;
    const requests: Request[] = [
      myCircles,
      { query: HOME, operationName: "MyCircles", token: circle.organizer.token },
      { query: HOME, operationName: "Home", token: members.bo.token },
      { query: CIRCLE_WAITING, variables: { slug: circle.slug, circleId: circle.id, cycle }, token: members.bo.token },
      { query: `{ me { memberships { balance { minutes } } } }`, token: members.bo.token },
      {
        query: `{ me { memberships { handle circle { name } balance { minutes floorMinutes ceilingMinutes } } } }`,
        token: members.ana.token,
      },
      {
        query: `query ($slug: String!) { circle(slug: $slug) { name viewerRoles members(first: 10) { items { handle } } barterSettings { floorMinutes ceilingMinutes } listings(first: 10) { items { id } } } }`,
        variables: { slug: circle.slug },
        token: members.ana.token,
      },
      {
        query: `query Aliased($withBalance: Boolean!) { __typename me { ...Mine who: memberships { __typename name: handle money: balance @include(if: $withBalance) { m: minutes } } } } fragment Mine on Me { memberships { balance { floorMinutes } handle @skip(if: true) } }`,
        variables: { withBalance: true },
        token: members.bo.token,
      },
    ];
    const answeredBefore = await planLaneCount("answered");
    for (const request of requests) {
      const byRuntime = await send(runtime.url, request);
      const learning = await send(lanes.url, request);
      const byPlanLane = await send(lanes.url, request, "plan-lane-test");
      expect(byRuntime.status).toBe(200);
      expect(byRuntime.text).toMatch(/^\{"data":\{/);
      expect(byRuntime.text).not.toContain('"errors"');
      expect(learning.text).toBe(byRuntime.text);
      expect(byPlanLane.text).toBe(byRuntime.text);
      expect(byPlanLane.contentType).toBe(byRuntime.contentType);
      expect(byPlanLane.requestId).toBe("plan-lane-test");
      // The subgraphs receive the same requests, with the caller's credentials and the gateway's signature.
      expect(requestsOf(byPlanLane)).toEqual(requestsOf(byRuntime));
      expect(new Set(byPlanLane.atSubgraphs.map((sent) => sent.subgraph))).toEqual(
        new Set(request.operationName === "Home" ? ["network", "barter", "tools", "defense"] : ["network", "barter"]),
      );
      for (const sent of byPlanLane.atSubgraphs) {
        expect(sent.headers["x-request-id"]).toBe("plan-lane-test");
        expect(sent.headers["x-rhizome-writes-ended"]).toMatch(/^\d+$/);
      }
    }
    // Operators see the plan lane's answers in the gateway's metrics.
    expect((await planLaneCount("answered")) - answeredBefore).toBe(requests.length);
  }, 120_000);

  it("gives a member of another circle what the runtime gives them, never the circle's data", async () => {
    const { circle, members } = await circleWithMembers(hubGatewayUrl, ["eve"], "guarded");
    const outsider = await foundCircle(hubGatewayUrl, "outside", "outsider");
    const circlePage = `query ($slug: String!) { circle(slug: $slug) { name members(first: 10) { items { handle } } barterSettings { floorMinutes } listings(first: 10) { items { id } } } }`;
    const mine = JSON.parse(
      (await send(runtime.url, { query: HOME, operationName: "MyCircles", token: members.eve.token })).text,
    ) as { data: { me: { memberships: Array<{ balance: { cycle: string } }> } } };
    const cycle = mine.data.me.memberships[0].balance.cycle;
    const requests = (token: string): Request[] => [
      { query: circlePage, variables: { slug: circle.slug }, token },
      { query: CIRCLE_WAITING, variables: { slug: circle.slug, circleId: circle.id, cycle }, token },
    ];
    // Each document runs cleanly for a member first, so the plan lane knows it.
    for (const request of requests(members.eve.token)) {
      await send(lanes.url, request);
      expect((await send(lanes.url, request)).text).not.toContain('"errors"');
    }
    const answeredBefore = await planLaneCount("answered");
    for (const request of requests(outsider.organizer.token)) {
      const byRuntime = await send(runtime.url, request);
      const byLanes = await send(lanes.url, request);
      expect(byLanes.status).toBe(byRuntime.status);
      expect(JSON.parse(byLanes.text)).toEqual(JSON.parse(byRuntime.text));
      expect(byLanes.text).not.toContain('"eve"');
      expect(byLanes.text).not.toContain('"founder"');
      expect(byLanes.text).not.toContain(circle.id);
    }
    // Neither answer was the plan lane's: the subgraphs refused the outsider, so the runtime answered.
    expect(await planLaneCount("answered")).toBe(answeredBefore);
  }, 120_000);

  it("hands a request to the runtime when a subgraph answers with an error, and the client gets the runtime's answer", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["cy"], "failing");
    const request: Request = {
      query: `{ me { memberships { handle balance { minutes ceilingMinutes } } } }`,
      token: members.cy.token,
    };
    await send(lanes.url, request);
    const handedBackBefore = await planLaneCount("handed back");
    const byRuntime = await send(runtime.url, request, FAIL);
    const byLanes = await send(lanes.url, request, FAIL);
    expect(byLanes.status).toBe(byRuntime.status);
    expect(byLanes.text).toBe(byRuntime.text);
    expect(byLanes.text).toContain('"errors"');
    expect(byLanes.text).not.toContain("barter broke");
    expect(await planLaneCount("handed back")).toBe(handedBackBefore + 1);
  });

  it("cancels its subgraph requests when the client hangs up", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["ivy"], "leaving");
    const query = `{ me { memberships { handle balance { floorMinutes } } } }`;
    await send(lanes.url, { query, token: members.ivy.token });
    const before = received.length;
    const leaving = new AbortController();
    const asked = fetch(lanes.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-request-id": HOLD,
        ...bearer(members.ivy.token),
      },
      body: JSON.stringify({ query }),
      signal: leaving.signal,
    }).catch(() => undefined);
    while (!received.slice(before).some((sent) => sent.subgraph === "barter"))
      await new Promise((resolve) => setTimeout(resolve, 20));
    leaving.abort();
    await asked;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const atBarter = received.slice(before).filter((sent) => sent.subgraph === "barter");
    expect(atBarter).toHaveLength(1);
    expect(atBarter[0].body.query).toContain("_entities");
    expect(atBarter[0].isLeft).toBe(true);
  });

  it("runs the member app's operations sent by id as it runs their text", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["kai"], "byid");
    const idOf = (name: string) => [...loadAppOperations()].find(([, text]) => text.startsWith(`query ${name} `))![0];
    const requests: Request[] = [
      { documentId: idOf("MyCircles"), token: members.kai.token },
      { documentId: `sha256:${idOf("MyCircles")}`, token: members.kai.token },
    ];
    const answeredBefore = await planLaneCount("answered");
    for (const request of requests) {
      const byRuntime = await send(runtime.url, request);
      expect(byRuntime.text).toMatch(/^\{"data":\{"me":/);
      // The runtime learns the registered document, then proves it; then the plan lane runs it.
      await send(lanes.url, request);
      await send(lanes.url, request);
      const byPlanLane = await send(lanes.url, request);
      expect(byPlanLane.text).toBe(byRuntime.text);
      expect(requestsOf(byPlanLane)).toEqual(requestsOf(byRuntime));
    }
    expect((await planLaneCount("answered")) - answeredBefore).toBeGreaterThanOrEqual(requests.length);

    // An id the member app does not own, and any extension besides the id, stay the runtime's.
    const unknown: Request = { documentId: "0".repeat(64), token: members.kai.token };
    const before = await planLaneCount("answered");
    for (let i = 0; i < 3; i++) {
      const byRuntime = await send(runtime.url, unknown);
      const byLanes = await send(lanes.url, unknown);
      expect(byLanes.text).toBe(byRuntime.text);
      expect(byLanes.text).toContain('"errors"');
    }
    expect(await planLaneCount("answered")).toBe(before);
  }, 120_000);

  it("hands a subgraph that does not answer in time to the runtime, in the fast lane and the plan lane alike", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["lou"], "impatient");
    const requests: Request[] = [
      // barter alone: the fast lane's.
      { query: `{ barterStarterSkills }` },
      // network, then barter: the plan lane's.
      { query: `{ me { memberships { handle balance { cycle } } } }`, token: members.lou.token },
    ];
    for (const request of requests) {
      // Proven with a clean answer first (again if a busy machine made even that one late).
      let isProven = false;
      for (let attempt = 0; attempt < 5 && !isProven; attempt++)
        isProven = !(await send(impatient.url, request)).text.includes('"errors"');
      expect(isProven).toBe(true);
      const late = await send(impatient.url, request, HOLD);
      const body = JSON.parse(late.text) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(body.errors?.map((error) => error.extensions?.code)).toContain("SERVICE_UNAVAILABLE");
      expect(late.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      // The lane's barter request and then the runtime's, each given up at the timeout.
      const atBarter = late.atSubgraphs.filter((sent) => sent.subgraph === "barter");
      expect(atBarter).toHaveLength(2);
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      for (const sent of atBarter) expect(sent.isLeft).toBe(true);
    }
  }, 120_000);
});
