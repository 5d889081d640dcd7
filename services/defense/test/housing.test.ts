import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, graphql, testMember } from "@rhizome/kit/testing";
import { api, newCircle, ops, startDefense, type DefenseTestService, type TestCircle } from "./support/defense.js";

const PLEDGE = `mutation ($input: PledgeHousingInput!) { pledgeHousing(input: $input) { id capacity roomLeft isMine area } }`;
const REQUEST = `mutation ($input: RequestHousingInput!) { requestHousing(input: $input) { id status } }`;
const SUGGEST = `query ($id: ID!) { housingSuggestions(requestId: $id) { id roomLeft isMine } }`;
const PROPOSE = `mutation ($r: ID!, $p: ID!) { proposeHousingMatch(requestId: $r, pledgeId: $p) { id status guestAccepted hostAccepted counterpartContact } }`;
const ACCEPT = `mutation ($id: ID!) { acceptHousingMatch(matchId: $id) { id status counterpartContact } }`;
const MINE = `query ($c: ID!) { myHousingMatches(circleId: $c) { id status amHost counterpartContact } }`;

let service: DefenseTestService;

beforeAll(async () => {
  ({ service } = await startDefense());
});

afterAll(async () => {
  await service?.stop();
});

const pledgeInput = (circleId: string, input: Record<string, unknown> = {}) => ({
  input: {
    circleId,
    capacity: 3,
    availableFrom: "2031-03-01",
    availableUntil: "2031-04-30",
    acceptsChildren: true,
    acceptsPets: false,
    isStepFree: false,
    area: "u4pruy",
    contact: "+44 7700 900456",
    ...input,
  },
});
const requestInput = (circleId: string, input: Record<string, unknown> = {}) => ({
  input: {
    circleId,
    people: 1,
    neededFrom: "2031-03-05",
    neededUntil: "2031-03-20",
    withChildren: false,
    withPets: false,
    needsStepFree: false,
    contact: "signal:guest.1",
    ...input,
  },
});

async function hostAndPledge(circle: TestCircle, input: Record<string, unknown> = {}) {
  const host = await circle.member();
  const pledge = (await api(service).ok(PLEDGE, pledgeInput(circle.id, input), host)).pledgeHousing;
  return { host, pledge };
}

