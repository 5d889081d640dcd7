import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, eventually } from "@rhizome/kit/testing";
import {
  api,
  branch,
  MINUTE_MS,
  newCircle,
  ops,
  responder,
  startDefense,
  storedCalls,
  type DefenseTestService,
} from "./support/defense.js";

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];

beforeAll(async () => {
  ({ service, clock } = await startDefense());
});

afterAll(async () => {
  await service?.stop();
});

type Call = {
  step: number;
  branchId: string;
  responderId: string;
  acknowledgedAt: string | null;
  escalatedAt: string | null;
};

async function alertAs(who: { token: string }, id: string) {
  // eslint-disable-next-line no-restricted-syntax -- the helper types its caller as this service's TestMember; the kit's test member carries the same token
  return (await api(service).ok(ops.alert, { id }, who as never)).defenseAlert as {
    status: string;
    calls: Call[];
    log: Array<{ kind: string; at: string; step: number | null }>;
    verifications: number;
    broadcastRecipients: number | null;
  };
}

describe("the alert tree", () => {
  it("calls every branch head first (on-shift responders before the others), escalates an unanswered call down its branch and then up the tree, and logs each step with its time", async () => {
    const call = api(service);
    const circle = await newCircle();
    const north = await branch(service, circle, "north");
    const northEast = await branch(service, circle, "north-east", north);
    const northHead = await responder(service, circle, north);
    const northSecond = await responder(service, circle, north);
    const offShift = await responder(service, circle, northEast, {
      shifts: [{ weekday: 2, startMinute: 0, endMinute: 1440 }],
    });
    // Monday 09:00 UTC is inside this shift, so this responder heads the branch although they joined later.
    const onShift = await responder(service, circle, northEast, {
      shifts: [{ weekday: 0, startMinute: 8 * 60, endMinute: 12 * 60 }],
    });
    const raiser = await circle.member();

    const raisedAt = clock().getTime();
    const alert = (
      await call.ok(
        ops.raise,
        {
          input: {
            circleId: circle.id,
            kind: "EVICTION",
            place: "u4pruy",
            urgency: "HIGH",
            text: "Bailiffs at the door of number 12",
          },
        },
        raiser,
      )
    ).raiseAlert;
    expect(alert).toMatchObject({
      status: "OPEN",
      place: "u4pruy",
      text: "Bailiffs at the door of number 12",
      raisedByMe: true,
    });
    let calls = await storedCalls(service, alert.id);
    expect(calls.map((c) => [c.step, c.branchId, c.responderId]).sort()).toEqual(
      [
        [0, north, northHead.responderId],
        [0, northEast, onShift.responderId],
      ].sort(),
    );
    // Each responder reads their own call only.
    expect((await alertAs(northHead, alert.id)).calls.map((c) => c.responderId)).toEqual([northHead.responderId]);
    expect((await alertAs(onShift, alert.id)).calls.map((c) => c.responderId)).toEqual([onShift.responderId]);
    await call.ok(ops.acknowledge, { id: alert.id }, northHead);

    // Five minutes without an answer: the north-east call passes to the next responder of that branch.
    clock.advance(5 * MINUTE_MS);
    calls = await eventually(async () => {
      const current = await storedCalls(service, alert.id);
      return current.length === 3 ? current : undefined;
    }, "the unanswered call to escalate");
    expect(calls.find((c) => c.step === 1)).toMatchObject({
      branchId: northEast,
      responderId: offShift.responderId,
      acknowledgedAt: null,
    });
    expect(calls.find((c) => c.responderId === onShift.responderId)?.escalatedAt).toBe(
      new Date(raisedAt + 5 * MINUTE_MS).toISOString(),
    );
    expect(calls.find((c) => c.responderId === northHead.responderId)?.escalatedAt).toBeNull();

    // The branch is exhausted: the call climbs to the parent branch, skipping whoever was already called.
    clock.advance(5 * MINUTE_MS);
    calls = await eventually(async () => {
      const current = await storedCalls(service, alert.id);
      return current.length === 4 ? current : undefined;
    }, "the call to climb the tree");
    expect(calls.find((c) => c.step === 2)).toMatchObject({
      branchId: northEast,
      responderId: northSecond.responderId,
    });
    await call.ok(ops.acknowledge, { id: alert.id }, northSecond);

    clock.advance(30 * MINUTE_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Whoever raised the alert follows every step (never whose it was); a responder, their own only.
    const settled = await alertAs(raiser, alert.id);
    expect(await storedCalls(service, alert.id)).toHaveLength(4);
    expect((await alertAs(northHead, alert.id)).log.map((entry) => entry.kind)).toEqual([
      "RAISED",
      "CALLED",
      "ACKNOWLEDGED",
    ]);
    expect(settled.log.map((entry) => entry.kind)).toEqual([
      "RAISED",
      "CALLED",
      "CALLED",
      "ACKNOWLEDGED",
      "UNANSWERED",
      "CALLED",
      "UNANSWERED",
      "CALLED",
      "ACKNOWLEDGED",
    ]);
    expect(settled.log.map((entry) => new Date(entry.at).getTime() - raisedAt)).toEqual(
      [0, 0, 0, 0, 5, 5, 10, 10, 10].map((m) => m * MINUTE_MS),
    );

    const inbox = (await call.ok(ops.inbox, {}, offShift)).myDefenseNotifications.items;
    expect(inbox).toEqual([
      expect.objectContaining({
        kind: "CALL",
        caseId: alert.id,
        message: expect.stringContaining("EVICTION (HIGH) at u4pruy: Bailiffs"),
      }),
    ]);
  });

  it("broadcasts a verified alert to the whole circle exactly once, however many trusted responders verify it at the same time", async () => {
    const call = api(service);
    const circle = await newCircle();
    const root = await branch(service, circle, "all");
    const trusted = await Promise.all([1, 2, 3, 4].map(() => responder(service, circle, root, { trusted: true })));
    const untrusted = await responder(service, circle, root);
    const bystanders = await Promise.all([1, 2].map(() => circle.member()));
    // A bystander is known to defense once network tells it, or once they act; here they act.
    for (const bystander of bystanders) await call.ok(ops.inbox, {}, bystander);
    const raiser = await circle.member();
    const alert = (
      await call.ok(
        ops.raise,
        {
          input: {
            circleId: circle.id,
            kind: "RAID",
            place: "gcpvj0",
            urgency: "CRITICAL",
            text: "Vans on the high street",
          },
        },
        raiser,
      )
    ).raiseAlert;

    expect((await call.fails(ops.verify, { id: alert.id }, untrusted)).code).toBe("FORBIDDEN");
    // The alert asks as many trusted responders as it needs verifications, and one more (in joining
    // order the first time): the one not asked neither reads nor verifies it.
    const isAsked = async (who: (typeof trusted)[number]) =>
      (
        (await call.ok(ops.inbox, { first: 50 }, who)).myDefenseNotifications.items as Array<{
          kind: string;
          caseId: string;
        }>
      ).some((n) => n.kind === "VERIFY" && n.caseId === alert.id);
    const askedFlags = await Promise.all(trusted.map(isAsked));
    const asked = trusted.filter((_, index) => askedFlags[index]);
    const notAsked = trusted.filter((_, index) => !askedFlags[index]);
    expect([asked.length, notAsked.length]).toEqual([3, 1]);
    expect((await call.fails(ops.verify, { id: alert.id }, notAsked[0])).code).toBe("FORBIDDEN");
    expect((await call.fails(ops.alert, { id: alert.id }, notAsked[0])).code).toBe("FORBIDDEN");
    const verified = await Promise.all(asked.map((who) => call.ok(ops.verify, { id: alert.id }, who)));
    expect(verified.map((v) => v.verifyAlert.status)).toContain("VERIFIED");

    const after = await alertAs(raiser, alert.id);
    expect(after.status).toBe("VERIFIED");
    expect(after.log.filter((entry) => entry.kind === "BROADCAST")).toHaveLength(1);
    // Four trusted, one untrusted, the raiser and the organizer? No: the organizer never acted here, so defense has not heard of them.
    expect(after.broadcastRecipients).toBe(4 + 1 + 1);
    for (const who of [...trusted, untrusted, raiser]) {
      const broadcasts = (await call.ok(ops.inbox, { first: 50 }, who)).myDefenseNotifications.items.filter(
        (n: { kind: string; caseId: string }) => n.kind === "BROADCAST" && n.caseId === alert.id,
      );
      expect(broadcasts).toHaveLength(1);
    }
    // Still exactly one after more verifications and sweeps.
    await call.ok(ops.verify, { id: alert.id }, asked[0]);
    clock.advance(MINUTE_MS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await alertAs(raiser, alert.id)).log.filter((entry) => entry.kind === "BROADCAST")).toHaveLength(1);
  });

  it("stops escalating once an alert is marked a false alarm, and expires alerts nobody closed", async () => {
    const call = api(service);
    const circle = await newCircle();
    const root = await branch(service, circle, "only");
    const first = await responder(service, circle, root);
    await responder(service, circle, root);
    const raiser = await circle.member();
    const falseAlarm = (
      await call.ok(
        ops.raise,
        { input: { circleId: circle.id, kind: "OTHER", place: "u4pr", urgency: "LOW", text: "Smoke, maybe" } },
        raiser,
      )
    ).raiseAlert;
    expect((await call.ok(ops.falseAlarm, { id: falseAlarm.id }, raiser)).markFalseAlarm.status).toBe("FALSE_ALARM");
    expect((await call.fails(ops.falseAlarm, { id: falseAlarm.id }, raiser)).code).toBe("CONFLICT");
    clock.advance(10 * MINUTE_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await alertAs(first, falseAlarm.id)).calls).toHaveLength(1);

    const forgotten = (
      await call.ok(
        ops.raise,
        {
          input: {
            circleId: circle.id,
            kind: "MEDICAL",
            place: "u4pr",
            urgency: "CRITICAL",
            text: "Fell on the stairs",
          },
        },
        raiser,
      )
    ).raiseAlert;
    await call.ok(ops.acknowledge, { id: forgotten.id }, first);
    clock.advance(6 * 60 * MINUTE_MS);
    await eventually(
      async () => ((await alertAs(first, forgotten.id)).status === "EXPIRED" ? true : undefined),
      "the alert to expire",
    );
  });

  it("refuses bad input with a clear code and changes nothing", async () => {
    const call = api(service);
    const circle = await newCircle();
    const root = await branch(service, circle, "only");
    const someone = await responder(service, circle, root);
    const before = await circleSnapshot(service.runtime.db, circle.id);
    const raise = (input: Record<string, unknown>) =>
      call.fails(
        ops.raise,
        { input: { circleId: circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "x", ...input } },
        someone,
      );
    expect(await raise({ place: "u4pruydqq" })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("block level"),
    });
    expect(await raise({ place: "u4pr uy" })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await raise({ text: "   " })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: "An alert's text cannot be empty.",
    });
    expect(await raise({ text: "x".repeat(281) })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("280"),
    });
    expect(await raise({ kind: "FIRE" })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(
      (
        await call.fails(
          ops.join,
          { input: { circleId: circle.id, branchId: root, contactKind: "SMS", contact: null } },
          someone,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (
        await call.fails(
          ops.join,
          {
            input: {
              circleId: circle.id,
              branchId: root,
              contactKind: "INBOX",
              shifts: [{ weekday: 7, startMinute: 0, endMinute: 60 }],
            },
          },
          someone,
        )
      ).code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (
        await call.fails(
          ops.join,
          { input: { circleId: circle.id, branchId: "not-an-id", contactKind: "INBOX" } },
          someone,
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect((await call.fails(ops.acknowledge, { id: "nope" }, someone)).code).toBe("NOT_FOUND");
    expect(
      (await call.fails(ops.webhook, { input: { circleId: circle.id, url: "ftp://example.org" } }, circle.organizer))
        .code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (await call.fails(ops.configure, { input: { circleId: circle.id, verificationsNeeded: 0 } }, circle.organizer))
        .code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (await call.fails(ops.createBranch, { input: { circleId: circle.id, name: "only" } }, circle.organizer)).code,
    ).toBe("CONFLICT");
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);
  });
});
