import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import {
  boundaryJobId,
  cycleContaining,
  cycleRunJobId,
  manualClock,
  precedingCycle,
  type LunarCycle,
} from "@rhizome/kit";
import { eventually, startTestService, type TestService } from "@rhizome/kit/testing";
import type { BarterConfig } from "../src/config.js";
import { barterService } from "../src/service.js";
import { expireCircleCycle } from "../src/jobs/expire-circle-cycle.js";
import { expireCirclesCycle } from "../src/jobs/expire-circles-page.js";
import { createCircle, type TestCircle } from "./support/circles.js";
import { auditLedger, barterDatabase, closeBarterDatabase, ledgerSnapshot, memberBalance } from "./support/database.js";
import { exchangeAt, hoursAfter, proposeAt } from "./support/ledger.js";
import { eventsAbout } from "./support/events.js";

// Expiry of a page of circles in few statements, against the same stories expired one circle at a
// time. Past cycles, so their boundaries have passed; the cycle jobs here are called directly.
let db: DataSource;
const current: LunarCycle = cycleContaining(new Date("2026-11-24T12:00:00.000Z"));
const ended = precedingCycle(precedingCycle(precedingCycle(current)));

beforeAll(async () => {
  db = await barterDatabase();
});
afterAll(async () => {
  await closeBarterDatabase();
});

/** A circle's ledger as a member would read it: each member's entries by kind, the commons' summed per kind. */
async function ledgerOf(circle: TestCircle) {
  const rows: Array<{ member_id: string | null; kind: string; amount_minutes: number; cycle: string }> = await db.query(
    `SELECT a.member_id, t.kind, e.amount_minutes, e.cycle FROM entries e JOIN transfers t ON t.id = e.transfer_id JOIN accounts a ON a.id = e.account_id
     WHERE t.circle_id = $1`,
    [circle.circleId],
  );
  const lines = new Map<string, number>();
  for (const r of rows) {
    const who =
      r.member_id === null ? "commons" : `member ${circle.members.findIndex((m) => m.memberId === r.member_id)}`;
    const key =
      r.member_id === null ? `${who} ${r.kind} ${r.cycle}` : `${who} ${r.kind} ${r.cycle} ${r.amount_minutes}`;
    lines.set(key, (lines.get(key) ?? 0) + (r.member_id === null ? r.amount_minutes : 1));
  }
  return [...lines.entries()].sort(([a], [b]) => a.localeCompare(b));
}

const recordedFigures = async (circle: TestCircle) =>
  (
    (await db.query(`SELECT figures FROM cycle_figures WHERE circle_id = $1 AND cycle = $2`, [
      circle.circleId,
      ended.label,
    ])) as Array<{ figures: unknown }>
  ).map((r) => r.figures);

const proposalStatuses = async (circle: TestCircle) =>
  (
    (await db.query(`SELECT status FROM exchanges WHERE circle_id = $1 ORDER BY proposed_at`, [
      circle.circleId,
    ])) as Array<{
      status: string;
    }>
  ).map((r) => r.status);

// Three stories: credits and debts among three, one exchange between two with a proposal left
// pending, and a large circle (six trading members: more than the page's batch of five accounts).
type Story = (circle: TestCircle) => Promise<void>;
const stories: Record<string, { members: number; play: Story }> = {
  "three who trade": {
    members: 3,
    play: async (circle) => {
      const [a, b, c] = circle.members;
      await exchangeAt(db, circle, a, b, 90, hoursAfter(ended.startsAt, 2));
      await exchangeAt(db, circle, c, a, 30, hoursAfter(ended.startsAt, 3));
    },
  },
  "two who trade and leave a proposal pending": {
    members: 2,
    play: async (circle) => {
      const [a, b] = circle.members;
      await exchangeAt(db, circle, b, a, 45, hoursAfter(ended.startsAt, 2));
      await proposeAt(db, circle, a, b, 20, hoursAfter(ended.startsAt, 4));
    },
  },
  "a large circle": {
    members: 6,
    play: async (circle) => {
      const [a, b, c, d, e, f] = circle.members;
      for (const [i, [giver, taker]] of [
        [a, b],
        [c, d],
        [e, f],
      ].entries())
        await exchangeAt(db, circle, giver, taker, 15 * (i + 1), hoursAfter(ended.startsAt, i + 2));
    },
  },
};

async function playAll(): Promise<Record<string, TestCircle>> {
  const circles: Record<string, TestCircle> = {};
  for (const [name, story] of Object.entries(stories)) {
    circles[name] = await createCircle(db, story.members, { openedAt: ended.startsAt });
    await story.play(circles[name]);
  }
  return circles;
}

