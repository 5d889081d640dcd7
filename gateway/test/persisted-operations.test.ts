import { createLogger, loadConfig, persistedOperationId } from "@rhizome/kit";
import { bearer, circleWithMembers, foundCircle, graphql, succeed } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

const hubGatewayUrl = inject("gatewayUrl");
const REGISTER = `mutation ($input: RegisterPersistedOperationInput!) { registerPersistedOperation(input: $input) { id } }`;
const CIRCLES = `query PublicCircles { circles(first: 5) { items { slug } } }`;

// A production gateway that runs only registered operations for API keys and anonymous callers.
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
    PERSISTED_OPERATIONS_ONLY: "true",
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
}, 60_000);
afterAll(() => gateway?.close());

async function apiKeyOf(circle: { id: string; organizer: { token: string } }): Promise<string> {
  const created = await succeed(
    hubGatewayUrl,
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
    { input: { circleId: circle.id, name: "app" } },
    circle.organizer.token,
  );
  return created.createApiKey.key;
}

const byId = (url: string, documentId: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ documentId }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe("trusted documents for third-party clients", () => {
  it("run by id for the circle's API keys, while the gateway refuses any other operation from API keys and anonymous callers", async () => {
    const { circle, members } = await circleWithMembers(hubGatewayUrl, ["plain"], "trusted");
    const other = await foundCircle(hubGatewayUrl, "untrusted");
    const registered = await succeed(
      hubGatewayUrl,
      REGISTER,
      { input: { circleId: circle.id, document: CIRCLES } },
      circle.organizer.token,
    );
    expect(registered.registerPersistedOperation.id).toBe(persistedOperationId(CIRCLES));

    const key = await apiKeyOf(circle);
    const run = await byId(gateway.url, persistedOperationId(CIRCLES), { "x-api-key": key });
    expect(Array.isArray(run.body.data?.circles.items)).toBe(true);

    const arbitrary = await graphql(gateway.url, CIRCLES, {}, { "x-api-key": key });
    expect(arbitrary.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(arbitrary.body.data?.circles).toBeUndefined();
    const anonymous = await graphql(gateway.url, CIRCLES);
    expect(anonymous.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");

    // Another circle's key cannot run this circle's document; a member with a token may send any query.
    const otherRun = await byId(gateway.url, persistedOperationId(CIRCLES), { "x-api-key": await apiKeyOf(other) });
    expect(otherRun.body.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const member = await graphql(gateway.url, CIRCLES, {}, bearer(members.plain.token));
    expect(Array.isArray(member.body.data?.circles.items)).toBe(true);
  });

  it("are registered by organizers for their circle and by the operator for the hub, by no one else", async () => {
    const { circle, members } = await circleWithMembers(hubGatewayUrl, ["notorganizer"], "register");
    const byMember = await graphql(
      hubGatewayUrl,
      REGISTER,
      { input: { circleId: circle.id, document: CIRCLES } },
      bearer(members.notorganizer.token),
    );
    expect(byMember.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const hubWide = await graphql(
      hubGatewayUrl,
      REGISTER,
      { input: { document: CIRCLES } },
      bearer(circle.organizer.token),
    );
    expect(hubWide.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const notGraphql = await graphql(
      hubGatewayUrl,
      REGISTER,
      { input: { circleId: circle.id, document: "{ circles {" } },
      bearer(circle.organizer.token),
    );
    expect(notGraphql.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("take no other operation from a caller whose Authorization header is not a Bearer token", async () => {
    for (const authorization of ["Basic b3BlcmF0b3I6aHVudGVyMg==", "Token abc", "Bearer", "anything"]) {
      for (const query of [CIRCLES, "query Probe { __typename }"]) {
        const refused = await graphql(gateway.url, query, {}, { authorization });
        expect(refused.status, authorization).toBe(401);
        expect(refused.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
        expect(refused.body.errors?.[0].message).toMatch(/Bearer <token>/);
        expect(refused.body.data ?? undefined).toBeUndefined();
      }
    }
  });
});
