import { bearer, circleWithMembers, eventually, graphql } from "@rhizome/kit/testing";
import { describe, expect, inject, it } from "vitest";

const gatewayUrl = inject("gatewayUrl");
const networkSubgraphUrl = `${inject("serviceUrls").network}/graphql`;

type Session = { token: string; memberId: string };

async function data(query: string, variables: Record<string, unknown>, session?: Session) {
  const response = await graphql(gatewayUrl, query, variables, session ? bearer(session.token) : {});
  if (response.body.errors?.length) throw new Error(`${query}: ${JSON.stringify(response.body.errors)}`);
  return response.body.data;
}

/** Barter learns circles and members from network's events: retry what needs them until it has. */
function once<T>(work: () => Promise<T>, what: string): Promise<T> {
  return eventually(() => work().catch(() => undefined), what);
}

const PROPOSE_LINK = `mutation ($input: ProposeSisterLinkInput!) { proposeSisterLink(input: $input) { id } }`;
const ACCEPT_LINK = `mutation ($circleId: ID!, $linkId: ID!) { acceptSisterLink(circleId: $circleId, linkId: $linkId) { status } }`;
const PUBLISH = `mutation ($input: PublishListingInput!) { publishListing(input: $input) { id } }`;
const PROPOSE = `mutation ($input: ProposeSisterExchangeInput!) { proposeSisterExchange(input: $input) { id counterpart { handle } } }`;
const CONFIRM = `mutation ($id: ID!) { confirmSisterExchange(exchangeId: $id) { id status proposedCycle counterpart { id } } }`;
const MINE = `query ($circleId: ID!) { sisterExchanges(circleId: $circleId) { items { id status counterpart { id handle } } } }`;
const COUNTERPART_ENTITY = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on SisterCounterpart { id handle } } }`;
const MEMBER_ENTITY = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Member { id handle } } }`;
const SUMMARY = `query ($slug: String!, $cycle: String) { circle(slug: $slug) { barterSummary(cycle: $cycle) { minutesGivenToSisters minutesReceivedFromSisters } } }`;

