import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createCircle, tokenFor, type TestCircle } from "./support/circles.js";
import { fixedClock, FIXED_CYCLE, FIXED_NOW } from "./support/clock.js";
import { exchangeAt } from "./support/ledger.js";
import { startInProcessBarter, type InProcessBarter } from "./support/in-process.js";
import { useBarterDatabase } from "./support/lifecycle.js";

const FEW_CIRCLES = 3;
const MANY_CIRCLES = 30;
/** Loading the caller's figures and expiries for any number of circles: one query per kind, plus a few. */
const MAX_QUERIES_PER_REQUEST = 8;
const SUMMARIES = `query Summaries($r: [_Any!]!, $cycle: String) { _entities(representations: $r) { ... on Circle {
  id barterSummary(cycle: $cycle) { exchangeCount } barterExpiry { nextRunAt lastRun { cycle } }
} } }`;

let db: DataSource;
let barter: InProcessBarter;
let circles: TestCircle[];
let organizerToken: string;
useBarterDatabase((opened) => (db = opened));

beforeAll(async () => {
  barter = await startInProcessBarter({ clock: fixedClock });
  circles = [];
  for (let i = 0; i < MANY_CIRCLES; i++) {
    const circle = await createCircle(db, 2, { openedAt: FIXED_NOW });
    await exchangeAt(db, circle, circle.members[0], circle.members[1], 30, FIXED_NOW);
    circles.push(circle);
  }
  // One person organizing all of them, as network would name their memberships in one token.
  organizerToken = await tokenFor(
    randomUUID(),
    circles.map((circle) => ({
      circleId: circle.circleId,
      memberId: circle.members[0].memberId,
      roles: circle.members[0].roles,
    })),
  );
});
afterAll(async () => {
  await barter?.stop();
});

async function queriesFor(count: number, cycle: string | null): Promise<number> {
  const representations = circles.slice(0, count).map((circle) => ({ __typename: "Circle", id: circle.circleId }));
  const before = await barter.metricValue("rhizome_db_queries_total");
  const result = await barter.graphql(SUMMARIES, { r: representations, cycle }, organizerToken);
  const after = await barter.metricValue("rhizome_db_queries_total");
  expect(result.errors).toBeUndefined();
  expect(result.data!._entities).toHaveLength(count);
  return after - before;
}

describe("summaries and expiries of many circles", () => {
  it("cost the same number of queries for 30 circles as for 3, for the current cycle counted live", async () => {
    const cycle = FIXED_CYCLE.label;
    const few = await queriesFor(FEW_CIRCLES, cycle);
    const many = await queriesFor(MANY_CIRCLES, cycle);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(MAX_QUERIES_PER_REQUEST);
  });

  it("and for the last closed cycle, which is recorded or counted live", async () => {
    const few = await queriesFor(FEW_CIRCLES, null);
    const many = await queriesFor(MANY_CIRCLES, null);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(MAX_QUERIES_PER_REQUEST);
  });

  it("count nothing when a member asks only when the cycle ends, as the home view does", async () => {
    const [circle] = circles;
    const [member] = circle.members;
    const token = await tokenFor(member.personId, [
      { circleId: circle.circleId, memberId: member.memberId, roles: member.roles },
    ]);
    const ask = async (fields: string) => {
      const before = await barter.metricValue("rhizome_db_queries_total");
      const result = await barter.graphql(
        `query Summary($r: [_Any!]!, $cycle: String) { _entities(representations: $r) { ... on Circle { barterSummary(cycle: $cycle) { ${fields} } } } }`,
        { r: [{ __typename: "Circle", id: circle.circleId }], cycle: FIXED_CYCLE.label },
        token,
      );
      expect(result.errors).toBeUndefined();
      return {
        summary: result.data!._entities[0].barterSummary,
        queries: (await barter.metricValue("rhizome_db_queries_total")) - before,
      };
    };
    const calendar = await ask("cycle endsAt");
    expect(calendar.summary).toEqual({ cycle: FIXED_CYCLE.label, endsAt: FIXED_CYCLE.endsAt.toISOString() });
    const counted = await ask("cycle endsAt exchangeCount minutesExchanged");
    // Two people: the figures themselves stay hidden (fewer than five stand behind them), but are counted.
    expect(counted.summary).toEqual({ ...calendar.summary, exchangeCount: null, minutesExchanged: null });
    // Counting the cycle's figures takes six statements; the calendar alone takes none of them.
    expect(counted.queries - calendar.queries).toBeGreaterThanOrEqual(5);
    expect(calendar.queries).toBeLessThanOrEqual(1);
  });
});
