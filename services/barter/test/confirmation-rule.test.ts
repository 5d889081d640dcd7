import { describe, expect, it } from "vitest";
import {
  confirmationRefusal,
  CYCLE_EXPIRING,
  LEFT_THE_CIRCLE,
  OTHER_PARTY_LEFT,
  SISTER_PARTY_LEFT,
  type ConfirmationFacts,
} from "../src/domain/confirmation.js";

const CYCLE = "2026-11-20";
const NEXT = "2026-12-20";

/** A pending proposal by the provider, confirmed by the receiver in the cycle it was proposed in; both still in their circles. */
function facts(changes: Partial<ConfirmationFacts> = {}): ConfirmationFacts {
  return {
    exchange: { status: "PENDING", proposerMemberId: "provider", proposedCycle: CYCLE },
    confirmerMemberId: "receiver",
    provider: { memberId: "provider", isClosed: false },
    receiver: { memberId: "receiver", isClosed: false },
    cycle: CYCLE,
    expiredThrough: [null],
    otherPartyLeft: OTHER_PARTY_LEFT,
    ...changes,
  };
}

describe("the one confirmation rule, for exchanges in a circle and between sister circles", () => {
  it("lets the other party confirm a pending proposal in its own cycle", () => {
    expect(confirmationRefusal(facts())).toBeUndefined();
  });

  it("refuses a confirmer who left (FORBIDDEN) before anything else, and names the other party's leaving (NOT_FOUND)", () => {
    const bothLeft = facts({
      provider: { memberId: "provider", isClosed: true },
      receiver: { memberId: "receiver", isClosed: true },
    });
    expect(confirmationRefusal(bothLeft)).toEqual({ code: "FORBIDDEN", problem: LEFT_THE_CIRCLE });
    const otherLeft = facts({ provider: { memberId: "provider", isClosed: true }, otherPartyLeft: SISTER_PARTY_LEFT });
    expect(confirmationRefusal(otherLeft)).toEqual({ code: "NOT_FOUND", problem: SISTER_PARTY_LEFT });
  });

  it("refuses the proposer (FORBIDDEN), a decided exchange and a lapsed proposal (CONFLICT)", () => {
    expect(confirmationRefusal(facts({ confirmerMemberId: "provider" }))?.code).toBe("FORBIDDEN");
    const confirmed = facts({ exchange: { status: "CONFIRMED", proposerMemberId: "provider", proposedCycle: CYCLE } });
    expect(confirmationRefusal(confirmed)).toMatchObject({
      code: "CONFLICT",
      problem: expect.stringMatching(/already confirmed/),
    });
    expect(confirmationRefusal(facts({ cycle: NEXT }))).toMatchObject({
      code: "CONFLICT",
      problem: expect.stringMatching(/lapsed/),
    });
  });

  it("refuses while the cycle of either circle is expiring", () => {
    expect(confirmationRefusal(facts({ expiredThrough: [null, CYCLE] }))).toEqual({
      code: "CONFLICT",
      problem: CYCLE_EXPIRING,
    });
    expect(confirmationRefusal(facts({ expiredThrough: ["2026-10-21", null] }))).toBeUndefined();
  });
});
