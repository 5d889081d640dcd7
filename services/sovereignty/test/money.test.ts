import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followingCycle, precedingCycle } from "@rhizome/kit";
import { circleSnapshot, failure, succeed, testMember } from "@rhizome/kit/testing";
import { moneyKeptOut, moneyRatesProblem, ratesForCycle } from "../src/domain/money.js";
import { deliver, exchange, loan, members } from "./support/events.js";
import { startSovereignty, type SovereigntyTestService } from "./support/service.js";

const MONEY = `query Money($circleId: ID!, $cycle: String) { sovereigntyScore(circleId: $circleId, cycle: $cycle) {
  cycle isClosed minutesExchanged loans
  moneyKeptOut { currency hourValueMinor loanValueMinor fromHoursMinor fromLoansMinor totalMinor } } }`;
const SET_RATES = `mutation SetRates($input: SetSovereigntyRatesInput!) { setSovereigntyRates(input: $input) {
  circle { id } currency hourValueMinor loanValueMinor setAt } }`;
const RATES = `query Rates($circleId: ID!) { sovereigntyRates(circleId: $circleId) { currency hourValueMinor loanValueMinor } }`;

let service: SovereigntyTestService;
let clock: Awaited<ReturnType<typeof startSovereignty>>["clock"];
let cycle: Awaited<ReturnType<typeof startSovereignty>>["cycle"];

beforeAll(async () => {
  ({ service, clock, cycle } = await startSovereignty());
});
afterAll(async () => {
  await service?.stop();
});

const dayIntoCycle = () => new Date(cycle.startsAt.getTime() + 24 * 3_600_000);

/** Six members exchange 300 minutes in all; `loanPeople` members share loans (two a loan). */
async function activeCycle(circleId: string, loanPeople: number) {
  const people = members(Math.max(6, loanPeople));
  const at = clock();
  await deliver(service.runtime.db, [
    exchange(circleId, cycle.label, 120, [people[0], people[1]], at),
    exchange(circleId, cycle.label, 90, [people[2], people[3]], at),
    exchange(circleId, cycle.label, 90, [people[4], people[5]], at),
    ...Array.from({ length: Math.ceil(loanPeople / 2) }, (_, i) =>
      loan(circleId, cycle.label, [people[2 * i], people[(2 * i + 1) % loanPeople]], at),
    ),
  ]);
}

