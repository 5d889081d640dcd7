import { describe, expect, inject, it } from "vitest";
import { ccErrorSchema } from "../../services/barter/src/credit-commons/messages.js";

const gatewayUrl = inject("gatewayUrl");

describe("the Credit Commons node on the hub's public endpoint", () => {
  it("passes /cc/ to barter's node routes and their answers back, in the protocol's error shape", async () => {
    // The test hub is no node (no CC_NODE_PATH): barter itself says so, through the gateway.
    for (const route of ["cc/", "cc/transaction/relay"]) {
      const response = await fetch(new URL(route, gatewayUrl), {
        method: route.endsWith("relay") ? "POST" : "GET",
        headers: { "content-type": "application/json", "cc-node": "east", "cc-auth": "a-key-of-a-neighbour-000000" },
        body: route.endsWith("relay") ? JSON.stringify({ uuid: "x" }) : undefined,
      });
      expect(response.status, route).toBe(404);
      expect(ccErrorSchema.parse(await response.json()).errors[0]).toContain("not a Credit Commons node");
    }
  });

  it("refuses a message larger than the protocol needs before it reaches barter", async () => {
    const response = await fetch(new URL("cc/transaction/relay", gatewayUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ padding: "x".repeat(20_000) }),
    });
    expect(response.status).toBe(413);
    expect(ccErrorSchema.parse(await response.json()).errors[0]).toContain("at most");
  });
});
