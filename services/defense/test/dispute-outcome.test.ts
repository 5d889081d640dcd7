import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { circleSnapshot } from "@rhizome/kit/testing";
import { api, newCircle, startDefense, type DefenseTestService } from "./support/defense.js";

const OPEN = `mutation ($input: OpenDisputeInput!) { openDispute(input: $input) { id } }`;
const OFFER = `mutation ($id: ID!) { offerMediation(disputeId: $id) { id } }`;
const ACCEPT = `mutation ($id: ID!, $m: ID!) { acceptMediator(disputeId: $id, memberId: $m) { id } }`;
const SESSION = `mutation ($id: ID!, $at: DateTimeISO!) { recordMediationSession(disputeId: $id, heldAt: $at) { sessions } }`;
const RESOLVE = `mutation ($id: ID!) { resolveDispute(disputeId: $id, outcome: AGREEMENT, policeInvolved: false) { status } }`;

let service: DefenseTestService;
let clock: Awaited<ReturnType<typeof startDefense>>["clock"];
beforeAll(async () => {
  ({ service, clock } = await startDefense());
});
afterAll(async () => {
  await service?.stop();
});

describe("a dispute's outcome", () => {
  it("says, before any session is recorded, which mutation comes first, and changes nothing until then", async () => {
    const call = api(service);
    const circle = await newCircle();
    const opener = await circle.member();
    const mediator = await circle.member();
    const dispute = (
      await call.ok(
        OPEN,
        { input: { circleId: circle.id, parties: ["the corner shop", "the tenants"], summary: "Deliveries blocked" } },
        opener,
      )
    ).openDispute;
    await call.ok(OFFER, { id: dispute.id }, mediator);
    await call.ok(ACCEPT, { id: dispute.id, m: mediator.memberId }, opener);
    const before = await circleSnapshot(service.runtime.db, circle.id);

    expect(await call.fails(RESOLVE, { id: dispute.id }, mediator)).toMatchObject({
      code: "CONFLICT",
      message:
        "Record at least one mediation session (recordMediationSession) before the outcome: a dispute is resolved only after its parties met.",
    });
    expect(await circleSnapshot(service.runtime.db, circle.id)).toEqual(before);

    await call.ok(SESSION, { id: dispute.id, at: clock().toISOString() }, mediator);
    expect((await call.ok(RESOLVE, { id: dispute.id }, mediator)).resolveDispute).toEqual({ status: "RESOLVED" });
  });
});
