import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, testMember } from "@rhizome/kit/testing";
import { api, newCircle, startDefense, type DefenseTestService, type TestCircle } from "./support/defense.js";

const PLEDGE_HOUSING = `mutation ($input: PledgeHousingInput!) { pledgeHousing(input: $input) { id } }`;
const REQUEST_HOUSING = `mutation ($input: RequestHousingInput!) { requestHousing(input: $input) { id } }`;
const PLEDGE_FUND = `mutation ($input: PledgeInput!) { pledge(input: $input) { id } }`;
const REQUEST_FUND = `mutation ($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { id } }`;
const CONTRIBUTE = `mutation ($input: RecordContributionInput!) { recordContribution(input: $input) { heldMinor } }`;
const DECIDE = `mutation ($id: ID!) { decideDisbursement(requestId: $id, approve: true) { status } }`;
const SUGGEST = `query ($id: ID!) { housingSuggestions(requestId: $id) { id } }`;
const PROPOSE = `mutation ($r: ID!, $p: ID!) { proposeHousingMatch(requestId: $r, pledgeId: $p) { id } }`;
const DECLINE = `mutation ($id: ID!) { declineHousingMatch(matchId: $id) { status } }`;

const WITHDRAW = {
  housingPledge: `mutation ($id: ID!) { withdrawHousingPledge(pledgeId: $id) { id withdrawnAt } }`,
  housingRequest: `mutation ($id: ID!) { withdrawHousingRequest(requestId: $id) { id status } }`,
  fundPledge: `mutation ($id: ID!) { withdrawFundPledge(pledgeId: $id) { id withdrawnAt } }`,
  disbursement: `mutation ($id: ID!) { withdrawDisbursementRequest(requestId: $id) { id status } }`,
};
type Kind = keyof typeof WITHDRAW;
const KINDS = Object.keys(WITHDRAW) as Kind[];
const MY_LISTS = `query ($c: ID!) {
  myHousingPledges(circleId: $c) { items { id withdrawnAt } }
  myHousingRequests(circleId: $c) { items { id status } }
  myFundPledges(circleId: $c) { items { id withdrawnAt } }
  myDisbursementRequests(circleId: $c) { items { id status } }
}`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

type Who = Awaited<ReturnType<TestCircle["member"]>>;

async function commitments(circle: TestCircle, who: Who, people = 2): Promise<Record<Kind, string>> {
  const call = api(service);
  const housing = { availableFrom: "2031-03-01", availableUntil: "2031-04-30" };
  return {
    housingPledge: (
      await call.ok(
        PLEDGE_HOUSING,
        {
          input: {
            circleId: circle.id,
            capacity: people,
            ...housing,
            acceptsChildren: true,
            acceptsPets: true,
            isStepFree: true,
            contact: "signal:host",
          },
        },
        who,
      )
    ).pledgeHousing.id,
    housingRequest: (
      await call.ok(
        REQUEST_HOUSING,
        {
          input: {
            circleId: circle.id,
            people,
            neededFrom: "2031-03-05",
            neededUntil: "2031-03-20",
            withChildren: false,
            withPets: false,
            needsStepFree: false,
            contact: "signal:guest",
          },
        },
        who,
      )
    ).requestHousing.id,
    fundPledge: (
      await call.ok(PLEDGE_FUND, { input: { circleId: circle.id, amountMinor: 2_000, currency: "EUR" } }, who)
    ).pledge.id,
    disbursement: (
      await call.ok(
        REQUEST_FUND,
        { input: { circleId: circle.id, amountMinor: 900, currency: "EUR", purpose: "FOOD", reason: "Groceries" } },
        who,
      )
    ).requestDisbursement.id,
  };
}

