import fc from "fast-check";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { followingCycle } from "@rhizome/kit";
import { expireCircleCycle } from "../src/jobs/expire-circle-cycle.js";
import { publishListing } from "./support/actions.js";
import {
  acceptSisterLink,
  decideSisterExchange,
  endSisterLink,
  proposeSisterExchange,
  proposeSisterLink,
} from "./support/sisters.js";
import { createCircle, type TestCircle, type TestMember } from "./support/circles.js";
import { FIXED_CYCLE, FIXED_NOW } from "./support/clock.js";
import { auditLedger, ledgerSnapshot, memberBalance } from "./support/database.js";
import { eventsAbout } from "./support/events.js";
import { failWith, succeed } from "./support/graphql.js";
import { hoursAfter } from "./support/ledger.js";
import { useBarterDatabase } from "./support/lifecycle.js";

let db: DataSource;
useBarterDatabase((opened) => (db = opened));

const BALANCED = { balancesNotMatchingEntries: [], unbalancedTransfers: [], totalMinutes: 0 };
const membershipOf = (member: TestMember) => ({
  circleId: member.circleId,
  memberId: member.memberId,
  roles: member.roles,
});
const organizerOf = (circle: TestCircle) => membershipOf(circle.members[0]);

/** Two circles linked as sisters at FIXED_NOW, with a balance-of-trade limit. */
async function sisters(size: number, balanceLimitMinutes: number, at = FIXED_CYCLE.startsAt) {
  const first = await createCircle(db, size, { openedAt: at });
  const second = await createCircle(db, size, { openedAt: at });
  const link = await proposeSisterLink(
    db,
    {
      circleId: first.circleId,
      organizerMemberId: first.members[0].memberId,
      sisterCircleId: second.circleId,
      balanceLimitMinutes,
    },
    at,
  );
  await acceptSisterLink(db, link.id, organizerOf(second), at);
  return { first, second, linkId: link.id };
}

async function offer(member: TestMember, at = FIXED_NOW, isVisibleToSisters = true) {
  return publishListing(
    db,
    {
      circleId: member.circleId,
      memberId: member.memberId,
      kind: "OFFER",
      skills: ["repair"],
      description: "Fixing bikes",
      isVisibleToSisters,
    },
    at,
  );
}

/** `receiver` (of another circle) proposes against `provider`'s offer; the provider confirms at `at`. */
async function sisterExchange(provider: TestMember, receiver: TestMember, minutes: number, at = FIXED_NOW) {
  const listing = await offer(provider, at);
  const proposed = await proposeSisterExchange(
    db,
    { circleId: receiver.circleId, memberId: receiver.memberId, listingId: listing.id, minutes, skill: null, note: "" },
    at,
  );
  return decideSisterExchange(db, {
    exchangeId: proposed.id,
    action: "confirm",
    memberships: [membershipOf(provider)],
    clock: () => at,
  });
}

async function clearingBalances(circleId: string, cycle: string): Promise<number[]> {
  const rows: Array<{ balance_minutes: number }> = await db.query(
    `SELECT c.balance_minutes FROM accounts a JOIN account_cycles c ON c.account_id = a.id AND c.cycle = $2 WHERE a.circle_id = $1 AND a.kind = 'CLEARING'`,
    [circleId, cycle],
  );
  return rows.map((r) => r.balance_minutes);
}

function codeOf(error: unknown): string {
  if (error instanceof GraphQLError) return String(error.extensions.code);
  throw error;
}