describe("housing pledges", () => {
  it("suggests pledges that fit, and exchanges contacts only once host and guest both accepted", async () => {
    const call = api(service);
    const circle = await newCircle();
    const { host, pledge } = await hostAndPledge(circle);
    await hostAndPledge(circle, { acceptsPets: false, capacity: 5 });
    const petFriendly = await hostAndPledge(circle, { acceptsPets: true, capacity: 2 });
    const guest = await circle.member();
    const request = (await call.ok(REQUEST, requestInput(circle.id, { withPets: true }), guest)).requestHousing;
    expect(
      (await call.ok(SUGGEST, { id: request.id }, guest)).housingSuggestions.map((p: { id: string }) => p.id),
    ).toEqual([petFriendly.pledge.id]);

    const plain = (await call.ok(REQUEST, requestInput(circle.id), guest)).requestHousing;
    const match = (await call.ok(PROPOSE, { r: plain.id, p: pledge.id }, guest)).proposeHousingMatch;
    expect(match).toMatchObject({
      status: "SUGGESTED",
      guestAccepted: true,
      hostAccepted: false,
      counterpartContact: null,
    });
    expect((await call.ok(ops.inbox, {}, host)).myDefenseNotifications.items[0]).toMatchObject({
      kind: "HOUSING_MATCH",
      caseId: match.id,
    });
    expect((await call.ok(MINE, { c: circle.id }, host)).myHousingMatches).toEqual([
      { id: match.id, status: "SUGGESTED", amHost: true, counterpartContact: null },
    ]);

    const confirmed = (await call.ok(ACCEPT, { id: match.id }, host)).acceptHousingMatch;
    expect(confirmed).toEqual({ id: match.id, status: "CONFIRMED", counterpartContact: "signal:guest.1" });
    expect((await call.ok(MINE, { c: circle.id }, guest)).myHousingMatches[0].counterpartContact).toBe(
      "+44 7700 900456",
    );
    const [event] = await service.runtime.db.query(
      `SELECT topic, payload->>'via' AS via, payload FROM outbox WHERE payload->>'caseId' = $1`,
      [match.id],
    );
    expect(event).toMatchObject({ topic: "crisis.buffered", via: "HOUSING" });
    // The guest helped leaves only as a pseudonym.
    expect(event.payload.helpedKey).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(event.payload)).not.toContain(guest.memberId);

    // Nobody else learns anything about the match.
    const neighbour = await circle.member();
    const outsider = await testMember(crypto.randomUUID());
    expect((await call.fails(ACCEPT, { id: match.id }, neighbour)).code).toBe("FORBIDDEN");
    expect((await call.fails(ACCEPT, { id: match.id }, outsider)).code).toBe("NOT_FOUND");
    expect((await call.fails(SUGGEST, { id: request.id }, neighbour)).code).toBe("FORBIDDEN");
    expect((await call.fails(SUGGEST, { id: request.id }, outsider)).code).toBe("NOT_FOUND");
    expect((await call.ok(MINE, { c: circle.id }, neighbour)).myHousingMatches).toEqual([]);
  });

  it("never over-commits a pledge's capacity when hosts accept many matches at once", async () => {
    const call = api(service);
    const circle = await newCircle();
    const { host, pledge } = await hostAndPledge(circle, { capacity: 3 });
    const matches = [];
    for (let i = 0; i < 5; i++) {
      const guest = await circle.member();
      const request = (await call.ok(REQUEST, requestInput(circle.id), guest)).requestHousing;
      matches.push((await call.ok(PROPOSE, { r: request.id, p: pledge.id }, guest)).proposeHousingMatch.id);
    }
    const answers = await Promise.all(matches.map((id) => graphql(service.url, ACCEPT, { id }, host.token)));
    expect(answers.filter((a) => !a.body.errors)).toHaveLength(3);
    expect(answers.filter((a) => a.body.errors).map((a) => a.body.errors![0].extensions?.code)).toEqual([
      "CONFLICT",
      "CONFLICT",
    ]);
    const [row] = await service.runtime.db.query(
      `SELECT capacity, committed_people FROM housing_pledges WHERE id = $1`,
      [pledge.id],
    );
    expect(row).toEqual({ capacity: 3, committed_people: 3 });
    const [{ confirmed }] = await service.runtime.db.query(
      `SELECT count(*)::int AS confirmed FROM housing_matches WHERE pledge_id = $1 AND status = 'CONFIRMED'`,
      [pledge.id],
    );
    expect(confirmed).toBe(3);
  });

  it("refuses an address-level place, impossible dates and out-of-range numbers, and changes nothing", async () => {
    const call = api(service);
    const circle = await newCircle();
    const member = await circle.member();
    const before = await circleSnapshot(service.runtime.db, circle.id);
    expect((await call.fails(PLEDGE, pledgeInput(circle.id, { area: "u4pruydqqv" }), member)).message).toContain(
      "block level",
    );
    expect((await call.fails(PLEDGE, pledgeInput(circle.id, { capacity: 0 }), member)).code).toBe("BAD_USER_INPUT");
    expect((await call.fails(PLEDGE, pledgeInput(circle.id, { availableFrom: "2031-02-30" }), member)).code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await call.fails(PLEDGE, pledgeInput(circle.id, { availableUntil: "2031-02-01" }), member)).code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await call.fails(REQUEST, requestInput(circle.id, { people: 21 }), member)).code).toBe("BAD_USER_INPUT");
    expect((await call.fails(REQUEST, requestInput(circle.id, { contact: "" }), member)).code).toBe("BAD_USER_INPUT");
    expect((await call.fails(PROPOSE, { r: "x", p: "y" }, member)).code).toBe("NOT_FOUND");
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);
  });
});
