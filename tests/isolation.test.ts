import { describe, expect, inject, it } from "vitest";
import { gql } from "@rhizome/infra";
import { bearer, circleWithMembers, createInvitation } from "./setup/circles.js";

const gatewayUrl = inject("gatewayUrl");
const networkSubgraphUrl = `${inject("serviceUrls").network}/graphql`;

describe("circle isolation", () => {
  it("never shows one circle's members, handles or invitations to a member of another, whatever the path", async () => {
    const a = await circleWithMembers(gatewayUrl, ["alder"], "isolation-a");
    const b = await circleWithMembers(gatewayUrl, ["birch"], "isolation-b");
    await createInvitation(gatewayUrl, b.circle);
    const outsider = bearer(a.members.alder.token);
    const outsiderOrganizer = bearer(a.circle.organizer.token);

    const paths = [
      [`query ($slug: String!) { circle(slug: $slug) { members { handle } } }`, { slug: b.circle.slug }],
      [`query ($slug: String!) { circle(slug: $slug) { invitations { codeHint } } }`, { slug: b.circle.slug }],
      [`query ($slug: String!) { circle(slug: $slug) { apiKeys { prefix } } }`, { slug: b.circle.slug }],
      [`query ($slug: String!) { circle(slug: $slug) { blocCounts { edge } } }`, { slug: b.circle.slug }],
      [`{ circles(first: 500) { slug members { handle } } }`, {}],
    ] as const;
    for (const headers of [outsider, outsiderOrganizer]) {
      for (const [query, variables] of paths) {
        const response = await gql(gatewayUrl, query, variables, headers);
        expect(JSON.stringify(response.body)).not.toContain("birch");
        expect(response.body.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
      }
    }

    // Straight to the subgraph's federation entry point, with a valid token of the other circle.
    const entities = await gql(
      networkSubgraphUrl,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { id handle roles } } }`,
      { representations: [{ __typename: "Member", id: b.members.birch.memberId }, { __typename: "Member", id: a.members.alder.memberId }] },
      outsider,
    );
    expect(entities.body.data?._entities).toEqual([null, { id: a.members.alder.memberId, handle: "alder", roles: ["MEMBER"] }]);

    const roleChange = await gql(
      gatewayUrl,
      `mutation ($input: RoleChangeInput!) { grantRole(input: $input) { handle } }`,
      { input: { memberId: b.members.birch.memberId, role: "STEWARD" } },
      outsiderOrganizer,
    );
    expect(roleChange.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    expect(JSON.stringify(roleChange.body)).not.toContain("birch");

    const invite = await gql(gatewayUrl, `mutation ($input: CreateInvitationInput!) { createInvitation(input: $input) { code } }`, { input: { circleId: b.circle.id } }, outsiderOrganizer);
    expect(invite.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("shows anyone the public fields of every circle, with small counts suppressed", async () => {
    const small = await circleWithMembers(gatewayUrl, ["cypress"], "public");
    const response = await gql(gatewayUrl, `query ($slug: String!) { circle(slug: $slug) { name slug memberCount viewerIsMember } }`, { slug: small.circle.slug });
    expect(response.body.data?.circle).toEqual({ name: `Circle ${small.circle.slug}`, slug: small.circle.slug, memberCount: null, viewerIsMember: false });
    const asMember = await gql(gatewayUrl, `query ($slug: String!) { circle(slug: $slug) { memberCount viewerIsMember } }`, { slug: small.circle.slug }, bearer(small.members.cypress.token));
    expect(asMember.body.data?.circle).toEqual({ memberCount: 2, viewerIsMember: true });
  });
});
