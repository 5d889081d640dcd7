import { describe, expect, it } from "vitest";
import { verificationPlan } from "../src/domain/alerts.js";
import { appointment, resolutionPlan } from "../src/domain/disputes.js";
import { paymentPlan, stewardDecision } from "../src/domain/fund.js";
import { acceptancePlan } from "../src/domain/housing.js";

/* The decisions each mutation asks of the domain, from the rows its authorization read and locked. */

const request = { status: "REQUESTED" as const, recipientMemberId: "recipient" };

describe("a steward's word on a disbursement request", () => {
  it("counts a steward once: changing their mind from approval to objection declines the request", () => {
    const earlier = [{ stewardMemberId: "a", approves: true }];
    expect(stewardDecision(request, { memberId: "b", approves: true }, earlier, 2)).toEqual({
      approves: true,
      status: "APPROVED",
    });
    expect(stewardDecision(request, { memberId: "a", approves: true }, earlier, 2)).toEqual({
      approves: true,
      status: "REQUESTED",
    });
    expect(stewardDecision(request, { memberId: "a", approves: false }, earlier, 2)).toEqual({
      approves: false,
      status: "DECLINED",
    });
  });

  it("refuses a steward deciding their own request, and any decision once the request is settled", () => {
    expect(stewardDecision(request, { memberId: "recipient", approves: true }, [], 1)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(stewardDecision({ ...request, status: "PAID" }, { memberId: "a", approves: true }, [], 1)).toEqual({
      problem: "This request is already PAID.",
      code: "CONFLICT",
    });
  });

  it("pays once, only an approved request, and only from what the fund holds", () => {
    const approved = { status: "APPROVED" as const, amountMinor: 300, currency: "EUR" };
    expect(paymentPlan(approved, 300)).toEqual({ pay: true });
    expect(paymentPlan({ ...approved, status: "PAID" }, 0)).toEqual({ pay: false });
    expect(paymentPlan(approved, 299)).toEqual({
      problem: "The fund holds 299 EUR minor units, less than the 300 this request needs.",
    });
  });
});

describe("a trusted responder's verification", () => {
  const open = { status: "OPEN" as const, closedAt: null };

  it("broadcasts with the verification that reaches the threshold, counting a repeated one once", () => {
    expect(verificationPlan(open, { verifications: 1, alreadyVerified: false, verificationsNeeded: 2 })).toEqual({
      record: true,
      broadcast: true,
    });
    expect(verificationPlan(open, { verifications: 1, alreadyVerified: true, verificationsNeeded: 2 })).toEqual({
      record: true,
      broadcast: false,
    });
  });

  it("changes nothing on a verified alert and is refused on a closed one", () => {
    const tally = { verifications: 2, alreadyVerified: false, verificationsNeeded: 2 };
    expect(verificationPlan({ status: "VERIFIED", closedAt: null }, tally)).toEqual({
      record: false,
      broadcast: false,
    });
    expect(verificationPlan({ status: "EXPIRED", closedAt: new Date(0) }, tally)).toMatchObject({ code: "CONFLICT" });
  });
});

describe("a housing match's acceptance", () => {
  const match = {
    status: "SUGGESTED" as const,
    people: 2,
    hostMemberId: "host",
    guestMemberId: "guest",
    hostAcceptedAt: null,
    guestAcceptedAt: new Date(0),
  };
  const pledge = { capacity: 3, committedPeople: 0 };

  it("confirms once both accepted, and only while the pledge has room and the request is open", () => {
    expect(acceptancePlan(match, pledge, "OPEN", "host")).toEqual({ kind: "confirm", side: "host" });
    expect(acceptancePlan({ ...match, guestAcceptedAt: null }, pledge, "OPEN", "host")).toEqual({
      kind: "accept",
      side: "host",
    });
    expect(acceptancePlan(match, { capacity: 3, committedPeople: 2 }, "OPEN", "host")).toMatchObject({
      code: "CONFLICT",
    });
    expect(acceptancePlan(match, pledge, "HOUSED", "host")).toEqual({
      problem: "The request is already HOUSED.",
      code: "CONFLICT",
    });
    expect(acceptancePlan({ ...match, status: "CONFIRMED" }, pledge, "HOUSED", "guest")).toEqual({
      kind: "unchanged",
    });
  });
});

describe("mediation", () => {
  it("appoints a mediator only from a pending offer of an open dispute", () => {
    const offer = { memberIdWellFormed: true, isPending: true };
    expect(appointment("offered", { status: "OPEN" }, offer)).toEqual({ from: "offered" });
    expect(appointment("offered", { status: "OPEN" }, { ...offer, isPending: false })).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(appointment("assigned", { status: "OPEN" }, { ...offer, isPending: false })).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(appointment("assigned", { status: "RESOLVED" }, offer)).toMatchObject({ code: "CONFLICT" });
  });

  it("records an outcome only after a session, and announces only an agreement reached without police", () => {
    const held = { status: "IN_MEDIATION" as const, sessions: [new Date(0)] };
    expect(resolutionPlan({ outcome: "AGREEMENT", policeInvolved: false }, held)).toMatchObject({
      isMediatedWithoutPolice: true,
    });
    expect(resolutionPlan({ outcome: "AGREEMENT", policeInvolved: true }, held)).toMatchObject({
      isMediatedWithoutPolice: false,
    });
    expect(resolutionPlan({ outcome: "NO_AGREEMENT", policeInvolved: false }, { ...held, sessions: [] })).toMatchObject(
      { code: "CONFLICT" },
    );
  });
});