describe("the money a closed cycle kept out of banks and bureaucracies", () => {
  it("values the published hours and loans at the rates the circle set, publicly once the cycle closed, and never changes after", async () => {
    clock.set(dayIntoCycle());
    const circleId = randomUUID();
    const steward = await testMember(circleId, ["steward"]);
    await activeCycle(circleId, 6);
    // Set twice: the last rates in force when the cycle ends count.
    await succeed(
      service.url,
      SET_RATES,
      { input: { circleId, currency: "EUR", hourValueMinor: 1000, loanValueMinor: 500 } },
      steward.token,
    );
    clock.advance(60_000);
    const set = (
      await succeed(
        service.url,
        SET_RATES,
        { input: { circleId, currency: "EUR", hourValueMinor: 1500, loanValueMinor: 2500 } },
        steward.token,
      )
    ).setSovereigntyRates;
    expect(set).toMatchObject({
      circle: { id: circleId },
      currency: "EUR",
      hourValueMinor: 1500,
      loanValueMinor: 2500,
    });
    expect((await succeed(service.url, RATES, { circleId }, steward.token)).sovereigntyRates).toEqual({
      currency: "EUR",
      hourValueMinor: 1500,
      loanValueMinor: 2500,
    });
    // While the cycle is open there is no money figure.
    const open = (await succeed(service.url, MONEY, { circleId, cycle: cycle.label }, steward.token)).sovereigntyScore;
    expect(open).toMatchObject({ isClosed: false, moneyKeptOut: null });

    clock.set(new Date(cycle.endsAt.getTime() + 60_000));
    // Worked by hand: 300 minutes = 5 hours x 15.00 = 75.00; 3 loans x 25.00 = 75.00; 150.00 in all.
    const expected = {
      currency: "EUR",
      hourValueMinor: 1500,
      loanValueMinor: 2500,
      fromHoursMinor: 7500,
      fromLoansMinor: 7500,
      totalMinor: 15000,
    };
    const closed = (await succeed(service.url, MONEY, { circleId, cycle: cycle.label })).sovereigntyScore;
    expect(closed).toMatchObject({ isClosed: true, minutesExchanged: 300, loans: 3, moneyKeptOut: expected });

    // New rates value the cycles that end after them; the closed cycle keeps its figure.
    await succeed(
      service.url,
      SET_RATES,
      { input: { circleId, currency: "EUR", hourValueMinor: 9900, loanValueMinor: 9900 } },
      steward.token,
    );
    clock.set(new Date(followingCycle(cycle).endsAt.getTime() + 60_000));
    expect((await succeed(service.url, MONEY, { circleId, cycle: cycle.label })).sovereigntyScore.moneyKeptOut).toEqual(
      expected,
    );
    // A cycle that ended before the circle set any rates is valued at the first it set.
    const earlier = (await succeed(service.url, MONEY, { circleId, cycle: precedingCycle(cycle).label }))
      .sovereigntyScore.moneyKeptOut;
    expect(earlier).toEqual({
      ...expected,
      hourValueMinor: 1000,
      loanValueMinor: 500,
      fromHoursMinor: 0,
      fromLoansMinor: 0,
      totalMinor: 0,
    });
    clock.set(dayIntoCycle());
  });

  it("leaves out a part whose figure describes fewer than 5 people, and is null for a circle that set no rates", async () => {
    clock.set(dayIntoCycle());
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["organizer"]);
    // Loans among 4 members: suppressed, so they add nothing (a total minus the hours would give them back).
    await activeCycle(circleId, 4);
    await succeed(
      service.url,
      SET_RATES,
      { input: { circleId, currency: "USD", hourValueMinor: 2000, loanValueMinor: 1000 } },
      organizer.token,
    );
    const unvalued = randomUUID();
    await activeCycle(unvalued, 6);
    clock.set(new Date(cycle.endsAt.getTime() + 60_000));
    const score = (await succeed(service.url, MONEY, { circleId, cycle: cycle.label })).sovereigntyScore;
    expect(score).toMatchObject({
      loans: null,
      moneyKeptOut: { fromHoursMinor: 10000, fromLoansMinor: null, totalMinor: 10000 },
    });
    expect(
      (await succeed(service.url, MONEY, { circleId: unvalued, cycle: cycle.label })).sovereigntyScore.moneyKeptOut,
    ).toBeNull();
    clock.set(dayIntoCycle());
  });

  it("lets only the circle's organizers and stewards set its rates, refuses rates that make no sense, and shows them to its members only", async () => {
    clock.set(dayIntoCycle());
    const circleId = randomUUID();
    const steward = await testMember(circleId, ["steward"]);
    const member = await testMember(circleId);
    const outsider = await testMember(randomUUID(), ["organizer", "steward"]);
    const input = { circleId, currency: "EUR", hourValueMinor: 1200, loanValueMinor: 300 };
    await succeed(service.url, SET_RATES, { input }, steward.token);
    const before = await circleSnapshot(service.runtime.db, circleId);

    expect((await failure(service.url, SET_RATES, { input: { ...input, hourValueMinor: 1 } }, member.token)).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await failure(service.url, SET_RATES, { input: { ...input, hourValueMinor: 1 } }, outsider.token)).code,
    ).toBe("FORBIDDEN");
    expect((await failure(service.url, SET_RATES, { input: { ...input, hourValueMinor: 1 } })).code).toBe(
      "UNAUTHENTICATED",
    );
    expect((await failure(service.url, RATES, { circleId }, outsider.token)).code).toBe("FORBIDDEN");
    for (const bad of [
      { currency: "eur" },
      { currency: "XYZ" },
      { hourValueMinor: -1 },
      { loanValueMinor: 10_000_001 },
    ]) {
      const refused = await failure(service.url, SET_RATES, { input: { ...input, ...bad } }, steward.token);
      expect(refused.code).toBe("BAD_USER_INPUT");
      expect(refused.message).toMatch(/currency must be|hourValueMinor must be|loanValueMinor must be/);
    }
    expect(await circleSnapshot(service.runtime.db, circleId)).toEqual(before);
    expect((await succeed(service.url, RATES, { circleId }, member.token)).sovereigntyRates).toEqual({
      currency: "EUR",
      hourValueMinor: 1200,
      loanValueMinor: 300,
    });
  });
});

