import { bearer, foundCircle, dataOrThrow, graphql } from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";
import { API_KEY_VERIFY_PATH, newApiKey, signServiceToken } from "@rhizome/kit";

const gatewayUrl = inject("gatewayUrl");
const tokenSecret = inject("tokenSecret");
const verifyUrl = new URL(API_KEY_VERIFY_PATH, inject("serviceUrls").network);

async function askNetwork(key: string, headers: Record<string, string> = {}) {
  const response = await fetch(verifyUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ key }),
  });
  return { status: response.status, body: (await response.json()) as { caller?: unknown; error?: string } };
}

describe("network's API key verification endpoint", () => {
  it("refuses a caller without a service credential, and a member's token", async () => {
    const circle = await foundCircle(gatewayUrl, "keycheck");
    const anonymous = await askNetwork(newApiKey(tokenSecret));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.caller).toBeUndefined();

    const asMember = await askNetwork(newApiKey(tokenSecret), bearer(circle.organizer.token));
    expect(asMember.status).toBe(401);

    const forged = await askNetwork(
      newApiKey(tokenSecret),
      bearer(
        await signServiceToken("another-secret-that-is-long-enough-xyz", "barter", {
          target: "network",
          route: API_KEY_VERIFY_PATH,
        }),
      ),
    );
    expect(forged.status).toBe(401);
  });

  it("tells a service who holds a key, and nobody for a revoked, unknown or forged one", async () => {
    const circle = await foundCircle(gatewayUrl, "keycheck");
    const created = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          mutation ($input: CreateApiKeyInput!) {
            createApiKey(input: $input) {
              key
              apiKey {
                id
              }
            }
          }
        `,
        { input: { circleId: circle.id, name: "Mural project" } },
        bearer(circle.organizer.token),
      ),
      "createApiKey",
    ).createApiKey;
    const asBarter = bearer(
      await signServiceToken(tokenSecret, "barter", { target: "network", route: API_KEY_VERIFY_PATH }),
    );

    const known = await askNetwork(created.key, asBarter);
    expect(known).toEqual({
      status: 200,
      body: {
        caller: {
          kind: "apiKey",
          keyId: created.apiKey.id,
          circleId: circle.id,
          scopes: ["public:read"],
          holderId: expect.stringMatching(/^person:[0-9a-f-]{36}$/),
        },
      },
    });
    expect((await askNetwork(newApiKey(tokenSecret), asBarter)).body).toEqual({ caller: null });
    expect(
      (await askNetwork(`${created.key.slice(0, -1)}${created.key.endsWith("A") ? "B" : "A"}`, asBarter)).body,
    ).toEqual({ caller: null });

    await graphql(
      gatewayUrl,
      `
        mutation ($id: ID!) {
          revokeApiKey(id: $id) {
            revokedAt
          }
        }
      `,
      { id: created.apiKey.id },
      bearer(circle.organizer.token),
    );
    expect((await askNetwork(created.key, asBarter)).body).toEqual({ caller: null });
  });
});