describe("sister exchanges through the gateway", () => {
  it("name each party's counterpart to the two of them once both consented, and to nobody else by any path", async () => {
    const a = await circleWithMembers(gatewayUrl, ["alder", "ash", "aspen"], "sisters-a");
    const b = await circleWithMembers(gatewayUrl, ["birch", "beech"], "sisters-b");
    const c = await circleWithMembers(gatewayUrl, ["cedar"], "sisters-c");
    const { alder, ash, aspen } = a.members;
    const { birch, beech } = b.members;
    const aOrganizer = a.circle.organizer;
    const bOrganizer = b.circle.organizer;

    const link = await once(
      () =>
        data(
          PROPOSE_LINK,
          { input: { circleId: a.circle.id, sisterCircleId: b.circle.id, balanceLimitMinutes: 600 } },
          aOrganizer,
        ),
      "barter to learn both circles",
    );
    await data(ACCEPT_LINK, { circleId: b.circle.id, linkId: link.proposeSisterLink.id }, bOrganizer);

    /** `receiver` proposes against an offer `provider` shows to sisters; the provider confirms. */
    async function exchange(
      provider: Session,
      providerCircleId: string,
      receiver: Session,
      receiverCircleId: string,
      minutes: number,
    ) {
      const offer = await once(
        () =>
          data(
            PUBLISH,
            {
              input: {
                circleId: providerCircleId,
                kind: "OFFER",
                skills: ["repair"],
                description: "Mending",
                visibleToSisters: true,
              },
            },
            provider,
          ),
        "barter to learn the provider",
      );
      const proposed = await once(
        () =>
          data(
            PROPOSE,
            { input: { circleId: receiverCircleId, listingId: offer.publishListing.id, minutes } },
            receiver,
          ),
        "barter to learn the receiver",
      );
      // Proposed is not consented: nobody is named yet.
      expect(proposed.proposeSisterExchange.counterpart).toBeNull();
      const pending = (await data(MINE, { circleId: providerCircleId }, provider)).sisterExchanges.items;
      expect(pending.find((x: { id: string }) => x.id === proposed.proposeSisterExchange.id)).toEqual({
        id: proposed.proposeSisterExchange.id,
        status: "PENDING",
        counterpart: null,
      });
      const confirmed = (await data(CONFIRM, { id: proposed.proposeSisterExchange.id }, provider))
        .confirmSisterExchange;
      expect(confirmed).toMatchObject({ status: "CONFIRMED", counterpart: { id: confirmed.id } });
      return confirmed as { id: string; proposedCycle: string };
    }

    const first = await exchange(alder, a.circle.id, birch, b.circle.id, 30);
    // Network learns the two parties from barter's events: each then reads the other's handle.
    const seenBy = async (member: Session, circleId: string) =>
      eventually(async () => {
        const items = (await data(MINE, { circleId }, member)).sisterExchanges.items;
        return items[0]?.counterpart ? items[0] : undefined;
      }, "network to learn the sister exchange");
    expect(await seenBy(birch, b.circle.id)).toEqual({
      id: first.id,
      status: "CONFIRMED",
      counterpart: { id: first.id, handle: "alder" },
    });
    expect(await seenBy(alder, a.circle.id)).toEqual({
      id: first.id,
      status: "CONFIRMED",
      counterpart: { id: first.id, handle: "birch" },
    });

    // Nobody else reads it: another member of either circle, the organizers, a member of an unlinked circle.
    const representations = [{ __typename: "SisterCounterpart", id: first.id }];
    for (const outsider of [ash, beech, aOrganizer, bOrganizer, c.members.cedar]) {
      const entities = await graphql(
        networkSubgraphUrl,
        COUNTERPART_ENTITY,
        { representations },
        bearer(outsider.token),
      );
      expect(entities.body.data?._entities).toEqual([null]);
      expect(JSON.stringify(entities.body)).not.toMatch(/alder|birch/);
    }
    for (const [outsider, circleId] of [
      [ash, a.circle.id],
      [beech, b.circle.id],
    ] as const) {
      expect((await data(MINE, { circleId }, outsider)).sisterExchanges.items).toEqual([]);
    }
    const asParty = await graphql(networkSubgraphUrl, COUNTERPART_ENTITY, { representations }, bearer(birch.token));
    expect(asParty.body.data?._entities).toEqual([{ id: first.id, handle: "alder" }]);
    // Anonymous callers and keys that are no exchange's id read nothing and break nothing.
    expect(
      (await graphql(networkSubgraphUrl, COUNTERPART_ENTITY, { representations }, {})).body.data?._entities,
    ).toEqual([null]);
    const nonsense = await graphql(
      networkSubgraphUrl,
      COUNTERPART_ENTITY,
      { representations: [{ __typename: "SisterCounterpart", id: "alder" }] },
      bearer(birch.token),
    );
    expect(nonsense.status).toBe(200);
    expect(nonsense.body.data?._entities).toEqual([null]);
    // The counterpart is one handle in one exchange, not the member: the rest of them stays closed.
    const member = await graphql(
      networkSubgraphUrl,
      MEMBER_ENTITY,
      { representations: [{ __typename: "Member", id: alder.memberId }] },
      bearer(birch.token),
    );
    expect(member.body.data?._entities).toEqual([null]);

    // The cycle summary reports sister trade each way only once 5 distinct members stand behind it.
    const summaryOf = async (slug: string, member: Session) =>
      (await data(SUMMARY, { slug, cycle: first.proposedCycle }, member)).circle.barterSummary;
    expect(await summaryOf(a.circle.slug, ash)).toEqual({
      minutesGivenToSisters: null,
      minutesReceivedFromSisters: null,
    });
    await exchange(ash, a.circle.id, beech, b.circle.id, 45);
    expect(await summaryOf(a.circle.slug, ash)).toEqual({
      minutesGivenToSisters: null,
      minutesReceivedFromSisters: null,
    });
    await exchange(beech, b.circle.id, aspen, a.circle.id, 60);
    expect(await summaryOf(a.circle.slug, ash)).toEqual({ minutesGivenToSisters: 75, minutesReceivedFromSisters: 60 });
    expect(await summaryOf(b.circle.slug, beech)).toEqual({
      minutesGivenToSisters: 60,
      minutesReceivedFromSisters: 75,
    });
    // A member of an unlinked circle reads no current cycle of either.
    const refused = await graphql(
      gatewayUrl,
      SUMMARY,
      { slug: a.circle.slug, cycle: first.proposedCycle },
      bearer(c.members.cedar.token),
    );
    expect(refused.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(refused.body.data?.circle).toEqual({ barterSummary: null });
  });
});
