import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, createWorker, cycleContaining, manualClock, type Worker } from "@rhizome/kit";
import {
  eventually,
  startTestService,
  succeed,
  testMember,
  type TestMember,
  type TestService,
} from "@rhizome/kit/testing";
import { DEFAULT_REMINDER_CHECK_INTERVAL_MS, type ToolsConfig } from "../src/config.js";
import { everySchedulerId } from "@rhizome/kit";
import {
  deliverReminder,
  reminderJob,
  reminderJobId,
  REMINDER_SWEEP_PURPOSE,
  REMINDER_SWEEP_QUEUE,
  reminderSweepJob,
  REMINDERS_QUEUE,
  sweepOverdueReminders,
} from "../src/jobs/reminders.js";
import { toolsService } from "../src/service.js";
import { addTool, drawWitnessedDuo, handOver, ops } from "./support.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const INBOX = `query Inbox($c: ID!) { myNotifications(circleId: $c) { items { kind message dueAt tool { id } loan { id } } } }`;
// Far ahead of the real time, so no reminder fires by itself: the test moves the clock and promotes each job.
const clock = manualClock(new Date("2031-07-01T10:00:00.000Z"));
let service: TestService<ToolsConfig>;
let worker: Worker;
let sweeper: Worker;
let connection: ReturnType<typeof connectRedis>;

beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
  // The service's own reminder processor, on its own queue prefix, in this process.
  connection = connectRedis(service.runtime.config.REDIS_URL);
  worker = createWorker(REMINDERS_QUEUE, (job) => reminderJob.process(job, service.runtime), connection, {
    prefix: service.queuePrefix,
    concurrency: 1,
  });
  sweeper = createWorker(REMINDER_SWEEP_QUEUE, (job) => reminderSweepJob.process(job, service.runtime), connection, {
    prefix: service.queuePrefix,
    concurrency: 1,
  });
});

afterAll(async () => {
  await worker?.close();
  await sweeper?.close();
  connection?.disconnect();
  await service?.stop();
});

const queue = () => service.runtime.queue(REMINDERS_QUEUE);

async function inbox(member: TestMember): Promise<Array<{ kind: string; message: string; loan: { id: string } }>> {
  return (await succeed(service.url, INBOX, { c: member.circleId }, member.token)).myNotifications.items;
}

async function promote(loanId: string, dueAt: Date, stage: number) {
  const job = await queue().getJob(reminderJobId(loanId, dueAt, stage));
  if (!job) throw new Error(`no reminder job for stage ${stage}`);
  await job.promote();
}

