import { graphql } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger, loadConfig } from "@rhizome/kit";
import { gatewayConfigSchema } from "../src/config.js";
import { startGateway, type RunningGateway } from "../src/gateway.js";
import { loadSupergraph } from "../src/supergraph.js";

// A gateway in production mode in front of the test run's subgraphs.
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
  gateway = await startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
}, 60_000);
afterAll(() => gateway?.close());

describe("the gateway in production mode", () => {
  it("refuses introspection and gives no field suggestions, but answers real queries", async () => {
    const introspection = await graphql(
      gateway.url,
      `
        {
          __schema {
            types {
              name
            }
          }
        }
      `,
    );
    expect(introspection.body.data?.__schema).toBeFalsy();
    expect(introspection.body.errors?.[0].message).toMatch(/introspection/i);

    const typo = await graphql(
      gateway.url,
      `
        {
          circles {
            nme
          }
        }
      `,
    );
    expect(typo.body.errors?.[0].message).not.toMatch(/Did you mean/);

    const real = await graphql(
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
    expect(Array.isArray(real.body.data?.circles.items)).toBe(true);
  });
});
