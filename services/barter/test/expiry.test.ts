import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import {
  boundaryJobId,
  CYCLE_WATCHDOG_INTERVAL_MS,
  cycleContaining,
  cycleRunJobId,
  cyclesDue,
  followingCycle,
  manualClock,
  precedingCycle,
  watchdogSchedulerId,
  type LunarCycle,
} from "@rhizome/kit";
import { eventually, failure, startTestService, subgraphUrl, succeed, type TestService } from "@rhizome/kit/testing";
import type { BarterConfig } from "../src/config.js";
import { barterService } from "../src/service.js";
import { ExpiryError } from "../src/store/expiry.js";
import { expireCircleCycle } from "../src/jobs/expire-circle-cycle.js";
import { createCircle, type TestCircle } from "./support/circles.js";
import { auditLedger, barterDatabase, closeBarterDatabase, ledgerSnapshot, memberBalance } from "./support/database.js";
import { exchangeAt, hoursAfter, proposeAt } from "./support/ledger.js";
import { eventsAbout } from "./support/events.js";

// Stories here start in past cycles, so that their boundaries have passed. They live in this one
// file because the boundary and catch-up jobs look at every circle in the database.
let db: DataSource;
// A fixed instant, not the time of the run: a run that spans a new moon changes nothing here.
const current: LunarCycle = cycleContaining(new Date("2026-11-24T12:00:00.000Z"));
const oneAgo = precedingCycle(current);
const twoAgo = precedingCycle(oneAgo);
const threeAgo = precedingCycle(twoAgo);

beforeAll(async () => {
  db = await barterDatabase();
});

afterAll(async () => {
  await closeBarterDatabase();
});

async function entriesOf(
  circle: TestCircle,
): Promise<Array<{ member: number; kind: string; amount: number; cycle: string }>> {
  const rows: Array<{ member_id: string | null; kind: string; amount_minutes: number; cycle: string }> = await db.query(
    `SELECT a.member_id, t.kind, e.amount_minutes, e.cycle FROM entries e JOIN transfers t ON t.id = e.transfer_id JOIN accounts a ON a.id = e.account_id
     WHERE t.circle_id = $1`,
    [circle.circleId],
  );
  const memberIndex = (id: string | null) => (id === null ? -1 : circle.members.findIndex((m) => m.memberId === id));
  // Expiry's batches follow account ids, which differ between circles: the commons' side is compared per kind and cycle.
  const commons = new Map<string, { member: number; kind: string; amount: number; cycle: string }>();
  const members: Array<{ member: number; kind: string; amount: number; cycle: string }> = [];
  for (const r of rows) {
    const entry = { member: memberIndex(r.member_id), kind: r.kind, amount: r.amount_minutes, cycle: r.cycle };
    if (entry.member >= 0) {
      members.push(entry);
      continue;
    }
    const key = `${entry.kind}@${entry.cycle}`;
    const total = commons.get(key);
    commons.set(key, total ? { ...total, amount: total.amount + entry.amount } : entry);
  }
  return [...members, ...commons.values()].sort(
    (a, b) =>
      a.member - b.member || a.kind.localeCompare(b.kind) || a.amount - b.amount || a.cycle.localeCompare(b.cycle),
  );
}

