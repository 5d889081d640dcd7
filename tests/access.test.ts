import {
  bearer,
  createInvitation,
  PASSPHRASE,
  dataOrThrow,
  graphql,
  uniqueSlug,
  queryDatabase,
} from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";

const gatewayUrl = inject("gatewayUrl");
const networkSubgraphUrl = `${inject("serviceUrls").network}/graphql`;
const barterSubgraphUrl = `${inject("serviceUrls").barter}/graphql`;
const toolsSubgraphUrl = `${inject("serviceUrls").tools}/graphql`;

const ACCESS_TOKEN_LIFETIME_SECONDS = 60;
const SESSION_FIELDS = `token expiresAt refreshToken refreshExpiresAt member { id handle }`;

interface Session {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  member: { id: string; handle: string };
}

interface Claims {
  sub: string;
  iat: number;
  exp: number;
  mem: Array<[circleId: string, memberId: string, roles: string[]]>;
}

const claimsOf = (token: string): Claims => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

/** A circle founded by `founderHandle`, with the founder's whole session. */
async function foundCircle(prefix: string, founderHandle = "founder") {
  const slug = uniqueSlug(prefix);
  const founded = dataOrThrow(
    await graphql(
      gatewayUrl,
      `
        mutation ($input: CreateCircleInput!) {
          createCircle(input: $input) {
            circle {
              id
              slug
            }
            member {
              id
              handle
            }
            token
            expiresAt
            refreshToken
            refreshExpiresAt
          }
        }
      `,
      {
        input: { name: `Circle ${slug}`, slug, founderHandle, passphrase: PASSPHRASE },
      },
    ),
    "createCircle",
  ).createCircle;
  const founder: Session = { ...founded, member: founded.member };
  return {
    id: founded.circle.id as string,
    slug,
    organizer: { token: founded.token as string, memberId: founded.member.id as string, handle: founderHandle },
    founder,
  };
}

async function join(code: string, handle: string, headers: Record<string, string> = {}): Promise<Session> {
  return dataOrThrow(
    await graphql(
      gatewayUrl,
      `mutation ($input: JoinCircleInput!) { joinCircle(input: $input) { ${SESSION_FIELDS} } }`,
      { input: { code, handle, passphrase: PASSPHRASE, bloc: "EDGE" } },
      headers,
    ),
    `joinCircle as ${handle}`,
  ).joinCircle;
}

const login = (circleSlug: string, handle: string) =>
  graphql(gatewayUrl, `mutation ($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`, {
    input: { circleSlug, handle, passphrase: PASSPHRASE },
  });

const refresh = (refreshToken: string) =>
  graphql(
    gatewayUrl,
    `mutation ($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`,
    { refreshToken },
  );

const changeRole = (
  mutation: "grantRole" | "revokeRole",
  memberId: string,
  role: string,
  token: string,
  url = gatewayUrl,
) =>
  graphql(
    url,
    `mutation ($input: RoleChangeInput!) { ${mutation}(input: $input) { handle roles } }`,
    { input: { memberId, role } },
    bearer(token),
  );

const inviteWith = (token: string, circleId: string, url: string) =>
  graphql(
    url,
    `
      mutation ($input: CreateInvitationInput!) {
        createInvitation(input: $input) {
          code
        }
      }
    `,
    { input: { circleId } },
    bearer(token),
  );

