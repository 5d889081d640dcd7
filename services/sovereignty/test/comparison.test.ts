import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precedingCycle, runCycleOnce, type LunarCycle } from "@rhizome/kit";
import { circleSnapshot, failure, graphql, succeed, testMember, type TestMember } from "@rhizome/kit/testing";
import { scoresJob } from "../src/jobs/scores.js";
import { deliver, exchange, members } from "./support/events.js";
import { startSovereignty, type SovereigntyTestService } from "./support/service.js";

const COMPARE = `query Compare($metric: SovereigntyMetric!, $cycle: String, $first: Int, $after: String) {
  compareCircles(metric: $metric, cycle: $cycle, first: $first, after: $after) { items { rank value circle { id } trend { cycle value } } nextCursor } }`;
const TREND = `query Trend($circleId: ID!, $metric: SovereigntyMetric!) { sovereigntyTrend(circleId: $circleId, metric: $metric) { cycle value } }`;
const OPT_OUT = `mutation OptOut($circleId: ID!, $isOptedOut: Boolean!) { setComparisonOptOut(circleId: $circleId, isOptedOut: $isOptedOut) { isOptedOutOfComparison } }`;
const SETTINGS = `query Settings($circleId: ID!) { sovereigntySettings(circleId: $circleId) { isOptedOutOfComparison } }`;

let service: SovereigntyTestService;
let clock: Awaited<ReturnType<typeof startSovereignty>>["clock"];
let lastClosed: LunarCycle;
let beforeThat: LunarCycle;

beforeAll(async () => {
  let cycle: LunarCycle;
  ({ service, clock, cycle } = await startSovereignty());
  lastClosed = precedingCycle(cycle);
  beforeThat = precedingCycle(lastClosed);
});
afterAll(async () => {
  await service?.stop();
});

/** A circle whose closed cycles had these many exchanges, each between its own new member (so as many people). */
async function circleWithExchanges(byCycle: Array<[LunarCycle, number]>): Promise<TestMember> {
  const organizer = await testMember(randomUUID(), ["member", "organizer"]);
  for (const [cycle, count] of byCycle) {
    const at = new Date(cycle.startsAt.getTime() + 3_600_000);
    await deliver(
      service.runtime.db,
      members(count).map((member) => exchange(organizer.circleId, cycle.label, 30, [member], at)),
    );
    await runCycleOnce(
      service.runtime.db,
      scoresJob,
      organizer.circleId,
      cycle.label,
      clock(),
      service.runtime.logger,
      service.runtime.registry,
    );
  }
  return organizer;
}

