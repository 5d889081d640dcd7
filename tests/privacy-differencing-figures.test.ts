import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followingCycle, MIN_PEOPLE_PER_PUBLISHED_FIGURE, runCycleOnce, type LunarCycle } from "@rhizome/kit";
import { graphql, succeed, testMember } from "@rhizome/kit/testing";
import { scoresJob } from "../services/sovereignty/src/jobs/scores.js";
import { crisis, deliver, exchange, members, reservationQueued } from "../services/sovereignty/test/support/events.js";
import { startSovereignty, type SovereigntyTestService } from "../services/sovereignty/test/support/service.js";

/*
 * A differencing attacker over sovereignty's public figures: it reads every figure an outsider can
 * read, before and after one late record, one person's repeated help, one member's reservation, and
 * around the new moon, and compares. (The loan map's precisions and totals are attacked in
 * services/tools/test/loan-map.test.ts; the bloc counts in privacy-differencing.test.ts.)
 */

const SCORE = `query Score($circleId: ID!, $cycle: String) { sovereigntyScore(circleId: $circleId, cycle: $cycle) { cycle isClosed figures { metric value } eventsByKind { kind count } } }`;
const TREND = `query Trend($circleId: ID!, $metric: SovereigntyMetric!, $throughCycle: String) { sovereigntyTrend(circleId: $circleId, metric: $metric, throughCycle: $throughCycle) { cycle value } }`;
const RECORD = `mutation Record($input: RecordSovereigntyEventInput!) { recordSovereigntyEvent(input: $input) { cycle } }`;
const BOARD = `query Board($circleId: ID!) { needsBoard(circleId: $circleId) { categories { category membersWaiting openRequests reservationsWaiting } } }`;

let service: SovereigntyTestService;
let clock: Awaited<ReturnType<typeof startSovereignty>>["clock"];
let cycle: LunarCycle;
const dayInto = (c: LunarCycle) => new Date(c.startsAt.getTime() + 24 * 3_600_000);

beforeAll(async () => {
  ({ service, clock, cycle } = await startSovereignty());
});
afterAll(async () => {
  await service?.stop();
});

/** Everything public about a circle's cycle, read as an outsider. */
async function publicScore(circleId: string, label: string) {
  return (await succeed(service.url, SCORE, { circleId, cycle: label })).sovereigntyScore;
}

async function closeCycle(circleId: string, label: string) {
  await runCycleOnce(
    service.runtime.db,
    scoresJob,
    circleId,
    label,
    clock(),
    service.runtime.logger,
    service.runtime.registry,
  );
}

