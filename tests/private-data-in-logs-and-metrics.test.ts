import { randomBytes } from "node:crypto";
import { SERVICES, startHub, type RunningHub } from "@rhizome/infra";
import { bearer, graphql, succeed, uniqueSlug } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

// A hub of its own (network, barter, gateway) at LOG_LEVEL=debug in development mode, the most
// talkative it can be, sharing the test run's Postgres and Redis. Every line every process writes
// is kept, then searched for what a member sent.
const lines: string[] = [];
let hub: RunningHub;
let gatewayUrl: string;

beforeAll(async () => {
  hub = await startHub({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    tokenSecret: inject("tokenSecret"),
    services: SERVICES.filter((service) => service.name === "network" || service.name === "barter"),
    nodeEnv: "development",
    logLevel: "debug",
    output: "tail",
    onOutputLine: (_name, line) => lines.push(line),
  });
  gatewayUrl = hub.gatewayUrl!;
}, 120_000);
afterAll(() => hub?.stop());

const marker = (what: string) => `${what}${randomBytes(6).toString("hex")}`;

describe("what a member sends never reaches logs or metrics", () => {
  it("keeps passphrases, tokens, invitation codes, API keys, variables and query text out of debug logs and every /metrics", async () => {
    const passphrase = marker("passphrasemarker");
    const wrongPassphrase = marker("wrongpassphrasemarker");
    const joinerPassphrase = marker("joinerpassphrasemarker");
    const searchText = marker("evictionlawyer");
    const operationName = marker("SearchForHelp");
    const slug = uniqueSlug("private-logs");

    const founded = await succeed(
      gatewayUrl,
      `mutation Found($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } token refreshToken } }`,
      { input: { name: "Private logs", slug, founderHandle: "founder", passphrase } },
    );
    const { token, refreshToken } = founded.createCircle;
    const circleId = founded.createCircle.circle.id;

    const wrong = await graphql(
      gatewayUrl,
      `
        mutation ($input: LoginInput!) {
          login(input: $input) {
            token
          }
        }
      `,
      {
        input: { circleSlug: slug, handle: "founder", passphrase: wrongPassphrase },
      },
    );
    expect(wrong.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const login = await succeed(
      gatewayUrl,
      `mutation ($input: LoginInput!) { login(input: $input) { token refreshToken } }`,
      {
        input: { circleSlug: slug, handle: "founder", passphrase },
      },
    );

    const invitation = await succeed(
      gatewayUrl,
      `mutation ($input: CreateInvitationInput!) { createInvitation(input: $input) { code } }`,
      { input: { circleId, maxUses: 2, expiresInHours: 1 } },
      token,
    );
    const code: string = invitation.createInvitation.code;
    await succeed(gatewayUrl, `mutation ($input: JoinCircleInput!) { joinCircle(input: $input) { token } }`, {
      input: { code, handle: "joiner", passphrase: joinerPassphrase, bloc: "ADVANTAGED" },
    });
    const apiKey = await succeed(
      gatewayUrl,
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
      { input: { circleId, name: "client" } },
      token,
    );
    const key: string = apiKey.createApiKey.key;
    await graphql(
      gatewayUrl,
      `
        {
          circles(first: 1) {
            items {
              slug
            }
          }
        }
      `,
      {},
      { "x-api-key": key },
    );

    // A search sent by GET: the query, its name and its variables all sit in the URL.
    const search = new URL(gatewayUrl);
    search.searchParams.set(
      "query",
      `query ${operationName}($slug: String!, $text: String!) { circle(slug: $slug) { id listings(first: 5, text: $text) { items { id } } } }`,
    );
    search.searchParams.set("variables", JSON.stringify({ slug, text: searchText }));
    search.searchParams.set("operationName", operationName);
    await fetch(search, { headers: { accept: "application/graphql-response+json", ...bearer(login.login.token) } });
    // A failing request, whose error paths log the most.
    await graphql(
      gatewayUrl,
      `
        mutation ($input: JoinCircleInput!) {
          joinCircle(input: $input) {
            token
          }
        }
      `,
      {
        input: { code: marker("nosuchcodemarker"), handle: "x", passphrase: joinerPassphrase, bloc: "EDGE" },
      },
    );
    await succeed(gatewayUrl, `mutation ($t: String!) { logout(refreshToken: $t) }`, { t: refreshToken });

    const metrics = await Promise.all(Object.values(hub.metricsUrls).map(async (url) => (await fetch(url)).text()));
    expect(metrics.join("\n")).toContain("rhizome_gateway_request_seconds");
    expect(lines.some((line) => line.includes('"level":20'))).toBe(true); // debug lines were written

    const secrets = {
      passphrase,
      wrongPassphrase,
      joinerPassphrase,
      token,
      refreshToken,
      code,
      key,
      searchText,
      operationName,
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(
        lines.filter((line) => line.includes(secret)),
        `${what} in the logs`,
      ).toEqual([]);
      expect(
        metrics.filter((text) => text.includes(secret)),
        `${what} in /metrics`,
      ).toEqual([]);
    }
    for (const text of metrics) {
      expect(text, "an address in /metrics").not.toMatch(/https?:\/\//);
      expect(text).not.toContain("/graphql");
    }
  });

  it("serves /metrics only on its own port, never on the public one", async () => {
    const publicMetrics = await fetch(new URL("/metrics", gatewayUrl));
    expect(publicMetrics.status).toBe(404);
    for (const base of Object.values(hub.serviceUrls))
      expect((await fetch(new URL("/metrics", base))).status).toBe(404);
    for (const url of Object.values(hub.metricsUrls)) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("process_cpu_seconds_total");
    }
  });
});