describe("comparing circles", () => {
  it("sorts every circle that publishes the metric, highest first, a page at a time, with 12-cycle trends; suppressed and opted-out circles stay out", async () => {
    const a = await circleWithExchanges([
      [beforeThat, 6],
      [lastClosed, 5],
    ]);
    const b = await circleWithExchanges([[lastClosed, 8]]);
    const c = await circleWithExchanges([[lastClosed, 6]]);
    const d = await circleWithExchanges([[lastClosed, 3]]);
    const e = await circleWithExchanges([[lastClosed, 7]]);
    const f = await circleWithExchanges([[lastClosed, 10]]);
    expect(
      (await succeed(service.url, OPT_OUT, { circleId: e.circleId, isOptedOut: true }, e.token)).setComparisonOptOut,
    ).toEqual({ isOptedOutOfComparison: true });

    const first = (await succeed(service.url, COMPARE, { metric: "EXCHANGES", first: 2 })).compareCircles;
    const second = (
      await succeed(service.url, COMPARE, {
        metric: "EXCHANGES",
        cycle: lastClosed.label,
        first: 2,
        after: first.nextCursor,
      })
    ).compareCircles;
    const ranked = [...first.items, ...second.items].map(
      (item: { rank: number; value: number; circle: { id: string } }) => [item.rank, item.circle.id, item.value],
    );
    expect(ranked).toEqual([
      [1, f.circleId, 10],
      [2, b.circleId, 8],
      [3, c.circleId, 6],
      [4, a.circleId, 5],
    ]);
    expect(second.nextCursor).toBeNull();
    expect(ranked.map((r) => r[1])).not.toContain(d.circleId);

    const aTrend = second.items[1].trend as Array<{ cycle: string; value: number | null }>;
    expect(aTrend).toHaveLength(12);
    expect(aTrend.slice(-2)).toEqual([
      { cycle: beforeThat.label, value: 6 },
      { cycle: lastClosed.label, value: 5 },
    ]);
    expect(aTrend.slice(0, 10).every((point) => point.value === null)).toBe(true);
    expect((await succeed(service.url, TREND, { circleId: a.circleId, metric: "EXCHANGES" })).sovereigntyTrend).toEqual(
      aTrend,
    );

    // Back in, the circle takes its place.
    await succeed(service.url, OPT_OUT, { circleId: e.circleId, isOptedOut: false }, e.token);
    const all = (await succeed(service.url, COMPARE, { metric: "EXCHANGES", first: 10 })).compareCircles.items.map(
      (item: { circle: { id: string } }) => item.circle.id,
    );
    expect(all).toEqual([f.circleId, b.circleId, e.circleId, c.circleId, a.circleId]);
  });

  it("keeps an opted-out circle's trend for its members, and its choice for its organizers", async () => {
    const organizer = await circleWithExchanges([[lastClosed, 5]]);
    const member = await testMember(organizer.circleId, ["member"]);
    const outsider = await testMember(randomUUID(), ["member", "organizer"]);
    await succeed(service.url, OPT_OUT, { circleId: organizer.circleId, isOptedOut: true }, organizer.token);
    const before = await circleSnapshot(service.runtime.db, organizer.circleId);

    expect(
      (await failure(service.url, TREND, { circleId: organizer.circleId, metric: "EXCHANGES" }, outsider.token)).code,
    ).toBe("FORBIDDEN");
    expect((await failure(service.url, TREND, { circleId: organizer.circleId, metric: "EXCHANGES" })).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (
        await succeed(service.url, TREND, { circleId: organizer.circleId, metric: "EXCHANGES" }, member.token)
      ).sovereigntyTrend.at(-1),
    ).toEqual({ cycle: lastClosed.label, value: 5 });
    expect(
      (await failure(service.url, OPT_OUT, { circleId: organizer.circleId, isOptedOut: false }, member.token)).code,
    ).toBe("FORBIDDEN");
    expect(
      (await failure(service.url, OPT_OUT, { circleId: organizer.circleId, isOptedOut: false }, outsider.token)).code,
    ).toBe("FORBIDDEN");
    expect((await failure(service.url, SETTINGS, { circleId: organizer.circleId }, outsider.token)).code).toBe(
      "FORBIDDEN",
    );
    expect(
      (await succeed(service.url, SETTINGS, { circleId: organizer.circleId }, member.token)).sovereigntySettings,
    ).toEqual({ isOptedOutOfComparison: true });

    expect(await circleSnapshot(service.runtime.db, organizer.circleId)).toEqual(before);
  });

  it("refuses bad input with a code", async () => {
    const code = async (variables: Record<string, unknown>) =>
      (await graphql(service.url, COMPARE, { metric: "EXCHANGES", ...variables })).body.errors?.[0].extensions?.code;
    expect(await code({ first: 101 })).toBe("BAD_USER_INPUT");
    expect(await code({ after: "bm90LW91cnM" })).toBe("BAD_USER_INPUT");
    expect(await code({ cycle: precedingCycle(lastClosed).label.replace(/-\d\d$/, "-32") })).toBe("BAD_USER_INPUT");
    const open = await failure(service.url, COMPARE, {
      metric: "EXCHANGES",
      cycle: (await import("@rhizome/kit")).cycleContaining(clock()).label,
    });
    expect(open).toMatchObject({ code: "BAD_USER_INPUT", message: expect.stringContaining("is still open") });
    expect(await code({ metric: "HAPPINESS" })).toBe("BAD_USER_INPUT");
    expect((await failure(service.url, TREND, { circleId: "circle-1", metric: "EXCHANGES" })).code).toBe("NOT_FOUND");
  });
});
