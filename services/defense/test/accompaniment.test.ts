import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, eventually, testMember } from "@rhizome/kit/testing";
import {
  api,
  branch,
  MINUTE_MS,
  newCircle,
  ops,
  responder,
  startDefense,
  TEST_START,
  type DefenseTestService,
} from "./support/defense.js";

const SCHEDULE = `mutation ($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { id place companionsNeeded isShortOfCompanions shifts { id companions isSignedUpByMe } } }`;
const SIGN_UP = `mutation ($id: ID!) { signUpForShift(shiftId: $id) { id shifts { id companions isSignedUpByMe } } }`;
const HEARINGS = `query ($c: ID!) { hearings(circleId: $c) { id isShortOfCompanions checkedAt shifts { companions } } }`;
const HOUR_MS = 60 * MINUTE_MS;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

describe("court accompaniment", () => {
  it("flags a hearing that lacks companions 48 hours before, tells the responders, and reminds companions the day before their shift", async () => {
    const call = api(service);
    const circle = await newCircle();
    const watcher = await responder(service, circle, await branch(service, circle, "court"));
    const defendant = await circle.member();
    const startsAt = new Date(clock().getTime() + 5 * 24 * HOUR_MS);
    const short = (
      await call.ok(
        SCHEDULE,
        { input: { circleId: circle.id, startsAt, place: "gcpvj0", companionsNeeded: 2 } },
        defendant,
      )
    ).scheduleHearing;
    const covered = (
      await call.ok(
        SCHEDULE,
        { input: { circleId: circle.id, startsAt, place: "gcpvj0", companionsNeeded: 1 } },
        defendant,
      )
    ).scheduleHearing;
    const companion = await circle.member();
    const signed = (await call.ok(SIGN_UP, { id: short.shifts[0].id }, companion)).signUpForShift;
    expect(signed.shifts[0]).toMatchObject({ companions: 1, isSignedUpByMe: true });
    await call.ok(SIGN_UP, { id: covered.shifts[0].id }, companion);

    clock.advance(2 * 24 * HOUR_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      (await call.ok(HEARINGS, { c: circle.id }, companion)).hearings.every(
        (h: { checkedAt: string | null }) => h.checkedAt === null,
      ),
    ).toBe(true);

    clock.advance(1 * 24 * HOUR_MS + MINUTE_MS);
    const hearings = await eventually(async () => {
      const list = (await call.ok(HEARINGS, { c: circle.id }, companion)).hearings as Array<{
        id: string;
        isShortOfCompanions: boolean;
        checkedAt: string | null;
      }>;
      return list.every((h) => h.checkedAt) ? list : undefined;
    }, "the 48-hour check");
    expect(Object.fromEntries(hearings.map((h) => [h.id, h.isShortOfCompanions]))).toEqual({
      [short.id]: true,
      [covered.id]: false,
    });
    const watcherInbox = (await call.ok(ops.inbox, {}, watcher)).myDefenseNotifications.items;
    expect(
      watcherInbox.filter((n: { kind: string }) => n.kind === "HEARING_SHORT").map((n: { caseId: string }) => n.caseId),
    ).toEqual([short.id]);

    clock.advance(1 * 24 * HOUR_MS);
    const reminders = await eventually(async () => {
      const items = (await call.ok(ops.inbox, {}, companion)).myDefenseNotifications.items.filter(
        (n: { kind: string }) => n.kind === "HEARING_REMINDER",
      );
      return items.length === 2 ? items : undefined;
    }, "the reminders");
    expect(reminders.map((n: { caseId: string }) => n.caseId).sort()).toEqual(
      [short.shifts[0].id, covered.shifts[0].id].sort(),
    );
  });

  it("refuses past hearings, fine places and empty shifts, and keeps other circles out", async () => {
    const call = api(service);
    const circle = await newCircle();
    const member = await circle.member();
    const outsider = await testMember(crypto.randomUUID());
    const hearing = (
      await call.ok(
        SCHEDULE,
        {
          input: {
            circleId: circle.id,
            startsAt: new Date(clock().getTime() + 10 * 24 * HOUR_MS),
            place: "gcpvj0",
            companionsNeeded: 1,
          },
        },
        member,
      )
    ).scheduleHearing;
    const before = await circleSnapshot(service.runtime.db, circle.id);
    const schedule = (input: Record<string, unknown>) =>
      call.fails(
        SCHEDULE,
        {
          input: {
            circleId: circle.id,
            startsAt: new Date(clock().getTime() + 10 * 24 * HOUR_MS),
            place: "gcpvj0",
            companionsNeeded: 1,
            ...input,
          },
        },
        member,
      );
    expect((await schedule({ startsAt: TEST_START })).code).toBe("BAD_USER_INPUT");
    expect((await schedule({ place: "gcpvj0xyz" })).code).toBe("BAD_USER_INPUT");
    expect((await schedule({ companionsNeeded: 0 })).code).toBe("BAD_USER_INPUT");
    expect(
      (await schedule({ shifts: [{ startsAt: new Date(clock().getTime() + HOUR_MS), endsAt: clock() }] })).code,
    ).toBe("BAD_USER_INPUT");
    expect((await call.fails(SIGN_UP, { id: hearing.shifts[0].id }, outsider)).code).toBe("NOT_FOUND");
    expect((await call.fails(HEARINGS, { c: circle.id }, outsider)).code).toBe("FORBIDDEN");
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);
  });
});
