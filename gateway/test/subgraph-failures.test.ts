import { SERVICES, startHub, type RunningHub } from "@rhizome/infra";
import { createLogger, loadConfig } from "@rhizome/kit";
import { foundCircle, graphql } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

const SUBGRAPH_TIMEOUT_MS = 1_500;
const REQUEST_DEADLINE_MS = 600;

// A barter process of its own, which the test stops (SIGSTOP: hung, not dead) and kills, and a
// gateway in development mode (the most talkative) that sends barter's fields to it.
let barter: RunningHub;
let gateway: RunningGateway;
/** The same, but whose whole-request deadline comes before its subgraph timeout. */
let hastyGateway: RunningGateway;
beforeAll(async () => {
  barter = await startHub({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    tokenSecret: inject("tokenSecret"),
    services: SERVICES.filter((service) => service.name === "barter"),
    gateway: null,
    env: { ...process.env, NETWORK_URL: inject("serviceUrls").network, LOG_LEVEL: "warn" },
  });
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  subgraphUrls.BARTER_SUBGRAPH_URL = `${barter.serviceUrls.barter}/graphql`;
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "development",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
    SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
  const hasty = { ...config, SUBGRAPH_TIMEOUT_MS: 10_000, REQUEST_DEADLINE_MS };
  hastyGateway = await startGateway(hasty, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
}, 120_000);
afterAll(async () => {
  barter?.processes.forEach((child) => child.signal("SIGCONT"));
  await gateway?.close();
  await hastyGateway?.close();
  await barter?.stop();
});

const mixed = `query Mine { me { memberships { handle balance { minutes } } } }`;
// Every field barter adds to network's Circle is nullable, so losing barter costs those fields only.
const circlesWithBarter = `query Circles { circles(first: 5) { items { slug name barterSummary { cycle } } } }`;
const circleWithBarter = `query Circle($slug: String!) { circle(slug: $slug) { slug name viewerIsMember barterSettings { floorMinutes } sisterLinks { id } listings { items { id } } } }`;
const barterOnly = `query Skills { barterStarterSkills }`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedMs = performance.now();
  const value = await work();
  return { value, ms: performance.now() - startedMs };
}

function expectNothingInternal(body: unknown, token: string): void {
  const text = JSON.stringify(body);
  expect(text).not.toContain(token);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|https?:\/\//);
  expect(text).not.toMatch(/stack|"request"|"response"|originalError|authorization/i);
}

describe("a subgraph that is down or hung", () => {
  it("costs only its own fields, within the subgraph timeout, with a retryable error that echoes nothing", async () => {
    const circle = await foundCircle(gateway.url, "failures");
    const token = circle.organizer.token;
    const healthy = await graphql(gateway.url, mixed, {}, token);
    expect(healthy.body.errors).toBeUndefined();
    expect(healthy.body.data.me.memberships[0].balance).not.toBeNull();

    const child = barter.processes[0];
    child.signal("SIGSTOP");
    try {
      const hung = await timed(() => graphql(gateway.url, mixed, {}, token));
      expect(hung.ms).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 3_000);
      expect(hung.value.status).toBe(200);
      expect(hung.value.body.data.me.memberships[0]).toEqual({ handle: "founder", balance: null });
      expect(hung.value.body.errors?.[0]).toMatchObject({
        extensions: { code: "SERVICE_UNAVAILABLE", retryable: true },
      });
      expectNothingInternal(hung.value.body, token);

      const nothing = await timed(() => graphql(gateway.url, barterOnly, {}, token));
      expect(nothing.ms).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 3_000);
      expect(nothing.value.status).toBe(503);
      expect(nothing.value.body.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryable: true });
      expectNothingInternal(nothing.value.body, token);

      const late = await timed(() => graphql(hastyGateway.url, mixed, {}, token));
      // Well before the hasty gateway's 10 s subgraph timeout, with room for a loaded machine.
      expect(late.ms).toBeLessThan(REQUEST_DEADLINE_MS + 5_000);
      expect(late.value.status).toBe(503);
      expect(late.value.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/did not answer within/),
        extensions: { code: "SERVICE_UNAVAILABLE", retryable: true },
      });
      expectNothingInternal(late.value.body, token);
    } finally {
      child.signal("SIGCONT");
    }
    // The late answer, once barter wakes, is dropped; the gateway goes on answering.
    const afterwards = await graphql(hastyGateway.url, mixed, {}, token);
    expect(afterwards.body.errors).toBeUndefined();
    expect(afterwards.body.data.me.memberships[0].balance).not.toBeNull();

    await barter.stop();
    const dead = await timed(() => graphql(gateway.url, mixed, {}, token));
    expect(dead.ms).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 3_000);
    expect(dead.value.status).toBe(200);
    expect(dead.value.body.data.me.memberships[0]).toEqual({ handle: "founder", balance: null });
    expect(dead.value.body.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryable: true });
    expectNothingInternal(dead.value.body, token);

    const list = await graphql(gateway.url, circlesWithBarter, {}, token);
    expect(list.status).toBe(200);
    const items: Array<{ slug: string; name: string; barterSummary: unknown }> = list.body.data.circles.items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items)
      expect(item).toEqual({ slug: expect.any(String), name: expect.any(String), barterSummary: null });
    expect(list.body.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryable: true });
    expectNothingInternal(list.body, token);

    const one = await graphql(gateway.url, circleWithBarter, { slug: circle.slug }, token);
    expect(one.status).toBe(200);
    expect(one.body.data.circle).toEqual({
      slug: circle.slug,
      name: expect.any(String),
      viewerIsMember: true,
      barterSettings: null,
      sisterLinks: null,
      listings: null,
    });
    expect(one.body.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryable: true });
    expectNothingInternal(one.body, token);

    const deadOnly = await graphql(gateway.url, barterOnly, {}, token);
    expect(deadOnly.status).toBe(503);
    expect(deadOnly.body.errors?.[0].extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expectNothingInternal(deadOnly.body, token);
  });
});
