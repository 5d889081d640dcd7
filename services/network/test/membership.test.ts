import {
  bearer,
  circleWithMembers,
  createInvitation,
  foundCircle,
  joinCircle,
  PASSPHRASE,
  dataOrThrow,
  graphql,
} from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";

const gatewayUrl = inject("gatewayUrl");

describe("founding, inviting, joining and logging in", () => {
  it("makes the founder the first organizer and lets invited people join under a handle", async () => {
    const circle = await foundCircle(gatewayUrl, "riverside", "ada");
    const code = await createInvitation(gatewayUrl, circle, 2);
    const bell = await joinCircle(gatewayUrl, code, "bell", "ADVANTAGED");

    const me = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          {
            me {
              memberships {
                handle
                roles
                bloc
                circle {
                  slug
                  memberCount
                  members {
                    items {
                      handle
                      bloc
                    }
                    nextCursor
                  }
                }
              }
            }
          }
        `,
        {},
        bearer(bell.token),
      ),
      "me",
    ).me;
    expect(me.memberships).toHaveLength(1);
    expect(me.memberships[0]).toMatchObject({ handle: "bell", roles: ["MEMBER"], bloc: "ADVANTAGED" });
    expect(me.memberships[0].circle.slug).toBe(circle.slug);
    expect(me.memberships[0].circle.memberCount).toBe(2);
    // Each member sees their own bloc and nobody else's.
    expect(me.memberships[0].circle.members).toEqual({
      items: [
        { handle: "ada", bloc: null },
        { handle: "bell", bloc: "ADVANTAGED" },
      ],
      nextCursor: null,
    });

    const organizer = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          {
            me {
              memberships {
                roles
              }
            }
          }
        `,
        {},
        bearer(circle.organizer.token),
      ),
      "me",
    ).me;
    expect(organizer.memberships[0].roles).toEqual(["MEMBER", "ORGANIZER"]);
  });

  it("logs a member in by circle, handle and passphrase, and refuses a wrong passphrase", async () => {
    const circle = await foundCircle(gatewayUrl, "login", "cedar");
    const login = (passphrase: string, handle = "Cedar") =>
      graphql(
        gatewayUrl,
        `
          mutation ($input: LoginInput!) {
            login(input: $input) {
              token
              expiresAt
              member {
                handle
              }
            }
          }
        `,
        {
          input: { circleSlug: circle.slug, handle, passphrase },
        },
      );

    const ok = dataOrThrow(await login(PASSPHRASE), "login").login;
    expect(ok.member.handle).toBe("cedar");
    expect(new Date(ok.expiresAt).getTime()).toBeGreaterThan(Date.now());
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
        bearer(ok.token),
      ),
      "me",
    ).me;
    expect(me.memberships).toEqual([{ handle: "cedar" }]);

    for (const wrong of [await login("not the passphrase"), await login(PASSPHRASE, "nobody")]) {
      expect(wrong.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      expect(wrong.body.errors?.[0].message).toBe("No member with that handle and passphrase in that circle.");
    }
  });

  it("lets one person belong to several circles with a different handle in each", async () => {
    const first = await foundCircle(gatewayUrl, "first", "dune");
    const second = await foundCircle(gatewayUrl, "second", "organizer");
    const code = await createInvitation(gatewayUrl, second);
    const joined = await joinCircle(gatewayUrl, code, "sandpiper", "EDGE", bearer(first.organizer.token));

    const me = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          {
            me {
              memberships {
                handle
                circle {
                  slug
                }
              }
            }
          }
        `,
        {},
        bearer(joined.token),
      ),
      "me",
    ).me;
    expect(me.memberships).toEqual([
      { handle: "dune", circle: { slug: first.slug } },
      { handle: "sandpiper", circle: { slug: second.slug } },
    ]);
  });

  it("keeps handles unique within a circle, whatever their case", async () => {
    const { circle } = await circleWithMembers(gatewayUrl, ["ember"]);
    const code = await createInvitation(gatewayUrl, circle);
    const response = await graphql(
      gatewayUrl,
      `
        mutation ($input: JoinCircleInput!) {
          joinCircle(input: $input) {
            token
          }
        }
      `,
      {
        input: { code, handle: "EMBER", passphrase: PASSPHRASE, bloc: "EDGE" },
      },
    );
    expect(response.body.errors?.[0].extensions?.code).toBe("CONFLICT");
    const members = dataOrThrow(
      await graphql(
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
        bearer(circle.organizer.token),
      ),
      "members",
    );
    expect(members.circle.members.items).toEqual([{ handle: "ember" }, { handle: "founder" }]);
  });

  it("shows no bloc counts while a circle is in its first cycle, and never one count beside a total", async () => {
    const handles = ["a1", "a2", "a3", "a4", "a5", "a6"];
    const circle = await foundCircle(gatewayUrl, "blocs");
    const code = await createInvitation(gatewayUrl, circle, 10);
    for (const handle of handles) await joinCircle(gatewayUrl, code, handle, handle === "a6" ? "ADVANTAGED" : "EDGE");
    const counts = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          query ($slug: String!) {
            circle(slug: $slug) {
              blocCounts {
                edge
                advantaged
              }
            }
          }
        `,
        { slug: circle.slug },
        bearer(circle.organizer.token),
      ),
      "blocCounts",
    ).circle.blocCounts;
    // Six edge members and one advantaged newcomer: { edge: 6, advantaged: null } and a total of 7 would name the newcomer's bloc.
    expect(counts).toEqual({ edge: null, advantaged: null });
  });

  it("lets an organizer give and take the steward role, but keeps at least one organizer", async () => {
    const { circle, members } = await circleWithMembers(gatewayUrl, ["fern"]);
    const grant = (role: string, memberId: string, token: string) =>
      graphql(
        gatewayUrl,
        `
          mutation ($input: RoleChangeInput!) {
            grantRole(input: $input) {
              handle
              roles
            }
          }
        `,
        { input: { memberId, role } },
        bearer(token),
      );
    expect(
      dataOrThrow(await grant("STEWARD", members.fern.memberId, circle.organizer.token), "grant").grantRole,
    ).toEqual({ handle: "fern", roles: ["MEMBER", "STEWARD"] });
    expect(
      (await grant("STEWARD", circle.organizer.memberId, members.fern.token)).body.errors?.[0].extensions?.code,
    ).toBe("FORBIDDEN");
    const revoke = await graphql(
      gatewayUrl,
      `
        mutation ($input: RoleChangeInput!) {
          revokeRole(input: $input) {
            roles
          }
        }
      `,
      { input: { memberId: circle.organizer.memberId, role: "ORGANIZER" } },
      bearer(circle.organizer.token),
    );
    expect(revoke.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("guessing passphrases", () => {
  it("is refused after 5 failures for a handle, even with the right passphrase, while other handles are unaffected", async () => {
    const { circle } = await circleWithMembers(gatewayUrl, ["juniper", "kestrel"]);
    const login = (handle: string, passphrase: string) =>
      graphql(
        gatewayUrl,
        `
          mutation ($input: LoginInput!) {
            login(input: $input) {
              token
            }
          }
        `,
        { input: { circleSlug: circle.slug, handle, passphrase } },
      );

    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await login("juniper", `guess number ${attempt}`)).body.errors?.[0].message).toBe(
        "No member with that handle and passphrase in that circle.",
      );
    }
    const locked = await login("juniper", PASSPHRASE);
    expect(locked.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Too many failed logins.*15 minutes/),
      extensions: { code: "UNAUTHENTICATED" },
    });
    expect(locked.body.data?.login).toBeFalsy();

    expect((await login("kestrel", PASSPHRASE)).body.data?.login.token).toBeTruthy();
  });

  it("locks unknown handles the same way, so a refusal reveals nothing", async () => {
    const circle = await foundCircle(gatewayUrl, "unknown-handles");
    const login = (passphrase: string) =>
      graphql(
        gatewayUrl,
        `
          mutation ($input: LoginInput!) {
            login(input: $input) {
              token
            }
          }
        `,
        { input: { circleSlug: circle.slug, handle: "nobody-here", passphrase } },
      );
    for (let attempt = 1; attempt <= 5; attempt++) await login(`guess ${attempt}`);
    expect((await login(PASSPHRASE)).body.errors?.[0].message).toMatch(/Too many failed logins/);
  });

  it("forgets earlier failures after a successful login", async () => {
    const circle = await foundCircle(gatewayUrl, "forgiving", "lark");
    const login = (passphrase: string) =>
      graphql(
        gatewayUrl,
        `
          mutation ($input: LoginInput!) {
            login(input: $input) {
              token
            }
          }
        `,
        { input: { circleSlug: circle.slug, handle: "lark", passphrase } },
      );
    for (let attempt = 1; attempt <= 4; attempt++) await login(`typo ${attempt}`);
    expect((await login(PASSPHRASE)).body.data?.login.token).toBeTruthy();
    for (let attempt = 1; attempt <= 4; attempt++) await login(`typo again ${attempt}`);
    expect((await login(PASSPHRASE)).body.data?.login.token).toBeTruthy();
  });
});

