import {
  createLogger,
  GATEWAY_SIGNATURE_HEADER,
  gatewaySignatureScope,
  loadConfig,
  signServiceToken,
} from "@rhizome/kit";
import { bearer, foundCircle, graphql, startTestService, type TestService } from "@rhizome/kit/testing";
import { networkService } from "../services/network/src/service.js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { gatewayConfigSchema } from "../gateway/src/config.js";
import { startGateway, type RunningGateway } from "../gateway/src/gateway.js";
import { loadSupergraph } from "../gateway/src/supergraph.js";

const tokenSecret = inject("tokenSecret");
const hubGatewayUrl = inject("gatewayUrl");

// network in production mode, and a production gateway that sends it (and the hub's other
// subgraphs) its requests.
let network: TestService<never>;
let gateway: RunningGateway;
beforeAll(async () => {
  // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
  network = (await startTestService(networkService, {
    env: { NODE_ENV: "production", ROLE: "api" },
  })) as unknown as TestService<never>;
  const subgraphUrls = Object.fromEntries(
    Object.entries(inject("serviceUrls")).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  subgraphUrls.NETWORK_SUBGRAPH_URL = network.url;
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "production",
    PORT: "0",
    TOKEN_SECRET: tokenSecret,
    LOG_LEVEL: "silent",
  });
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  await network?.stop();
});

const signedByGateway = async () => ({
  [GATEWAY_SIGNATURE_HEADER]: await signServiceToken(tokenSecret, "gateway", gatewaySignatureScope("network")),
});
const aliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: circles(first: 1) { items { slug } }`).join(" ")} }`;
const nest = (levels: number): string =>
  levels === 0 ? "handle" : `circle { members { items { ${nest(levels - 1)} } } }`;
const tooDeep = `{ me { memberships { ${nest(4)} } } }`;

describe("a subgraph in production", () => {
  it("answers only requests the gateway signed: not anonymous callers, not a member's token, not another service", async () => {
    const circle = await foundCircle(hubGatewayUrl, "trust");
    const query = `{ circles(first: 1) { items { slug } } }`;
    const refusedHeaders: Array<Record<string, string>> = [
      {},
      bearer(circle.organizer.token),
      { [GATEWAY_SIGNATURE_HEADER]: await signServiceToken(tokenSecret, "barter", gatewaySignatureScope("network")) },
      { [GATEWAY_SIGNATURE_HEADER]: await signServiceToken(tokenSecret, "gateway", gatewaySignatureScope("barter")) },
      {
        [GATEWAY_SIGNATURE_HEADER]: await signServiceToken(
          "a-secret-that-is-not-this-hubs-0123456789",
          "gateway",
          gatewaySignatureScope("network"),
        ),
      },
    ];
    for (const headers of refusedHeaders) {
      const response = await graphql(network.url, query, {}, headers);
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0]).toMatchObject({
        message: "This subgraph answers only the hub's gateway.",
        extensions: { code: "UNAUTHENTICATED" },
      });
    }
    const signed = await graphql(network.url, query, {}, await signedByGateway());
    expect(signed.status).toBe(200);
    expect(Array.isArray(signed.body.data?.circles.items)).toBe(true);

    const throughGateway = await graphql(
      gateway.url,
      `{ circle(slug: "${circle.slug}") { slug memberCount } }`,
      {},
      circle.organizer.token,
    );
    expect(throughGateway.body.data?.circle).toEqual({ slug: circle.slug, memberCount: 1 });
  });

  it("applies the gateway's limits itself, hides suggestions, introspection and its schema", async () => {
    const headers = await signedByGateway();
    const manyAliases = await graphql(network.url, aliases(60), {}, headers);
    expect(manyAliases.body.errors?.[0].message).toMatch(/Aliases limit of 30/);
    expect(manyAliases.body.data?.a0).toBeUndefined();
    const deep = await graphql(network.url, tooDeep, {}, headers);
    expect(deep.body.errors?.[0].message).toMatch(/depth limit of 12/);
    const tokens = await graphql(
      network.url,
      `{ circles(first: 1) { items { ${"slug ".repeat(3_000)} } } }`,
      {},
      headers,
    );
    expect(tokens.body.errors?.[0].message).toMatch(/more than \d+ tokens|token/i);

    const typo = await graphql(
      network.url,
      `
        {
          circles(first: 1) {
            items {
              slg
            }
          }
        }
      `,
      {},
      headers,
    );
    expect(typo.body.errors?.[0].message).toMatch(/Cannot query field/);
    expect(typo.body.errors?.[0].message).not.toMatch(/Did you mean/);
    const introspection = await graphql(
      network.url,
      `
        {
          __schema {
            types {
              name
            }
          }
        }
      `,
      {},
      headers,
    );
    expect(introspection.body.data?.__schema).toBeFalsy();
    const sdl = await graphql(
      network.url,
      `
        {
          _service {
            sdl
          }
        }
      `,
      {},
      headers,
    );
    expect(sdl.body.data?._service).toBeFalsy();
    expect(JSON.stringify(sdl.body)).not.toContain("type Circle");
  });

  it("keeps every internal endpoint closed to callers without a service credential", async () => {
    const base = new URL("/", network.url);
    for (const path of [
      "/internal/events?after=0:0&topics=member.joined",
      "/internal/api-keys/verify",
      "/internal/anything-added-later",
    ]) {
      const anonymous = await fetch(new URL(path, base), { method: path.includes("verify") ? "POST" : "GET" });
      expect(anonymous.status, path).toBe(401);
    }
  });
});

describe("a subgraph outside production", () => {
  it("applies the same limits when reached directly", async () => {
    for (const [name, base] of Object.entries(inject("serviceUrls"))) {
      const response = await graphql(
        `${base}/graphql`,
        `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: _service { __typename }`).join(" ")} }`,
      );
      expect(response.body.errors?.[0].message, name).toMatch(/Aliases limit of 30/);
    }
  });
});
