import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, testMember, type TestMember } from "@rhizome/kit/testing";
import { api, branch, newCircle, ops, responder, startDefense, type DefenseTestService } from "./support/defense.js";

const UNREAD = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Member { id unreadDefenseNotifications } } }`;
const INBOX = `query { myDefenseNotifications(first: 10) { items { id createdAt isRead } } }`;
const MARK = `mutation ($upTo: DateTimeISO!) { markDefenseNotificationsRead(upTo: $upTo) }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

const member = (id: string) => ({ reps: [{ __typename: "Member", id }] });

describe("the defense inbox's unread count", () => {
  it("rises when a call arrives, falls when the member marks it read, and is read by nobody but that member", async () => {
    const call = api(service);
    const circle = await newCircle();
    const root = await branch(service, circle, "all");
    const rae = await responder(service, circle, root);
    const raiser = await circle.member();
    const neighbour = await circle.member();
    const outsider = await testMember(crypto.randomUUID(), ["member", "organizer", "steward"]);
    const unreadOf = async (who: TestMember, id = rae.memberId) =>
      (await call.ok(UNREAD, member(id), who))._entities[0]?.unreadDefenseNotifications ?? null;

    expect(await unreadOf(rae)).toBe(0);
    const raise = (text: string) =>
      call.ok(
        ops.raise,
        { input: { circleId: circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text } },
        raiser,
      );
    await raise("Door knocked in");
    await eventually(async () => ((await unreadOf(rae)) === 1 ? true : undefined), "the call to count as unread");

    // Nobody else reads it: not a member of the circle, not its organizer, not the raiser, not another circle.
    expect(await unreadOf(circle.organizer)).toBeNull();
    expect(await unreadOf(neighbour)).toBeNull();
    expect(await unreadOf(raiser)).toBeNull();
    expect(await unreadOf(outsider)).toBeNull();
    // The raiser's own count says nothing of the alert they raised.
    expect(await unreadOf(raiser, raiser.memberId)).toBe(0);

    const [first] = (await call.ok(INBOX, {}, rae)).myDefenseNotifications.items;
    expect(first.isRead).toBe(false);
    expect((await call.ok(MARK, { upTo: first.createdAt }, rae)).markDefenseNotificationsRead).toBe(0);
    expect(await unreadOf(rae)).toBe(0);
    expect((await call.ok(INBOX, {}, rae)).myDefenseNotifications.items[0].isRead).toBe(true);
    // Marking someone else's inbox is not possible: the mark is the caller's own, and moves no one else's.
    expect((await call.ok(MARK, { upTo: clock().toISOString() }, outsider)).markDefenseNotificationsRead).toBe(0);

    // A call written after the mark is unread again; a mark in the past does not move it back.
    clock.set(new Date(clock().getTime() + 60_000));
    await raise("Second knock");
    await eventually(async () => ((await unreadOf(rae)) === 1 ? true : undefined), "the second call to count");
    // One page, newest first, each notification read or not against the mark.
    const [second, firstAgain] = (await call.ok(INBOX, {}, rae)).myDefenseNotifications.items;
    expect([second.isRead, firstAgain.id, firstAgain.isRead]).toEqual([false, first.id, true]);
    expect((await call.ok(MARK, { upTo: "2000-01-01T00:00:00Z" }, rae)).markDefenseNotificationsRead).toBe(1);
    // A mark ahead of the hub's clock stops at the clock's instant.
    expect(
      (await call.ok(MARK, { upTo: new Date(clock().getTime() + 86_400_000).toISOString() }, rae))
        .markDefenseNotificationsRead,
    ).toBe(0);
    expect((await call.fails(MARK, { upTo: "not a date" }, rae)).code).toBeDefined();
    expect((await call.fails(MARK, { upTo: clock().toISOString() })).code).toBe("UNAUTHENTICATED");
  });
});