describe("sister circles clearing credits", () => {
  it("keep each circle's ledger balanced: members move, and each circle's clearing account for the other takes the other side", async () => {
    const { first, second } = await sisters(2, 600);
    const [ada] = first.members;
    const [bo] = second.members;
    const confirmed = await sisterExchange(ada, bo, 90);
    expect(confirmed.status).toBe("CONFIRMED");
    expect(await memberBalance(db, ada.memberId)).toBe(90);
    expect(await memberBalance(db, bo.memberId)).toBe(-90);
    expect(await clearingBalances(first.circleId, FIXED_CYCLE.label)).toEqual([-90]);
    expect(await clearingBalances(second.circleId, FIXED_CYCLE.label)).toEqual([90]);
    expect(await auditLedger(db, first.circleId)).toEqual(BALANCED);
    expect(await auditLedger(db, second.circleId)).toEqual(BALANCED);
    // Each circle's consumers hear of their own member only.
    expect(await eventsAbout(db, "exchange.confirmed", first.circleId)).toEqual([
      {
        circleId: first.circleId,
        exchangeId: confirmed.id,
        cycle: FIXED_CYCLE.label,
        minutes: 90,
        memberIds: [ada.memberId],
      },
    ]);
    expect((await eventsAbout(db, "exchange.confirmed", second.circleId)).map((e) => e.memberIds)).toEqual([
      [bo.memberId],
    ]);
  });

  it("refuse an exchange past the balance-of-trade limit with a message that says it, even when confirmations race", async () => {
    const { first, second } = await sisters(6, 60);
    const providers = first.members.slice(1);
    const receiver = second.members[1];
    const proposals = await Promise.all(
      providers.map(async (provider) => {
        const listing = await offer(provider);
        return proposeSisterExchange(
          db,
          {
            circleId: second.circleId,
            memberId: receiver.memberId,
            listingId: listing.id,
            minutes: 25,
            skill: null,
            note: "",
          },
          FIXED_NOW,
        );
      }),
    );
    const outcomes = await Promise.allSettled(
      proposals.map((p, i) =>
        decideSisterExchange(db, {
          exchangeId: p.id,
          action: "confirm",
          memberships: [membershipOf(providers[i])],
          clock: () => FIXED_NOW,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(2);
    for (const refused of outcomes.filter((o) => o.status === "rejected")) {
      expect(codeOf(refused.reason)).toBe("BAD_USER_INPUT");
      expect(String(refused.reason.message)).toMatch(
        /balance of trade between the two circles beyond the limit of 1h both organizers set/,
      );
    }
    expect(await clearingBalances(first.circleId, FIXED_CYCLE.label)).toEqual([-50]);
    expect(await auditLedger(db, first.circleId)).toEqual(BALANCED);
    expect(await auditLedger(db, second.circleId)).toEqual(BALANCED);
  });

  it("expire their clearing accounts at the new moon like every other account", async () => {
    const { first, second } = await sisters(2, 600);
    await sisterExchange(first.members[1], second.members[1], 45);
    for (const circle of [first, second]) {
      await expireCircleCycle(db, circle.circleId, FIXED_CYCLE.label, { now: FIXED_CYCLE.endsAt });
      expect(await auditLedger(db, circle.circleId)).toEqual(BALANCED);
      const [{ held }] = await db.query(
        `SELECT COALESCE(sum(e.amount_minutes), 0) AS held FROM entries e JOIN accounts a ON a.id = e.account_id WHERE a.circle_id = $1 AND a.kind <> 'COMMONS'`,
        [circle.circleId],
      );
      expect(Number(held)).toBe(0);
    }
  });

  it("a link ended mid-cycle takes effect once the balance of trade is settled, and ends at the new moon otherwise", async () => {
    const settled = await sisters(2, 600);
    await sisterExchange(settled.first.members[1], settled.second.members[1], 30);
    // Proposed the other way before the link is ended: confirming it settles the balance of trade.
    const backOffer = await offer(settled.second.members[1]);
    const settling = await proposeSisterExchange(
      db,
      {
        circleId: settled.first.circleId,
        memberId: settled.first.members[1].memberId,
        listingId: backOffer.id,
        minutes: 30,
        skill: null,
        note: "",
      },
      FIXED_NOW,
    );
    const ending = await endSisterLink(db, settled.linkId, organizerOf(settled.second), () => hoursAfter(FIXED_NOW, 1));
    expect(ending.status).toBe("ENDING");
    // No new proposals against the sister's listings, but an exchange that settles still goes through.
    const listing = await offer(settled.first.members[1], hoursAfter(FIXED_NOW, 1));
    await expect(
      proposeSisterExchange(
        db,
        {
          circleId: settled.second.circleId,
          memberId: settled.second.members[1].memberId,
          listingId: listing.id,
          minutes: 10,
          skill: null,
          note: "",
        },
        hoursAfter(FIXED_NOW, 1),
      ),
    ).rejects.toThrow(/No listing with that id is open to your circle/);
    await decideSisterExchange(db, {
      exchangeId: settling.id,
      action: "confirm",
      memberships: [membershipOf(settled.second.members[1])],
      clock: () => hoursAfter(FIXED_NOW, 2),
    });
    const [{ status: afterSettling }] = await db.query(`SELECT status FROM sister_links WHERE id = $1`, [
      settled.linkId,
    ]);
    expect(afterSettling).toBe("ENDED");
    expect(await auditLedger(db, settled.first.circleId)).toEqual(BALANCED);

    const unsettled = await sisters(2, 600);
    await sisterExchange(unsettled.first.members[1], unsettled.second.members[1], 30);
    expect(
      (await endSisterLink(db, unsettled.linkId, organizerOf(unsettled.first), () => hoursAfter(FIXED_NOW, 1))).status,
    ).toBe("ENDING");
    await expireCircleCycle(db, unsettled.first.circleId, FIXED_CYCLE.label, { now: FIXED_CYCLE.endsAt });
    const [{ status }] = await db.query(`SELECT status FROM sister_links WHERE id = $1`, [unsettled.linkId]);
    expect(status).toBe("ENDED");

    const untraded = await sisters(2, 600);
    expect((await endSisterLink(db, untraded.linkId, organizerOf(untraded.first), () => FIXED_NOW)).status).toBe(
      "ENDED",
    );
  });

  it("hold double entry, mirrored clearing accounts and both limits under random stories over many cycles", async () => {
    const cycles = [FIXED_CYCLE, followingCycle(FIXED_CYCLE), followingCycle(followingCycle(FIXED_CYCLE))];
    const step = fc.record({
      from: fc.nat({ max: 2 }),
      to: fc.nat({ max: 2 }),
      forward: fc.boolean(),
      minutes: fc.integer({ min: 1, max: 120 }),
      cycle: fc.nat({ max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 3, maxLength: 12 }),
        fc.integer({ min: 30, max: 240 }),
        async (story, limit) => {
          const { first, second } = await sisters(3, limit);
          const ordered = [...story].sort((a, b) => a.cycle - b.cycle);
          let expired = -1;
          for (const [index, s] of ordered.entries()) {
            while (expired < s.cycle - 1) {
              expired++;
              for (const circle of [first, second])
                await expireCircleCycle(db, circle.circleId, cycles[expired].label, { now: cycles[expired].endsAt });
            }
            const [provider, receiver] = s.forward
              ? [first.members[s.from], second.members[s.to]]
              : [second.members[s.from], first.members[s.to]];
            await sisterExchange(provider, receiver, s.minutes, hoursAfter(cycles[s.cycle].startsAt, index + 1)).catch(
              (error) => expect(codeOf(error)).toBe("BAD_USER_INPUT"),
            );
            for (const cycle of cycles) {
              const mine = await clearingBalances(first.circleId, cycle.label);
              const theirs = await clearingBalances(second.circleId, cycle.label);
              expect(mine.map((m) => 0 - m)).toEqual(theirs);
              if (cycle === cycles[s.cycle])
                for (const balance of mine) expect(Math.abs(balance)).toBeLessThanOrEqual(limit);
            }
          }
          expect(await auditLedger(db, first.circleId)).toEqual(BALANCED);
          expect(await auditLedger(db, second.circleId)).toEqual(BALANCED);
        },
      ),
      { numRuns: 8 },
    );
  });
});

const PROPOSE_LINK = `mutation ($input: ProposeSisterLinkInput!) { proposeSisterLink(input: $input) { id status balanceLimitMinutes } }`;
const ACCEPT_LINK = `mutation ($circleId: ID!, $linkId: ID!) { acceptSisterLink(circleId: $circleId, linkId: $linkId) { id status } }`;
const PUBLISH = `mutation ($input: PublishListingInput!) { publishListing(input: $input) { id visibleToSisters } }`;
const SISTER_LISTINGS = `query ($id: ID!) { _entities(representations: [{ __typename: "Circle", id: $id }]) { ... on Circle { sisterListings { items { id kind skills description circle { id } } } } } }`;
const PROPOSE_SISTER = `mutation ($input: ProposeSisterExchangeInput!) { proposeSisterExchange(input: $input) { id role status sisterCircle { id } } }`;
const CONFIRM_SISTER = `mutation ($id: ID!) { confirmSisterExchange(exchangeId: $id) { id status role } }`;
const TRADE = `query ($circleId: ID!, $sisterCircleId: ID!) { sisterTrade(circleId: $circleId, sisterCircleId: $sisterCircleId) { minutesGiven minutesReceived balanceMinutes participantCount } }`;

describe("sister circles through the API", () => {
  it("show a listing to sisters without its member, let them exchange by consent, and publish the pair's trade only when 5 members stand behind it", async () => {
    const first = await createCircle(db, 6);
    const second = await createCircle(db, 6);
    const stranger = await createCircle(db, 2);
    const link = (
      await succeed(
        PROPOSE_LINK,
        { input: { circleId: first.circleId, sisterCircleId: second.circleId, balanceLimitMinutes: 600 } },
        first.members[0].token,
      )
    ).proposeSisterLink;
    expect(link.status).toBe("PROPOSED");
    expect(
      await failWith(ACCEPT_LINK, { circleId: second.circleId, linkId: link.id }, second.members[1].token),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await failWith(ACCEPT_LINK, { circleId: first.circleId, linkId: link.id }, first.members[0].token),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      (await succeed(ACCEPT_LINK, { circleId: second.circleId, linkId: link.id }, second.members[0].token))
        .acceptSisterLink.status,
    ).toBe("ACTIVE");

    const offers = [];
    for (const member of first.members.slice(1, 4)) {
      offers.push(
        (
          await succeed(
            PUBLISH,
            {
              input: {
                circleId: first.circleId,
                kind: "OFFER",
                skills: ["Repair"],
                description: "Bikes",
                visibleToSisters: true,
              },
            },
            member.token,
          )
        ).publishListing,
      );
    }
    await succeed(
      PUBLISH,
      { input: { circleId: first.circleId, kind: "OFFER", skills: ["Repair"], description: "Only for us" } },
      first.members[4].token,
    );

    const seen = (await succeed(SISTER_LISTINGS, { id: second.circleId }, second.members[1].token))._entities[0]
      .sisterListings.items;
    expect(seen.map((l: { id: string }) => l.id).sort()).toEqual(offers.map((o) => o.id).sort());
    expect(Object.keys(seen[0]).sort()).toEqual(["circle", "description", "id", "kind", "skills"]);
    // A member of a third, unlinked circle sees nothing and can propose nothing.
    expect(
      (await succeed(SISTER_LISTINGS, { id: stranger.circleId }, stranger.members[1].token))._entities[0].sisterListings
        .items,
    ).toEqual([]);
    expect(await failWith(SISTER_LISTINGS, { id: second.circleId }, stranger.members[1].token)).toMatchObject({
      code: "FORBIDDEN",
    });
    const strangerBefore = await ledgerSnapshot(db, first.circleId);
    expect(
      await failWith(
        PROPOSE_SISTER,
        { input: { circleId: stranger.circleId, listingId: offers[0].id, minutes: 30 } },
        stranger.members[1].token,
      ),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(
      await failWith(
        PROPOSE_SISTER,
        { input: { circleId: second.circleId, listingId: offers[0].id, minutes: 30 } },
        stranger.members[1].token,
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await failWith(
        PROPOSE_SISTER,
        { input: { circleId: second.circleId, listingId: offers[0].id, minutes: 0 } },
        second.members[1].token,
      ),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await ledgerSnapshot(db, first.circleId)).toEqual(strangerBefore);

    for (const [i, listing] of offers.entries()) {
      const receiver = second.members[i + 1];
      const proposed = (
        await succeed(
          PROPOSE_SISTER,
          { input: { circleId: second.circleId, listingId: listing.id, minutes: 30 } },
          receiver.token,
        )
      ).proposeSisterExchange;
      expect(proposed).toMatchObject({ role: "RECEIVER", status: "PENDING", sisterCircle: { id: first.circleId } });
      // Only the listing's member confirms: the receiver, and anyone else, cannot.
      expect(await failWith(CONFIRM_SISTER, { id: proposed.id }, receiver.token)).toMatchObject({ code: "FORBIDDEN" });
      expect(await failWith(CONFIRM_SISTER, { id: proposed.id }, stranger.members[1].token)).toMatchObject({
        code: "NOT_FOUND",
      });
      const confirmed = (await succeed(CONFIRM_SISTER, { id: proposed.id }, first.members[i + 1].token))
        .confirmSisterExchange;
      expect(confirmed).toMatchObject({ status: "CONFIRMED", role: "PROVIDER" });
      const trade = (await succeed(TRADE, { circleId: first.circleId, sisterCircleId: second.circleId })).sisterTrade;
      // Two members per exchange: from the third exchange on, six members stand behind the figure.
      expect(trade).toEqual(
        i < 2
          ? { minutesGiven: null, minutesReceived: null, balanceMinutes: null, participantCount: null }
          : { minutesGiven: 90, minutesReceived: 0, balanceMinutes: 90, participantCount: 6 },
      );
    }
  });
});

describe("a sister exchange proposed with an idempotency key", () => {
  it("is made once however often a phone sends it, and a key reused for another proposal is refused", async () => {
    const first = await createCircle(db, 2);
    const second = await createCircle(db, 2);
    const link = (
      await succeed(
        PROPOSE_LINK,
        { input: { circleId: first.circleId, sisterCircleId: second.circleId, balanceLimitMinutes: 600 } },
        first.members[0].token,
      )
    ).proposeSisterLink;
    await succeed(ACCEPT_LINK, { circleId: second.circleId, linkId: link.id }, second.members[0].token);
    const offer = (
      await succeed(
        PUBLISH,
        {
          input: {
            circleId: first.circleId,
            kind: "OFFER",
            skills: ["Sewing"],
            description: "Hems",
            visibleToSisters: true,
          },
        },
        first.members[1].token,
      )
    ).publishListing;
    const asker = second.members[1];
    const input = { circleId: second.circleId, listingId: offer.id, minutes: 30, idempotencyKey: "outbox-7" };

    const sent = (await succeed(PROPOSE_SISTER, { input }, asker.token)).proposeSisterExchange;
    const again = (await succeed(PROPOSE_SISTER, { input }, asker.token)).proposeSisterExchange;
    expect(again.id).toBe(sent.id);
    const mine = await succeed(
      `query ($c: ID!) { sisterExchanges(circleId: $c) { items { id } } }`,
      { c: second.circleId },
      asker.token,
    );
    expect(mine.sisterExchanges.items).toEqual([{ id: sent.id }]);
    expect(await failWith(PROPOSE_SISTER, { input: { ...input, minutes: 45 } }, asker.token)).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already used for a different sister exchange"),
    });
    expect(
      await failWith(PROPOSE_SISTER, { input: { ...input, idempotencyKey: "x".repeat(101) } }, asker.token),
    ).toMatchObject({ code: "BAD_USER_INPUT", message: "An idempotency key is 1 to 100 characters." });
  });
});

describe("the new fields, for a member of another circle", () => {
  it("answer FORBIDDEN: sister links, sister listings, sister exchanges, the cycle's theme and skill shares", async () => {
    const circle = await createCircle(db, 2);
    const outsider = (await createCircle(db, 1)).members[0];
    const fields = [
      "sisterLinks { id }",
      "sisterListings { items { id } }",
      "cycleTheme { theme }",
      "skillShares { items { id } }",
    ];
    for (const field of fields) {
      const query = `query ($id: ID!) { _entities(representations: [{ __typename: "Circle", id: $id }]) { ... on Circle { ${field} } } }`;
      expect(await failWith(query, { id: circle.circleId }, outsider.token)).toMatchObject({ code: "FORBIDDEN" });
    }
    const mine = `query ($circleId: ID!) { sisterExchanges(circleId: $circleId) { items { id } } }`;
    expect(await failWith(mine, { circleId: circle.circleId }, outsider.token)).toMatchObject({ code: "FORBIDDEN" });
    expect((await succeed(mine, { circleId: circle.circleId }, circle.members[1].token)).sisterExchanges.items).toEqual(
      [],
    );
  });
});
