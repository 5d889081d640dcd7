import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DataSource } from "typeorm";
import { barterDatabase, closeBarterDatabase } from "./support/database.js";
import { subgraphUrl } from "@rhizome/kit/testing";
import { eventually } from "@rhizome/kit/testing";
import { cycleContaining } from "@rhizome/kit";

// The whole path a member takes: network founds the circle and lets people join, its outbox tells
// barter (member.joined on barter.inbox), and the gateway joins both subgraphs in one query.
// eslint-disable-next-line no-restricted-syntax -- vitest types inject by the keys of one ProvidedContext; this reads keys the global setup provides
const read = inject as unknown as (key: string) => unknown;
const gatewayUrl = read("gatewayUrl") as string | undefined;
const networkBaseUrl = (read("serviceUrls") as Record<string, string> | undefined)?.network;
const PASSPHRASE = "a long enough passphrase";

async function gateway(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(gatewayUrl!, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

async function data(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const result = await gateway(query, variables, token);
  if (result.errors?.length) throw new Error(`Gateway query failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

let db: DataSource;

beforeAll(async () => {
  db = await barterDatabase();
});

afterAll(async () => {
  await closeBarterDatabase();
});

describe("barter through the gateway", () => {
  it("from joining a circle to an exchange both members see, with balances only for their owner", async () => {
    // A hub whose gateway does not serve barter is broken, not a reason to skip.
    expect(gatewayUrl, "the test setup provides the gateway's URL").toBeTruthy();
    expect((await gateway(`{ barterStarterSkills }`)).errors, "the gateway's supergraph serves barter").toBeUndefined();
    const slug = `barter-${randomBytes(4).toString("hex")}`;
    const founded = await data(
      `mutation Found($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } member { id } token } }`,
      { input: { name: `Circle ${slug}`, slug, founderHandle: "ada", passphrase: PASSPHRASE } },
    );
    const circleId: string = founded.createCircle.circle.id;
    const ada = { memberId: founded.createCircle.member.id as string, token: founded.createCircle.token as string };
    const invited = await data(
      `mutation Invite($input: CreateInvitationInput!) { createInvitation(input: $input) { code } }`,
      { input: { circleId, maxUses: 1 } },
      ada.token,
    );
    const joined = await data(
      `mutation Join($input: JoinCircleInput!) { joinCircle(input: $input) { token member { id } } }`,
      {
        input: { code: invited.createInvitation.code, handle: "bell", passphrase: PASSPHRASE, bloc: "EDGE" },
      },
    );
    const bell = { memberId: joined.joinCircle.member.id as string, token: joined.joinCircle.token as string };

    await eventually(async () => {
      const [{ count }] = await db.query(`SELECT count(*) FROM accounts WHERE member_id = ANY($1::uuid[])`, [
        [ada.memberId, bell.memberId],
      ]);
      return Number(count) === 2 ? true : undefined;
    }, "network's member.joined events to reach barter");

    const proposed = await data(
      `mutation Propose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { id provider { handle } receiver { handle } } }`,
      {
        input: {
          circleId,
          providerMemberId: ada.memberId,
          receiverMemberId: bell.memberId,
          minutes: 90,
          skill: "bike repair",
        },
      },
      ada.token,
    );
    expect(proposed.proposeExchange).toMatchObject({ provider: { handle: "ada" }, receiver: { handle: "bell" } });
    await data(
      `mutation Confirm($id: ID!) { confirmExchange(exchangeId: $id) { status } }`,
      { id: proposed.proposeExchange.id },
      bell.token,
    );

    const seenByBell = await data(
      `query Circle($slug: String!) { circle(slug: $slug) { name barterSettings { floorMinutes } members { items { handle balance { minutes } } } } }`,
      { slug },
      bell.token,
    );
    expect(seenByBell.circle.barterSettings).toEqual({ floorMinutes: -600 });
    expect(
      Object.fromEntries(
        seenByBell.circle.members.items.map((m: { handle: string; balance: { minutes: number } | null }) => [
          m.handle,
          m.balance,
        ]),
      ),
    ).toEqual({
      ada: null,
      bell: { minutes: -90 },
    });
    const adaSelf = await data(`{ me { memberships { handle balance { minutes } } } }`, {}, ada.token);
    expect(adaSelf.me.memberships).toEqual([{ handle: "ada", balance: { minutes: 90 } }]);
    const publicSummary = await data(
      `query Circle($slug: String!) { circle(slug: $slug) { barterSummary { isClosed participantCount } } }`,
      { slug },
    );
    expect(publicSummary.circle.barterSummary).toEqual({ isClosed: true, participantCount: null });
  });
});

describe("barter for third-party clients", () => {
  it("lets an API key read a closed cycle's summary, checked with network, but not the current one", async () => {
    expect(networkBaseUrl, "the test setup runs network").toBeTruthy();
    const network = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const response = await fetch(new URL("/graphql", networkBaseUrl), {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
      const result = (await response.json()) as { data?: any; errors?: unknown[] };
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    const slug = `barter-key-${randomBytes(4).toString("hex")}`;
    const founded = await network(
      `mutation Found($input: CreateCircleInput!) { createCircle(input: $input) { circle { id } token } }`,
      {
        input: { name: `Circle ${slug}`, slug, founderHandle: "ada", passphrase: PASSPHRASE },
      },
    );
    const circleId: string = founded.createCircle.circle.id;
    const created = await network(
      `mutation Key($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
      { input: { circleId, name: "mural" } },
      founded.createCircle.token,
    );
    const apiKey: string = created.createApiKey.key;

    const SUMMARY = `query Summary($id: ID!, $cycle: String) { _entities(representations: [{ __typename: "Circle", id: $id }]) { ... on Circle { barterSummary(cycle: $cycle) { cycle isClosed } } } }`;
    const asClient = async (variables: Record<string, unknown>, key = apiKey) => {
      const response = await fetch(subgraphUrl("barter"), {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify({ query: SUMMARY, variables }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read in the shape each caller expects, as GraphQL clients do
      return (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
    };
    const closed = await asClient({ id: circleId, cycle: null });
    expect(closed.data._entities[0].barterSummary).toMatchObject({ isClosed: true });
    // The hub runs on the real clock: ask again in the unlikely case a new moon passed meanwhile.
    let current;
    for (let attempt = 0; attempt < 2; attempt++) {
      const label = cycleContaining(new Date()).label;
      current = await asClient({ id: circleId, cycle: label });
      if (cycleContaining(new Date()).label === label) break;
    }
    expect(current!.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    const unknown = await asClient({ id: circleId, cycle: null }, "rk_not-a-real-key");
    expect(unknown.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});
