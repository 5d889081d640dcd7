import { bearer, foundCircle, PASSPHRASE, uniqueSlug } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger, loadConfig, manualClock } from "@rhizome/kit";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

const clock = manualClock(new Date());

// A production gateway with its own clock in front of the test run's subgraphs.
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
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"), {
    now: clock,
  });
}, 60_000);
afterAll(() => gateway?.close());

async function ask(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
    data?: Record<string, any>;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

/** How many of the gateway's requests to network for a circle by slug were answered from memory. */
async function sharedHits(): Promise<number> {
  const text = await (await fetch(gateway.metricsUrl)).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith("rhizome_gateway_shared_fetch_lookups_total{") && l.includes('outcome="hit"'));
  return line ? Number(line.split(" ").pop()) : 0;
}

const TOOLS_OF_CIRCLE = `query ($slug: String!) { circle(slug: $slug) { id tools(first: 5) { items { id } } } }`;

describe("the gateway's shared answers for a circle by slug", () => {
  it("asks network once for a circle's id, whoever asks, and still gives each caller only what is theirs", async () => {
    const mine = await foundCircle(inject("gatewayUrl"), "shared-mine");
    const other = await foundCircle(inject("gatewayUrl"), "shared-other");
    const hitsBefore = await sharedHits();

    const asMember = await ask(TOOLS_OF_CIRCLE, { slug: mine.slug }, bearer(mine.organizer.token));
    expect(asMember.errors).toBeUndefined();
    expect(asMember.data?.circle).toEqual({ id: mine.id, tools: { items: [] } });

    // The second caller's first step (the id) comes from memory; the member-only field is still refused.
    const asStranger = await ask(TOOLS_OF_CIRCLE, { slug: mine.slug }, bearer(other.organizer.token));
    expect(asStranger.data?.circle?.id).toBe(mine.id);
    expect(asStranger.data?.circle?.tools).toBeNull();
    expect(asStranger.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(await sharedHits()).toBe(hitsBefore + 1);

    const again = await ask(TOOLS_OF_CIRCLE, { slug: mine.slug }, bearer(mine.organizer.token));
    expect(again.data?.circle).toEqual({ id: mine.id, tools: { items: [] } });
    expect(await sharedHits()).toBe(hitsBefore + 2);

    // After its lifetime network is asked again.
    clock.advance(61_000);
    expect((await ask(TOOLS_OF_CIRCLE, { slug: mine.slug }, bearer(mine.organizer.token))).data?.circle?.id).toBe(
      mine.id,
    );
    expect(await sharedHits()).toBe(hitsBefore + 2);
  });

  it("never keeps a slug nobody has taken: a circle founded the next moment is found at once", async () => {
    const slug = uniqueSlug("shared-new");
    const query = `query ($slug: String!) { circle(slug: $slug) { id name } }`;
    expect((await ask(query, { slug })).data).toEqual({ circle: null });
    const founded = await ask(
      `mutation ($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } } }`,
      { input: { name: "Shared new", slug, founderHandle: "founder", passphrase: PASSPHRASE } },
    );
    const id = founded.data?.createCircle.circle.id;
    expect(typeof id).toBe("string");
    expect((await ask(query, { slug })).data).toEqual({ circle: { id, name: "Shared new" } });
  });
});