describe("paging", () => {
  it("pages through a circle's members by handle with opaque cursors, and refuses a cursor it never gave out", async () => {
    const { circle } = await circleWithMembers(gatewayUrl, ["Oak", "ash", "elm", "birch"]);
    const page = async (after?: string) =>
      dataOrThrow(
        await graphql(
          gatewayUrl,
          `
            query ($slug: String!, $after: String) {
              circle(slug: $slug) {
                members(first: 2, after: $after) {
                  items {
                    handle
                  }
                  nextCursor
                }
              }
            }
          `,
          { slug: circle.slug, after },
          bearer(circle.organizer.token),
        ),
        "members page",
      ).circle.members as { items: Array<{ handle: string }>; nextCursor: string | null };
    const first = await page();
    expect(first.nextCursor).not.toContain("birch");
    const second = await page(first.nextCursor!);
    const third = await page(second.nextCursor!);
    expect([...first.items, ...second.items, ...third.items].map((m) => m.handle)).toEqual([
      "ash",
      "birch",
      "elm",
      "founder",
      "Oak",
    ]);
    expect(third.nextCursor).toBeNull();

    const forged = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            members(first: 2, after: "birch") {
              items {
                handle
              }
            }
          }
        }
      `,
      { slug: circle.slug },
      bearer(circle.organizer.token),
    );
    expect(forged.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/cursor/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    const tooMany = await graphql(
      gatewayUrl,
      `
        query ($slug: String!) {
          circle(slug: $slug) {
            members(first: 501) {
              items {
                handle
              }
            }
          }
        }
      `,
      { slug: circle.slug },
      bearer(circle.organizer.token),
    );
    expect(tooMany.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("pages through circles, invitations and API keys the same way", async () => {
    const circle = await foundCircle(gatewayUrl, "paged");
    for (let i = 0; i < 3; i++) await createInvitation(gatewayUrl, circle);
    for (const name of ["one", "two", "three"]) {
      await graphql(
        gatewayUrl,
        `
          mutation ($input: CreateApiKeyInput!) {
            createApiKey(input: $input) {
              key
            }
          }
        `,
        { input: { circleId: circle.id, name } },
        bearer(circle.organizer.token),
      );
    }
    const list = async (field: "invitations" | "apiKeys", after?: string) =>
      dataOrThrow(
        await graphql(
          gatewayUrl,
          `query ($slug: String!, $after: String) { circle(slug: $slug) { ${field}(first: 2, after: $after) { items { id } nextCursor } } }`,
          { slug: circle.slug, after },
          bearer(circle.organizer.token),
        ),
        field,
      ).circle[field] as { items: Array<{ id: string }>; nextCursor: string | null };
    for (const field of ["invitations", "apiKeys"] as const) {
      const first = await list(field);
      const second = await list(field, first.nextCursor!);
      expect(first.items).toHaveLength(2);
      expect(second).toMatchObject({ items: [expect.anything()], nextCursor: null });
      expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(3);
    }

    // Circles: from just before this circle's slug, the first page starts with it.
    const justBefore = Buffer.from(JSON.stringify([circle.slug.slice(0, -1)])).toString("base64url");
    const circles = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          query ($after: String) {
            circles(first: 1, after: $after) {
              items {
                slug
              }
              nextCursor
            }
          }
        `,
        { after: justBefore },
      ),
      "circles",
    ).circles;
    expect(circles.items).toEqual([{ slug: circle.slug }]);
  });
});
