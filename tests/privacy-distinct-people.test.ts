import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, runCycleOnce, type LunarCycle } from "@rhizome/kit";
import { succeed, type TestMember } from "@rhizome/kit/testing";
import {
  api,
  newCircle,
  startDefense,
  type DefenseTestService,
  type TestCircle,
} from "../services/defense/test/support/defense.js";
import { scoresJob } from "../services/sovereignty/src/jobs/scores.js";
import { deliver } from "../services/sovereignty/test/support/events.js";
import { startSovereignty, type SovereigntyTestService } from "../services/sovereignty/test/support/service.js";

/*
 * Sovereignty's figures of defense's work count distinct people, never records: an attacker who
 * knows everything else learns nothing from five payments to one member, or five disputes one member
 * opened. Defense's own events (as its outbox holds them) go through sovereignty's own handlers.
 */

const CONTRIBUTE = `mutation ($input: RecordContributionInput!) { recordContribution(input: $input) { currency heldMinor } }`;
const REQUEST = `mutation ($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { id } }`;
const DECIDE = `mutation ($id: ID!, $approve: Boolean!) { decideDisbursement(requestId: $id, approve: $approve) { id status } }`;
const PAY = `mutation ($id: ID!) { recordDisbursement(requestId: $id) { id status } }`;
const OPEN = `mutation ($input: OpenDisputeInput!) { openDispute(input: $input) { id } }`;
const OFFER = `mutation ($id: ID!) { offerMediation(disputeId: $id) { id } }`;
const ACCEPT = `mutation ($id: ID!, $m: ID!) { acceptMediator(disputeId: $id, memberId: $m) { id } }`;
const SESSION = `mutation ($id: ID!, $at: DateTimeISO!) { recordMediationSession(disputeId: $id, heldAt: $at) { sessions } }`;
const RESOLVE = `mutation ($id: ID!, $o: MediationOutcome!, $p: Boolean!) { resolveDispute(disputeId: $id, outcome: $o, policeInvolved: $p) { status } }`;
const SCORE = `query ($circleId: ID!, $cycle: String) { sovereigntyScore(circleId: $circleId, cycle: $cycle) { figures { metric value } } }`;

let defense: DefenseTestService;
let defenseClock: Awaited<ReturnType<typeof startDefense>>["clock"];
let sovereignty: SovereigntyTestService;
let sovereigntyClock: Awaited<ReturnType<typeof startSovereignty>>["clock"];

beforeAll(async () => {
  ({ service: defense, clock: defenseClock } = await startDefense());
  ({ service: sovereignty, clock: sovereigntyClock } = await startSovereignty());
});
afterAll(async () => {
  await defense?.stop();
  await sovereignty?.stop();
});

/** Pays `recipients[i]` once each, from a fund two stewards approve. */
async function payEach(circle: TestCircle, recipients: TestMember[]) {
  const call = api(defense);
  const stewards = [await circle.member(["member", "steward"]), await circle.member(["member", "steward"])];
  await call.ok(CONTRIBUTE, { input: { circleId: circle.id, amountMinor: 10_000, currency: "EUR" } }, stewards[0]);
  for (const recipient of recipients) {
    const input = { circleId: circle.id, amountMinor: 100, currency: "EUR", purpose: "RENT", reason: "Rent arrears" };
    const { id } = (await call.ok(REQUEST, { input }, recipient)).requestDisbursement;
    for (const steward of stewards) await call.ok(DECIDE, { id, approve: true }, steward);
    expect((await call.ok(PAY, { id }, stewards[0])).recordDisbursement.status).toBe("PAID");
  }
}

/** Each of `openers` opens one dispute, which a neighbour mediates to an agreement without police. */
async function mediateEach(
  circle: TestCircle,
  openers: TestMember[],
  partiesOf: (index: number) => string[] = () => ["the upstairs flat", "the downstairs flat"],
) {
  const call = api(defense);
  const mediator = await circle.member();
  for (const [index, opener] of openers.entries()) {
    const input = { circleId: circle.id, parties: partiesOf(index), summary: "Noise" };
    const { id } = (await call.ok(OPEN, { input }, opener)).openDispute;
    await call.ok(OFFER, { id }, mediator);
    await call.ok(ACCEPT, { id, m: mediator.memberId }, opener);
    await call.ok(SESSION, { id, at: defenseClock().toISOString() }, mediator);
    expect((await call.ok(RESOLVE, { id, o: "AGREEMENT", p: false }, mediator)).resolveDispute.status).toBe("RESOLVED");
  }
}

/** Defense's events of the circle as its log serves them. */
async function eventsOf(circleId: string) {
  const rows: Array<{ id: string; topic: string; circle_id: string; payload: unknown; occurred_at: Date }> =
    await defense.runtime.db.query(
      `SELECT id, topic, circle_id, payload, occurred_at FROM outbox WHERE circle_id = $1 ORDER BY occurred_at, id`,
      [circleId],
    );
  return rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    circleId: row.circle_id,
    payload: row.payload,
    occurredAt: row.occurred_at.toISOString(),
  }));
}

