import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, loadConfig } from "@rhizome/kit";
import { foundCircle, graphql } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

const SUBGRAPH_TIMEOUT_MS = 10_000;
/** How long the slow link holds each request to barter before passing it on. */
const HOLD_MS = 2_500;

/** What the barter subgraph's side of the slow link saw of one request from the gateway. */
interface Seen {
  body: string;
  /** When the gateway hung up on barter before its answer; undefined if it waited. */
  leftAtMs?: number;
  isAnswered: boolean;
}

// The real barter subgraph behind a slow link: it holds every request HOLD_MS, then passes it on.
// It records whether the gateway hung up on it before the answer, as the subgraph would see it.
let slowLink: Server;
let gateway: RunningGateway;
const seen: Seen[] = [];
beforeAll(async () => {
  const barterUrl = `${inject("serviceUrls").barter}/graphql`;
  slowLink = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry: Seen = { body: Buffer.concat(chunks).toString("utf8"), isAnswered: false };
      seen.push(entry);
      response.on("close", () => {
        if (!response.writableFinished) entry.leftAtMs = performance.now();
      });
      setTimeout(async () => {
        if (entry.leftAtMs !== undefined) return;
        const headers = Object.fromEntries(
          Object.entries(request.headers).filter(
            (header): header is [string, string] => typeof header[1] === "string" && header[0] !== "content-length",
          ),
        );
        const answer = await fetch(barterUrl, { method: "POST", headers, body: entry.body });
        const text = await answer.text();
        response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
        response.end(text, () => (entry.isAnswered = true));
      }, HOLD_MS);
    });
  });
  await new Promise<void>((resolve) => slowLink.listen(0, "127.0.0.1", resolve));
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  subgraphUrls.BARTER_SUBGRAPH_URL = `http://127.0.0.1:${(slowLink.address() as AddressInfo).port}/graphql`;
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "test",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
    SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
    PUBLIC_CACHE_ENTRIES: "0",
    RATE_LIMIT_REQUESTS_PER_MINUTE: "100000",
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  slowLink?.closeAllConnections();
  await new Promise<void>((resolve) => slowLink?.close(() => resolve()));
});

/** Sends `body` to the gateway and hangs up as soon as barter has received the request it caused. */
async function askAndLeave(body: unknown, token?: string): Promise<{ seen: Seen; leftAtMs: number }> {
  const before = seen.length;
  const client = new AbortController();
  const asked = fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: client.signal,
  }).catch(() => undefined);
  await until(() => seen.length > before);
  const leftAtMs = performance.now();
  client.abort();
  await asked;
  return { seen: seen[before], leftAtMs };
}

async function until(condition: () => boolean, timeoutMs = 8_000): Promise<void> {
  const startedMs = performance.now();
  while (!condition()) {
    if (performance.now() - startedMs > timeoutMs) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a client that hangs up", () => {
  it("ends the subgraph requests its read started, instead of leaving them to run to the subgraph timeout", async () => {
    const { seen: request, leftAtMs } = await askAndLeave({ query: "query Skills { barterStarterSkills }" });
    await until(() => request.leftAtMs !== undefined || request.isAnswered, HOLD_MS + 5_000);
    expect(request.isAnswered).toBe(false);
    expect(request.leftAtMs! - leftAtMs).toBeLessThan(1_500);
  });

  it("does not take the answer from someone else asking the same thing at the same moment", async () => {
    const query = { query: "query SkillsTogether { barterStarterSkills }" };
    const before = seen.length;
    const client = new AbortController();
    const leaving = fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(query),
      signal: client.signal,
    }).catch(() => undefined);
    await until(() => seen.length > before);
    // Arriving while the first is in flight: the same request shares the first one's answer at the
    // door; the same query sent differently shares its request to barter.
    const sameRequest = fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(query),
    }).then((response) => response.json() as Promise<{ data?: { barterStarterSkills: string[] }; errors?: unknown }>);
    const sameQuery = graphql(gateway.url, query.query, { unused: true }).then((response) => response.body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.abort();
    await leaving;
    for (const answer of await Promise.all([sameRequest, sameQuery])) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.barterStarterSkills.length).toBeGreaterThan(0);
    }
  });

  it("lets a write it sent finish: the listing is published though its author left", async () => {
    const circle = await foundCircle(inject("gatewayUrl"), "leaving");
    const description = `left while sending ${randomUUID()}`;
    const { seen: request } = await askAndLeave(
      {
        query: `mutation Publish($input: PublishListingInput!) { publishListing(input: $input) { id } }`,
        variables: { input: { circleId: circle.id, kind: "OFFER", skills: ["bike repair"], description } },
      },
      circle.organizer.token,
    );
    await until(() => request.leftAtMs !== undefined || request.isAnswered, HOLD_MS + 5_000);
    expect(request.leftAtMs).toBeUndefined();
    const listings = await graphql(
      inject("gatewayUrl"),
      `
        query Listings($slug: String!) {
          circle(slug: $slug) {
            listings {
              items {
                description
              }
            }
          }
        }
      `,
      { slug: circle.slug },
      circle.organizer.token,
    );
    expect(listings.body.data.circle.listings.items.map((item: { description: string }) => item.description)).toContain(
      description,
    );
  });
});
