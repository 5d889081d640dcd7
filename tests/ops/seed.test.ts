import { DEMO_CIRCLES, DEMO_PASSPHRASE, seedDemoNetwork } from "@rhizome/infra";
import { GATEWAY_SIGNATURE_HEADER, gatewaySignatureSource } from "@rhizome/kit";
import { graphql, startTestService, type TestService } from "@rhizome/kit/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { networkService } from "../../services/network/src/service.js";

// network in production mode (it answers only the gateway), on a database of its own: the seed's
// circles are the demo's, whatever else the test hub holds.
let network: TestService<never>;
beforeAll(async () => {
  // eslint-disable-next-line no-restricted-syntax -- a TestService is typed by its own service's context; the test only sends requests and reads its runtime
  network = (await startTestService(networkService, {
    ownDatabase: true,
    env: { NODE_ENV: "production", ROLE: "api" },
  })) as unknown as TestService<never>;
}, 60_000);
afterAll(() => network?.stop());

describe("the demo seed", () => {
  it("seeds network itself, carrying the gateway's signature where network answers only the gateway", async () => {
    await expect(seedDemoNetwork({ networkGraphqlUrl: network.url })).rejects.toThrow(
      /401|answers only the hub's gateway/,
    );
    const signature = await gatewaySignatureSource(inject("tokenSecret"))("network");
    const seeded = await seedDemoNetwork({
      networkGraphqlUrl: network.url,
      headers: { [GATEWAY_SIGNATURE_HEADER]: signature },
    });
    expect(seeded).toEqual({ hasSeeded: true, existingSlugs: [] });
    const login = `mutation { login(input: { circleSlug: "${DEMO_CIRCLES[0].slug}", handle: "${DEMO_CIRCLES[0].members[1].handle}", passphrase: "${DEMO_PASSPHRASE}" }) { token } }`;
    const answer = await graphql(network.url, login, {}, { [GATEWAY_SIGNATURE_HEADER]: signature });
    expect(answer.body.data?.login.token).toEqual(expect.any(String));
    // Seeding again changes nothing.
    expect(
      await seedDemoNetwork({ networkGraphqlUrl: network.url, headers: { [GATEWAY_SIGNATURE_HEADER]: signature } }),
    ).toEqual({
      hasSeeded: false,
      existingSlugs: expect.arrayContaining(DEMO_CIRCLES.map((circle) => circle.slug)),
    });
  }, 60_000);
});
