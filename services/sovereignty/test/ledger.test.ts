import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precedingCycle, followingCycle } from "@rhizome/kit";
import {
  circleSnapshot,
  eventually,
  failure,
  foundCircle,
  graphql,
  hubEnvironment,
  succeed,
  testMember,
  type TestMember,
} from "@rhizome/kit/testing";
import { crisis, deliver, exchange, members, mediation } from "./support/events.js";
import { startSovereignty, type SovereigntyTestService } from "./support/service.js";

const RECORD = `mutation Record($input: RecordSovereigntyEventInput!) { recordSovereigntyEvent(input: $input) { id kind count cycle source circle { id } } }`;
const LEDGER = `query Ledger($circleId: ID!, $cycle: String, $first: Int, $after: String) {
  sovereigntyEvents(circleId: $circleId, cycle: $cycle, first: $first, after: $after) { items { id kind count cycle source } nextCursor } }`;

let service: SovereigntyTestService;
let databaseUrl: string;
let clock: Awaited<ReturnType<typeof startSovereignty>>["clock"];
let cycle: Awaited<ReturnType<typeof startSovereignty>>["cycle"];

beforeAll(async () => {
  ({ service, clock, cycle } = await startSovereignty());
  databaseUrl = service.databaseUrl;
});

afterAll(async () => {
  await service?.stop();
});

async function ledgerKinds(circleId: string, token: string) {
  const page = (await succeed(service.url, LEDGER, { circleId }, token)).sovereigntyEvents;
  return (page.items as Array<{ kind: string; count: number; source: string }>)
    .map((e) => `${e.source} ${e.kind} x${e.count}`)
    .sort();
}

