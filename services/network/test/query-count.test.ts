import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { encodeCursor } from "@rhizome/kit";
import {
  metricValue,
  startTestService,
  type TestService,
  bearer,
  createInvitation,
  joinCircle,
  foundCircle,
  PASSPHRASE,
  uniqueSlug,
  dataOrThrow,
  graphql,
} from "@rhizome/kit/testing";
import type { NetworkConfig } from "../src/config.js";
import { networkService } from "../src/service.js";

const gatewayUrl = inject("gatewayUrl");
const CIRCLES_OF_ONE_PERSON = 4;
const MEMBERS_JOINING_EACH = 3;

// A network process of its own, so the SQL statements it counts are this test's alone.
let network: TestService<NetworkConfig>;
beforeAll(async () => {
  network = await startTestService(networkService, { env: { ROLE: "api" } });
});
afterAll(() => network?.stop());

describe("lists of many circles", () => {
  it("cost a bounded number of queries, not some per circle", async () => {
    // One person founds several circles next to each other in slug order, and others join each.
    const base = uniqueSlug("counted");
    const found = (slug: string, token?: string) =>
      graphql(
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
              }
              token
            }
          }
        `,
        {
          input: { name: `Circle ${slug}`, slug, founderHandle: "founder", passphrase: PASSPHRASE },
        },
        token ? bearer(token) : {},
      );
    const first = dataOrThrow(await found(`${base}-0`), "found").createCircle;
    const circles = [
      {
        id: first.circle.id,
        slug: first.circle.slug,
        organizer: { token: first.token, memberId: first.member.id, handle: "founder" },
      },
    ];
    for (let i = 1; i < CIRCLES_OF_ONE_PERSON; i++) {
      const next = dataOrThrow(await found(`${base}-${i}`, first.token), "found").createCircle;
      circles.push({
        id: next.circle.id,
        slug: next.circle.slug,
        organizer: { token: first.token, memberId: next.member.id, handle: "founder" },
      });
    }
    for (const circle of circles) {
      const code = await createInvitation(gatewayUrl, circle, MEMBERS_JOINING_EACH);
      for (let j = 0; j < MEMBERS_JOINING_EACH; j++) await joinCircle(gatewayUrl, code, `m${j}`);
    }

    // Start just before the person's circles; every circle after them is on the page too, and only refuses its private fields.
    const after = encodeCursor([base]);
    const before = await metricValue(network, "rhizome_db_queries_total");
    const result = await graphql(
      network.url,
      `
        query ($after: String) {
          circles(first: 500, after: $after) {
            items {
              slug
              memberCount
              members(first: 10) {
                items {
                  handle
                }
                nextCursor
              }
              invitations(first: 5) {
                items {
                  uses
                }
              }
              apiKeys(first: 5) {
                items {
                  id
                }
              }
            }
          }
        }
      `,
      { after },
      bearer(first.token),
    );
    const executed = (await metricValue(network, "rhizome_db_queries_total")) - before;

    // Circles of other tests refuse their members and invitations to this person, and nothing else goes wrong.
    expect((result.body.errors ?? []).filter((error) => error.extensions?.code !== "FORBIDDEN")).toEqual([]);
    const items = (
      result.body.data?.circles as {
        items: Array<{ slug: string; memberCount: number; members: { items: Array<{ handle: string }> } | null }>;
      }
    ).items;
    const own = items.filter((item) => item.slug.startsWith(`${base}-`));
    expect(own).toHaveLength(CIRCLES_OF_ONE_PERSON);
    for (const circle of own) {
      expect(circle.memberCount).toBe(MEMBERS_JOINING_EACH + 1);
      expect(circle.members?.items.map((m) => m.handle)).toEqual(["founder", "m0", "m1", "m2"]);
    }
    // The caller's memberships, the circles, then one query per kind of list: members, invitations, API keys, counts.
    expect(executed).toBeGreaterThanOrEqual(3);
    expect(executed).toBeLessThanOrEqual(6);
  });
});

describe("a member's own memberships", () => {
  it("cost one SQL statement, read as the database holds them now: a circle left is gone at once", async () => {
    const circle = await foundCircle(gatewayUrl, "me-once");
    const joined = await joinCircle(gatewayUrl, await createInvitation(gatewayUrl, circle, 1), "stays-briefly");
    const me = `{ me { memberships { handle } } }`;

    const before = await metricValue(network, "rhizome_db_queries_total");
    const first = await graphql(network.url, me, {}, bearer(joined.token));
    expect((await metricValue(network, "rhizome_db_queries_total")) - before).toBe(1);
    expect(first.body.data?.me.memberships.map((m: { handle: string }) => m.handle)).toEqual(["stays-briefly"]);

    dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          mutation ($id: ID!) {
            leaveCircle(circleId: $id)
          }
        `,
        { id: circle.id },
        bearer(joined.token),
      ),
      "leave",
    );
    // The same token, issued before leaving: network reads the memberships again, not from the token.
    const after = await graphql(network.url, me, {}, bearer(joined.token));
    expect(after.body.data?.me.memberships).toEqual([]);
  });
});

describe("a circle's public face", () => {
  it("costs one SQL statement the first time a process reads it and none after, and a circle founded later is found at once", async () => {
    const slug = uniqueSlug("known");
    const bySlug = `query ($slug: String!) { circle(slug: $slug) { id slug name } }`;
    const statements = async (read: () => Promise<unknown>) => {
      const before = await metricValue(network, "rhizome_db_queries_total");
      await read();
      return (await metricValue(network, "rhizome_db_queries_total")) - before;
    };
    // Asked for before it exists: null, and not remembered as missing.
    expect((await graphql(network.url, bySlug, { slug })).body.data?.circle).toBeNull();
    const founded = dataOrThrow(
      await graphql(
        gatewayUrl,
        `
          mutation ($input: CreateCircleInput!) {
            createCircle(input: $input) {
              circle {
                id
              }
              member {
                id
              }
              token
            }
          }
        `,
        { input: { name: `Circle ${slug}`, slug, founderHandle: "founder", passphrase: PASSPHRASE } },
      ),
      "found",
    ).createCircle;
    const face = { id: founded.circle.id, slug, name: `Circle ${slug}` };

    let answer: unknown;
    expect(await statements(async () => (answer = (await graphql(network.url, bySlug, { slug })).body.data))).toBe(1);
    expect(answer).toEqual({ circle: face });
    expect(await statements(async () => (answer = (await graphql(network.url, bySlug, { slug })).body.data))).toBe(0);
    expect(answer).toEqual({ circle: face });
    // Through a membership: only the caller's memberships are read; the circle is known.
    const me = `{ me { memberships { id circle { id slug name } } } }`;
    expect(
      await statements(async () => (answer = (await graphql(network.url, me, {}, bearer(founded.token))).body.data)),
    ).toBe(1);
    expect(answer).toEqual({ me: { memberships: [{ id: founded.member.id, circle: face }] } });
  });
});
