import { bearer, circleWithMembers, createInvitation, PASSPHRASE, graphql } from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";
import { encodeCursor } from "@rhizome/kit";

const gatewayUrl = inject("gatewayUrl");
const networkSubgraphUrl = `${inject("serviceUrls").network}/graphql`;

describe("circle isolation", () => {
  it("never shows one circle's members, handles or invitations to a member of another, whatever the path", async () => {
    const a = await circleWithMembers(gatewayUrl, ["alder"], "isolation-a");
    const b = await circleWithMembers(gatewayUrl, ["birch"], "isolation-b");
    await createInvitation(gatewayUrl, b.circle);
    const outsider = bearer(a.members.alder.token);
    const outsiderOrganizer = bearer(a.circle.organizer.token);

    // A cursor from just before B's slug, so the list of circles surely holds B whatever other tests created.
    const justBeforeB = encodeCursor([b.circle.slug.slice(0, -1)]);
    const paths = [
      [`query ($slug: String!) { circle(slug: $slug) { members { items { handle } } } }`, { slug: b.circle.slug }],
      [
        `query ($slug: String!) { circle(slug: $slug) { invitations { items { codeHint } } } }`,
        { slug: b.circle.slug },
      ],
      [`query ($slug: String!) { circle(slug: $slug) { apiKeys { items { prefix } } } }`, { slug: b.circle.slug }],
      [`query ($slug: String!) { circle(slug: $slug) { blocCounts { edge } } }`, { slug: b.circle.slug }],
      [
        `query ($after: String) { circles(first: 5, after: $after) { items { slug members(first: 10) { items { handle } } } } }`,
        { after: justBeforeB },
      ],
    ] as const;
    // Valid tokens of another circle: refused as FORBIDDEN, through the gateway and straight at the subgraph.
    for (const url of [gatewayUrl, networkSubgraphUrl]) {
      for (const headers of [outsider, outsiderOrganizer]) {
        for (const [query, variables] of paths) {
          const response = await graphql(url, query, variables, headers);
          expect(JSON.stringify(response.body)).not.toContain("birch");
          expect(response.body.errors?.[0].extensions?.code, `${query} at ${url}`).toBe("FORBIDDEN");
        }
      }
    }
    const listed = await graphql(gatewayUrl, paths[4][0], paths[4][1], outsider);
    expect(listed.body.data?.circles.items[0]).toEqual({ slug: b.circle.slug, members: null });

    // Straight to the subgraph's federation entry point, with a valid token of the other circle.
    const entities = await graphql(
      networkSubgraphUrl,
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Member {
              id
              handle
              roles
            }
          }
        }
      `,
      {
        representations: [
          { __typename: "Member", id: b.members.birch.memberId },
          { __typename: "Member", id: a.members.alder.memberId },
        ],
      },
      outsider,
    );
    expect(entities.body.data?._entities).toEqual([
      null,
      { id: a.members.alder.memberId, handle: "alder", roles: ["MEMBER"] },
    ]);

    const roleChange = await graphql(
      gatewayUrl,
      `
        mutation ($input: RoleChangeInput!) {
          grantRole(input: $input) {
            handle
          }
        }
      `,
      { input: { memberId: b.members.birch.memberId, role: "STEWARD" } },
      outsiderOrganizer,
    );
    expect(roleChange.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(JSON.stringify(roleChange.body)).not.toContain("birch");

    const invite = await graphql(
      gatewayUrl,
      `
        mutation ($input: CreateInvitationInput!) {
          createInvitation(input: $input) {
            code
          }
        }
      `,
      { input: { circleId: b.circle.id } },
      outsiderOrganizer,
    );
    expect(invite.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("keeps leaving, refreshing and listing within the caller's own circles", async () => {
    const a = await circleWithMembers(gatewayUrl, ["aspen"], "isolation-new-a");
    const b = await circleWithMembers(gatewayUrl, ["beech"], "isolation-new-b");

    // leaveCircle on another circle: refused, and B's members are untouched.
    const leave = await graphql(
      gatewayUrl,
      `
        mutation ($circleId: ID!) {
          leaveCircle(circleId: $circleId)
        }
      `,
      { circleId: b.circle.id },
      bearer(a.members.aspen.token),
    );
    expect(leave.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const bMembers = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            memberCount
            members {
              items {
                handle
              }
            }
          }
        }
      `,
      { slug: b.circle.slug },
      bearer(b.circle.organizer.token),
    );
    expect(bMembers.body.data?.circle).toEqual({
      memberCount: 2,
      members: { items: [{ handle: "beech" }, { handle: "founder" }] },
    });

    // A renewed session of A's member names A only and opens nothing in B.
    const loggedIn = await graphql(
      gatewayUrl,
      `
        mutation ($input: LoginInput!) {
          login(input: $input) {
            refreshToken
          }
        }
      `,
      { input: { circleSlug: a.circle.slug, handle: "aspen", passphrase: PASSPHRASE } },
    );
    const renewed = await graphql(
      gatewayUrl,
      `
        mutation ($refreshToken: String!) {
          refreshSession(refreshToken: $refreshToken) {
            token
          }
        }
      `,
      { refreshToken: loggedIn.body.data?.login.refreshToken },
    );
    const renewedToken: string = renewed.body.data?.refreshSession.token;
    expect(
      JSON.parse(Buffer.from(renewedToken.split(".")[1], "base64url").toString("utf8")).mem.map((m: string[]) => m[0]),
    ).toEqual([a.circle.id]);
    const read = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            members(first: 5) {
              items {
                handle
              }
            }
            invitations(first: 5) {
              items {
                id
              }
            }
          }
        }
      `,
      { slug: b.circle.slug },
      bearer(renewedToken),
    );
    expect(read.body.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    expect(JSON.stringify(read.body)).not.toContain("beech");

    // Logging in to B with A's handle and passphrase finds nobody.
    const wrongCircle = await graphql(
      gatewayUrl,
      `
        mutation ($input: LoginInput!) {
          login(input: $input) {
            token
          }
        }
      `,
      { input: { circleSlug: b.circle.slug, handle: "aspen", passphrase: PASSPHRASE } },
    );
    expect(wrongCircle.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("answers ids that are not UUIDs with BAD_USER_INPUT or NOT_FOUND, never an internal error", async () => {
    const { circle } = await circleWithMembers(gatewayUrl, [], "bad-ids");
    const asOrganizer = bearer(circle.organizer.token);
    const attempts: Array<[string, Record<string, unknown>]> = [
      [`mutation { revokeInvitation(id: "not-a-uuid") { id } }`, {}],
      [`mutation { revokeApiKey(id: "not-a-uuid") { id } }`, {}],
      [`mutation { leaveCircle(circleId: "not-a-uuid") }`, {}],
      [`mutation { grantRole(input: { memberId: "not-a-uuid", role: STEWARD }) { id } }`, {}],
      [`mutation { revokeRole(input: { memberId: "not-a-uuid", role: STEWARD }) { id } }`, {}],
      [`mutation { createInvitation(input: { circleId: "not-a-uuid" }) { code } }`, {}],
      [`mutation { createApiKey(input: { circleId: "not-a-uuid", name: "x" }) { key } }`, {}],
      [`mutation { revokeInvitation(id: "00000000-0000-0000-0000-000000000000") { id } }`, {}],
    ];
    for (const [query, variables] of attempts) {
      const response = await graphql(gatewayUrl, query, variables, asOrganizer);
      expect(response.body.errors?.[0].extensions?.code, query).toMatch(/^(BAD_USER_INPUT|NOT_FOUND)$/);
    }
    const entities = await graphql(
      networkSubgraphUrl,
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Member {
              id
            }
            ... on Circle {
              id
            }
          }
        }
      `,
      {
        representations: [
          { __typename: "Member", id: "not-a-uuid" },
          { __typename: "Circle", id: "not-a-uuid" },
        ],
      },
      asOrganizer,
    );
    expect(entities.body).toEqual({ data: { _entities: [null, null] } });
  });

  it("shows anyone the public fields of every circle, with small counts suppressed", async () => {
    const small = await circleWithMembers(gatewayUrl, ["cypress"], "public");
    const response = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            name
            slug
            memberCount
            viewerIsMember
          }
        }
      `,
      { slug: small.circle.slug },
    );
    expect(response.body.data?.circle).toEqual({
      name: `Circle ${small.circle.slug}`,
      slug: small.circle.slug,
      memberCount: null,
      viewerIsMember: false,
    });
    const asMember = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            memberCount
            viewerIsMember
          }
        }
      `,
      { slug: small.circle.slug },
      bearer(small.members.cypress.token),
    );
    expect(asMember.body.data?.circle).toEqual({ memberCount: 2, viewerIsMember: true });
  });
});