describe("events from the services", () => {
  it("are recorded once each, however often they are delivered", async () => {
    const organizer = await testMember(randomUUID(), ["organizer"]);
    const at = clock();
    const confirmed = exchange(organizer.circleId, cycle.label, 90, members(2), at);
    const mediated = mediation(organizer.circleId, cycle.label, at);
    expect(await deliver(service.runtime.db, [confirmed, mediated, confirmed])).toEqual([
      "consumed",
      "consumed",
      "duplicate",
    ]);
    expect(await deliver(service.runtime.db, [mediated])).toEqual(["duplicate"]);
    expect(await ledgerKinds(organizer.circleId, organizer.token)).toEqual([
      "SERVICE EXCHANGE x1",
      "SERVICE MEDIATION x1",
    ]);
  });

  it("are still recorded once after the service restarts, and a cycle label that is no new moon counts in the cycle the event happened in", async () => {
    const organizer = await testMember(randomUUID(), ["organizer"]);
    const oddLabel = crisis(organizer.circleId, "2020-01-01", clock());
    expect(await deliver(service.runtime.db, [oddLabel])).toEqual(["consumed"]);

    await service.stop();
    ({ service } = await startSovereignty(databaseUrl));
    expect(await deliver(service.runtime.db, [oddLabel])).toEqual(["duplicate"]);
    // Recorded in the cycle the event happened in (the ledger never lists a crisis buffered: see below).
    expect(
      await service.runtime.db.query(`SELECT kind, count, cycle, source FROM sovereignty_events WHERE circle_id = $1`, [
        organizer.circleId,
      ]),
    ).toEqual([{ kind: "CRISIS_BUFFERED", count: 1, cycle: cycle.label, source: "SERVICE" }]);
  });

  it("never lists a crisis buffered one by one: a member polling the ledger cannot tell when someone was helped", async () => {
    const circleId = randomUUID();
    const member = await testMember(circleId);
    expect(await deliver(service.runtime.db, [exchange(circleId, cycle.label, 60, members(2), clock())])).toEqual([
      "consumed",
    ]);
    const before = await ledgerKinds(circleId, member.token);
    // One payment from the fund (or one housing match) to one member the attacker watches.
    expect(await deliver(service.runtime.db, [crisis(circleId, cycle.label, clock(), "a".repeat(64))])).toEqual([
      "consumed",
    ]);
    expect(await ledgerKinds(circleId, member.token)).toEqual(before);
    for (const page of [
      (await succeed(service.url, LEDGER, { circleId, cycle: cycle.label }, member.token)).sovereigntyEvents,
      (await succeed(service.url, LEDGER, { circleId, first: 1 }, member.token)).sovereigntyEvents,
    ])
      expect(page.items.map((e: { kind: string }) => e.kind)).not.toContain("CRISIS_BUFFERED");
  });

  it("arrive from network's log through the kit's consumer, including circles founded while sovereignty was down", async () => {
    const gatewayUrl = hubEnvironment().gatewayUrl;
    const before = await foundCircle(gatewayUrl, "ledger");
    await eventually(
      async () =>
        (await service.runtime.db.query(`SELECT 1 FROM known_circles WHERE circle_id = $1`, [before.id])).length > 0
          ? true
          : undefined,
      "the founded circle to be known",
    );

    await service.stop();
    const whileDown = await foundCircle(gatewayUrl, "ledger-down");
    ({ service } = await startSovereignty(databaseUrl));
    await eventually(
      async () =>
        (await service.runtime.db.query(`SELECT 1 FROM known_circles WHERE circle_id = $1`, [whileDown.id])).length > 0
          ? true
          : undefined,
      "the circle founded while down to be known",
    );
    const counted: Array<{ count: number }> = await service.runtime.db.query(
      `SELECT count(*)::int AS count FROM known_circles WHERE circle_id = ANY($1::uuid[])`,
      [[before.id, whileDown.id]],
    );
    expect(counted[0].count).toBe(2);

    // The organizer's real token from network works here, for their circle only.
    const recorded = (
      await succeed(
        gatewayUrl,
        RECORD,
        { input: { circleId: whileDown.id, kind: "MEAL_SHARED", count: 3 } },
        whileDown.organizer.token,
      )
    ).recordSovereigntyEvent;
    expect(recorded).toMatchObject({ kind: "MEAL_SHARED", count: 3, source: "HAND", circle: { id: whileDown.id } });
    expect(
      (
        await failure(
          gatewayUrl,
          RECORD,
          { input: { circleId: before.id, kind: "MEAL_SHARED", count: 3 } },
          whileDown.organizer.token,
        )
      ).code,
    ).toBe("FORBIDDEN");
  });

  it("forget who took part when a member leaves, and keep the counts", async () => {
    const organizer = await testMember(randomUUID(), ["organizer"]);
    const [leaver, ...others] = members(5);
    await deliver(
      service.runtime.db,
      others.map((other) => exchange(organizer.circleId, cycle.label, 30, [leaver, other], clock())),
    );
    const countActive = async () =>
      (
        await service.runtime.db.query(
          `SELECT count(DISTINCT member_id)::int AS n, count(*) FILTER (WHERE member_id = $2)::int AS leaver FROM active_members WHERE circle_id = $1`,
          [organizer.circleId, leaver],
        )
      )[0];
    expect(await countActive()).toEqual({ n: 5, leaver: 1 });
    await deliver(service.runtime.db, [
      {
        id: randomUUID(),
        topic: "member.left",
        circleId: organizer.circleId,
        payload: { circleId: organizer.circleId, memberId: leaver },
        occurredAt: clock().toISOString(),
      },
    ]);
    expect(await countActive()).toEqual({ n: 5, leaver: 0 });
  });
});

