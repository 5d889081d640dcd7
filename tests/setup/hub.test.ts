import { describe, expect, inject, it } from "vitest";
import { graphql } from "@rhizome/kit/testing";

describe("the test hub started by the global setup", () => {
  it("has every service ready", async () => {
    for (const [name, baseUrl] of Object.entries(inject("serviceUrls"))) {
      const response = await fetch(`${baseUrl}/ready`);
      expect(response.status, `${name} at ${baseUrl}/ready`).toBe(200);
    }
  });

  it("answers GraphQL through the gateway", async () => {
    const { status, body } = await graphql(inject("gatewayUrl"), "query HubSmoke { __typename }");
    expect(status).toBe(200);
    expect(body).toEqual({ data: { __typename: "Query" } });
  });
});
