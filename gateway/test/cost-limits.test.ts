import { describe, expect, it } from "vitest";
import { graphql, hubEnvironment } from "@rhizome/kit/testing";

const NESTED_PAGES = `query ($circles: Int!, $members: Int!) { circles(first: $circles) { items { slug members(first: $members) { items { handle } } } } }`;

describe("the gateway's cost limit", () => {
  it("prices a list by the page size the client asks for, not by a guess", async () => {
    const { gatewayUrl } = hubEnvironment();
    // 5 circles with 5 members each is cheap, whatever the default page size.
    const small = await graphql(gatewayUrl, NESTED_PAGES, { circles: 5, members: 5 });
    expect(
      small.body.errors?.filter((error) => error.extensions?.code === "COST_ESTIMATED_TOO_EXPENSIVE") ?? [],
    ).toEqual([]);
    // 500 circles with 500 members each could return 250,000 rows: refused before any subgraph is asked.
    const large = await graphql(gatewayUrl, NESTED_PAGES, { circles: 500, members: 500 });
    expect(large.body.data ?? null).toBeNull();
    expect(large.body.errors?.[0].extensions?.code).toBe("COST_ESTIMATED_TOO_EXPENSIVE");
  });
});
