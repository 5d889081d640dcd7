import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { encodeCursor } from "@rhizome/kit";
import {
  metricValue,
  startTestService,
  type TestService,
  bearer,
  createInvitation,
  joinCircle,
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