describe("overdue reminders", () => {
  it("are scheduled at the due date and after each interval, reach the borrower's inbox, then the caretakers, each once", async () => {
    const circleId = randomUUID();
    const [organizer, ada, care1, care2] = await Promise.all([
      testMember(circleId, ["member", "organizer"]),
      testMember(circleId),
      testMember(circleId),
      testMember(circleId),
    ]);
    await succeed(service.url, ops.settings, { input: { circleId, reminderIntervalHours: 24 } }, organizer.token);
    await succeed(
      service.url,
      ops.loanPeriod,
      { input: { circleId, category: "ladders", loanDays: 2 } },
      organizer.token,
    );
    for (const member of [care1, care2])
      await succeed(
        service.url,
        `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
        { c: circleId },
        member.token,
      );
    const duo = await drawWitnessedDuo(service, circleId, cycleContaining(clock()).label, clock());
    expect([...duo.duo].sort()).toEqual([care1.memberId, care2.memberId].sort());
    const tool = await addTool(service.url, organizer, { name: "Tall ladder", category: "ladders" });
    await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token);

    const start = clock();
    const { loanStarted } = await handOver(service.url, tool.id, organizer, ada);
    const dueAt = new Date(loanStarted.dueAt);
    expect(dueAt.getTime()).toBe(start.getTime() + 2 * DAY_MS);
    const runsAt = await Promise.all(
      [1, 2, 3].map(async (stage) => {
        const job = (await queue().getJob(reminderJobId(loanStarted.id, dueAt, stage)))!;
        return new Date(job.timestamp + job.opts.delay!).toISOString();
      }),
    );
    expect(runsAt).toEqual(
      [dueAt, new Date(dueAt.getTime() + DAY_MS), new Date(dueAt.getTime() + 2 * DAY_MS)].map((d) => d.toISOString()),
    );
    expect(await inbox(ada)).toEqual([]);

    clock.set(new Date(dueAt.getTime() + 60_000));
    await promote(loanStarted.id, dueAt, 1);
    const first = await eventually(
      async () => ((await inbox(ada)).length === 1 ? inbox(ada) : undefined),
      "the first reminder",
    );
    expect(first[0]).toMatchObject({
      kind: "LOAN_OVERDUE",
      loan: { id: loanStarted.id },
      message: expect.stringContaining('"Tall ladder" was due back on'),
    });
    expect(await deliverReminder(service.runtime.db, loanStarted.id, dueAt, 1, clock())).toBe("already sent");

    clock.advance(DAY_MS);
    await promote(loanStarted.id, dueAt, 2);
    await eventually(async () => ((await inbox(ada)).length === 2 ? true : undefined), "the second reminder");
    expect((await inbox(ada)).map((n) => n.kind)).toEqual(["LOAN_STILL_OVERDUE", "LOAN_OVERDUE"]);

    clock.advance(DAY_MS);
    await promote(loanStarted.id, dueAt, 3);
    const caretakers = [care1, care2];
    await eventually(
      async () => ((await Promise.all(caretakers.map(inbox))).every((items) => items.length === 1) ? true : undefined),
      "the caretakers' reminder",
    );
    for (const caretaker of caretakers)
      expect((await inbox(caretaker))[0]).toMatchObject({
        kind: "CARETAKERS_LOAN_OVERDUE",
        loan: { id: loanStarted.id },
      });
    expect(await inbox(ada)).toHaveLength(2);
    expect(await inbox(organizer)).toEqual([]);
  });

  it("are cancelled when the tool comes back, and a reminder that runs anyway sends nothing", async () => {
    const circleId = randomUUID();
    const [host, ada] = await Promise.all([testMember(circleId), testMember(circleId)]);
    await succeed(
      service.url,
      `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
      { c: circleId },
      ada.token,
    );
    const tool = await addTool(service.url, host, { name: "Tile cutter" });
    const { loanStarted } = await handOver(service.url, tool.id, host, ada);
    const dueAt = new Date(loanStarted.dueAt);
    expect(await queue().getJob(reminderJobId(loanStarted.id, dueAt, 1))).toBeDefined();

    clock.advance(HOUR_MS);
    await handOver(service.url, tool.id, ada, host);
    for (const stage of [1, 2, 3])
      expect(await queue().getJob(reminderJobId(loanStarted.id, dueAt, stage))).toBeUndefined();

    clock.set(new Date(dueAt.getTime() + HOUR_MS));
    expect(await deliverReminder(service.runtime.db, loanStarted.id, dueAt, 1, clock())).toBe("loan ended");
    expect(await inbox(ada)).toEqual([]);
  });

  it("move to the new due date when a loan is renewed", async () => {
    const circleId = randomUUID();
    const [host, ada] = await Promise.all([testMember(circleId), testMember(circleId)]);
    await succeed(
      service.url,
      `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
      { c: circleId },
      ada.token,
    );
    const tool = await addTool(service.url, host, { name: "Sander" });
    const { loanStarted } = await handOver(service.url, tool.id, host, ada);
    const renewed = (await succeed(service.url, ops.renew, { id: loanStarted.id }, ada.token)).renewLoan;
    expect(await queue().getJob(reminderJobId(loanStarted.id, new Date(loanStarted.dueAt), 1))).toBeUndefined();
    expect(await queue().getJob(reminderJobId(loanStarted.id, new Date(renewed.dueAt), 1))).toBeDefined();
    expect(
      await deliverReminder(
        service.runtime.db,
        loanStarted.id,
        new Date(loanStarted.dueAt),
        1,
        new Date(renewed.dueAt),
      ),
    ).toBe("loan renewed");
  });

  it("still reach the borrower when Redis lost the delayed job: the sweep sends each missing one, once, and a job that runs as well sends nothing more", async () => {
    const circleId = randomUUID();
    const [host, ada] = await Promise.all([testMember(circleId), testMember(circleId)]);
    await succeed(
      service.url,
      `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`,
      { c: circleId },
      ada.token,
    );
    const tool = await addTool(service.url, host, { name: "Hedge trimmer" });
    const { loanStarted } = await handOver(service.url, tool.id, host, ada);
    const dueAt = new Date(loanStarted.dueAt);
    // Redis lost the first reminder's delayed job.
    await queue().remove(reminderJobId(loanStarted.id, dueAt, 1));
    expect(await queue().getJob(reminderJobId(loanStarted.id, dueAt, 1))).toBeUndefined();

    clock.set(new Date(dueAt.getTime() - 60_000));
    // The sweep covers every circle's loans (other tests' too): what counts is this borrower's inbox.
    await sweepOverdueReminders(service.runtime.db, clock());
    expect(await inbox(ada)).toEqual([]);

    clock.set(new Date(dueAt.getTime() + 60_000));
    // The sweep as the kit schedules it: a job on its queue, run by the service's processor.
    await service.runtime.queue(REMINDER_SWEEP_QUEUE).add("every", {});
    const first = await eventually(
      async () => ((await inbox(ada)).length > 0 ? inbox(ada) : undefined),
      "the sweep's reminder",
    );
    expect(first).toEqual([expect.objectContaining({ kind: "LOAN_OVERDUE", loan: { id: loanStarted.id } })]);
    await sweepOverdueReminders(service.runtime.db, clock());
    expect(await inbox(ada)).toHaveLength(1);

    // The second stage's job survived; the sweep gets there first, then the job runs and adds nothing.
    clock.set(new Date(dueAt.getTime() + 48 * HOUR_MS + 60_000));
    await sweepOverdueReminders(service.runtime.db, clock());
    expect((await inbox(ada)).map((n) => n.kind)).toEqual(["LOAN_STILL_OVERDUE", "LOAN_OVERDUE"]);
    await promote(loanStarted.id, dueAt, 2);
    const outcome = await eventually(
      async () => (await queue().getJob(reminderJobId(loanStarted.id, dueAt, 2)))?.returnvalue ?? undefined,
      "the second stage's job",
    );
    expect(outcome).toBe("already sent");
    expect((await inbox(ada)).map((n) => n.kind)).toEqual(["LOAN_STILL_OVERDUE", "LOAN_OVERDUE"]);

    // A loan that came back gets nothing from the sweep, however late.
    await handOver(service.url, tool.id, ada, host);
    const other = await addTool(service.url, host, { name: "Wheelbarrow" });
    const { loanStarted: otherLoan } = await handOver(service.url, other.id, host, ada);
    await handOver(service.url, other.id, ada, host);
    clock.set(new Date(new Date(otherLoan.dueAt).getTime() + 30 * DAY_MS));
    await sweepOverdueReminders(service.runtime.db, clock());
    expect((await inbox(ada)).map((n) => n.loan.id)).toEqual([loanStarted.id, loanStarted.id]);
  });

  it("are swept on a schedule every worker puts back when Redis lost it", async () => {
    const workerService = await startTestService(toolsService, { clock, scheduleCheckIntervalMs: 200 });
    try {
      const sweepQueue = workerService.runtime.queue(REMINDER_SWEEP_QUEUE);
      const scheduler = await sweepQueue.getJobScheduler(everySchedulerId(REMINDER_SWEEP_PURPOSE));
      expect(scheduler).toMatchObject({ every: DEFAULT_REMINDER_CHECK_INTERVAL_MS });
      await sweepQueue.removeJobScheduler(everySchedulerId(REMINDER_SWEEP_PURPOSE));
      await eventually(
        async () => (await sweepQueue.getJobScheduler(everySchedulerId(REMINDER_SWEEP_PURPOSE))) ?? undefined,
        "the sweep's schedule to be rebuilt",
      );
    } finally {
      await workerService.stop();
    }
  });

  it("reach the borrower once the hub's clock passes the due time, whatever the machine's clock says", async () => {
    // A whole service, workers included, on a clock far ahead of the machine's: no delayed job is due by the machine's clock.
    const hubClock = manualClock(new Date("2031-09-01T10:00:00.000Z"));
    const hub = await startTestService(toolsService, { clock: hubClock, env: { REMINDER_CHECK_INTERVAL_MS: "1000" } });
    try {
      const circleId = randomUUID();
      const [host, ada] = await Promise.all([testMember(circleId), testMember(circleId)]);
      // The library learns a member when they first act in it.
      await succeed(hub.url, `mutation V($c: ID!) { volunteerAsCaretaker(circleId: $c) }`, { c: circleId }, ada.token);
      const tool = await addTool(hub.url, host, { name: "Post-hole digger" });
      const { loanStarted } = await handOver(hub.url, tool.id, host, ada);
      const dueAt = new Date(loanStarted.dueAt);
      const inboxOf = async () =>
        (await succeed(hub.url, INBOX, { c: circleId }, ada.token)).myNotifications.items as Array<{
          kind: string;
          dueAt: string;
        }>;

      hubClock.set(new Date(dueAt.getTime() - 60_000));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await inboxOf()).toEqual([]);

      hubClock.set(new Date(dueAt.getTime() + 60_000));
      const told = await eventually(
        async () => ((await inboxOf()).length > 0 ? inboxOf() : undefined),
        "the reminder once the hub's clock passed the due time",
      );
      expect(told).toEqual([expect.objectContaining({ kind: "LOAN_OVERDUE", dueAt: dueAt.toISOString() })]);
    } finally {
      await hub.stop();
    }
  });
});
