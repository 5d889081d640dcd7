import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "@rhizome/kit";
import { failure, startTestService, succeed, testMember, type TestService } from "@rhizome/kit/testing";
import type { ToolsConfig } from "../src/config.js";
import { toolsService } from "../src/service.js";
import { deliverReminder } from "../src/jobs/reminders.js";
import { addTool, handOver, ops } from "./support.js";

const UNREAD = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Member { id unreadToolNotifications } } }`;
const INBOX = `query ($c: ID!) { myNotifications(circleId: $c) { items { id createdAt isRead } } }`;
const MARK = `mutation ($c: ID!, $upTo: DateTimeISO!) { markNotificationsRead(circleId: $c, upTo: $upTo) }`;
const DAY_MS = 86_400_000;

const clock = manualClock(new Date("2031-08-01T10:00:00.000Z"));
let service: TestService<ToolsConfig>;
beforeAll(async () => {
  service = await startTestService(toolsService, { clock, env: { ROLE: "api" } });
});
afterAll(async () => {
  await service?.stop();
});

describe("the tool library inbox's unread count", () => {
  it("rises when an overdue reminder arrives, falls when the member marks it read, and is read by nobody but that member", async () => {
    const circleId = randomUUID();
    const [host, ada, neighbour, outsider] = await Promise.all([
      testMember(circleId, ["member", "organizer"]),
      testMember(circleId),
      testMember(circleId),
      testMember(randomUUID(), ["member", "organizer", "steward"]),
    ]);
    const unreadOf = async (token: string) =>
      (await succeed(service.url, UNREAD, { reps: [{ __typename: "Member", id: ada.memberId }] }, token))._entities[0]
        ?.unreadToolNotifications ?? null;
    const tool = await addTool(service.url, host, { name: "Long ladder", category: "ladders" });
    // Reserving is how the library first meets a member (as it would from network's join event).
    await succeed(service.url, ops.reserve, { toolId: tool.id }, ada.token);
    const { loanStarted } = await handOver(service.url, tool.id, host, ada);
    expect(await unreadOf(ada.token)).toBe(0);

    clock.set(new Date(Date.parse(loanStarted.dueAt) + 60_000));
    expect(await deliverReminder(service.runtime.db, loanStarted.id, new Date(loanStarted.dueAt), 1, clock())).toBe(
      "sent",
    );
    expect(await unreadOf(ada.token)).toBe(1);
    for (const other of [host, neighbour, outsider]) expect(await unreadOf(other.token)).toBeNull();

    const [reminder] = (await succeed(service.url, INBOX, { c: circleId }, ada.token)).myNotifications.items;
    expect(reminder.isRead).toBe(false);
    expect(
      (await succeed(service.url, MARK, { c: circleId, upTo: reminder.createdAt }, ada.token)).markNotificationsRead,
    ).toBe(0);
    expect(await unreadOf(ada.token)).toBe(0);
    expect((await succeed(service.url, INBOX, { c: circleId }, ada.token)).myNotifications.items[0].isRead).toBe(true);

    // The next stage, a day later, is unread again.
    clock.set(new Date(clock().getTime() + 2 * DAY_MS));
    await deliverReminder(service.runtime.db, loanStarted.id, new Date(loanStarted.dueAt), 2, clock());
    expect(await unreadOf(ada.token)).toBe(1);
    // One page, newest first, each marked against ada's own mark: a neighbour marking theirs changes nothing.
    await succeed(service.url, MARK, { c: circleId, upTo: clock().toISOString() }, neighbour.token);
    const page = (await succeed(service.url, INBOX, { c: circleId }, ada.token)).myNotifications.items;
    expect(page.map((item: { id: string; isRead: boolean }) => [item.id, item.isRead])).toEqual([
      [expect.not.stringMatching(reminder.id), false],
      [reminder.id, true],
    ]);

    // Another circle's member cannot mark inboxes of a circle they are not in.
    expect((await failure(service.url, MARK, { c: circleId, upTo: clock().toISOString() }, outsider.token)).code).toBe(
      "FORBIDDEN",
    );
    expect(await unreadOf(ada.token)).toBe(1);
  });
});
