import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, loadConfig } from "@rhizome/kit";
import { circleWithMembers, foundCircle } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";
import { laneComparisonSettings } from "./support/lanes.js";

const hubGatewayUrl = inject("gatewayUrl");

/** What the network subgraph received from a gateway: each request's headers and body. */
interface Received {
  headers: IncomingHttpHeaders;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  /** The gateway hung up before the answer. */
  isLeft?: boolean;
}

/** The link holds requests of operations by this name before passing them on. */
const HELD = "Held";
const HOLD_MS = 1_500;

// Network behind a link that records what each gateway sends it, then passes it on unchanged.
let link: Server;
const received: Received[] = [];
/** Every query through the runtime's planner, to compare with. */
let planned: RunningGateway;
/** The fast lane on (the default). */
let fast: RunningGateway;
/** The fast lane on, with a small rate limit and only registered operations for anonymous callers. */
let strict: RunningGateway;
const RATE_LIMIT = 4;

beforeAll(async () => {
  const networkUrl = `${inject("serviceUrls").network}/graphql`;
  link = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const entry: Received = { headers: request.headers, body: JSON.parse(body) as Received["body"] };
      received.push(entry);
      response.on("close", () => (entry.isLeft = !response.writableFinished));
      if (entry.body.operationName === HELD || entry.body.query.includes(`query ${HELD}`))
        await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      if (entry.isLeft) return;
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (header): header is [string, string] =>
            typeof header[1] === "string" && !["content-length", "host", "connection"].includes(header[0]),
        ),
      );
      const answer = await fetch(networkUrl, { method: "POST", headers, body });
      response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      response.end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => link.listen(0, "127.0.0.1", resolve));
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  subgraphUrls.NETWORK_SUBGRAPH_URL = `http://127.0.0.1:${(link.address() as AddressInfo).port}/graphql`;
  const supergraph = loadSupergraph(undefined, subgraphUrls);
  const settings = laneComparisonSettings();
  const logger = createLogger("gateway", "silent");
  [planned, fast, strict] = await Promise.all([
    startGateway(loadConfig(gatewayConfigSchema, { ...settings, FAST_LANE: "false" }), supergraph, logger),
    startGateway(loadConfig(gatewayConfigSchema, settings), supergraph, logger),
    startGateway(
      loadConfig(gatewayConfigSchema, {
        ...settings,
        RATE_LIMIT_REQUESTS_PER_MINUTE: String(RATE_LIMIT),
        PERSISTED_OPERATIONS_ONLY: "true",
      }),
      supergraph,
      logger,
    ),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([planned?.close(), fast?.close(), strict?.close()]);
  link?.closeAllConnections();
  await new Promise<void>((resolve) => link?.close(() => resolve()));
});

interface Sent {
  status: number;
  contentType: string | null;
  requestId: string | null;
  text: string;
  /** What network received for this request, if anything. */
  atNetwork: Received[];
}

