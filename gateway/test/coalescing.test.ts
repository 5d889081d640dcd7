import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { bearer, foundCircle, PASSPHRASE, succeed, uniqueSlug } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger, loadConfig, persistedOperationId } from "@rhizome/kit";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

/**
 * What stands between the gateway and the network subgraph: passes every request on, but holds
 * those that ask for `personId` until released, so a test knows a query is still in flight.
 */
class HoldingProxy {
  held: Array<() => void> = [];
  heldCount = 0;
  private server!: Server;
  constructor(private readonly target: URL) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => this.pass(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.target.pathname}`;
  }

  private pass(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const forward = () => {
        const upstream = httpRequest(
          {
            host: this.target.hostname,
            port: this.target.port,
            path: request.url,
            method: request.method,
            headers: request.headers,
          },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
          },
        );
        upstream.end(body);
      };
      if (!body.toString("utf8").includes("personId")) return forward();
      this.heldCount++;
      this.held.push(forward);
    });
  }

  releaseAll() {
    for (const forward of this.held.splice(0)) forward();
  }

  async until(count: number) {
    for (let i = 0; i < 200 && this.heldCount < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.heldCount;
  }

  close() {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}

let proxy: HoldingProxy;
let gateway: RunningGateway;
/** The same, sharing no answers at its door. */
let unsharingGateway: RunningGateway;
beforeAll(async () => {
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  proxy = new HoldingProxy(new URL(subgraphUrls.NETWORK_SUBGRAPH_URL));
  subgraphUrls.NETWORK_SUBGRAPH_URL = await proxy.start();
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "production",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
  unsharingGateway = await startGateway(
    { ...config, COALESCE_QUERIES: false },
    loadSupergraph(undefined, subgraphUrls),
    createLogger("gateway", "silent"),
  );
}, 60_000);
afterAll(async () => {
  proxy?.releaseAll();
  proxy?.close();
  await gateway?.close();
  await unsharingGateway?.close();
});

const ME = `{ me { personId } }`;

async function ask(
  query: string,
  headers: Record<string, string> = {},
  variables?: Record<string, unknown>,
  url = gateway.url,
) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
    body: (await response.json()) as { data?: Record<string, any>; errors?: Array<{ extensions?: { code?: string } }> },
  };
}

async function metric(pattern: RegExp): Promise<number> {
  const text = await (await fetch(gateway.metricsUrl)).text();
  const line = text.split("\n").find((l) => pattern.test(l));
  return line ? Number(line.split(" ").pop()) : 0;
}
const sharedAnswers = () => metric(/^rhizome_gateway_shared_answers_total[ {]/);
const answeredRequests = () => metric(/^rhizome_gateway_request_seconds_count\{.*status="200"/);

describe("identical queries in flight at once", () => {
  it("share one answer when the same member asks the same thing, and never with another member", async () => {
    const mine = await foundCircle(inject("gatewayUrl"), "coalesce-mine");
    const other = await foundCircle(inject("gatewayUrl"), "coalesce-other");
    const sharedBefore = await sharedAnswers();
    const answeredBefore = await answeredRequests();
    const heldBefore = proxy.heldCount;

    const first = ask(ME, bearer(mine.organizer.token));
    expect(await proxy.until(heldBefore + 1)).toBe(heldBefore + 1);
    const second = ask(ME, bearer(mine.organizer.token));
    const stranger = ask(ME, bearer(other.organizer.token));
    // The stranger's query goes to network on its own; the member's second waits for the first.
    expect(await proxy.until(heldBefore + 2)).toBe(heldBefore + 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proxy.heldCount).toBe(heldBefore + 2);
    proxy.releaseAll();

    const [a, b, c] = await Promise.all([first, second, stranger]);
    expect(a.body.data?.me.personId).toEqual(expect.any(String));
    expect(b).toEqual(a);
    expect(c.body.data?.me.personId).toEqual(expect.any(String));
    expect(c.body.data?.me.personId).not.toBe(a.body.data?.me.personId);
    expect(await sharedAnswers()).toBe(sharedBefore + 1);
    // Operators still see every request answered, shared or not.
    expect(await answeredRequests()).toBe(answeredBefore + 3);
  });

  it("never share an answer begun before a write that ended before the query arrived", async () => {
    const mine = await foundCircle(inject("gatewayUrl"), "coalesce-write");
    const heldBefore = proxy.heldCount;
    const sharedBefore = await sharedAnswers();

    const before = ask(ME, bearer(mine.organizer.token));
    expect(await proxy.until(heldBefore + 1)).toBe(heldBefore + 1);
    const wrote = await ask(
      `mutation ($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } } }`,
      {},
      {
        input: {
          name: "Coalesce write",
          slug: uniqueSlug("coalesce-written"),
          founderHandle: "founder",
          passphrase: PASSPHRASE,
        },
      },
    );
    expect(wrote.body.data?.createCircle.circle.id).toEqual(expect.any(String));
    const after = ask(ME, bearer(mine.organizer.token));
    expect(await proxy.until(heldBefore + 2)).toBe(heldBefore + 2);
    proxy.releaseAll();

    const [first, second] = await Promise.all([before, after]);
    expect(first.body.data?.me.personId).toEqual(expect.any(String));
    expect(second).toEqual(first);
    expect(await sharedAnswers()).toBe(sharedBefore);
  });

  it("know a registered query sent by its id for a read, so it ends no sharing group", async () => {
    const hub = inject("gatewayUrl");
    const mine = await foundCircle(hub, "coalesce-persisted");
    const listing = `query CoalescePersisted { circles(first: 3) { items { slug } } }`;
    await succeed(
      hub,
      `mutation ($input: RegisterPersistedOperationInput!) { registerPersistedOperation(input: $input) { id } }`,
      { input: { circleId: mine.id, document: listing } },
      mine.organizer.token,
    );
    const key = (
      await succeed(
        hub,
        `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
        { input: { circleId: mine.id, name: "mural" } },
        mine.organizer.token,
      )
    ).createApiKey.key;
    const byId = () =>
      fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify({ documentId: persistedOperationId(listing) }),
      }).then((r) => r.json());
    // The gateway learns the document the first time it runs it.
    expect((await byId()).data?.circles.items).toEqual(expect.any(Array));
    const heldBefore = proxy.heldCount;
    const sharedBefore = await sharedAnswers();

    const first = ask(ME, bearer(mine.organizer.token));
    expect(await proxy.until(heldBefore + 1)).toBe(heldBefore + 1);
    expect((await byId()).data?.circles.items).toEqual(expect.any(Array));
    // A read ended in between: the same member's same query still joins the one in flight.
    const second = ask(ME, bearer(mine.organizer.token));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proxy.heldCount).toBe(heldBefore + 1);
    proxy.releaseAll();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toEqual(a);
    expect(await sharedAnswers()).toBe(sharedBefore + 1);
  });

  it("without sharing at the door, still never share a subgraph request begun before a write that ended", async () => {
    const mine = await foundCircle(inject("gatewayUrl"), "coalesce-unshared");
    const heldBefore = proxy.heldCount;
    const sharedBefore = await sharedAnswers();
    const askUnshared = () => ask(ME, bearer(mine.organizer.token), undefined, unsharingGateway.url);

    const first = askUnshared();
    expect(await proxy.until(heldBefore + 1)).toBe(heldBefore + 1);
    // The same subgraph request, with no write ended in between, waits for the one in flight.
    const second = askUnshared();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proxy.heldCount).toBe(heldBefore + 1);
    const wrote = await ask(
      `mutation ($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } } }`,
      {},
      {
        input: {
          name: "Coalesce unshared",
          slug: uniqueSlug("coalesce-unshared-written"),
          founderHandle: "founder",
          passphrase: PASSPHRASE,
        },
      },
      unsharingGateway.url,
    );
    expect(wrote.body.data?.createCircle.circle.id).toEqual(expect.any(String));
    const third = askUnshared();
    expect(await proxy.until(heldBefore + 2)).toBe(heldBefore + 2);
    proxy.releaseAll();

    const answers = await Promise.all([first, second, third]);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0].body.data?.me.personId).toEqual(expect.any(String));
    expect(await sharedAnswers()).toBe(sharedBefore);
  });
});
