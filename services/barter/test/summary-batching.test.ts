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
});