describe("expiry of a cycle", () => {
  it("expires credits and annuls debts at the new moon, and running it twice changes nothing", async () => {
    const circle = await createCircle(db, 3, { openedAt: threeAgo.startsAt });
    const [ada, bell, cy] = circle.members;
    const midCycle = hoursAfter(threeAgo.startsAt, 24);
    await exchangeAt(db, circle, ada, bell, 90, midCycle);
    await exchangeAt(db, circle, cy, bell, 30, midCycle);
    const lapsing = await proposeAt(db, circle, ada, cy, 15, midCycle);

    const first = await expireCircleCycle(db, circle.circleId, threeAgo.label, { now: threeAgo.endsAt });

    expect(first).toMatchObject({
      cycle: threeAgo.label,
      wasAlreadyComplete: false,
      accountsExpired: 3,
      accountsWithCreditsExpired: 2,
      accountsWithDebtsAnnulled: 1,
      creditsExpiredMinutes: 120,
      debtsAnnulledMinutes: 120,
    });
    for (const member of circle.members) expect(await memberBalance(db, member.memberId)).toBe(0);
    expect(await auditLedger(db, circle.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
    const [{ status }] = await db.query(`SELECT status FROM exchanges WHERE id = $1`, [lapsing.id]);
    expect(status).toBe("EXPIRED");
    const history = await entriesOf(circle);
    expect(history.filter((e) => e.kind === "CREDITS_EXPIRED" && e.member >= 0)).toEqual([
      { member: 0, kind: "CREDITS_EXPIRED", amount: -90, cycle: threeAgo.label },
      { member: 2, kind: "CREDITS_EXPIRED", amount: -30, cycle: threeAgo.label },
    ]);
    expect(history.filter((e) => e.kind === "DEBTS_ANNULLED" && e.member >= 0)).toEqual([
      { member: 1, kind: "DEBTS_ANNULLED", amount: 120, cycle: threeAgo.label },
    ]);
    expect(await eventsAbout(db, "cycle.expired", circle.circleId)).toEqual([
      {
        circleId: circle.circleId,
        cycle: threeAgo.label,
        creditsExpiredMinutes: 120,
        debtsAnnulledMinutes: 120,
        accountsWithDebtsAnnulled: 1,
      },
    ]);

    const before = await ledgerSnapshot(db, circle.circleId);
    const second = await expireCircleCycle(db, circle.circleId, threeAgo.label, { now: current.startsAt });
    expect(second).toMatchObject({
      wasAlreadyComplete: true,
      accountsExpired: 3,
      creditsExpiredMinutes: 120,
      debtsAnnulledMinutes: 120,
    });
    expect(await ledgerSnapshot(db, circle.circleId)).toEqual(before);
  });

  it("refuses to expire a cycle before it has ended", async () => {
    const circle = await createCircle(db, 1, { openedAt: threeAgo.startsAt });
    await expect(
      expireCircleCycle(db, circle.circleId, current.label, { now: hoursAfter(current.startsAt, 1) }),
    ).rejects.toThrow(ExpiryError);
    await expect(
      expireCircleCycle(db, circle.circleId, "2026-13-01", { now: hoursAfter(current.startsAt, 1) }),
    ).rejects.toThrow(/not a lunar cycle label/);
  });

  it("leaves alone what the next cycle accrued before the job ran", async () => {
    const circle = await createCircle(db, 2, { openedAt: threeAgo.startsAt });
    const [ada, bell] = circle.members;
    await exchangeAt(db, circle, ada, bell, 60, hoursAfter(threeAgo.startsAt, 1));
    // The new moon has passed but the expiry job is late: bell already repays half an hour.
    await exchangeAt(db, circle, bell, ada, 30, hoursAfter(twoAgo.startsAt, 1));

    await expireCircleCycle(db, circle.circleId, threeAgo.label, { now: hoursAfter(twoAgo.startsAt, 2) });
    expect(await memberBalance(db, ada.memberId)).toBe(-30);
    expect(await memberBalance(db, bell.memberId)).toBe(30);

    await expireCircleCycle(db, circle.circleId, twoAgo.label, { now: twoAgo.endsAt });
    expect(await memberBalance(db, ada.memberId)).toBe(0);
    expect(await memberBalance(db, bell.memberId)).toBe(0);
    expect(await auditLedger(db, circle.circleId)).toMatchObject({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
  });

  it("interrupted after its first batch and run again, gives the same ledger as one clean run", async () => {
    const story = async () => {
      const circle = await createCircle(db, 7, { openedAt: threeAgo.startsAt });
      const [a, b, c, d, e, f, g] = circle.members;
      const at = hoursAfter(threeAgo.startsAt, 5);
      await exchangeAt(db, circle, a, b, 120, at);
      await exchangeAt(db, circle, c, d, 45, at);
      await exchangeAt(db, circle, e, f, 30, at);
      await exchangeAt(db, circle, g, a, 15, at);
      return circle;
    };
    const interrupted = await story();
    const clean = await story();
    const options = { now: threeAgo.endsAt, batchSize: 2 };

    const crash = new Error("worker killed");
    await expect(
      expireCircleCycle(db, interrupted.circleId, threeAgo.label, {
        ...options,
        afterBatch: () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const [{ count: expiredSoFar }] = await db.query(
      `SELECT count(*) FROM transfers WHERE circle_id = $1 AND kind <> 'EXCHANGE'`,
      [interrupted.circleId],
    );
    expect(Number(expiredSoFar)).toBeLessThanOrEqual(2);
    const [{ finished_at: unfinished }] = await db.query(`SELECT finished_at FROM expiry_runs WHERE circle_id = $1`, [
      interrupted.circleId,
    ]);
    expect(unfinished).toBeNull();
    expect(await auditLedger(db, interrupted.circleId)).toMatchObject({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });

    const resumed = await expireCircleCycle(db, interrupted.circleId, threeAgo.label, options);
    const cleanRun = await expireCircleCycle(db, clean.circleId, threeAgo.label, options);

    const totals = (o: typeof resumed) => [
      o.accountsExpired,
      o.creditsExpiredMinutes,
      o.debtsAnnulledMinutes,
      o.accountsWithCreditsExpired,
      o.accountsWithDebtsAnnulled,
    ];
    expect(totals(resumed)).toEqual(totals(cleanRun));
    expect(await entriesOf(interrupted)).toEqual(await entriesOf(clean));
    for (const member of interrupted.members) expect(await memberBalance(db, member.memberId)).toBe(0);
    expect(await auditLedger(db, interrupted.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
  });
});

describe("expiry, whatever the story and wherever it is killed", () => {
  it("returns every balance to zero, writes the same ledger as one clean run, tells consumers once, and a rerun writes nothing", async () => {
    const exchangeArbitrary = fc.record({
      provider: fc.nat({ max: 5 }),
      receiver: fc.nat({ max: 5 }),
      minutes: fc.integer({ min: 1, max: 50 }),
    });
    const killArbitrary = fc.record({
      at: fc.constantFrom("after a batch commits", "inside a batch", "inside the completion"),
      batch: fc.nat({ max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(exchangeArbitrary, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        killArbitrary,
        async (story, batchSize, kill) => {
          const play = async () => {
            const circle = await createCircle(db, 6, { openedAt: threeAgo.startsAt });
            for (const [index, step] of story.entries()) {
              if (step.provider === step.receiver) continue;
              await exchangeAt(
                db,
                circle,
                circle.members[step.provider],
                circle.members[step.receiver],
                step.minutes,
                hoursAfter(threeAgo.startsAt, index + 1),
              );
            }
            return circle;
          };
          const interrupted = await play();
          const clean = await play();
          const options = { now: threeAgo.endsAt, batchSize };
          const crash = new Error("killed");
          await expireCircleCycle(db, interrupted.circleId, threeAgo.label, {
            ...options,
            afterBatch: ({ index }) => {
              if (kill.at === "after a batch commits" && index === kill.batch) throw crash;
            },
            beforeCommit: ({ kind, index }) => {
              if (kill.at === "inside a batch" && kind === "batch" && index === kill.batch) throw crash;
              if (kill.at === "inside the completion" && kind === "completion") throw crash;
            },
          }).catch((error) => {
            if (error !== crash) throw error;
          });
          expect(await auditLedger(db, interrupted.circleId)).toEqual({
            balancesNotMatchingEntries: [],
            unbalancedTransfers: [],
            totalMinutes: 0,
          });
          const resumed = await expireCircleCycle(db, interrupted.circleId, threeAgo.label, options);
          const cleanRun = await expireCircleCycle(db, clean.circleId, threeAgo.label, options);
          expect(await entriesOf(interrupted)).toEqual(await entriesOf(clean));
          for (const member of interrupted.members) expect(await memberBalance(db, member.memberId)).toBe(0);
          expect(await auditLedger(db, interrupted.circleId)).toEqual({
            balancesNotMatchingEntries: [],
            unbalancedTransfers: [],
            totalMinutes: 0,
          });

          const before = await ledgerSnapshot(db, interrupted.circleId);
          expect(await expireCircleCycle(db, interrupted.circleId, threeAgo.label, options)).toMatchObject({
            wasAlreadyComplete: true,
          });
          expect(await ledgerSnapshot(db, interrupted.circleId)).toEqual(before);
          const { creditsExpiredMinutes, debtsAnnulledMinutes, accountsWithDebtsAnnulled } = cleanRun;
          expect({
            creditsExpiredMinutes: resumed.creditsExpiredMinutes,
            debtsAnnulledMinutes: resumed.debtsAnnulledMinutes,
          }).toEqual({ creditsExpiredMinutes, debtsAnnulledMinutes });
          expect(await eventsAbout(db, "cycle.expired", interrupted.circleId)).toEqual([
            {
              circleId: interrupted.circleId,
              cycle: threeAgo.label,
              creditsExpiredMinutes,
              debtsAnnulledMinutes,
              accountsWithDebtsAnnulled,
            },
          ]);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe("expiry by hand, out of order", () => {
  it("expiring an older cycle after a newer one closes each cycle's own balances, as in order", async () => {
    const story = async () => {
      const circle = await createCircle(db, 3, { openedAt: threeAgo.startsAt });
      const [ada, bell, cy] = circle.members;
      await exchangeAt(db, circle, ada, bell, 90, hoursAfter(threeAgo.startsAt, 3));
      await exchangeAt(db, circle, bell, cy, 40, hoursAfter(twoAgo.startsAt, 3));
      await exchangeAt(db, circle, cy, ada, 25, hoursAfter(twoAgo.startsAt, 4));
      return circle;
    };
    const inOrder = await story();
    const outOfOrder = await story();
    await expireCircleCycle(db, inOrder.circleId, threeAgo.label, { now: current.startsAt });
    await expireCircleCycle(db, inOrder.circleId, twoAgo.label, { now: current.startsAt });
    // An operator catching up by hand runs the newer cycle first.
    const newer = await expireCircleCycle(db, outOfOrder.circleId, twoAgo.label, { now: current.startsAt });
    const older = await expireCircleCycle(db, outOfOrder.circleId, threeAgo.label, { now: current.startsAt });

    expect(newer).toMatchObject({ creditsExpiredMinutes: 40, debtsAnnulledMinutes: 40, accountsExpired: 3 });
    expect(older).toMatchObject({ creditsExpiredMinutes: 90, debtsAnnulledMinutes: 90, accountsExpired: 2 });
    expect(await entriesOf(outOfOrder)).toEqual(await entriesOf(inOrder));
    for (const member of outOfOrder.members) expect(await memberBalance(db, member.memberId)).toBe(0);
    expect(await auditLedger(db, outOfOrder.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
  });
});

describe("an expiry's run record", () => {
  it("says when the run really finished, also when it was killed and resumed later", async () => {
    const circle = await createCircle(db, 4, { openedAt: threeAgo.startsAt });
    const [ada, bell, cy, dee] = circle.members;
    await exchangeAt(db, circle, ada, bell, 60, hoursAfter(threeAgo.startsAt, 2));
    await exchangeAt(db, circle, cy, dee, 30, hoursAfter(threeAgo.startsAt, 2));
    const startedAt = hoursAfter(threeAgo.endsAt, 1);
    const crash = new Error("killed");
    await expect(
      expireCircleCycle(db, circle.circleId, threeAgo.label, {
        now: startedAt,
        batchSize: 2,
        afterBatch: () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const resumedAt = hoursAfter(startedAt, 5);
    const finishedAt = new Date(resumedAt.getTime() + 42_000);
    const outcome = await expireCircleCycle(db, circle.circleId, threeAgo.label, {
      now: resumedAt,
      clock: () => finishedAt,
      batchSize: 2,
    });
    expect(outcome.finishedAt).toEqual(finishedAt);
    const [run] = await db.query(
      `SELECT started_at, finished_at FROM expiry_runs WHERE circle_id = $1 AND cycle = $2`,
      [circle.circleId, threeAgo.label],
    );
    expect(run).toEqual({ started_at: startedAt, finished_at: finishedAt });
    expect((await eventsAbout(db, "cycle.expired", circle.circleId)).length).toBe(1);
  });
});

describe("a closed cycle's summary", () => {
  it("is public, and includes what its expiry did once at least 5 people stand behind each figure", async () => {
    const circle = await createCircle(db, 10, { openedAt: oneAgo.startsAt });
    const m = circle.members;
    for (let i = 0; i < 5; i++)
      await exchangeAt(db, circle, m[i], m[i + 5], 30 + i, hoursAfter(oneAgo.startsAt, i + 1));
    await expireCircleCycle(db, circle.circleId, oneAgo.label, { now: oneAgo.endsAt });
    const SUMMARY = `query Summary($id: ID!, $cycle: String) { _entities(representations: [{ __typename: "Circle", id: $id }]) {
      ... on Circle { barterSummary(cycle: $cycle) { cycle isClosed minutesExchanged exchangeCount participantCount creditsExpiredMinutes debtsAnnulledMinutes } } } }`;
    const anonymous = await succeed(subgraphUrl("barter"), SUMMARY, { id: circle.circleId, cycle: oneAgo.label });
    expect(anonymous._entities[0].barterSummary).toEqual({
      cycle: oneAgo.label,
      isClosed: true,
      minutesExchanged: 160,
      exchangeCount: 5,
      participantCount: 10,
      creditsExpiredMinutes: 160,
      debtsAnnulledMinutes: 160,
    });
  });
});

describe("expiry at every new moon, on the kit's cycle jobs", () => {
  // A barter of its own (empty database, own queue keys, a clock the test sets): its catch-up and
  // boundaries see only this story's circles, and nothing depends on when the run happens.
  const clock = manualClock(hoursAfter(current.startsAt, 30));
  let barter: TestService<BarterConfig>;
  let barterDb: DataSource;

  beforeAll(async () => {
    // The keeper's own timer is left out of the story (an hour); the test runs its rounds itself.
    barter = await startTestService(barterService, {
      ownDatabase: true,
      clock,
      scheduleCheckIntervalMs: 60 * 60 * 1000,
    });
    barterDb = barter.runtime.db;
  });
  afterAll(async () => {
    await barter?.stop();
  });

  const runsOf = (circle: TestCircle) =>
    barterDb.query(
      `SELECT cycle, credits_expired_minutes, debts_annulled_minutes FROM expiry_runs WHERE circle_id = $1 AND finished_at IS NOT NULL ORDER BY cycle`,
      [circle.circleId],
    ) as Promise<Array<{ cycle: string; credits_expired_minutes: number; debts_annulled_minutes: number }>>;

  it("schedules the coming new moon once, as a delayed job named after the cycle it ends, with an hourly watchdog", async () => {
    await barter.cycles!.ensureSchedules();
    const queue = barter.cycles!.queue;
    const boundary = await queue.getJob(boundaryJobId("expiry", current.label));
    expect(boundary?.data).toEqual({ purpose: "expiry", cycle: current.label });
    expect(await boundary?.getState()).toBe("delayed");
    expect(boundary!.timestamp + boundary!.opts.delay!).toBe(current.endsAt.getTime());
    await barter.cycles!.ensureSchedules();
    expect((await queue.getDelayed()).filter((job) => job.name === "boundary").map((job) => job.id)).toEqual([
      boundaryJobId("expiry", current.label),
    ]);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([
      [watchdogSchedulerId("expiry"), CYCLE_WATCHDOG_INTERVAL_MS],
    ]);
  });

  it("catches up, in order, on every new moon that passed while the hub was down", async () => {
    const circle = await createCircle(barterDb, 2, { openedAt: threeAgo.startsAt });
    const [ada, bell] = circle.members;
    await exchangeAt(barterDb, circle, ada, bell, 60, hoursAfter(threeAgo.startsAt, 2));
    await exchangeAt(barterDb, circle, ada, bell, 30, hoursAfter(twoAgo.startsAt, 2));
    await exchangeAt(barterDb, circle, bell, ada, 45, hoursAfter(oneAgo.startsAt, 2));
    expect(await cyclesDue(barterDb, "expiry", circle.circleId, clock())).toEqual([
      threeAgo.label,
      twoAgo.label,
      oneAgo.label,
    ]);

    const jobIds = await barter.cycles!.ensureSchedules();
    expect(jobIds).toContain(cycleRunJobId("expiry", circle.circleId, oneAgo.label));
    const runs = await eventually(async () => {
      const rows = await runsOf(circle);
      return rows.length === 3 ? rows : undefined;
    }, "three caught-up expiries");
    expect(runs).toEqual([
      { cycle: threeAgo.label, credits_expired_minutes: 60, debts_annulled_minutes: 60 },
      { cycle: twoAgo.label, credits_expired_minutes: 30, debts_annulled_minutes: 30 },
      { cycle: oneAgo.label, credits_expired_minutes: 45, debts_annulled_minutes: 45 },
    ]);
    expect(await memberBalance(barterDb, ada.memberId)).toBe(0);
    expect(await cyclesDue(barterDb, "expiry", circle.circleId, clock())).toEqual([]);
    expect(await auditLedger(barterDb, circle.circleId)).toEqual({
      balancesNotMatchingEntries: [],
      unbalancedTransfers: [],
      totalMinutes: 0,
    });
  });

  it("rebuilds its schedule when Redis loses it, and reports not ready until it has", async () => {
    await barter.cycles!.ensureSchedules();
    const ready = new URL("/ready", barter.url);
    expect((await fetch(ready)).status).toBe(200);
    // Everything this instance keeps in Redis disappears, as after a Redis restart without persistence.
    const redis = barter.runtime.redis;
    const keys = await redis.keys(`${barter.queuePrefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);

    const notReady = await fetch(ready);
    expect(notReady.status).toBe(503);
    expect((await notReady.json()).checks.schedules).toMatch(/missing schedules.*expiry: the boundary of cycle/);
    expect(await barter.cycles!.keepSchedules()).toEqual([
      `expiry: the boundary of cycle ${current.label}`,
      "expiry: the watchdog",
    ]);
    expect((await fetch(ready)).status).toBe(200);
    expect(await barter.cycles!.keepSchedules()).toEqual([]);
    const boundary = await barter.cycles!.queue.getJob(boundaryJobId("expiry", current.label));
    expect(boundary!.timestamp + boundary!.opts.delay!).toBe(current.endsAt.getTime());
    expect(await barter.cycles!.queue.getJobScheduler(watchdogSchedulerId("expiry"))).toBeDefined();
  });

  it("finds nothing missing at a new moon while the ended cycle's boundary job has yet to run, and stays ready", async () => {
    await barter.cycles!.ensureSchedules();
    const before = clock();
    // The new moon has come; the boundary job that schedules the next one waits its turn (here: still delayed).
    clock.set(hoursAfter(current.endsAt, 0.01));
    try {
      expect(
        await barter.cycles!.queue.getJob(boundaryJobId("expiry", current.label)).then((job) => job?.getState()),
      ).toBe("delayed");
      expect(await barter.cycles!.keepSchedules()).toEqual([]);
      expect((await fetch(new URL("/ready", barter.url))).status).toBe(200);
      expect(await barter.cycles!.queue.getJob(boundaryJobId("expiry", followingCycle(current).label))).toBeUndefined();
    } finally {
      clock.set(before);
    }
  });

  it("at a new moon, fans out one run per circle, schedules the following one, and shows organizers what it did", async () => {
    const circle = await createCircle(barterDb, 2, { openedAt: hoursAfter(current.startsAt, 1) });
    const [organizer, member] = circle.members;
    await exchangeAt(barterDb, circle, organizer, member, 75, hoursAfter(current.startsAt, 2));
    const next = followingCycle(current);

    // The new moon comes: the delayed boundary job is run now instead of waiting for the real one.
    clock.set(hoursAfter(current.endsAt, 1));
    await barter.cycles!.queue.getJob(boundaryJobId("expiry", current.label)).then((job) => job!.promote());
    await eventually(
      async () => ((await runsOf(circle)).length === 1 ? true : undefined),
      "the new moon's expiry of the circle",
    );
    expect(await memberBalance(barterDb, organizer.memberId)).toBe(0);
    const following = await eventually(
      () => barter.cycles!.queue.getJob(boundaryJobId("expiry", next.label)),
      "the following boundary",
    );
    expect(following.timestamp + following.opts.delay!).toBe(next.endsAt.getTime());

    const EXPIRY = `query Expiry($id: ID!) { _entities(representations: [{ __typename: "Circle", id: $id }]) {
      ... on Circle { barterExpiry { nextRunAt lastRun { cycle accountsExpired creditsExpiredMinutes debtsAnnulledMinutes } } } } }`;
    const seen = await succeed(barter.url, EXPIRY, { id: circle.circleId }, organizer.token);
    expect(seen._entities[0].barterExpiry).toEqual({
      nextRunAt: next.endsAt.toISOString(),
      lastRun: { cycle: current.label, accountsExpired: 2, creditsExpiredMinutes: 75, debtsAnnulledMinutes: 75 },
    });
    expect((await failure(barter.url, EXPIRY, { id: circle.circleId }, member.token)).code).toBe("FORBIDDEN");
  });
});

describe("a new moon over many circles", () => {
  // A barter of its own that runs four cycle jobs at a time, with a clock the test sets.
  const clock = manualClock(hoursAfter(current.startsAt, 30));
  const CONCURRENCY = 4;
  const CIRCLES = 12;
  let barter: TestService<BarterConfig>;
  let barterDb: DataSource;

  beforeAll(async () => {
    barter = await startTestService(barterService, {
      ownDatabase: true,
      clock,
      scheduleCheckIntervalMs: 60 * 60 * 1000,
      // It reads no member events, so the circles other test files found meanwhile stay unknown to it:
      // its catch-ups are about its own circles alone.
      env: { CYCLE_JOB_CONCURRENCY: String(CONCURRENCY), NETWORK_URL: "http://127.0.0.1:9" },
    });
    barterDb = barter.runtime.db;
  });
  afterAll(async () => {
    await barter?.stop();
  });

  it("runs as many circles' expiries at once as the setting says, and each exactly once", async () => {
    const circles: TestCircle[] = [];
    for (let i = 0; i < CIRCLES; i++) {
      const circle = await createCircle(barterDb, 2, { openedAt: hoursAfter(current.startsAt, 1) });
      await exchangeAt(barterDb, circle, circle.members[0], circle.members[1], 10 + i, hoursAfter(current.startsAt, 2));
      circles.push(circle);
    }
    // Members are still writing to every circle's ledger (each holds its cycle barrier, as a
    // confirmation does), so every expiry that has started waits at the barrier.
    const writer = barterDb.createQueryRunner();
    await writer.connect();
    const barrierKey = `hashtextextended('barter.cycle-barrier:' || $1::text, 0)`;
    try {
      for (const circle of circles)
        await writer.query(`SELECT pg_advisory_lock_shared(${barrierKey})`, [circle.circleId]);

      clock.set(hoursAfter(current.endsAt, 1));
      await barter.cycles!.queue.getJob(boundaryJobId("expiry", current.label)).then((job) => job!.promote());
      const waiting = () =>
        barterDb
          .query(
            `SELECT count(*)::int AS count FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock(%'`,
          )
          .then((rows: Array<{ count: number }>) => rows[0].count);
      await eventually(
        async () => ((await waiting()) === CONCURRENCY ? true : undefined),
        `${CONCURRENCY} expiries waiting at once`,
      );
      // No more than that: the others wait in the queue, and a second fan-out or catch-up adds nothing.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await waiting()).toBe(CONCURRENCY);
      expect(await barter.cycles!.queue.getActiveCount()).toBe(CONCURRENCY);
      await barter.cycles!.ensureSchedules();
      expect(await barter.cycles!.queue.getActiveCount()).toBe(CONCURRENCY);
    } finally {
      // The connection goes back to the pool: its session's locks must not go with it.
      await writer.query(`SELECT pg_advisory_unlock_all()`);
      await writer.release();
    }

    const finished = await eventually(async () => {
      const rows: Array<{ circle_id: string; credits_expired_minutes: number }> = await barterDb.query(
        `SELECT circle_id, credits_expired_minutes FROM expiry_runs WHERE cycle = $1 AND finished_at IS NOT NULL`,
        [current.label],
      );
      return rows.length === CIRCLES ? rows : undefined;
    }, "every circle's expiry");
    expect(new Map(finished.map((r) => [r.circle_id, r.credits_expired_minutes]))).toEqual(
      new Map(circles.map((circle, i) => [circle.circleId, 10 + i])),
    );
    // The watchdog's round after the fact finds nothing to run again.
    expect(await barter.cycles!.ensureSchedules()).toEqual([]);
    const runs: Array<{ circle_id: string; finished: boolean }> = await barterDb.query(
      `SELECT circle_id, finished_at IS NOT NULL AS finished FROM cycle_runs WHERE purpose = 'expiry' AND cycle = $1`,
      [current.label],
    );
    expect(runs.map((r) => r.circle_id).sort()).toEqual(circles.map((c) => c.circleId).sort());
    expect(runs.every((r) => r.finished)).toBe(true);
    for (const circle of circles) {
      expect(await eventsAbout(barterDb, "cycle.expired", circle.circleId)).toHaveLength(1);
      expect(await memberBalance(barterDb, circle.members[0].memberId)).toBe(0);
    }
    expect(await barter.cycles!.queue.getFailedCount()).toBe(0);
  });
});