describe("withdrawing one's own pledges and requests", () => {
  it("withdraws each of the member's own, shows it withdrawn in their lists, and a second withdrawal changes nothing", async () => {
    const call = api(service);
    const circle = await newCircle();
    const member = await circle.member();
    const mine = await commitments(circle, member);
    const at = clock().toISOString();

    expect((await call.ok(WITHDRAW.housingPledge, { id: mine.housingPledge }, member)).withdrawHousingPledge).toEqual({
      id: mine.housingPledge,
      withdrawnAt: at,
    });
    expect(
      (await call.ok(WITHDRAW.housingRequest, { id: mine.housingRequest }, member)).withdrawHousingRequest,
    ).toEqual({ id: mine.housingRequest, status: "WITHDRAWN" });
    expect((await call.ok(WITHDRAW.fundPledge, { id: mine.fundPledge }, member)).withdrawFundPledge).toEqual({
      id: mine.fundPledge,
      withdrawnAt: at,
    });
    expect(
      (await call.ok(WITHDRAW.disbursement, { id: mine.disbursement }, member)).withdrawDisbursementRequest,
    ).toEqual({ id: mine.disbursement, status: "WITHDRAWN" });

    const lists = (await call.ok(MY_LISTS, { c: circle.id }, member)) as Record<string, { items: unknown[] }>;
    expect(lists).toEqual({
      myHousingPledges: { items: [{ id: mine.housingPledge, withdrawnAt: at }] },
      myHousingRequests: { items: [{ id: mine.housingRequest, status: "WITHDRAWN" }] },
      myFundPledges: { items: [{ id: mine.fundPledge, withdrawnAt: at }] },
      myDisbursementRequests: { items: [{ id: mine.disbursement, status: "WITHDRAWN" }] },
    });

    // Sent twice (a phone's outbox after a lost answer): the same answer, nothing moves.
    clock.advance(60_000);
    const before = await circleSnapshot(service.runtime.db, circle.id);
    for (const kind of KINDS) await call.ok(WITHDRAW[kind], { id: mine[kind] }, member);
    expect(await call.ok(MY_LISTS, { c: circle.id }, member)).toEqual(lists);
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);

    // The fund no longer counts on a withdrawn pledge, and stewards can no longer approve a withdrawn request.
    const steward = await circle.member(["member", "steward"]);
    expect(
      (
        await call.fails(
          CONTRIBUTE,
          { input: { circleId: circle.id, amountMinor: 2_000, currency: "EUR", pledgeId: mine.fundPledge } },
          steward,
        )
      ).code,
    ).toBeDefined();
    expect((await call.fails(DECIDE, { id: mine.disbursement }, steward)).code).toBe("CONFLICT");
  });

  it("answers NOT_FOUND to everyone but the owner, the same as for a missing id, and changes nothing", async () => {
    const call = api(service);
    const circle = await newCircle();
    const owner = await circle.member();
    const neighbour = await circle.member();
    const steward = await circle.member(["member", "steward"]);
    const outsider = await testMember(crypto.randomUUID(), ["member", "organizer", "steward"]);
    const mine = await commitments(circle, owner);
    const before = await circleSnapshot(service.runtime.db, circle.id);

    for (const kind of KINDS) {
      const missing = await call.fails(WITHDRAW[kind], { id: crypto.randomUUID() }, owner);
      expect(missing.code).toBe("NOT_FOUND");
      for (const who of [neighbour, circle.organizer, steward, outsider]) {
        const refused = await call.fails(WITHDRAW[kind], { id: mine[kind] }, who);
        expect({ kind, code: refused.code, message: refused.message }).toEqual({
          kind,
          code: "NOT_FOUND",
          message: missing.message,
        });
      }
      expect((await call.fails(WITHDRAW[kind], { id: "not-an-id" }, owner)).code).toBe("NOT_FOUND");
      expect((await call.fails(WITHDRAW[kind], { id: mine[kind] })).code).toBe("UNAUTHENTICATED");
    }
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);

    // Through _entities: the request to the fund is an entity, and another circle's member reads nothing of it.
    const byReference = `query ($rep: _Any!) { _entities(representations: [$rep]) { ... on Disbursement { id status } } }`;
    for (const who of [outsider, neighbour])
      expect(
        (await call.ok(byReference, { rep: { __typename: "Disbursement", id: mine.disbursement } }, who))._entities,
      ).toEqual([null]);
    // The owner still finds all four standing.
    const lists = await call.ok(MY_LISTS, { c: circle.id }, owner);
    expect(lists.myHousingRequests.items[0].status).toBe("OPEN");
    expect(lists.myDisbursementRequests.items[0].status).toBe("REQUESTED");
  });

  it("refuses what others already count on with CONFLICT: a pledge in a match, money received, a request decided", async () => {
    const call = api(service);
    const circle = await newCircle();
    const host = await circle.member();
    const guest = await circle.member();
    const stewards = [await circle.member(["member", "steward"]), await circle.member(["member", "steward"])];
    const hosts = await commitments(circle, host, 2);
    const guests = await commitments(circle, guest, 2);

    // The guest proposes the host's pledge: while the match waits, neither side withdraws; once declined, both may.
    expect((await call.ok(SUGGEST, { id: guests.housingRequest }, guest)).housingSuggestions).toContainEqual({
      id: hosts.housingPledge,
    });
    const match = (await call.ok(PROPOSE, { r: guests.housingRequest, p: hosts.housingPledge }, guest))
      .proposeHousingMatch;
    const pledgeRefused = await call.fails(WITHDRAW.housingPledge, { id: hosts.housingPledge }, host);
    expect(pledgeRefused).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("decline it first") });
    expect((await call.fails(WITHDRAW.housingRequest, { id: guests.housingRequest }, guest)).code).toBe("CONFLICT");
    await call.ok(DECLINE, { id: match.id }, host);
    await call.ok(WITHDRAW.housingPledge, { id: hosts.housingPledge }, host);
    // A withdrawn pledge is suggested to nobody.
    expect((await call.ok(SUGGEST, { id: guests.housingRequest }, guest)).housingSuggestions).not.toContainEqual({
      id: hosts.housingPledge,
    });

    // Money received against a pledge: it stands.
    await call.ok(
      CONTRIBUTE,
      { input: { circleId: circle.id, amountMinor: 2_000, currency: "EUR", pledgeId: hosts.fundPledge } },
      stewards[0],
    );
    expect(await call.fails(WITHDRAW.fundPledge, { id: hosts.fundPledge }, host)).toMatchObject({
      code: "CONFLICT",
      message: "The fund already received money against this pledge, so it can no longer be withdrawn.",
    });

    // A request the stewards approved: it stands.
    for (const steward of stewards) await call.ok(DECIDE, { id: guests.disbursement }, steward);
    expect(await call.fails(WITHDRAW.disbursement, { id: guests.disbursement }, guest)).toMatchObject({
      code: "CONFLICT",
      message: "This request was already approved, so it can no longer be withdrawn.",
    });
  });
});