describe("recording by hand", () => {
  it("is for organizers and stewards, in the current cycle or up to 3 before it, and a retry with the same key records once", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["member", "organizer"]);
    const steward = await testMember(circleId, ["member", "steward"]);
    const key = randomUUID();
    const first = (
      await succeed(
        service.url,
        RECORD,
        { input: { circleId, kind: "POLICE_CALL_AVOIDED", count: 1, idempotencyKey: key } },
        steward.token,
      )
    ).recordSovereigntyEvent;
    const retry = (
      await succeed(
        service.url,
        RECORD,
        { input: { circleId, kind: "POLICE_CALL_AVOIDED", count: 1, idempotencyKey: key } },
        steward.token,
      )
    ).recordSovereigntyEvent;
    expect(retry.id).toBe(first.id);
    // Any string is a key, as an exchange's or a fund request's is: an app's outbox sends its own.
    const outboxKey = "outbox:meal-shared:7";
    const recordWithKey = async () =>
      (
        await succeed(
          service.url,
          RECORD,
          { input: { circleId, kind: "MEAL_SHARED", count: 3, idempotencyKey: outboxKey } },
          organizer.token,
        )
      ).recordSovereigntyEvent;
    const byOutbox = await recordWithKey();
    expect((await recordWithKey()).id).toBe(byOutbox.id);
    const threeBack = precedingCycle(precedingCycle(precedingCycle(cycle)));
    const late = (
      await succeed(
        service.url,
        RECORD,
        { input: { circleId, kind: "SABBATH_NEED_MET", count: 2, cycle: threeBack.label } },
        organizer.token,
      )
    ).recordSovereigntyEvent;
    expect(late.cycle).toBe(threeBack.label);
    expect(await ledgerKinds(circleId, organizer.token)).toEqual([
      "HAND MEAL_SHARED x3",
      "HAND POLICE_CALL_AVOIDED x1",
      "HAND SABBATH_NEED_MET x2",
    ]);
  });

  it("refuses bad input with a code and a message that says why, and changes nothing", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["organizer"]);
    await succeed(
      service.url,
      RECORD,
      { input: { circleId, kind: "MEAL_SHARED", count: 4, idempotencyKey: "6f1c0a52-8d4e-4c1e-9d5e-2b8f3a7c9e10" } },
      organizer.token,
    );
    const before = await circleSnapshot(service.runtime.db, circleId);
    const refuse = async (input: Record<string, unknown>) =>
      failure(service.url, RECORD, { input: { circleId, kind: "MEAL_SHARED", count: 1, ...input } }, organizer.token);

    expect(await refuse({ kind: "EXCHANGE" })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("MEAL_SHARED, POLICE_CALL_AVOIDED, SABBATH_NEED_MET"),
    });
    expect(await refuse({ count: 0 })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: "Count must be a whole number from 1 to 500; got 0.",
    });
    expect(await refuse({ count: 501 })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await refuse({ cycle: "2026-13-40" })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("is not a cycle"),
    });
    expect(await refuse({ cycle: followingCycle(cycle).label })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("has not begun"),
    });
    const fourBack = precedingCycle(precedingCycle(precedingCycle(precedingCycle(cycle))));
    expect(await refuse({ cycle: fourBack.label })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("is settled"),
    });
    expect(await refuse({ kind: "PICNIC" })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await refuse({ idempotencyKey: "x".repeat(101) })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: "An idempotency key is 1 to 100 characters; got 101.",
    });
    expect(await refuse({ idempotencyKey: "" })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await refuse({ count: 5, idempotencyKey: "6f1c0a52-8d4e-4c1e-9d5e-2b8f3a7c9e10" })).toMatchObject({
      code: "CONFLICT",
    });
    expect(
      (await graphql(service.url, LEDGER, { circleId, first: 0 }, organizer.token)).body.errors?.[0].extensions?.code,
    ).toBe("BAD_USER_INPUT");
    expect(
      (await graphql(service.url, LEDGER, { circleId, after: "nonsense" }, organizer.token)).body.errors?.[0].extensions
        ?.code,
    ).toBe("BAD_USER_INPUT");

    expect(await circleSnapshot(service.runtime.db, circleId)).toEqual(before);
  });

  it("is out of reach of plain members, other circles and anonymous callers, and the ledger is for members only", async () => {
    const circleId = randomUUID();
    const organizer = await testMember(circleId, ["organizer"]);
    const member: TestMember = await testMember(circleId, ["member"]);
    const outsider = await testMember(randomUUID(), ["organizer", "steward"]);
    await succeed(service.url, RECORD, { input: { circleId, kind: "MEAL_SHARED", count: 2 } }, organizer.token);
    const before = await circleSnapshot(service.runtime.db, circleId);

    const input = { circleId, kind: "MEAL_SHARED", count: 1 };
    expect(await failure(service.url, RECORD, { input }, member.token)).toMatchObject({
      code: "FORBIDDEN",
      message: "Only a circle's organizers and stewards can record sovereignty events.",
    });
    expect((await failure(service.url, RECORD, { input }, outsider.token)).code).toBe("FORBIDDEN");
    expect((await failure(service.url, RECORD, { input })).code).toBe("UNAUTHENTICATED");
    expect((await failure(service.url, LEDGER, { circleId }, outsider.token)).code).toBe("FORBIDDEN");
    expect((await failure(service.url, LEDGER, { circleId })).code).toBe("UNAUTHENTICATED");
    expect(await ledgerKinds(circleId, member.token)).toEqual(["HAND MEAL_SHARED x2"]);

    expect(await circleSnapshot(service.runtime.db, circleId)).toEqual(before);
  });
});