const membersOf = async (slug: string, token: string) =>
  dataOrThrow(
    await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            memberCount
            members(first: 50) {
              items {
                id
                handle
                roles
              }
            }
          }
        }
      `,
      { slug },
      bearer(token),
    ),
    "members",
  ).circle;

/** A circle whose founder made `handle` a second organizer, and that organizer's session from a login after the grant. */
async function circleWithSecondOrganizer(prefix: string, handle = "olive") {
  const circle = await foundCircle(prefix);
  const code = await createInvitation(gatewayUrl, circle);
  const joined = await join(code, handle);
  dataOrThrow(await changeRole("grantRole", joined.member.id, "ORGANIZER", circle.organizer.token), "grantRole");
  const session: Session = dataOrThrow(await login(circle.slug, handle), "login").login;
  expect(claimsOf(session.token).mem[0][2]).toContain("organizer");
  return { circle, second: session };
}

describe("an organizer whose role is revoked", () => {
  it("cannot create an invitation a minute later, through the gateway or straight to the network subgraph", async () => {
    const { circle, second } = await circleWithSecondOrganizer("revoked");
    // The token works while the role is held ...
    dataOrThrow(await inviteWith(second.token, circle.id, gatewayUrl), "invitation before the revocation");
    dataOrThrow(await changeRole("revokeRole", second.member.id, "ORGANIZER", circle.organizer.token), "revokeRole");
    // ... and the same token, which still names the role, is refused at once by network.
    for (const url of [gatewayUrl, networkSubgraphUrl]) {
      const attempt = await inviteWith(second.token, circle.id, url);
      expect(attempt.body.errors?.[0].extensions?.code, url).toBe("FORBIDDEN");
      expect(attempt.body.data?.createInvitation ?? null).toBeNull();
    }
  });

  it("is refused at once by barter and tools with the token from before, and a renewed token no longer carries the role", async () => {
    const { circle, second } = await circleWithSecondOrganizer("barter-role");
    const setLimits = `mutation ($circleId: ID!) { setBarterLimits(input: { circleId: $circleId, floorMinutes: -600, ceilingMinutes: 1200 }) { floorMinutes } }`;
    const setLibrary = `mutation ($circleId: ID!) { setToolLibrarySettings(input: { circleId: $circleId, maxOpenReservations: 3 }) { maxOpenReservations } }`;
    const attempts = [
      { url: barterSubgraphUrl, query: setLimits },
      { url: toolsSubgraphUrl, query: setLibrary },
      { url: gatewayUrl, query: setLimits },
    ];
    // While the role is held, the token is an organizer's everywhere ...
    for (const { url, query } of attempts) {
      const allowed = await graphql(url, query, { circleId: circle.id }, bearer(second.token));
      expect(allowed.body.errors?.[0]?.extensions?.code ?? "none", `${url} before the revocation`).not.toMatch(
        /FORBIDDEN|UNAUTHENTICATED/,
      );
    }
    dataOrThrow(await changeRole("revokeRole", second.member.id, "ORGANIZER", circle.organizer.token), "revokeRole");
    // ... and the moment it is revoked, the same token (which still names the role, for up to 60 s) is refused in every service.
    for (const { url, query } of attempts) {
      const refused = await graphql(url, query, { circleId: circle.id }, bearer(second.token));
      expect(refused.body.errors?.[0].extensions?.code, url).toBe("FORBIDDEN");
      expect(refused.body.data?.setBarterLimits ?? refused.body.data?.setToolLibrarySettings ?? null).toBeNull();
    }
    // The other organizer is untouched.
    const founder = await graphql(
      barterSubgraphUrl,
      setLimits,
      { circleId: circle.id },
      bearer(circle.organizer.token),
    );
    expect(founder.body.errors?.[0]?.extensions?.code ?? "none").not.toMatch(/FORBIDDEN|UNAUTHENTICATED/);

    const renewed: Session = dataOrThrow(await refresh(second.refreshToken), "refreshSession").refreshSession;
    expect(claimsOf(renewed.token).mem).toEqual([[circle.id, second.member.id, ["member"]]]);
    const withRenewed = await graphql(barterSubgraphUrl, setLimits, { circleId: circle.id }, bearer(renewed.token));
    expect(withRenewed.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");

    // Given back, the role works again with a token issued after the grant.
    dataOrThrow(await changeRole("grantRole", second.member.id, "ORGANIZER", circle.organizer.token), "grantRole");
    const again: Session = dataOrThrow(await refresh(renewed.refreshToken), "refreshSession").refreshSession;
    const regranted = await graphql(barterSubgraphUrl, setLimits, { circleId: circle.id }, bearer(again.token));
    expect(regranted.body.errors?.[0]?.extensions?.code ?? "none").not.toMatch(/FORBIDDEN|UNAUTHENTICATED/);
  });

  it("cannot use their old token to take the role back or to take the founder's", async () => {
    const { circle, second } = await circleWithSecondOrganizer("attack");
    dataOrThrow(await changeRole("revokeRole", second.member.id, "ORGANIZER", circle.organizer.token), "revokeRole");
    for (const url of [gatewayUrl, networkSubgraphUrl]) {
      const regrant = await changeRole("grantRole", second.member.id, "ORGANIZER", second.token, url);
      expect(regrant.body.errors?.[0].extensions?.code, url).toBe("FORBIDDEN");
      const demote = await changeRole("revokeRole", circle.organizer.memberId, "ORGANIZER", second.token, url);
      expect(demote.body.errors?.[0].extensions?.code, url).toBe("FORBIDDEN");
    }
    const { members } = await membersOf(circle.slug, circle.organizer.token);
    expect(members.items.find((m: { id: string }) => m.id === circle.organizer.memberId).roles).toEqual([
      "MEMBER",
      "ORGANIZER",
    ]);
    expect(members.items.find((m: { id: string }) => m.id === second.member.id).roles).toEqual(["MEMBER"]);
  });
});

describe("sessions", () => {
  it("give access tokens that live at most 60 seconds", async () => {
    const circle = await foundCircle("lifetime");
    const code = await createInvitation(gatewayUrl, circle);
    const joined = await join(code, "linden");
    const loggedIn: Session = dataOrThrow(await login(circle.slug, "linden"), "login").login;
    const renewed: Session = dataOrThrow(await refresh(loggedIn.refreshToken), "refreshSession").refreshSession;
    for (const session of [circle.founder, joined, loggedIn, renewed]) {
      const claims = claimsOf(session.token);
      expect(claims.exp - claims.iat).toBeLessThanOrEqual(ACCESS_TOKEN_LIFETIME_SECONDS);
      expect(claims.exp - claims.iat).toBeGreaterThan(0);
      expect(new Date(session.expiresAt).getTime()).toBe(claims.exp * 1000);
      expect(new Date(session.refreshExpiresAt).getTime()).toBeGreaterThan(new Date(session.expiresAt).getTime());
    }
  });

  it("rotate the refresh token on every use, and a reused one ends every session of the person", async () => {
    const circle = await foundCircle("rotation", "rowan");
    const first: Session = dataOrThrow(await login(circle.slug, "rowan"), "login").login;
    const other: Session = dataOrThrow(await login(circle.slug, "rowan"), "second login").login;
    const second: Session = dataOrThrow(await refresh(first.refreshToken), "refreshSession").refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.member).toEqual({ id: circle.organizer.memberId, handle: "rowan" });
    expect(claimsOf(second.token).mem).toEqual([[circle.id, circle.organizer.memberId, ["member", "organizer"]]]);
    const stored = await queryDatabase<{ token_hash: string }>(
      `SELECT token_hash FROM network.refresh_tokens WHERE member_id = $1`,
      [circle.organizer.memberId],
    );
    expect(stored.length).toBeGreaterThanOrEqual(3);
    expect(stored.some((row) => row.token_hash.includes(second.refreshToken))).toBe(false);

    // The first token again: someone copied it. Every session of the person ends, the other device's too.
    const reused = await refresh(first.refreshToken);
    expect(reused.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/already used/),
      extensions: { code: "UNAUTHENTICATED" },
    });
    for (const refreshToken of [second.refreshToken, other.refreshToken]) {
      expect((await refresh(refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect((await refresh("rhr_not-a-token-this-hub-gave-out")).body.errors?.[0].extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("end at logout", async () => {
    const circle = await foundCircle("logout", "laurel");
    const session: Session = dataOrThrow(await login(circle.slug, "laurel"), "login").login;
    const logout = (refreshToken: string) =>
      graphql(
        gatewayUrl,
        `
          mutation ($refreshToken: String!) {
            logout(refreshToken: $refreshToken)
          }
        `,
        { refreshToken },
      );
    expect((await logout(session.refreshToken)).body.data?.logout).toBe(true);
    expect((await refresh(session.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await logout(session.refreshToken)).body.data?.logout).toBe(false);
  });

  it("renew the access token with the person's current roles", async () => {
    const circle = await foundCircle("renewed-roles");
    const code = await createInvitation(gatewayUrl, circle);
    const joined = await join(code, "sorrel");
    dataOrThrow(await changeRole("grantRole", joined.member.id, "STEWARD", circle.organizer.token), "grantRole");
    const renewed: Session = dataOrThrow(await refresh(joined.refreshToken), "refreshSession").refreshSession;
    expect(claimsOf(renewed.token).mem).toEqual([[circle.id, joined.member.id, ["member", "steward"]]]);
  });
});

describe("leaving a circle", () => {
  it("shuts the member out of the circle at once, even with a token issued before", async () => {
    const circle = await foundCircle("leaving");
    const code = await createInvitation(gatewayUrl, circle);
    const wren = await join(code, "wren");
    const leave = await graphql(
      gatewayUrl,
      `
        mutation ($circleId: ID!) {
          leaveCircle(circleId: $circleId)
        }
      `,
      { circleId: circle.id },
      bearer(wren.token),
    );
    expect(leave.body).toEqual({ data: { leaveCircle: true } });

    // The token still names the membership; network does not believe it.
    for (const url of [gatewayUrl, networkSubgraphUrl]) {
      const read = await graphql(
        url,
        `
          query ($slug: String!) {
            circle(slug: $slug) {
              viewerIsMember
              members {
                items {
                  handle
                }
              }
            }
          }
        `,
        { slug: circle.slug },
        bearer(wren.token),
      );
      expect(read.body.errors?.[0].extensions?.code, url).toBe("FORBIDDEN");
      expect(JSON.stringify(read.body)).not.toContain("founder");
    }
    const entity = await graphql(
      networkSubgraphUrl,
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Member {
              id
              handle
            }
          }
        }
      `,
      {
        representations: [{ __typename: "Member", id: circle.organizer.memberId }],
      },
      bearer(wren.token),
    );
    expect(entity.body.data?._entities).toEqual([null]);
    const me = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          {
            me {
              memberships {
                handle
              }
            }
          }
        `,
        {},
        bearer(wren.token),
      ),
      "me",
    ).me;
    expect(me.memberships).toEqual([]);
    expect((await login(circle.slug, "wren")).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect((await refresh(wren.refreshToken)).body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const again = await graphql(
      gatewayUrl,
      `
        mutation ($circleId: ID!) {
          leaveCircle(circleId: $circleId)
        }
      `,
      { circleId: circle.id },
      bearer(wren.token),
    );
    expect(again.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("shuts the member out of barter and tools at once, with a token issued before", async () => {
    const circle = await foundCircle("leaving-everywhere");
    const code = await createInvitation(gatewayUrl, circle);
    const wren = await join(code, "wren");
    const attempts = [
      { url: barterSubgraphUrl, query: `query ($circleId: ID!) { exchanges(circleId: $circleId) { items { id } } }` },
      { url: toolsSubgraphUrl, query: `mutation ($circleId: ID!) { volunteerAsCaretaker(circleId: $circleId) }` },
    ];
    for (const { url, query } of attempts) {
      const allowed = await graphql(url, query, { circleId: circle.id }, bearer(wren.token));
      expect(allowed.body.errors?.[0]?.extensions?.code ?? "none", `${url} before leaving`).not.toMatch(
        /FORBIDDEN|UNAUTHENTICATED/,
      );
    }
    dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          mutation ($circleId: ID!) {
            leaveCircle(circleId: $circleId)
          }
        `,
        { circleId: circle.id },
        bearer(wren.token),
      ),
      "leaveCircle",
    );
    for (const { url, query } of attempts) {
      const refused = await graphql(url, query, { circleId: circle.id }, bearer(wren.token));
      expect(refused.body.errors?.[0].extensions?.code, url).toBe("FORBIDDEN");
    }
  });

  it("replaces the handle with a tombstone, frees it, and lets the person join again", async () => {
    const circle = await foundCircle("tombstone");
    const code = await createInvitation(gatewayUrl, circle);
    const wren = await join(code, "wren");
    dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          mutation ($circleId: ID!) {
            leaveCircle(circleId: $circleId)
          }
        `,
        { circleId: circle.id },
        bearer(wren.token),
      ),
      "leaveCircle",
    );

    const [row] = await queryDatabase<{
      handle: string;
      person_id: string | null;
      passphrase_hash: string | null;
      bloc: string | null;
      roles: string[];
      left_at: Date | null;
    }>(`SELECT handle, person_id, passphrase_hash, bloc, roles, left_at FROM network.members WHERE id = $1`, [
      wren.member.id,
    ]);
    expect(row).toMatchObject({ person_id: null, passphrase_hash: null, bloc: null, roles: [] });
    expect(row.left_at).toBeTruthy();
    expect(row.handle).toMatch(/^left-[0-9a-f]{16}$/);
    expect(row.handle).not.toContain(wren.member.id.replaceAll("-", "").slice(0, 6));
    const listed = await membersOf(circle.slug, circle.organizer.token);
    expect(listed).toEqual({
      memberCount: 1,
      members: { items: [{ id: circle.organizer.memberId, handle: "founder", roles: ["MEMBER", "ORGANIZER"] }] },
    });
    const [event] = await queryDatabase<{ payload: unknown }>(
      `SELECT payload FROM network.outbox WHERE topic = 'member.left' AND payload->>'memberId' = $1`,
      [wren.member.id],
    );
    expect(event.payload).toEqual({ circleId: circle.id, memberId: wren.member.id });

    // The same person, still holding a token, joins again under the old handle: a new membership.
    const back = await join(await createInvitation(gatewayUrl, circle), "wren", bearer(wren.token));
    expect(back.member.id).not.toBe(wren.member.id);
    expect(claimsOf(back.token).sub).toBe(claimsOf(wren.token).sub);
    expect(
      (await membersOf(circle.slug, circle.organizer.token)).members.items.map((m: { handle: string }) => m.handle),
    ).toEqual(["founder", "wren"]);
  });

  it("keeps the last organizer while others remain", async () => {
    const circle = await foundCircle("last-organizer");
    const code = await createInvitation(gatewayUrl, circle);
    const yarrow = await join(code, "yarrow");
    const leave = (token: string) =>
      graphql(
        gatewayUrl,
        `
          mutation ($circleId: ID!) {
            leaveCircle(circleId: $circleId)
          }
        `,
        { circleId: circle.id },
        bearer(token),
      );
    const refused = await leave(circle.organizer.token);
    expect(refused.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/last organizer.*give the organizer role/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect((await membersOf(circle.slug, circle.organizer.token)).memberCount).toBe(2);
    // Once the others have gone, the last organizer may leave too.
    expect((await leave(yarrow.token)).body.data?.leaveCircle).toBe(true);
    expect((await leave(circle.organizer.token)).body.data?.leaveCircle).toBe(true);
  });
});
