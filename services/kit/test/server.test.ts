import { GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/runtime/logger.js";
import { MAX_REQUEST_BYTES, serveSubgraph, type RequestContext, type RunningServer } from "../src/api/server.js";
import { OPERATION_LIMITS } from "../src/auth/operation-limits.js";
import { gatewaySignatureSource } from "../src/auth/gateway-signature.js";
import { signPersonToken } from "../src/auth/auth.js";

describe("a worker-only process", () => {
  it("reports health and readiness, metrics on a port of its own, but serves no GraphQL", async () => {
    let isDatabaseUp = true;
    const server = await serveSubgraph({
      service: "worker-test",
      host: "127.0.0.1",
      port: 0,
      metricsPort: 0,
      logger: createLogger("worker-test", "silent"),
      credentials: { tokenSecret: "x".repeat(32), verifyApiKey: async () => undefined },
      isProduction: false,
      subgraphAccess: "open",
      operationLimits: OPERATION_LIMITS,
      createContext: (base) => base,
      readinessChecks: {
        database: async () => {
          if (!isDatabaseUp) throw new Error("connection refused");
        },
      },
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      isDatabaseUp = false;
      const notReady = await fetch(`${base}/ready`);
      expect(notReady.status).toBe(503);
      expect((await notReady.json()).checks.database).toBe("connection refused");
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      expect(await (await fetch(server.metricsUrl)).text()).toContain("process_cpu_seconds_total");
      expect((await fetch(`${base}/graphql`, { method: "POST" })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

const SECRET = "s".repeat(32);

/** A schema of two fields that tell what the request's context holds. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, RequestContext>({
    name: "Query",
    fields: {
      requestId: { type: GraphQLString, resolve: (_root, _args, context) => context.requestId },
      callerKind: { type: GraphQLString, resolve: (_root, _args, context) => context.caller.kind },
    },
  }),
});

function subgraphServer(subgraphAccess: "open" | "gateway-only"): Promise<RunningServer> {
  return serveSubgraph({
    service: "server-test",
    schema,
    host: "127.0.0.1",
    port: 0,
    metricsPort: 0,
    logger: createLogger("server-test", "silent"),
    credentials: { tokenSecret: SECRET, verifyApiKey: async () => undefined },
    isProduction: true,
    subgraphAccess,
    operationLimits: OPERATION_LIMITS,
    createContext: (base) => base,
    readinessChecks: {},
  });
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("a subgraph's /graphql", () => {
  let open: RunningServer;
  let guarded: RunningServer;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([subgraphServer("open"), subgraphServer("gateway-only")]);
  });
  afterAll(async () => {
    await Promise.all([open?.close(), guarded?.close()]);
  });

  it("answers a query with the request's id and the verified caller, by POST and by GET", async () => {
    const answered = await post(open.url, JSON.stringify({ query: "{ requestId callerKind }" }), {
      "x-request-id": "request-one",
    });
    expect(answered.status).toBe(200);
    expect(answered.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await answered.json()).toEqual({ data: { requestId: "request-one", callerKind: "anonymous" } });

    const { token } = await signPersonToken(SECRET, "person-1", [], { now: new Date() });
    const asPerson = await post(open.url, JSON.stringify({ query: "{ callerKind }" }), {
      authorization: `Bearer ${token}`,
    });
    expect((await asPerson.json()).data).toEqual({ callerKind: "person" });

    const byGet = await fetch(`${open.url}?query=${encodeURIComponent("{ callerKind }")}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(byGet.status).toBe(200);
    expect((await byGet.json()).data).toEqual({ callerKind: "anonymous" });
  });

  it("answers a bad credential, a body that is not JSON or too large, or another content type with a code, never a 500", async () => {
    const badToken = await post(open.url, JSON.stringify({ query: "{ callerKind }" }), {
      authorization: "Bearer not-a-token",
    });
    expect(badToken.status).toBe(401);
    expect((await badToken.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");

    const notJson = await post(open.url, "{ this is not json");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).errors[0]).toEqual({
      message: "The request body is not valid JSON.",
      extensions: { code: "BAD_USER_INPUT" },
    });
    const scalar = await post(open.url, '"a string"');
    expect(scalar.status).toBe(400);
    expect((await scalar.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");

    const tooLarge = await post(
      open.url,
      JSON.stringify({ query: "{ callerKind }", variables: { padding: "x".repeat(MAX_REQUEST_BYTES) } }),
    );
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).errors[0]).toMatchObject({
      message: expect.stringMatching(/larger than the limit of \d+ bytes/),
      extensions: { code: "BAD_USER_INPUT" },
    });

    const plainText = await post(open.url, "{ callerKind }", { "content-type": "text/plain" });
    expect(plainText.status).toBe(400);
    const plainBody = await plainText.json();
    expect(plainBody.errors[0].extensions.code).toEqual(expect.any(String));
    expect(JSON.stringify(plainBody)).not.toMatch(/at .*\.js:\d+/);

    const unknownField = await post(open.url, JSON.stringify({ query: "{ nothingHere }" }));
    expect(unknownField.status).toBe(400);
    expect((await unknownField.json()).errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");

    // The other routes are still served beside it.
    expect((await fetch(open.url.replace(/\/graphql$/, "/health"))).status).toBe(200);
    expect((await fetch(open.url.replace(/\/graphql$/, "/internal/anything"))).status).toBe(401);
  });

  it("in gateway-only mode answers only requests carrying the gateway's signature for this subgraph", async () => {
    const body = JSON.stringify({ query: "{ callerKind }" });
    const unsigned = await post(guarded.url, body);
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");

    const signatures = gatewaySignatureSource(SECRET);
    const forAnother = await post(guarded.url, body, { "x-rhizome-gateway": await signatures("another-subgraph") });
    expect(forAnother.status).toBe(401);

    for (let i = 0; i < 2; i++) {
      const signed = await post(guarded.url, body, { "x-rhizome-gateway": await signatures("server-test") });
      expect(signed.status).toBe(200);
      expect((await signed.json()).data).toEqual({ callerKind: "anonymous" });
    }
  });
});
