import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService, PASSPHRASE, uniqueSlug, graphql } from "@rhizome/kit/testing";
import type { NetworkConfig } from "../src/config.js";
import { networkService } from "../src/service.js";

const OPERATOR_KEY = "operator-key-for-this-test-0123456789";

// A second network process on the same database, configured so only the operator founds circles.
let service: TestService<NetworkConfig>;
beforeAll(async () => {
  service = await startTestService(networkService, {
    env: { ROLE: "api", LOG_LEVEL: "silent", CIRCLE_FOUNDING: "operator", OPERATOR_KEY },
  });
});
afterAll(() => service?.stop());

const found = (headers: Record<string, string>) =>
  graphql(
    service.url,
    `
      mutation ($input: CreateCircleInput!) {
        createCircle(input: $input) {
          circle {
            slug
          }
        }
      }
    `,
    {
      input: {
        name: "Operator's circle",
        slug: uniqueSlug("operated"),
        founderHandle: "steward",
        passphrase: PASSPHRASE,
      },
    },
    headers,
  );

describe("a hub where only operators found circles", () => {
  it("refuses anyone without the operator key and accepts the operator", async () => {
    expect((await found({})).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const wrongKey = await found({ "x-operator-key": "not-the-operator-key-at-all" });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const byOperator = await found({ "x-operator-key": OPERATOR_KEY });
    expect(byOperator.body.data?.createCircle.circle.slug).toMatch(/^operated-/);
  });
});