/** Sovereignty reads defense's events, closes the cycle and publishes; the figure an outsider reads. */
async function publishedFigure(circleId: string, cycle: LunarCycle, metric: string) {
  const events = await eventsOf(circleId);
  // eslint-disable-next-line no-restricted-syntax -- the outbox row is the producer's event; deliver validates it against the catalogue
  await deliver(sovereignty.runtime.db, events as never);
  sovereigntyClock.set(new Date(cycle.endsAt.getTime() + 60_000));
  await runCycleOnce(
    sovereignty.runtime.db,
    scoresJob,
    circleId,
    cycle.label,
    sovereigntyClock(),
    sovereignty.runtime.logger,
    sovereignty.runtime.registry,
  );
  const score = (await succeed(sovereignty.url, SCORE, { circleId, cycle: cycle.label })).sovereigntyScore;
  return score.figures.find((figure: { metric: string }) => figure.metric === metric)?.value;
}

describe("figures of defense's work count distinct people", () => {
  it("counts five disbursements to one member as one person helped (suppressed), to five members as five", async () => {
    const cycle = cycleContaining(defenseClock());
    const once = await newCircle();
    const helped = await once.member();
    await payEach(
      once,
      Array.from({ length: 5 }, () => helped),
    );
    const five = await newCircle();
    const fiveHelped = await Promise.all(Array.from({ length: 5 }, () => five.member()));
    await payEach(five, fiveHelped);

    // The events carry a pseudonym of who was helped, the same for the same member, never a member id.
    const sent = await eventsOf(once.id);
    expect(sent.map((event) => event.topic)).toEqual(Array(5).fill("crisis.buffered"));
    const keys = sent.map((event) => (event.payload as { helpedKey: string }).helpedKey);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    for (const event of [...sent, ...(await eventsOf(five.id))])
      expect(JSON.stringify(event.payload)).not.toMatch(
        new RegExp([helped, ...fiveHelped].map((m) => m.memberId).join("|")),
      );

    expect(await publishedFigure(once.id, cycle, "CRISES_BUFFERED")).toBeNull();
    expect(await publishedFigure(five.id, cycle, "CRISES_BUFFERED")).toBe(5);
  });

  it("counts five disputes one member opened as one person (suppressed), opened by five members as five", async () => {
    const cycle = cycleContaining(defenseClock());
    const once = await newCircle();
    const opener = await once.member();
    await mediateEach(
      once,
      Array.from({ length: 5 }, () => opener),
    );
    const five = await newCircle();
    const openers = await Promise.all(Array.from({ length: 5 }, () => five.member()));
    await mediateEach(five, openers);

    const sent = await eventsOf(once.id);
    expect(sent.map((event) => event.topic)).toEqual(Array(5).fill("dispute.mediated"));
    const keys = sent.map((event) => (event.payload as { openerKey: string }).openerKey);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    for (const event of [...sent, ...(await eventsOf(five.id))])
      expect(JSON.stringify(event.payload)).not.toMatch(
        new RegExp([opener, ...openers].map((m) => m.memberId).join("|")),
      );

    expect(await publishedFigure(once.id, cycle, "MEDIATIONS")).toBeNull();
    expect(await publishedFigure(five.id, cycle, "MEDIATIONS")).toBe(5);
  });

  it("counts the people on both sides of each mediation, each party once however its name is written", async () => {
    const cycle = cycleContaining(defenseClock());
    // One member opens four disputes with four different neighbours: six people (the opener, the
    // side they named for themself and four neighbours), though one member opened them all.
    const neighbours = await newCircle();
    const opener = await neighbours.member();
    await mediateEach(
      neighbours,
      Array.from({ length: 4 }, () => opener),
      (index) => ["our flat", `the neighbour at number ${index + 1}`],
    );
    // The same two households written differently in four disputes are two people, and with the
    // one opener three: fewer than five, so the figure stays suppressed.
    const sameTwo = await newCircle();
    const sameOpener = await sameTwo.member();
    const spellings = [
      ["Our flat", "The upstairs flat"],
      ["our  flat", "the upstairs flat"],
      [" OUR FLAT ", "the Upstairs Flat"],
      ["our flat", "THE UPSTAIRS FLAT"],
    ];
    await mediateEach(
      sameTwo,
      Array.from({ length: 4 }, () => sameOpener),
      (index) => spellings[index],
    );

    const sent = await eventsOf(neighbours.id);
    const partyKeys = sent.flatMap((event) => (event.payload as { partyKeys: string[] }).partyKeys);
    expect(partyKeys).toHaveLength(8);
    expect(new Set(partyKeys).size).toBe(5);
    for (const key of partyKeys) expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const event of sent) expect(JSON.stringify(event.payload)).not.toMatch(/flat|neighbour/i);
    const sameKeys = (await eventsOf(sameTwo.id)).flatMap(
      (event) => (event.payload as { partyKeys: string[] }).partyKeys,
    );
    expect(new Set(sameKeys).size).toBe(2);

    expect(await publishedFigure(neighbours.id, cycle, "MEDIATIONS")).toBe(4);
    expect(await publishedFigure(sameTwo.id, cycle, "MEDIATIONS")).toBeNull();
  });
});
