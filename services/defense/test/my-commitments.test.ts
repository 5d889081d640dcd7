import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testMember } from "@rhizome/kit/testing";
import {
  api,
  MINUTE_MS,
  newCircle,
  startDefense,
  type DefenseTestService,
  type TestCircle,
} from "./support/defense.js";

const PLEDGE_HOUSING = `mutation ($input: PledgeHousingInput!) { pledgeHousing(input: $input) { id } }`;
const REQUEST_HOUSING = `mutation ($input: RequestHousingInput!) { requestHousing(input: $input) { id } }`;
const PLEDGE_FUND = `mutation ($input: PledgeInput!) { pledge(input: $input) { id } }`;
const REQUEST_FUND = `mutation ($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { id } }`;

const MY_HOUSING_PLEDGES = `query ($c: ID!, $first: Int, $after: String) { myHousingPledges(circleId: $c, first: $first, after: $after) { items { id capacity roomLeft isMine } nextCursor } }`;
const MY_HOUSING_REQUESTS = `query ($c: ID!, $first: Int, $after: String) { myHousingRequests(circleId: $c, first: $first, after: $after) { items { id people status } nextCursor } }`;
const MY_FUND_PLEDGES = `query ($c: ID!, $first: Int, $after: String) { myFundPledges(circleId: $c, first: $first, after: $after) { items { id amountMinor currency } nextCursor } }`;
const MY_DISBURSEMENTS = `query ($c: ID!, $first: Int, $after: String) { myDisbursementRequests(circleId: $c, first: $first, after: $after) { items { id amountMinor status reason recipient { id } } nextCursor } }`;
const BY_REFERENCE = `query ($rep: _Any!) { _entities(representations: [$rep]) { ... on Disbursement { id reason } } }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];

beforeAll(async () => {
  ({ service, clock } = await startDefense());
});

afterAll(async () => {
  await service?.stop();
});

type Who = Awaited<ReturnType<TestCircle["member"]>>;

/** Each kind of commitment once for `who`, a minute apart, so "newest first" is a real order. */
async function commit(circle: TestCircle, who: Who, capacity: number) {
  const call = api(service);
  clock.advance(MINUTE_MS);
  const housingPledge = (
    await call.ok(
      PLEDGE_HOUSING,
      {
        input: {
          circleId: circle.id,
          capacity,
          availableFrom: "2031-03-01",
          availableUntil: "2031-04-30",
          acceptsChildren: true,
          acceptsPets: false,
          isStepFree: false,
          contact: "signal:host",
        },
      },
      who,
    )
  ).pledgeHousing.id as string;
  const housingRequest = (
    await call.ok(
      REQUEST_HOUSING,
      {
        input: {
          circleId: circle.id,
          people: capacity,
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
  ).requestHousing.id as string;
  const fundPledge = (
    await call.ok(PLEDGE_FUND, { input: { circleId: circle.id, amountMinor: capacity * 1000, currency: "EUR" } }, who)
  ).pledge.id as string;
  const disbursement = (
    await call.ok(
      REQUEST_FUND,
      {
        input: {
          circleId: circle.id,
          amountMinor: capacity * 500,
          currency: "EUR",
          purpose: "RENT",
          reason: "Rent arrears",
        },
      },
      who,
    )
  ).requestDisbursement.id as string;
  return { housingPledge, housingRequest, fundPledge, disbursement };
}

async function listsOf(circleId: string, who: Who) {
  const call = api(service);
  const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);
  return {
    housingPledges: ids((await call.ok(MY_HOUSING_PLEDGES, { c: circleId }, who)).myHousingPledges),
    housingRequests: ids((await call.ok(MY_HOUSING_REQUESTS, { c: circleId }, who)).myHousingRequests),
    fundPledges: ids((await call.ok(MY_FUND_PLEDGES, { c: circleId }, who)).myFundPledges),
    disbursements: ids((await call.ok(MY_DISBURSEMENTS, { c: circleId }, who)).myDisbursementRequests),
  };
}

describe("a member's own defense commitments", () => {
  it("lists exactly the member's own pledges and requests, newest first, and pages through them", async () => {
    const call = api(service);
    const circle = await newCircle();
    const member = await circle.member();
    const other = await circle.member();
    const older = await commit(circle, member, 1);
    await commit(circle, other, 2);
    const newer = await commit(circle, member, 3);

    expect(await listsOf(circle.id, member)).toEqual({
      housingPledges: [newer.housingPledge, older.housingPledge],
      housingRequests: [newer.housingRequest, older.housingRequest],
      fundPledges: [newer.fundPledge, older.fundPledge],
      disbursements: [newer.disbursement, older.disbursement],
    });

    const pledges = (await call.ok(MY_HOUSING_PLEDGES, { c: circle.id }, member)).myHousingPledges;
    expect(pledges.items[0]).toMatchObject({ capacity: 3, roomLeft: 3, isMine: true });
    const disbursements = (await call.ok(MY_DISBURSEMENTS, { c: circle.id }, member)).myDisbursementRequests;
    expect(disbursements.items[0]).toMatchObject({
      amountMinor: 1500,
      status: "REQUESTED",
      reason: "Rent arrears",
      recipient: { id: member.memberId },
    });

    const first = (await call.ok(MY_FUND_PLEDGES, { c: circle.id, first: 1 }, member)).myFundPledges;
    expect(first.items.map((p: { id: string }) => p.id)).toEqual([newer.fundPledge]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await call.ok(MY_FUND_PLEDGES, { c: circle.id, first: 1, after: first.nextCursor }, member))
      .myFundPledges;
    expect(second.items.map((p: { id: string }) => p.id)).toEqual([older.fundPledge]);
    expect(second.nextCursor).toBeNull();
  });

  it("shows an organizer and a steward only their own, never the members' who pledged or asked", async () => {
    const circle = await newCircle();
    const steward = await circle.member(["member", "steward"]);
    await commit(circle, await circle.member(), 1);
    const organizers = await commit(circle, circle.organizer, 2);

    expect(await listsOf(circle.id, circle.organizer)).toEqual({
      housingPledges: [organizers.housingPledge],
      housingRequests: [organizers.housingRequest],
      fundPledges: [organizers.fundPledge],
      disbursements: [organizers.disbursement],
    });
    expect(await listsOf(circle.id, steward)).toEqual({
      housingPledges: [],
      housingRequests: [],
      fundPledges: [],
      disbursements: [],
    });
  });

  it("keeps them from a member of another circle, through every list and _entities", async () => {
    const call = api(service);
    const circle = await newCircle();
    const member = await circle.member();
    const mine = await commit(circle, member, 2);
    const outsider = await testMember(crypto.randomUUID(), ["member", "organizer", "steward"]);

    for (const query of [MY_HOUSING_PLEDGES, MY_HOUSING_REQUESTS, MY_FUND_PLEDGES, MY_DISBURSEMENTS]) {
      expect((await call.fails(query, { c: circle.id }, outsider)).code).toBe("FORBIDDEN");
    }
    expect(
      (await call.ok(BY_REFERENCE, { rep: { __typename: "Disbursement", id: mine.disbursement } }, outsider))._entities,
    ).toEqual([null]);
  });

  it("answers a bad cursor with BAD_USER_INPUT", async () => {
    const call = api(service);
    const circle = await newCircle();
    const member = await circle.member();
    for (const query of [MY_HOUSING_PLEDGES, MY_HOUSING_REQUESTS, MY_FUND_PLEDGES, MY_DISBURSEMENTS]) {
      expect((await call.fails(query, { c: circle.id, after: "not-a-cursor" }, member)).code).toBe("BAD_USER_INPUT");
    }
  });
});
