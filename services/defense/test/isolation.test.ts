import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, testMember } from "@rhizome/kit/testing";
import { api, branch, newCircle, ops, responder, startDefense, type DefenseTestService } from "./support/defense.js";

const ALERTS = `query ($c: ID!) { defenseAlerts(circleId: $c) { items { id } } }`;
const RESPONDERS = `query ($c: ID!) { responders(circleId: $c) { items { id contact member { id } } } }`;
const BRANCHES = `query ($c: ID!) { responderBranches(circleId: $c) { id responderCount } }`;
const ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Alert { id text } ... on Responder { id contactKind } } }`;
const SETTINGS = `query ($c: ID!) { defenseSettings(circleId: $c) { verificationsNeeded } }`;
const WEBHOOK = `query ($c: ID!) { defenseWebhook(circleId: $c) { url } }`;

let service: DefenseTestService;
beforeAll(async () => {
  ({ service } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

describe("isolation", () => {
  it("keeps alerts, responders and inboxes from other circles and from members the alert is not for, through every field and _entities", async () => {
    const call = api(service);
    const circle = await newCircle();
    const root = await branch(service, circle, "all");
    const inside = await responder(service, circle, root, { contact: "+44 7700 900999" });
    const colleague = await responder(service, circle, root);
    const raiser = await circle.member();
    const bystander = await circle.member();
    const alert = (
      await call.ok(
        ops.raise,
        { input: { circleId: circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "Door knocked in" } },
        raiser,
      )
    ).raiseAlert;
    const outsider = await testMember(crypto.randomUUID(), ["member", "organizer", "steward"]);
    const before = await circleSnapshot(service.runtime.db, circle.id);

    // The responder called sees the alert; organizers see the tree (to decide whom to trust), a
    // responder only themself; the contact detail only its owner.
    expect((await call.ok(ALERTS, { c: circle.id }, inside)).defenseAlerts.items).toEqual([{ id: alert.id }]);
    const seen = (await call.ok(RESPONDERS, { c: circle.id }, circle.organizer)).responders.items;
    expect(seen.map((r: { contact: string | null }) => r.contact)).toEqual([null, null]);
    expect((await call.fails(RESPONDERS, { c: circle.id }, colleague)).code).toBe("FORBIDDEN");
    expect(
      (
        await call.ok(
          ENTITIES,
          {
            reps: [
              { __typename: "Responder", id: inside.responderId },
              { __typename: "Responder", id: colleague.responderId },
            ],
          },
          colleague,
        )
      )._entities,
    ).toEqual([null, { id: colleague.responderId, contactKind: "INBOX" }]);
    expect(
      (await call.ok(`query ($c: ID!) { myResponder(circleId: $c) { id contact } }`, { c: circle.id }, inside))
        .myResponder.contact,
    ).toBe("+44 7700 900999");

    // A member who is not a responder sees no alert but their own, and no responder.
    expect((await call.fails(ALERTS, { c: circle.id }, bystander)).code).toBe("FORBIDDEN");
    expect((await call.fails(RESPONDERS, { c: circle.id }, bystander)).code).toBe("FORBIDDEN");
    expect((await call.fails(ops.alert, { id: alert.id }, bystander)).code).toBe("FORBIDDEN");
    expect((await call.ok(ops.alert, { id: alert.id }, raiser)).defenseAlert.text).toBe("Door knocked in");

    // Another circle's member: nothing, by any path.
    for (const query of [ALERTS, RESPONDERS, BRANCHES, SETTINGS])
      expect((await call.fails(query, { c: circle.id }, outsider)).code).toBe("FORBIDDEN");
    expect((await call.fails(WEBHOOK, { c: circle.id }, outsider)).code).toBe("FORBIDDEN");
    expect((await call.fails(ops.alert, { id: alert.id }, outsider)).code).toBe("NOT_FOUND");
    for (const mutation of [ops.acknowledge, ops.verify, ops.falseAlarm])
      expect((await call.fails(mutation, { id: alert.id }, outsider)).code).toBe("NOT_FOUND");
    expect((await call.fails(ops.trust, { id: inside.responderId }, outsider)).code).toBe("NOT_FOUND");
    expect(
      (await call.fails(ops.join, { input: { circleId: circle.id, branchId: root, contactKind: "INBOX" } }, outsider))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await call.fails(
          ops.raise,
          { input: { circleId: circle.id, kind: "RAID", place: "u4pruy", urgency: "HIGH", text: "x" } },
          outsider,
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (await call.fails(ops.webhook, { input: { circleId: circle.id, url: "https://evil.example" } }, outsider)).code,
    ).toBe("FORBIDDEN");
    expect(
      (await call.fails(ops.configure, { input: { circleId: circle.id, verificationsNeeded: 1 } }, outsider)).code,
    ).toBe("FORBIDDEN");
    expect((await call.fails(ALERTS, { c: circle.id })).code).toBe("UNAUTHENTICATED");

    const reps = {
      reps: [
        { __typename: "Alert", id: alert.id },
        { __typename: "Responder", id: inside.responderId },
      ],
    };
    expect((await call.ok(ENTITIES, reps, outsider))._entities).toEqual([null, null]);
    expect((await call.ok(ENTITIES, reps, bystander))._entities).toEqual([null, null]);
    // The head of the branch was called and reads the alert; the colleague was not called, so it is not theirs.
    expect((await call.ok(ENTITIES, reps, inside))._entities).toEqual([
      { id: alert.id, text: "Door knocked in" },
      { id: inside.responderId, contactKind: "SMS" },
    ]);
    expect((await call.ok(ENTITIES, reps, colleague))._entities).toEqual([null, null]);

    // Each member's inbox is their own.
    const inboxOf = async (who: { token: string }) =>
      // eslint-disable-next-line no-restricted-syntax -- the helper types its caller as this service's TestMember; the kit's test member carries the same token
      (await call.ok(ops.inbox, {}, who as never)).myDefenseNotifications.items.map(
        (n: { caseId: string; circle: { id: string } }) => n.circle.id,
      );
    expect(await inboxOf(outsider)).toEqual([]);
    expect(await inboxOf(bystander)).toEqual([]);
    expect((await inboxOf(inside)).every((id: string) => id === circle.id)).toBe(true);

    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);
  });
});