async function send(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Sent> {
  const before = received.length;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    requestId: response.headers.get("x-request-id"),
    text: await response.text(),
    atNetwork: received.slice(before),
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** What a client sees of an answer: its status, type and body. */
const seen = ({ status, contentType, text }: Sent) => ({ status, contentType, body: JSON.parse(text) as unknown });

describe("the fast lane: a query one subgraph answers by itself goes straight to it", () => {
  it("answers exactly what the runtime answers, sending the subgraph the client's own query with the same headers", async () => {
    const { circle, members } = await circleWithMembers(hubGatewayUrl, ["ana", "bo"], "fastlane");
    const operations: Array<{ query: string; variables?: Record<string, unknown>; token?: string }> = [
      { query: `{ me { memberships { handle } } }`, token: members.ana.token },
      {
        query: `query Mine { __typename me { ...Who memberships { name: handle } } } fragment Who on Me { personId }`,
        token: members.bo.token,
      },
      {
        query: `query ($slug: String!) { circle(slug: $slug) { slug name members(first: 10) { items { handle } } } }`,
        variables: { slug: circle.slug },
        token: members.ana.token,
      },
      {
        query: `{ me { memberships { handle skipped: handle @skip(if: true) kept: handle @include(if: true) } } }`,
        token: circle.organizer.token,
      },
      { query: `query ($slug: String!) { circle(slug: $slug) { slug name } }`, variables: { slug: circle.slug } },
    ];
    for (const { query, variables, token } of operations) {
      const credentials = token ? bearer(token) : {};
      const byRuntime = await send(planned.url, query, variables, credentials);
      const learning = await send(fast.url, query, variables, credentials);
      const byFastLane = await send(fast.url, query, variables, { ...credentials, "x-request-id": "fast-lane-test" });
      expect(byRuntime.status).toBe(200);
      expect(seen(learning)).toEqual(seen(byRuntime));
      expect(seen(byFastLane)).toEqual(seen(byRuntime));
      expect(byFastLane.text).toBe(byRuntime.text);
      expect(byFastLane.requestId).toBe("fast-lane-test");
      // The runtime sends network its planner's document; the fast lane the client's own.
      expect(byRuntime.atNetwork).toHaveLength(1);
      expect(byFastLane.atNetwork).toHaveLength(1);
      const [fromRuntime] = byRuntime.atNetwork;
      const [fromFastLane] = byFastLane.atNetwork;
      expect(fromFastLane.body.query).toBe(query);
      expect(fromRuntime.body.query).not.toBe(query);
      const names = (headers: IncomingHttpHeaders) =>
        Object.keys(headers)
          .filter((name) => !["content-length", "host", "connection"].includes(name))
          .sort();
      expect(names(fromFastLane.headers)).toEqual(names(fromRuntime.headers));
      for (const name of ["authorization", "accept", "content-type", "x-rhizome-writes-ended"])
        expect(fromFastLane.headers[name]).toEqual(fromRuntime.headers[name]);
      expect(fromFastLane.headers["x-request-id"]).toBe("fast-lane-test");
      expect(fromFastLane.headers["x-rhizome-gateway"] ?? "").not.toBe("");
    }
    // Operators see the fast lane's answers in the gateway's metrics.
    const metrics = await (await fetch(fast.metricsUrl)).text();
    const answered = /^rhizome_gateway_fast_lane_answers_total\{[^}]*subgraph="network"[^}]*\} (\d+)$/m.exec(metrics);
    expect(Number(answered?.[1])).toBeGreaterThanOrEqual(operations.length);
  });

  it("merges a fragment's selection of a list with the query's own as GraphQL says: one item per membership", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["hal"], "merging");
    const query = `query Mine { me { ...Who memberships { name: handle } } } fragment Who on Me { memberships { __typename handle } }`;
    await send(fast.url, query, undefined, bearer(members.hal.token));
    const byFastLane = await send(fast.url, query, undefined, bearer(members.hal.token));
    expect(byFastLane.atNetwork.map((request) => request.body.query)).toEqual([query]);
    expect(JSON.parse(byFastLane.text)).toEqual({
      data: { me: { memberships: [{ __typename: "Member", handle: "hal", name: "hal" }] } },
    });
  });

  it("cancels its subgraph request when the client hangs up", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["ivy"], "leaving");
    const query = `query ${HELD} { me { memberships { handle } } }`;
    await send(fast.url, query, undefined, bearer(members.ivy.token));
    const before = received.length;
    const leaving = new AbortController();
    const asked = fetch(fast.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...bearer(members.ivy.token) },
      body: JSON.stringify({ query }),
      signal: leaving.signal,
    }).catch(() => undefined);
    while (received.length === before) await new Promise((resolve) => setTimeout(resolve, 20));
    leaving.abort();
    await asked;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [sent] = received.slice(before);
    expect(sent.body.query).toBe(query);
    expect(sent.isLeft).toBe(true);
  });

  it("leaves an operation that needs two subgraphs to the runtime's plan", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["cy"], "crossing");
    const query = `{ me { memberships { handle balance { minutes } } } }`;
    const byRuntime = await send(planned.url, query, undefined, bearer(members.cy.token));
    await send(fast.url, query, undefined, bearer(members.cy.token));
    const again = await send(fast.url, query, undefined, bearer(members.cy.token));
    expect(byRuntime.status).toBe(200);
    expect(seen(again)).toEqual(seen(byRuntime));
    expect(again.atNetwork.map((request) => request.body.query)).not.toContain(query);
  });

  it("keeps the runtime's errors, codes and limits: bad tokens, bad variables, unknown fields, depth, cost, introspection", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["di"], "errors");
    const token = members.di.token;
    const known = `query ($slug: String!) { circle(slug: $slug) { slug name } }`;
    // Learned by the fast lane with a clean answer first.
    await send(fast.url, known, { slug: "nobody-has-this-slug" }, bearer(token));
    const cases: Array<[string, Record<string, unknown> | undefined, Record<string, string>]> = [
      [known, { slug: 42 }, bearer(token)],
      [known, {}, bearer(token)],
      [known, { slug: "anything" }, { authorization: "Bearer not-a-token" }],
      [known, { slug: "anything" }, { authorization: "Basic abc" }],
      [`{ me { memberships { handel } } }`, undefined, bearer(token)],
      [`{ __schema { types { name } } }`, undefined, {}],
      [
        `{ me { memberships { circle { members(first: 1) { items { circle { members(first: 1) { items { circle { members(first: 1) { items { circle { members(first: 1) { items { handle } } } } } } } } } } } } } } }`,
        undefined,
        bearer(token),
      ],
      [`query ($n: Int) { circles(first: $n) { items { slug } } }`, { n: 100_000_000 }, {}],
    ];
    // A document the fast lane has run cleanly, sent again asking for more than the cost limit allows.
    await send(fast.url, `query ($n: Int) { circles(first: $n) { items { slug } } }`, { n: 1 });
    for (const [query, variables, headers] of cases) {
      const byRuntime = await send(planned.url, query, variables, headers);
      const byFast = await send(fast.url, query, variables, headers);
      expect(byRuntime.status === 200 && !byRuntime.text.includes('"errors"')).toBe(false);
      expect(seen(byFast)).toEqual(seen(byRuntime));
      const body = JSON.parse(byFast.text) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(body.errors?.length).toBeGreaterThan(0);
      for (const error of body.errors ?? []) expect(error.extensions?.code).toBeTruthy();
      expect(byFast.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
    }
  });

  it("never lets a member of another circle read a circle's members through it", async () => {
    const { circle, members } = await circleWithMembers(hubGatewayUrl, ["eve"], "guarded");
    const outsider = await foundCircle(hubGatewayUrl, "outside", "outsider");
    const query = `query ($slug: String!) { circle(slug: $slug) { slug members(first: 10) { items { handle } } } }`;
    // The document runs cleanly for a member first, so the fast lane knows it.
    const insider = await send(fast.url, query, { slug: circle.slug }, bearer(members.eve.token));
    expect(insider.text).toContain('"eve"');
    const byFast = await send(fast.url, query, { slug: circle.slug }, bearer(outsider.organizer.token));
    const byRuntime = await send(planned.url, query, { slug: circle.slug }, bearer(outsider.organizer.token));
    expect(seen(byFast)).toEqual(seen(byRuntime));
    expect(byFast.text).not.toContain('"eve"');
    expect(byFast.text).not.toContain('"founder"');
    expect((JSON.parse(byFast.text) as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
  });

  it("counts each request once against the rate limit, and keeps registered-operations-only for anonymous callers", async () => {
    const { members } = await circleWithMembers(hubGatewayUrl, ["fay"], "limited");
    const query = `{ me { memberships { handle } } }`;
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++)
      statuses.push((await send(strict.url, query, undefined, bearer(members.fay.token))).status);
    expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(200), 429]);
    const refused = await send(strict.url, query, undefined, bearer(members.fay.token));
    expect(
      (JSON.parse(refused.text) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code,
    ).toBe("RATE_LIMITED");

    // Anonymous query text of a document the fast lane knows (it ran cleanly for a member) is still refused.
    const { members: others } = await circleWithMembers(hubGatewayUrl, ["gus"], "anonymous");
    const circles = `{ circles(first: 2) { items { slug } } }`;
    expect((await send(strict.url, circles, undefined, bearer(others.gus.token))).status).toBe(200);
    const anonymous = await send(strict.url, circles);
    const error = (JSON.parse(anonymous.text) as { errors: Array<{ extensions: { code: string } }> }).errors[0];
    expect(error.extensions.code).toBe("FORBIDDEN");
    expect(anonymous.atNetwork).toHaveLength(0);
  });
});
