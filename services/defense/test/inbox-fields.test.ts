import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, testMember } from "@rhizome/kit/testing";
import { api, branch, newCircle, ops, responder, startDefense, type DefenseTestService } from "./support/defense.js";

const INBOX = `query { myDefenseNotifications(first: 20) {
  items { id kind caseId alertId alertKind alertUrgency alertPlace alertText alertRaisedAt circle { id } }
} }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

describe("the defense inbox as fields", () => {
  it("gives the called responder the alert's kind, urgency, place, words and instant, and nobody else anything", async () => {
    const call = api(service);
    const circle = await newCircle();
    const root = await branch(service, circle, "all");
    const rae = await responder(service, circle, root);
    const sam = await responder(service, circle, root);
    const raiser = await circle.member();
    const neighbour = await circle.member();
    const outsider = await testMember(crypto.randomUUID(), ["member", "organizer", "steward"]);

    const raisedAt = clock().toISOString();
    const alert = (
      await call.ok(
        ops.raise,
        {
          input: {
            circleId: circle.id,
            kind: "EVICTION",
            place: "u4pruy",
            urgency: "CRITICAL",
            text: "Bailiffs at 3B",
          },
        },
        raiser,
      )
    ).raiseAlert;
    const inboxOf = async (who: typeof rae | typeof raiser) =>
      (await call.ok(INBOX, {}, who)).myDefenseNotifications.items as Array<Record<string, unknown>>;
    const entry = await eventually(
      async () => (await inboxOf(rae)).find((item) => item.caseId === alert.id),
      "the call in the responder's inbox",
    );

    expect(entry).toEqual({
      id: entry.id,
      kind: "CALL",
      caseId: alert.id,
      alertId: alert.id,
      alertKind: "EVICTION",
      alertUrgency: "CRITICAL",
      alertPlace: "u4pruy",
      alertText: "Bailiffs at 3B",
      alertRaisedAt: raisedAt,
      circle: { id: circle.id },
    });
    // Nothing in the entry names who raised the alert or who else was called.
    const written = JSON.stringify(await inboxOf(rae));
    for (const id of [raiser.memberId, sam.memberId, sam.responderId, rae.memberId]) expect(written).not.toContain(id);

    // The inbox is the reader's own: the raiser, a member who was not called, the organizer and another circle's member read nothing of it.
    for (const who of [raiser, neighbour, circle.organizer, outsider])
      expect((await inboxOf(who)).some((item) => item.alertId === alert.id)).toBe(false);
    expect((await call.fails(INBOX, {})).code).toBe("UNAUTHENTICATED");
    // A notification is no entity: _entities cannot reach it by id, even for its own reader.
    const viaEntities = `query ($reps: [_Any!]!) { _entities(representations: $reps) { __typename } }`;
    for (const who of [rae, outsider]) {
      const refused = await call.fails(
        viaEntities,
        { reps: [{ __typename: "DefenseNotification", id: entry.id }] },
        who,
      );
      expect(refused.code).toBeDefined();
      expect(refused.message).not.toContain("Bailiffs");
    }
  });
});