describe("a differencing attacker over published figures", () => {
  it("learns nothing from a record made by hand into a closed cycle: published figures never change, the record counts now", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["organizer"]);
    clock.set(dayInto(cycle));
    await deliver(
      service.runtime.db,
      members(5).map((member) => exchange(circleId, cycle.label, 30, [member], clock())),
    );
    // Four police calls avoided: behind fewer than 5 people, so suppressed, and left out of every total.
    for (let i = 0; i < 4; i++)
      await succeed(
        service.url,
        RECORD,
        { input: { circleId, kind: "POLICE_CALL_AVOIDED", count: 1 } },
        organizer.token,
      );
    try {
      clock.set(new Date(cycle.endsAt.getTime() + 60_000));
      await closeCycle(circleId, cycle.label);
      const published = await publicScore(circleId, cycle.label);
      expect(published.eventsByKind).toContainEqual({ kind: "POLICE_CALL_AVOIDED", count: null });

      // The organizer remembers a fifth one from the closed cycle.
      const late = (
        await succeed(
          service.url,
          RECORD,
          { input: { circleId, kind: "POLICE_CALL_AVOIDED", count: 1, cycle: cycle.label } },
          organizer.token,
        )
      ).recordSovereigntyEvent;
      expect(late.cycle).toBe(followingCycle(cycle).label);
      expect(await publicScore(circleId, cycle.label)).toEqual(published);
    } finally {
      clock.set(dayInto(cycle));
    }
  });

  it("learns nothing from a service's event that arrives after its cycle was published", async () => {
    const circleId = randomUUID();
    clock.set(dayInto(cycle));
    await deliver(service.runtime.db, [
      ...members(5).map((member) => exchange(circleId, cycle.label, 30, [member], clock())),
      ...Array.from({ length: 4 }, (_, i) => crisis(circleId, cycle.label, clock(), `helped-person-number-${i}`)),
    ]);
    try {
      clock.set(new Date(cycle.endsAt.getTime() + 60_000));
      const published = await publicScore(circleId, cycle.label);
      await deliver(service.runtime.db, [crisis(circleId, cycle.label, clock(), "helped-person-number-4")]);
      await closeCycle(circleId, cycle.label);
      expect(await publicScore(circleId, cycle.label)).toEqual(published);
    } finally {
      clock.set(dayInto(cycle));
    }
  });

  it("counts the people a crisis fund helped, not its payments: one person helped five times is not published", async () => {
    const once = randomUUID();
    const repeatedly = randomUUID();
    const unnamed = randomUUID();
    clock.set(dayInto(cycle));
    await deliver(service.runtime.db, [
      ...Array.from({ length: 5 }, (_, i) => crisis(once, cycle.label, clock(), `helped-person-number-${i}`)),
      ...Array.from({ length: 5 }, () => crisis(repeatedly, cycle.label, clock(), "the-same-person-again")),
      // Events that do not say who was helped might all be one person.
      ...Array.from({ length: 5 }, () => crisis(unnamed, cycle.label, clock())),
    ]);
    try {
      clock.set(new Date(cycle.endsAt.getTime() + 60_000));
      const crises = async (circleId: string) =>
        (await publicScore(circleId, cycle.label)).figures.find(
          (f: { metric: string }) => f.metric === "CRISES_BUFFERED",
        ).value;
      expect(await crises(once)).toBe(5);
      expect(await crises(repeatedly)).toBeNull();
      expect(await crises(unnamed)).toBeNull();
    } finally {
      clock.set(dayInto(cycle));
    }
  });

  it("reads, in the first minute after a new moon, only the figure the closed cycle keeps for good", async () => {
    const circleId = randomUUID();
    clock.set(dayInto(cycle));
    await deliver(
      service.runtime.db,
      members(5).map((member) => exchange(circleId, cycle.label, 30, [member], clock())),
    );
    try {
      // The new moon has passed; the cycle job has not run yet.
      clock.set(new Date(cycle.endsAt.getTime() + 30_000));
      const first = (await succeed(service.url, TREND, { circleId, metric: "EXCHANGES" })).sovereigntyTrend;
      expect(first.at(-1)).toEqual({ cycle: cycle.label, value: 5 });
      // An exchange confirmed just before the new moon reaches sovereignty a moment later; then the job runs.
      await deliver(service.runtime.db, [exchange(circleId, cycle.label, 30, members(1), clock())]);
      await closeCycle(circleId, cycle.label);
      expect((await succeed(service.url, TREND, { circleId, metric: "EXCHANGES" })).sovereigntyTrend).toEqual(first);
      expect((await publicScore(circleId, cycle.label)).figures).toContainEqual({ metric: "EXCHANGES", value: 5 });
    } finally {
      clock.set(dayInto(cycle));
    }
  });

  it("watching the public needs board around each member's reservation, learns nothing about one member", async () => {
    const circleId = randomUUID();
    const readings: Array<{ waiting: Set<string>; figure: number | null }> = [];
    const waiting = new Set<string>();
    const read = async () => {
      const board = (await graphql(service.url, BOARD, { circleId })).body.data.needsBoard.categories as Array<{
        category: string;
        membersWaiting: number | null;
      }>;
      readings.push({
        waiting: new Set(waiting),
        figure: board.find((row) => row.category === "ladders")?.membersWaiting ?? null,
      });
    };
    const reserve = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const member = randomUUID();
        await deliver(service.runtime.db, [reservationQueued(circleId, member, "ladders", clock())]);
        waiting.add(member);
        await read();
      }
    };
    let now = cycle;
    clock.set(dayInto(now));
    try {
      await read();
      await reserve(7);
      for (const joining of [0, 1, 0, 4, 0]) {
        now = followingCycle(now);
        clock.set(dayInto(now));
        await read();
        await reserve(joining);
      }
      // Every change the attacker saw must be explained by at least 5 people joining or leaving since the figure it replaced.
      const found: string[] = [];
      readings.forEach((reading, i) => {
        const before = readings[i - 1];
        if (!before || before.figure === reading.figure) return;
        let first = i - 1;
        while (first > 0 && readings[first - 1].figure === before.figure) first--;
        const since = readings[first].waiting;
        const changed =
          [...reading.waiting].filter((m) => !since.has(m)).length +
          [...since].filter((m) => !reading.waiting.has(m)).length;
        if (changed < MIN_PEOPLE_PER_PUBLISHED_FIGURE)
          found.push(`readings ${i - 1}-${i}: ${before.figure} -> ${reading.figure} after ${changed} change(s)`);
      });
      expect(found).toEqual([]);
      // The board still tells the public what the circle needs, a cycle late.
      expect(readings.at(-1)!.figure).toBe(12);
    } finally {
      clock.set(dayInto(cycle));
    }
  });

  it("as a member watching the open cycle's figures, never sees the moment someone's crisis was buffered", async () => {
    const circleId = randomUUID();
    const member = await testMember(circleId);
    clock.set(dayInto(cycle));
    await deliver(service.runtime.db, [
      ...members(5).map((m) => exchange(circleId, cycle.label, 30, [m], clock())),
      ...Array.from({ length: 5 }, (_, i) => crisis(circleId, cycle.label, clock(), `helped-person-number-${i}`)),
    ]);
    const live = async () =>
      (await succeed(service.url, SCORE, { circleId, cycle: cycle.label }, member.token)).sovereigntyScore;
    const before = await live();
    await deliver(service.runtime.db, [crisis(circleId, cycle.label, clock(), "helped-person-number-5")]);
    expect(await live()).toEqual(before);
    expect(before.figures).toContainEqual({ metric: "CRISES_BUFFERED", value: null });
    // Once the cycle is closed the people helped are published, all at once.
    clock.set(new Date(cycle.endsAt.getTime() + 60_000));
    try {
      expect((await publicScore(circleId, cycle.label)).figures).toContainEqual({
        metric: "CRISES_BUFFERED",
        value: 6,
      });
    } finally {
      clock.set(dayInto(cycle));
    }
  });
});
