import { foundCircle, graphql } from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";
import { SignJWT } from "jose";

const gatewayUrl = inject("gatewayUrl");
const tokenSecret = inject("tokenSecret");

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.json() };
}

describe("the gateway", () => {
  it("answers GraphQL over HTTP: POST and GET for queries, never GET for mutations", async () => {
    const get = await fetch(`${gatewayUrl}?query=${encodeURIComponent("{ circles(first: 1) { items { slug } } }")}`, {
      headers: { accept: "application/graphql-response+json" },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get("content-type")).toContain("application/graphql-response+json");
    expect(Array.isArray((await get.json()).data.circles.items)).toBe(true);

    const mutationByGet = await fetch(
      `${gatewayUrl}?query=${encodeURIComponent('mutation { login(input: {circleSlug: "x", handle: "y", passphrase: "z"}) { token } }')}`,
      {
        headers: { accept: "application/graphql-response+json" },
      },
    );
    expect(mutationByGet.status).toBe(405);
  });

  it("gives malformed queries, unknown fields and bad JSON a code and a 4xx, never a 500", async () => {
    const syntax = await post(JSON.stringify({ query: "{ circles { slug " }), {
      accept: "application/graphql-response+json",
    });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");

    const unknownField = await post(JSON.stringify({ query: "{ circles { password } }" }), {
      accept: "application/graphql-response+json",
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");

    const badJson = await post("{ not json");
    expect(badJson.status).toBe(400);
    expect(badJson.body.errors[0].extensions.code).toBeTruthy();

    const unknownCircle = await graphql(
      gatewayUrl,
      `
        {
          circle(slug: "no-such-circle-anywhere") {
            id
          }
        }
      `,
    );
    expect(unknownCircle.status).toBe(200);
    expect(unknownCircle.body.data?.circle).toBeNull();
  });

  it("refuses too-deep queries, too many aliases, too many tokens and oversize requests, stating the limit", async () => {
    const deep =
      "{ me { memberships { circle { members { circle { members { circle { members { circle { members { circle { members { handle } } } } } } } } } } } } }";
    const tooDeep = await graphql(gatewayUrl, deep);
    expect(tooDeep.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/depth limit of 12/),
      extensions: { code: "BAD_USER_INPUT" },
    });

    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: circles(first: 1) { slug }`).join(" ")} }`;
    const tooManyAliases = await graphql(gatewayUrl, aliases);
    expect(tooManyAliases.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Aliases limit of 30/),
      extensions: { code: "BAD_USER_INPUT" },
    });

    const tokens = `{ circles { ${"slug ".repeat(2_100)} } }`;
    const tooManyTokens = await graphql(gatewayUrl, tokens);
    expect(tooManyTokens.body.errors?.[0].message).toMatch(/Token limit of 2000/);

    const oversize = await post(JSON.stringify({ query: `{ circles { slug } }${" ".repeat(300_000)}` }));
    expect(oversize.status).toBe(413);
    expect(oversize.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/limit of 262144 bytes/),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("rejects forged and expired tokens with 401 and UNAUTHENTICATED", async () => {
    const circle = await foundCircle(gatewayUrl, "tokens");
    const forged = `${circle.organizer.token.slice(0, -4)}AAAA`;
    const expired = await new SignJWT({ mem: [] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("someone")
      .setIssuer("rhizome")
      .setAudience("rhizome-hub")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(tokenSecret));
    for (const token of [forged, expired, "garbage"]) {
      const response = await graphql(
        gatewayUrl,
        `
          {
            me {
              personId
            }
          }
        `,
        {},
        { authorization: `Bearer ${token}` },
      );
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("passes the request id through and reports health and readiness", async () => {
    const response = await fetch(gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "trace-me-123" },
      body: JSON.stringify({ query: "{ circles(first: 1) { items { slug } } }" }),
    });
    expect(response.headers.get("x-request-id")).toBe("trace-me-123");
    const base = new URL("/", gatewayUrl);
    expect((await fetch(new URL("/health", base))).status).toBe(200);
    expect((await fetch(new URL("/ready", base))).status).toBe(200);
    expect((await fetch(new URL("/metrics", base))).status).toBe(404);
    const metrics = await (await fetch(inject("metricsUrls").gateway)).text();
    expect(metrics).toContain("rhizome_gateway_request_seconds");
  });
});

describe("every service process", () => {
  it("reports health, readiness (database and Redis), and Prometheus metrics on a port of its own", async () => {
    for (const [name, baseUrl] of Object.entries(inject("serviceUrls"))) {
      expect((await fetch(`${baseUrl}/health`)).status, `${name} /health`).toBe(200);
      const ready = await fetch(`${baseUrl}/ready`);
      expect(ready.status, `${name} /ready`).toBe(200);
      expect((await ready.json()).checks).toMatchObject({ database: "ok", redis: "ok" });
      await graphql(
        `${baseUrl}/graphql`,
        `
          {
            __typename
          }
        `,
      );
      expect(await (await fetch(inject("metricsUrls")[name])).text(), `${name} /metrics`).toContain(
        "rhizome_graphql_operation_seconds",
      );
    }
  });
});
