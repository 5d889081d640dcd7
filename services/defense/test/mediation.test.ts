import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot, testMember } from "@rhizome/kit/testing";
import { api, newCircle, startDefense, type DefenseTestService } from "./support/defense.js";

const OPEN = `mutation ($input: OpenDisputeInput!) { openDispute(input: $input) { id status parties summary } }`;
const MEDIATE = `mutation ($id: ID!) { acceptMediation(disputeId: $id) { id status mediators amMediator summary } }`;
const OFFER = `mutation ($id: ID!) { offerMediation(disputeId: $id) { id status mediators amMediator summary hasPendingOfferFromMe } }`;
const ACCEPT = `mutation ($id: ID!, $m: ID!) { acceptMediator(disputeId: $id, memberId: $m) { id status mediators amMediator summary } }`;
const SESSION = `mutation ($id: ID!, $at: DateTimeISO!) { recordMediationSession(disputeId: $id, heldAt: $at) { sessions } }`;
const RESOLVE = `mutation ($id: ID!, $o: MediationOutcome!, $p: Boolean!) { resolveDispute(disputeId: $id, outcome: $o, policeInvolved: $p) { status outcome policeInvolved } }`;
const LIST = `query ($c: ID!) { disputes(circleId: $c) { id summary amMediator } }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

async function mediatedDispute() {
  const call = api(service);
  const circle = await newCircle();
  const opener = await circle.member();
  const mediator = await circle.member();
  const dispute = (
    await call.ok(
      OPEN,
      {
        input: {
          circleId: circle.id,
          parties: ["the upstairs flat", "the downstairs flat"],
          summary: "Noise at night, threats",
        },
      },
      opener,
    )
  ).openDispute;
  expect(dispute).toMatchObject({
    status: "OPEN",
    parties: ["the downstairs flat", "the upstairs flat"],
    summary: "Noise at night, threats",
  });
  // A member offers; the opener accepts them. Only then they mediate and read the summary.
  expect((await call.ok(OFFER, { id: dispute.id }, mediator)).offerMediation).toMatchObject({
    status: "OPEN",
    mediators: 0,
    amMediator: false,
    summary: null,
    hasPendingOfferFromMe: true,
  });
  expect((await call.ok(ACCEPT, { id: dispute.id, m: mediator.memberId }, opener)).acceptMediator).toMatchObject({
    status: "IN_MEDIATION",
    mediators: 1,
    summary: "Noise at night, threats",
  });
  expect((await call.ok(LIST, { c: circle.id }, mediator)).disputes[0]).toMatchObject({
    summary: "Noise at night, threats",
    amMediator: true,
  });
  await call.ok(SESSION, { id: dispute.id, at: clock().toISOString() }, mediator);
  return { circle, opener, mediator, dispute };
}

describe("mediation", () => {
  it("records a dispute resolved without police as a sovereignty event, in the same transaction", async () => {
    const call = api(service);
    const { circle, opener, mediator, dispute } = await mediatedDispute();
    expect((await call.ok(RESOLVE, { id: dispute.id, o: "AGREEMENT", p: false }, mediator)).resolveDispute).toEqual({
      status: "RESOLVED",
      outcome: "AGREEMENT",
      policeInvolved: false,
    });
    const events = await service.runtime.db.query(
      `SELECT topic, payload FROM outbox WHERE payload->>'disputeId' = $1`,
      [dispute.id],
    );
    expect(events).toEqual([
      {
        topic: "dispute.mediated",
        payload: {
          circleId: circle.id,
          disputeId: dispute.id,
          cycle: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          openerKey: expect.stringMatching(/^[0-9a-f]{64}$/),
          partyKeys: [expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)],
        },
      },
    ]);
    // The opener and the parties leave only as pseudonyms.
    expect(JSON.stringify(events[0].payload)).not.toContain(opener.memberId);
    expect(JSON.stringify(events[0].payload)).not.toMatch(/flat/);
    expect((await call.fails(RESOLVE, { id: dispute.id, o: "AGREEMENT", p: false }, mediator)).code).toBe("CONFLICT");
  });

  it("emits nothing when police were involved or no agreement was reached", async () => {
    const call = api(service);
    const first = await mediatedDispute();
    await call.ok(RESOLVE, { id: first.dispute.id, o: "AGREEMENT", p: true }, first.mediator);
    const second = await mediatedDispute();
    await call.ok(RESOLVE, { id: second.dispute.id, o: "NO_AGREEMENT", p: false }, second.mediator);
    expect(
      await service.runtime.db.query(`SELECT 1 FROM outbox WHERE payload->>'disputeId' = ANY($1)`, [
        [first.dispute.id, second.dispute.id],
      ]),
    ).toEqual([]);
  });

  it("shows the summary to its opener and mediators only, and lets only mediators record sessions and outcomes", async () => {
    const call = api(service);
    const { circle, opener, dispute } = await mediatedDispute();
    const neighbour = await circle.member();
    const outsider = await testMember(crypto.randomUUID());
    expect((await call.ok(LIST, { c: circle.id }, neighbour)).disputes).toEqual([
      { id: dispute.id, summary: null, amMediator: false },
    ]);
    expect((await call.ok(LIST, { c: circle.id }, opener)).disputes[0].summary).toBe("Noise at night, threats");
    const before = await circleSnapshot(service.runtime.db, circle.id);
    expect((await call.fails(RESOLVE, { id: dispute.id, o: "AGREEMENT", p: false }, neighbour)).code).toBe("FORBIDDEN");
    expect((await call.fails(SESSION, { id: dispute.id, at: clock().toISOString() }, opener)).code).toBe("FORBIDDEN");
    expect((await call.fails(MEDIATE, { id: dispute.id }, opener)).code).toBe("FORBIDDEN");
    expect((await call.fails(OFFER, { id: dispute.id }, opener)).code).toBe("FORBIDDEN");
    expect((await call.fails(MEDIATE, { id: dispute.id }, outsider)).code).toBe("NOT_FOUND");
    expect((await call.fails(OFFER, { id: dispute.id }, outsider)).code).toBe("NOT_FOUND");
    expect((await call.fails(LIST, { c: circle.id }, outsider)).code).toBe("FORBIDDEN");
    expect(
      (await call.fails(OPEN, { input: { circleId: circle.id, parties: ["only one"], summary: "x" } }, neighbour)).code,
    ).toBe("BAD_USER_INPUT");
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);
  });
});
