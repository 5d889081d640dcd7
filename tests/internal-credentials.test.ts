import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, loadConfig } from "@rhizome/kit";
import { graphql, startTestService, type TestService } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../gateway/src/config.js";
import { startGateway, type RunningGateway } from "../gateway/src/gateway.js";
import { loadSupergraph } from "../gateway/src/supergraph.js";
import { networkService } from "../services/network/src/service.js";

/**
 * A subgraph (or anything on its path) sees the credentials the gateway sends it. Here a stand-in
 * for network and barter records them, and the test replays each where it was not meant to go.
 */
const serviceUrls = inject("serviceUrls");
const tokenSecret = inject("tokenSecret");
const SIGNATURE_HEADER = "x-rhizome-gateway";

const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
let recorder: Server;
let gateway: RunningGateway;
let productionNetwork: TestService<never>;

beforeAll(async () => {
  recorder = createServer((request, response) => {
    seen.push({ path: request.url ?? "", headers: request.headers });
    request.resume();
    response.setHeader("content-type", "application/json");
    response.end(
      request.url?.startsWith("/internal/")
        ? JSON.stringify({ document: null })
        : JSON.stringify({ data: null, errors: [{ message: "recorded" }] }),
    );
  });
  await new Promise<void>((resolve) => recorder.listen(0, "127.0.0.1", () => resolve()));
  const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
  const subgraphUrls = Object.fromEntries(
    Object.entries(serviceUrls).map(([name, url]) => [`${name.toUpperCase()}_SUBGRAPH_URL`, `${url}/graphql`]),
  );
  subgraphUrls.NETWORK_SUBGRAPH_URL = `${recorderUrl}/graphql`;
  subgraphUrls.BARTER_SUBGRAPH_URL = `${recorderUrl}/barter/graphql`;
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "test",
    PORT: "0",
    TOKEN_SECRET: tokenSecret,
    LOG_LEVEL: "silent",
    PUBLIC_CACHE_ENTRIES: "0",
    SHARED_FETCH_CACHE_ENTRIES: "0",
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
  // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
  productionNetwork = (await startTestService(networkService, {
    env: { NODE_ENV: "production", ROLE: "api" },
  })) as unknown as TestService<never>;
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  await productionNetwork?.stop();
  await new Promise<void>((resolve) => (recorder ? recorder.close(() => resolve()) : resolve()));
});

function recorded(path: string, header: string): string {
  const request = seen.find((entry) => entry.path === path && typeof entry.headers[header] === "string");
  if (!request)
    throw new Error(
      `no request to ${path} with ${header} was recorded; seen: ${seen.map((entry) => entry.path).join(", ")}`,
    );
  return String(request.headers[header]).replace(/^Bearer\s+/i, "");
}

const post = (url: string, body: unknown, headers: Record<string, string>) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  }).then((response) => response.status);

describe("a credential the gateway sends", () => {
  it("opens only the service and the route it was made for", async () => {
    // The gateway signs its requests to network and to barter, and asks network for a trusted document.
    await graphql(
      gateway.url,
      `
        {
          circles(first: 1) {
            items {
              slug
            }
          }
        }
      `,
    );
    await graphql(
      gateway.url,
      `
        {
          barterStarterSkills
        }
      `,
    );
    await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ documentId: "a".repeat(64) }),
    });
    const networkSignature = recorded("/graphql", SIGNATURE_HEADER);
    const barterSignature = recorded("/barter/graphql", SIGNATURE_HEADER);
    const lookupCredential = recorded("/internal/persisted-operations/lookup", "authorization");

    // Each where it was meant to go: accepted.
    const query = { query: `{ circles(first: 1) { items { slug } } }` };
    expect(await post(productionNetwork.url, query, { [SIGNATURE_HEADER]: networkSignature })).toBe(200);
    expect(
      await post(
        `${serviceUrls.network}/internal/persisted-operations/lookup`,
        { hash: "b".repeat(64) },
        { authorization: `Bearer ${lookupCredential}` },
      ),
    ).toBe(200);

    // Barter's copy of the gateway's signature does not open network.
    expect(await post(productionNetwork.url, query, { [SIGNATURE_HEADER]: barterSignature })).toBe(401);
    // No signature or lookup credential opens another route, of network or of any other service.
    const elsewhere: Array<[string, unknown]> = [
      [`${serviceUrls.network}/internal/api-keys/verify`, { key: "rhz_x" }],
      [
        `${serviceUrls.network}/internal/members/bloc`,
        { circleId: "00000000-0000-0000-0000-000000000000", memberId: "00000000-0000-0000-0000-000000000000" },
      ],
      [`${serviceUrls.barter}/internal/queues`, {}],
    ];
    for (const credential of [networkSignature, barterSignature, lookupCredential]) {
      for (const [url, body] of elsewhere) {
        const status = url.endsWith("/queues")
          ? (await fetch(url, { headers: { authorization: `Bearer ${credential}` } })).status
          : await post(url, body, { authorization: `Bearer ${credential}` });
        expect(status, url).toBe(401);
      }
      const feed = await fetch(`${serviceUrls.network}/internal/events?after=0:0&topics=member.joined`, {
        headers: { authorization: `Bearer ${credential}` },
      });
      expect(feed.status).toBe(401);
    }
  });
});
