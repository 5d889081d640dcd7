import { bearer, foundCircle } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger, cycleContaining, loadConfig, manualClock, precedingCycle } from "@rhizome/kit";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

const REQUESTS_PER_MINUTE = 40;
const clock = manualClock(new Date());

// A production gateway with its own clock and a small rate limit, in front of the test run's subgraphs.
let gateway: RunningGateway;
beforeAll(async () => {
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "production",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
    RATE_LIMIT_REQUESTS_PER_MINUTE: String(REQUESTS_PER_MINUTE),
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"), {
    now: clock,
  });
}, 60_000);
afterAll(() => gateway?.close());

async function ask(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    cache: response.headers.get("x-cache"),
    age: response.headers.get("age"),
    body: await response.text(),
  };
}

const CLOSED_CYCLE_FIGURES = `query ($slug: String!, $cycle: String) { circle(slug: $slug) { name barterSummary(cycle: $cycle) { cycle isClosed minutesExchanged } } }`;

describe("the gateway's cache of public reads", () => {
  it("answers a closed cycle's public figures again from memory, until their lifetime ends", async () => {
    const circle = await foundCircle(inject("gatewayUrl"), "cached");
    const closed = precedingCycle(cycleContaining(clock())).label;
    const first = await ask(CLOSED_CYCLE_FIGURES, { slug: circle.slug, cycle: closed });
    expect(first.cache).toBe("miss");
    expect(JSON.parse(first.body).data.circle.barterSummary).toMatchObject({ cycle: closed, isClosed: true });

    const again = await ask(CLOSED_CYCLE_FIGURES, { slug: circle.slug, cycle: closed });
    expect(again).toMatchObject({ status: 200, cache: "hit", body: first.body });

    const throughFragments = `query ($slug: String!) { circle(slug: $slug) { ...Named } } fragment Named on Circle { id ... on Circle { name } }`;
    expect((await ask(throughFragments, { slug: circle.slug })).cache).toBe("miss");
    expect((await ask(throughFragments, { slug: circle.slug })).cache).toBe("hit");

    clock.advance(61_000);
    const later = await ask(CLOSED_CYCLE_FIGURES, { slug: circle.slug, cycle: closed });
    expect(later.cache).toBe("miss");
  });

  it("never caches the current cycle, anything with errors, or what a member reads with a token", async () => {
    const circle = await foundCircle(inject("gatewayUrl"), "uncached");
    for (let i = 0; i < 2; i++) {
      // The current cycle's figures move with every exchange.
      expect((await ask(CLOSED_CYCLE_FIGURES, { slug: circle.slug })).cache).toBeNull();
      expect(
        (await ask(CLOSED_CYCLE_FIGURES, { slug: circle.slug, cycle: cycleContaining(clock()).label })).cache,
      ).toBeNull();
      // A field the policy does not name is live, even behind a fragment.
      expect(
        (await ask(`query ($slug: String!) { circle(slug: $slug) { name memberCount } }`, { slug: circle.slug })).cache,
      ).toBeNull();
      const hidden = `query ($slug: String!) { circle(slug: $slug) { ...Named } } fragment Named on Circle { name ... on Circle { memberCount } }`;
      expect((await ask(hidden, { slug: circle.slug })).cache).toBeNull();
      // Not a cycle: the error is answered each time, never kept.
      const wrong = await ask(CLOSED_CYCLE_FIGURES, { slug: circle.slug, cycle: "2020-01-01" });
      expect(JSON.parse(wrong.body).errors?.length).toBeGreaterThan(0);
      expect(wrong.cache).not.toBe("hit");
    }
    const closed = precedingCycle(cycleContaining(clock())).label;
    await ask(CLOSED_CYCLE_FIGURES, { slug: circle.slug, cycle: closed });
    const asMember = await ask(
      CLOSED_CYCLE_FIGURES,
      { slug: circle.slug, cycle: closed },
      bearer(circle.organizer.token),
    );
    expect(asMember.status).toBe(200);
    expect(asMember.cache).toBeNull();
  });

  it("counts answers from the cache against the client's rate limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < REQUESTS_PER_MINUTE + 5; i++) statuses.push((await ask(`{ barterStarterSkills }`)).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.indexOf(429)).toBeLessThanOrEqual(REQUESTS_PER_MINUTE);
  });
});