const BATCH_SIZE = 5;

describe("expiry of a page of circles", () => {
  it("leaves each circle as its own run would, one run record and one event each, leaves a large circle to its own run, and a rerun writes nothing", async () => {
    const paged = await playAll();
    const alone = await playAll();
    const options = { now: ended.endsAt, batchSize: BATCH_SIZE };

    const outcomes = await expireCirclesCycle(
      db,
      Object.values(paged).map((c) => c.circleId),
      ended,
      options,
    );
    expect([...outcomes.keys()].sort()).toEqual(
      [paged["three who trade"].circleId, paged["two who trade and leave a proposal pending"].circleId].sort(),
    );
    // The large circle is untouched by the page: its own run expires it, in batches.
    const large = paged["a large circle"];
    expect(await db.query(`SELECT 1 FROM expiry_runs WHERE circle_id = $1`, [large.circleId])).toEqual([]);
    await expireCircleCycle(db, large.circleId, ended.label, options);

    for (const name of Object.keys(stories)) {
      const own = await expireCircleCycle(db, alone[name].circleId, ended.label, options);
      const circle = paged[name];
      const paging = outcomes.get(circle.circleId);
      if (paging) {
        // Ids and instants differ between the two circles; everything else is the same.
        const {
          circleId: _a,
          finishedAt: _b,
          afterAccountId: _c,
          ...totals
        } = paging as typeof paging & {
          afterAccountId?: string;
        };
        const {
          circleId: _d,
          finishedAt: _e,
          afterAccountId: _f,
          ...ownTotals
        } = own as typeof own & {
          afterAccountId?: string;
        };
        expect(totals, name).toEqual(ownTotals);
      }
      expect(await ledgerOf(circle), name).toEqual(await ledgerOf(alone[name]));
      expect(await recordedFigures(circle), name).toEqual(await recordedFigures(alone[name]));
      expect(await proposalStatuses(circle), name).toEqual(await proposalStatuses(alone[name]));
      for (const member of circle.members) expect(await memberBalance(db, member.memberId), name).toBe(0);
      expect(await auditLedger(db, circle.circleId), name).toEqual({
        balancesNotMatchingEntries: [],
        unbalancedTransfers: [],
        totalMinutes: 0,
      });
      const runs: Array<{ finished: boolean }> = await db.query(
        `SELECT finished_at IS NOT NULL AS finished FROM expiry_runs WHERE circle_id = $1 AND cycle = $2`,
        [circle.circleId, ended.label],
      );
      expect(runs, name).toEqual([{ finished: true }]);
      const events = await eventsAbout(db, "cycle.expired", circle.circleId);
      const ownEvents = await eventsAbout(db, "cycle.expired", alone[name].circleId);
      expect(events, name).toEqual(ownEvents.map((event) => ({ ...event, circleId: circle.circleId })));
      expect(events, name).toHaveLength(1);
    }

    const before = await Promise.all(Object.values(paged).map((c) => ledgerSnapshot(db, c.circleId)));
    expect(
      (
        await expireCirclesCycle(
          db,
          Object.values(paged).map((c) => c.circleId),
          ended,
          options,
        )
      ).size,
    ).toBe(0);
    expect(await Promise.all(Object.values(paged).map((c) => ledgerSnapshot(db, c.circleId)))).toEqual(before);
  });

  it("killed inside its transaction, leaves none of its circles expired; run again, expires each exactly once", async () => {
    const circles = await playAll();
    const ids = Object.values(circles).map((c) => c.circleId);
    const options = { now: ended.endsAt, batchSize: 100 };
    const before = await Promise.all(ids.map((id) => ledgerSnapshot(db, id)));
    const crash = new Error("worker killed");
    await expect(
      expireCirclesCycle(db, ids, ended, {
        ...options,
        beforeCommit: () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect(await Promise.all(ids.map((id) => ledgerSnapshot(db, id)))).toEqual(before);
    expect(await db.query(`SELECT 1 FROM expiry_runs WHERE circle_id = ANY($1::uuid[])`, [ids])).toEqual([]);
    for (const id of ids) expect(await eventsAbout(db, "cycle.expired", id)).toEqual([]);

    const outcomes = await expireCirclesCycle(db, ids, ended, options);
    expect([...outcomes.keys()].sort()).toEqual([...ids].sort());
    for (const circle of Object.values(circles)) {
      for (const member of circle.members) expect(await memberBalance(db, member.memberId)).toBe(0);
      expect(await eventsAbout(db, "cycle.expired", circle.circleId)).toHaveLength(1);
    }
    // The page done, a run of its own finds each circle complete and writes nothing.
    const [first] = Object.values(circles);
    const snapshot = await ledgerSnapshot(db, first.circleId);
    expect(await expireCircleCycle(db, first.circleId, ended.label, options)).toMatchObject({
      wasAlreadyComplete: true,
    });
    expect(await ledgerSnapshot(db, first.circleId)).toEqual(snapshot);
  });
});

describe("a new moon in pages", () => {
  // A barter of its own (empty database, own queue keys, a clock the test sets) running two cycle jobs at once.
  const now = cycleContaining(new Date("2026-11-24T12:00:00.000Z"));
  const before = precedingCycle(now);
  const clock = manualClock(hoursAfter(now.startsAt, 30));
  let barter: TestService<BarterConfig>;
  let barterDb: DataSource;

  beforeAll(async () => {
    barter = await startTestService(barterService, {
      ownDatabase: true,
      clock,
      scheduleCheckIntervalMs: 60 * 60 * 1000,
      env: { CYCLE_JOB_CONCURRENCY: "2", NETWORK_URL: "http://127.0.0.1:9" },
    });
    barterDb = barter.runtime.db;
  });
  afterAll(async () => {
    await barter?.stop();
  });

  it("expires circles in step in pages and a circle behind on an older cycle by a run of its own, in order, each once", async () => {
    const inStep: TestCircle[] = [];
    for (let i = 0; i < 5; i++) {
      const circle = await createCircle(barterDb, 2, { openedAt: hoursAfter(now.startsAt, 1) });
      await exchangeAt(barterDb, circle, circle.members[0], circle.members[1], 10 + i, hoursAfter(now.startsAt, 2));
      inStep.push(circle);
    }
    // Known since the cycle before, whose expiry has not run: it must go first.
    const behind = await createCircle(barterDb, 2, { openedAt: hoursAfter(before.startsAt, 1) });
    await exchangeAt(barterDb, behind, behind.members[0], behind.members[1], 40, hoursAfter(before.startsAt, 2));
    await exchangeAt(barterDb, behind, behind.members[1], behind.members[0], 25, hoursAfter(now.startsAt, 2));

    clock.set(hoursAfter(now.endsAt, 1));
    await barter.cycles!.queue.getJob(boundaryJobId("expiry", now.label)).then((job) => job!.promote());
    const expired = await eventually(async () => {
      const rows: Array<{ circle_id: string; cycle: string; credits_expired_minutes: number }> = await barterDb.query(
        `SELECT circle_id, cycle, credits_expired_minutes FROM expiry_runs WHERE finished_at IS NOT NULL ORDER BY cycle, circle_id`,
      );
      return rows.length === 7 ? rows : undefined;
    }, "every circle's expiry");
    expect(
      expired.filter((r) => r.circle_id === behind.circleId).map((r) => [r.cycle, r.credits_expired_minutes]),
    ).toEqual([
      [before.label, 40],
      [now.label, 25],
    ]);
    expect(
      new Map(
        expired.filter((r) => r.circle_id !== behind.circleId).map((r) => [r.circle_id, r.credits_expired_minutes]),
      ),
    ).toEqual(new Map(inStep.map((circle, i) => [circle.circleId, 10 + i])));
    for (const circle of [...inStep, behind]) {
      expect(await memberBalance(barterDb, circle.members[0].memberId)).toBe(0);
      const events = await eventsAbout(barterDb, "cycle.expired", circle.circleId);
      expect(events.map((e) => e.cycle)).toEqual(circle === behind ? [before.label, now.label] : [now.label]);
    }
    const runs: Array<{ circle_id: string; cycle: string; finished: boolean }> = await barterDb.query(
      `SELECT circle_id, cycle, finished_at IS NOT NULL AS finished FROM cycle_runs WHERE purpose = 'expiry'`,
    );
    expect(runs).toHaveLength(7);
    expect(runs.every((r) => r.finished)).toBe(true);
    // Two pages (six circles over two slots), and the circle behind went through a run of its own.
    const queue = barter.cycles!.queue;
    const completed = await eventually(async () => {
      const jobs = await queue.getCompleted();
      return jobs.some((job) => job.name === "run") ? jobs : undefined;
    }, "the circle's own run");
    expect(completed.filter((job) => job.name === "page")).toHaveLength(2);
    expect(completed.filter((job) => job.name === "run").map((job) => job.id)).toEqual([
      cycleRunJobId("expiry", behind.circleId, now.label),
    ]);
    expect(await queue.getFailedCount()).toBe(0);
    expect(await barter.cycles!.ensureSchedules()).toEqual([]);
  });
});