describe("a story's teller", () => {
  it("is told that a story is theirs, and nobody else is, whatever path reads it", async () => {
    const TOLD = `mutation Submit($input: SubmitStoryInput!) { submitStory(input: $input) { id toldByMe } }`;
    const STORIES = `query Stories($circleId: ID!) { circleStories(circleId: $circleId) { items { id toldByMe } } }`;
    const BY_REFERENCE = `query Story($story: _Any!) { _entities(representations: [$story]) { ... on SovereigntyStory { id toldByMe } } }`;
    const circleId = randomUUID();
    const teller = await testMember(circleId);
    const steward = await testMember(circleId, ["steward"]);
    const outsider = await testMember(randomUUID(), ["steward", "organizer"]);
    const input = {
      circleId,
      title: "Soup night",
      body: "We cooked for the block.",
      replacements: [],
      consentsToPublication: true,
    };
    const story = (await succeed(service.url, TOLD, { input }, teller.token)).submitStory;
    expect(story.toldByMe).toBe(true);
    expect((await succeed(service.url, STORIES, { circleId }, teller.token)).circleStories.items).toEqual([
      { id: story.id, toldByMe: true },
    ]);
    expect((await succeed(service.url, STORIES, { circleId }, steward.token)).circleStories.items).toEqual([
      { id: story.id, toldByMe: false },
    ]);
    const representation = { story: { __typename: "SovereigntyStory", id: story.id } };
    expect((await succeed(service.url, BY_REFERENCE, representation, teller.token))._entities).toEqual([
      { id: story.id, toldByMe: true },
    ]);
    // Unpublished: another circle reads nothing of it.
    expect((await succeed(service.url, BY_REFERENCE, representation, outsider.token))._entities).toEqual([null]);
    expect((await succeed(service.url, STORIES, { circleId }, outsider.token)).circleStories.items).toEqual([]);
  });
});

describe("the money rules", () => {
  const rates = { currency: "EUR", hourValueMinor: 1000, loanValueMinor: 250 };

  it("value minutes to the nearest minor unit, and add only the published parts", () => {
    // 50 minutes at 10.00 an hour: 8.333... rounds to 8.33.
    expect(moneyKeptOut({ MINUTES_EXCHANGED: 50, LOANS: 2 }, rates)).toEqual({
      ...rates,
      fromHoursMinor: 833,
      fromLoansMinor: 500,
      totalMinor: 1333,
    });
    expect(moneyKeptOut({ MINUTES_EXCHANGED: null, LOANS: 2 }, rates).totalMinor).toBe(500);
    expect(moneyKeptOut({ MINUTES_EXCHANGED: null, LOANS: null }, rates).totalMinor).toBeNull();
  });

  it("use the rates in force when a cycle ended, else the first ever set, and refuse rates that make no sense", () => {
    const first = { ...rates, hourValueMinor: 1 };
    expect(ratesForCycle(rates, first)).toBe(rates);
    expect(ratesForCycle(undefined, first)).toBe(first);
    expect(ratesForCycle(undefined, undefined)).toBeUndefined();
    const known = ["EUR", "USD"];
    expect(moneyRatesProblem(rates, known)).toBeUndefined();
    expect(moneyRatesProblem({ ...rates, currency: "Eur" }, known)).toMatch(/ISO 4217/);
    expect(moneyRatesProblem({ ...rates, hourValueMinor: 1.5 }, known)).toMatch(/whole number/);
    expect(moneyRatesProblem({ ...rates, loanValueMinor: -1 }, known)).toMatch(/loanValueMinor/);
  });
});
