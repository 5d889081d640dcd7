import {
  bearer,
  circleWithMembers,
  createInvitation,
  foundCircle,
  joinCircle,
  PASSPHRASE,
  dataOrThrow,
  graphql,
  queryDatabase,
} from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";

const gatewayUrl = inject("gatewayUrl");

const joinWith = (code: string, handle: string) =>
  graphql(
    gatewayUrl,
    `
      mutation ($input: JoinCircleInput!) {
        joinCircle(input: $input) {
          token
        }
      }
    `,
    {
      input: { code, handle, passphrase: PASSPHRASE, bloc: "EDGE" },
    },
  );

describe("invitations", () => {
  it("stop working when used up, revoked or unknown, and count their uses", async () => {
    const circle = await foundCircle(gatewayUrl, "invites");
    const code = await createInvitation(gatewayUrl, circle, 1);
    await joinCircle(gatewayUrl, code, "first-in");
    const usedUp = await joinWith(code, "second-in");
    expect(usedUp.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/used up/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect((await joinWith("no-such-code-anywhere", "third-in")).body.errors?.[0].extensions?.code).toBe("NOT_FOUND");

    const another = await createInvitation(gatewayUrl, circle, 5);
    const listed = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          query ($slug: String!) {
            circle(slug: $slug) {
              invitations {
                items {
                  id
                  codeHint
                  uses
                  maxUses
                }
              }
            }
          }
        `,
        { slug: circle.slug },
        bearer(circle.organizer.token),
      ),
      "invitations",
    ).circle.invitations.items;
    expect(listed.map((i: { uses: number }) => i.uses)).toEqual([0, 1]);
    expect(listed[0].codeHint).toBe(another.slice(-4));
    const revoked = await graphql(
      gatewayUrl,
      `
        mutation ($id: ID!) {
          revokeInvitation(id: $id) {
            revokedAt
          }
        }
      `,
      { id: listed[0].id },
      bearer(circle.organizer.token),
    );
    expect(revoked.body.data?.revokeInvitation.revokedAt).toBeTruthy();
    expect((await joinWith(another, "fourth-in")).body.errors?.[0].message).toMatch(/revoked/);
  });

  it("refuses an expired invitation and changes nothing", async () => {
    const circle = await foundCircle(gatewayUrl, "expired");
    const code = await createInvitation(gatewayUrl, circle, 3);
    // An invitation lives at least an hour; age it in the database instead of waiting.
    await queryDatabase(
      `UPDATE network.invitations SET expires_at = now() - interval '1 minute' WHERE circle_id = $1`,
      [circle.id],
    );
    const response = await joinWith(code, "latecomer");
    expect(response.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/expired/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    const [{ count }] = await queryDatabase<{ count: string }>(
      `SELECT count(*) FROM network.members WHERE circle_id = $1`,
      [circle.id],
    );
    expect(Number(count)).toBe(1);
  });

  it("can be created only by organizers", async () => {
    const { circle, members } = await circleWithMembers(gatewayUrl, ["gale"]);
    const attempt = await graphql(
      gatewayUrl,
      `
        mutation ($input: CreateInvitationInput!) {
          createInvitation(input: $input) {
            code
          }
        }
      `,
      { input: { circleId: circle.id } },
      bearer(members.gale.token),
    );
    expect(attempt.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const anonymous = await graphql(
      gatewayUrl,
      `
        mutation ($input: CreateInvitationInput!) {
          createInvitation(input: $input) {
            code
          }
        }
      `,
      { input: { circleId: circle.id } },
    );
    expect(anonymous.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("passphrases", () => {
  it("are stored only as slow salted hashes", async () => {
    const circle = await foundCircle(gatewayUrl, "hashes", "hazel");
    const rows = await queryDatabase<{ passphrase_hash: string }>(
      `SELECT passphrase_hash FROM network.members WHERE circle_id = $1`,
      [circle.id],
    );
    expect(rows[0].passphrase_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0].passphrase_hash).not.toContain(PASSPHRASE);
  });
});

describe("API keys", () => {
  it("let a third-party client read public fields and nothing private, until revoked", async () => {
    const circle = await foundCircle(gatewayUrl, "apikeys");
    const created = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          mutation ($input: CreateApiKeyInput!) {
            createApiKey(input: $input) {
              key
              apiKey {
                id
                name
                prefix
                scopes
              }
            }
          }
        `,
        { input: { circleId: circle.id, name: "Mural project" } },
        bearer(circle.organizer.token),
      ),
      "createApiKey",
    ).createApiKey;
    expect(created.apiKey).toMatchObject({
      name: "Mural project",
      scopes: ["PUBLIC_READ"],
      prefix: created.key.slice(0, 10),
    });
    const stored = await queryDatabase<{ key_hash: string }>(`SELECT key_hash FROM network.api_keys WHERE id = $1`, [
      created.apiKey.id,
    ]);
    expect(stored[0].key_hash).not.toContain(created.key);

    const withKey = { "x-api-key": created.key };
    const publicRead = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            name
            slug
          }
        }
      `,
      { slug: circle.slug },
      withKey,
    );
    expect(publicRead.body.data?.circle.slug).toBe(circle.slug);
    const privateRead = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            members {
              items {
                handle
              }
            }
          }
        }
      `,
      { slug: circle.slug },
      withKey,
    );
    expect(privateRead.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const write = await graphql(
      gatewayUrl,
      `
        mutation ($input: CreateInvitationInput!) {
          createInvitation(input: $input) {
            code
          }
        }
      `,
      { input: { circleId: circle.id } },
      withKey,
    );
    expect(write.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

    const revoked = await graphql(
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
    expect(revoked.body.data?.revokeApiKey.revokedAt).toBeTruthy();
    const afterRevoke = await graphql(
      gatewayUrl,
      `
        {
          circles(first: 1) {
            items {
              slug
            }
          }
        }
      `,
      {},
      withKey,
    );
    expect(afterRevoke.body.data?.circles).toBeFalsy();
    expect(afterRevoke.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

    const neverIssued = await graphql(
      gatewayUrl,
      `
        {
          circles(first: 1) {
            items {
              slug
            }
          }
        }
      `,
      {},
      { "x-api-key": "rhz_made-up-key" },
    );
    expect(neverIssued.status).toBe(401);
    expect(neverIssued.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("are listed to organizers only", async () => {
    const { circle, members } = await circleWithMembers(gatewayUrl, ["iris"]);
    const asMember = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            apiKeys {
              items {
                id
              }
            }
          }
        }
      `,
      { slug: circle.slug },
      bearer(members.iris.token),
    );
    expect(asMember.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });
});
