import { describe, expect, it } from "vitest";
import {
  balanceLimitsProblem,
  exchangeLimitProblem,
  MAX_LIMIT_MAGNITUDE_MINUTES,
} from "../src/domain/balance-limits.js";
import { exchangeActionProblem, MAX_EXCHANGE_MINUTES, validateProposal } from "../src/domain/exchanges.js";
import { closingKind, commonsTakesMinutes, expiryTotalsOf } from "../src/domain/expiry.js";
import {
  applyTransfers,
  assertBalancesMatchEntries,
  assertTransferBalanced,
  exchangeTransfer,
  LedgerInvariantError,
} from "../src/domain/ledger.js";
import { formatMinutesAsHours } from "../src/domain/minutes.js";
import { MAX_SKILL_LENGTH, MAX_SKILLS_PER_LISTING, normaliseSkill, normaliseSkills } from "../src/domain/skills.js";
import { publishCycleSummary, type CycleFigures } from "../src/domain/summary.js";

describe("minutes as people say them", () => {
  it("writes whole hours without minutes and pads the rest", () => {
    expect(formatMinutesAsHours(-600)).toBe("-10h");
    expect(formatMinutesAsHours(-570)).toBe("-9h30");
    expect(formatMinutesAsHours(1200)).toBe("20h");
    expect(formatMinutesAsHours(65)).toBe("1h05");
    expect(formatMinutesAsHours(-30)).toBe("-0h30");
    expect(formatMinutesAsHours(0)).toBe("0h");
  });
});

describe("skill tags", () => {
  it("are trimmed, lowercased, with inner whitespace collapsed to one dash", () => {
    expect(normaliseSkill("  Bike   Repair ")).toEqual({ skill: "bike-repair" });
    expect(normaliseSkill("Garten\tArbeit")).toEqual({ skill: "garten-arbeit" });
    expect(normaliseSkill("Épicerie")).toEqual({ skill: "épicerie" });
  });

  it("refuse empty, overlong and punctuated tags with a message that says why", () => {
    expect(normaliseSkill("   ")).toEqual({ problem: "A skill cannot be empty." });
    expect(normaliseSkill("x".repeat(MAX_SKILL_LENGTH + 1))).toMatchObject({
      problem: expect.stringContaining(`${MAX_SKILL_LENGTH} characters`),
    });
    expect(normaliseSkill("<script>")).toMatchObject({ problem: expect.stringContaining("only letters, digits") });
  });

  it("drop duplicates after normalising and bound their number", () => {
    expect(normaliseSkills(["Cooking", " cooking ", "baking"])).toEqual({ skills: ["cooking", "baking"] });
    expect(normaliseSkills([])).toEqual({ problem: "Give at least one skill." });
    const tooMany = Array.from({ length: MAX_SKILLS_PER_LISTING + 1 }, (_, i) => `skill${i}`);
    expect(normaliseSkills(tooMany)).toMatchObject({
      problem: expect.stringContaining(`at most ${MAX_SKILLS_PER_LISTING}`),
    });
  });
});

describe("transfers", () => {
  it("credit the provider and debit the receiver by the same minutes", () => {
    const transfer = exchangeTransfer("provider", "receiver", 90);
    expect(transfer.entries).toEqual([
      { accountId: "provider", amountMinutes: 90 },
      { accountId: "receiver", amountMinutes: -90 },
    ]);
    expect(() => assertTransferBalanced(transfer)).not.toThrow();
    expect(applyTransfers(new Map([["receiver", -30]]), [transfer])).toEqual(
      new Map([
        ["receiver", -120],
        ["provider", 90],
      ]),
    );
  });

  it("must sum to zero, in non-zero whole minutes, with at least two entries", () => {
    const unbalanced = {
      kind: "EXCHANGE" as const,
      entries: [
        { accountId: "a", amountMinutes: 60 },
        { accountId: "b", amountMinutes: -59 },
      ],
    };
    expect(() => assertTransferBalanced(unbalanced)).toThrow(/sum to 1 minutes instead of 0/);
    const fractional = {
      kind: "EXCHANGE" as const,
      entries: [
        { accountId: "a", amountMinutes: 0.5 },
        { accountId: "b", amountMinutes: -0.5 },
      ],
    };
    expect(() => assertTransferBalanced(fractional)).toThrow(LedgerInvariantError);
    expect(() =>
      assertTransferBalanced({
        kind: "EXCHANGE",
        entries: [
          { accountId: "a", amountMinutes: 0 },
          { accountId: "b", amountMinutes: 0 },
        ],
      }),
    ).toThrow(/non-zero/);
    expect(() => assertTransferBalanced({ kind: "EXCHANGE", entries: [] })).toThrow(/at least two entries/);
  });

  it("cached balances must equal the sum of entries", () => {
    expect(() =>
      assertBalancesMatchEntries([{ accountId: "a", balanceMinutes: 60, entriesSumMinutes: 60 }]),
    ).not.toThrow();
    expect(() => assertBalancesMatchEntries([{ accountId: "a", balanceMinutes: 60, entriesSumMinutes: 0 }])).toThrow(
      /a: balance 60, entries 0/,
    );
  });
});

describe("floor and ceiling", () => {
  const limits = { floorMinutes: -600, ceilingMinutes: 1200 };

  it("let an exchange that lands exactly on the floor or ceiling through", () => {
    const sides = {
      provider: { balanceMinutes: 1140, audience: "owner" as const },
      receiver: { balanceMinutes: -540, audience: "counterpart" as const },
      minutes: 60,
    };
    expect(exchangeLimitProblem(sides, limits)).toBeUndefined();
  });

  it("tell the receiver their own balance when it is theirs", () => {
    const sides = {
      provider: { balanceMinutes: 0, audience: "counterpart" as const },
      receiver: { balanceMinutes: -570, audience: "owner" as const },
      minutes: 60,
    };
    expect(exchangeLimitProblem(sides, limits)).toBe(
      "Exchange would take your balance below the circle's floor of -10h (your balance -9h30).",
    );
  });

  it("do not reveal the other party's balance", () => {
    const below = {
      provider: { balanceMinutes: 0, audience: "owner" as const },
      receiver: { balanceMinutes: -570, audience: "counterpart" as const },
      minutes: 60,
    };
    expect(exchangeLimitProblem(below, limits)).toBe(
      "Exchange would take the receiver below the circle's floor of -10h; they can receive less for now.",
    );
    const above = {
      provider: { balanceMinutes: 1190, audience: "counterpart" as const },
      receiver: { balanceMinutes: 0, audience: "owner" as const },
      minutes: 60,
    };
    expect(exchangeLimitProblem(above, limits)).toBe(
      "Exchange would take the provider above the circle's ceiling of 20h; they can provide less for now.",
    );
  });

  it("are valid only with floor <= 0 <= ceiling, within the bound", () => {
    expect(balanceLimitsProblem({ floorMinutes: -600, ceilingMinutes: 1200 })).toBeUndefined();
    expect(balanceLimitsProblem({ floorMinutes: 0, ceilingMinutes: 0 })).toBeUndefined();
    expect(balanceLimitsProblem({ floorMinutes: 60, ceilingMinutes: 1200 })).toMatch(/floor must be zero or below/);
    expect(balanceLimitsProblem({ floorMinutes: -60, ceilingMinutes: -1 })).toMatch(/ceiling must be zero or above/);
    expect(balanceLimitsProblem({ floorMinutes: -MAX_LIMIT_MAGNITUDE_MINUTES - 1, ceilingMinutes: 0 })).toMatch(
      /cannot be below -200h/,
    );
    expect(balanceLimitsProblem({ floorMinutes: 0, ceilingMinutes: MAX_LIMIT_MAGNITUDE_MINUTES + 1 })).toMatch(
      /cannot be above 200h/,
    );
  });
});

describe("proposals", () => {
  const draft = { providerMemberId: "p", receiverMemberId: "r", minutes: 60, skill: " Bike Repair ", note: " thanks " };

  it("are normalised and know who must confirm", () => {
    expect(validateProposal(draft, "r")).toEqual({
      proposal: {
        providerMemberId: "p",
        receiverMemberId: "r",
        proposerMemberId: "r",
        counterpartMemberId: "p",
        minutes: 60,
        skill: "bike-repair",
        note: "thanks",
        idempotencyKey: null,
      },
    });
  });

  it("refuse zero, negative, fractional and over-a-day minutes, self-exchange and outsiders", () => {
    expect(validateProposal({ ...draft, minutes: 0 }, "p")).toMatchObject({
      code: "BAD_USER_INPUT",
      problem: expect.stringContaining("at least 1 minute"),
    });
    expect(validateProposal({ ...draft, minutes: -30 }, "p")).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(validateProposal({ ...draft, minutes: 1.5 }, "p")).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(validateProposal({ ...draft, minutes: MAX_EXCHANGE_MINUTES + 1 }, "p")).toMatchObject({
      problem: expect.stringContaining("at most 1440 minutes"),
    });
    expect(validateProposal({ ...draft, receiverMemberId: "p" }, "p")).toMatchObject({
      problem: expect.stringContaining("two different members"),
    });
    expect(validateProposal(draft, "someone-else")).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("who may decide an exchange", () => {
  const pending = { status: "PENDING" as const, proposerMemberId: "p", proposedCycle: "2026-11-09" };

  it("the other party confirms or declines; the proposer cancels", () => {
    expect(exchangeActionProblem(pending, "confirm", "r", "2026-11-09")).toBeUndefined();
    expect(exchangeActionProblem(pending, "decline", "r", "2026-11-09")).toBeUndefined();
    expect(exchangeActionProblem(pending, "cancel", "p", "2026-11-09")).toBeUndefined();
    expect(exchangeActionProblem(pending, "confirm", "p", "2026-11-09")).toMatchObject({ code: "FORBIDDEN" });
    expect(exchangeActionProblem(pending, "decline", "p", "2026-11-09")).toMatchObject({ code: "FORBIDDEN" });
    expect(exchangeActionProblem(pending, "cancel", "r", "2026-11-09")).toMatchObject({ code: "FORBIDDEN" });
  });

  it("nothing happens twice, and a proposal lapses with its cycle", () => {
    expect(exchangeActionProblem({ ...pending, status: "CONFIRMED" }, "confirm", "r", "2026-11-09")).toEqual({
      code: "CONFLICT",
      problem: "This exchange is already confirmed; it can no longer be confirmed.",
    });
    expect(exchangeActionProblem({ ...pending, status: "DECLINED" }, "cancel", "p", "2026-11-09")).toMatchObject({
      code: "CONFLICT",
    });
    expect(exchangeActionProblem(pending, "confirm", "r", "2026-12-09")).toMatchObject({
      code: "CONFLICT",
      problem: expect.stringContaining("lapsed"),
    });
  });
});

describe("expiry entries", () => {
  it("expire credits and annul debts against the commons, skipping zero balances", () => {
    expect([90, -90, 0].map(closingKind)).toEqual(["CREDITS_EXPIRED", "DEBTS_ANNULLED", undefined]);
    const totals = expiryTotalsOf([90, -90, 0, 30, -15]);
    expect(totals).toEqual({
      accountsExpired: 4,
      accountsWithCreditsExpired: 2,
      accountsWithDebtsAnnulled: 2,
      creditsExpiredMinutes: 120,
      debtsAnnulledMinutes: 105,
    });
    // The commons takes the expired credits and pays the annulled debts: here what the leaver left it.
    expect(commonsTakesMinutes(totals)).toBe(15);
  });
});

describe("cycle summaries", () => {
  const figures: CycleFigures = {
    minutesExchanged: 600,
    exchangeCount: 7,
    participantCount: 5,
    skills: [
      { skill: "cooking", offeringMembers: 6, requestingMembers: 1 },
      { skill: "childcare", offeringMembers: 0, requestingMembers: 5 },
      { skill: "plumbing", offeringMembers: 4, requestingMembers: 4 },
    ],
    expiry: {
      creditsExpiredMinutes: 300,
      accountsWithCreditsExpired: 5,
      debtsAnnulledMinutes: 300,
      accountsWithDebtsAnnulled: 4,
    },
    sisterTrade: { minutesGiven: 90, minutesReceived: 30, participantCount: 5 },
  };

  it("publish figures that stand on at least 5 people", () => {
    expect(publishCycleSummary(figures)).toEqual({
      minutesExchanged: 600,
      exchangeCount: 7,
      participantCount: 5,
      mostRequestedSkills: ["childcare"],
      mostOfferedSkills: ["cooking"],
      skillsInSurplus: ["cooking"],
      skillsInDeficit: ["childcare"],
      creditsExpiredMinutes: 300,
      debtsAnnulledMinutes: null,
      theme: null,
      themeSkills: [],
      themeSharePercent: null,
      minutesGivenToSisters: 90,
      minutesReceivedFromSisters: 30,
    });
  });

  it("suppress every figure about fewer than 5 people", () => {
    const small = publishCycleSummary({
      ...figures,
      participantCount: 4,
      skills: figures.skills.map((s) => ({
        ...s,
        offeringMembers: Math.min(s.offeringMembers, 4),
        requestingMembers: Math.min(s.requestingMembers, 4),
      })),
    });
    expect(small).toMatchObject({
      minutesExchanged: null,
      exchangeCount: null,
      participantCount: null,
      mostRequestedSkills: [],
      mostOfferedSkills: [],
      skillsInSurplus: [],
      skillsInDeficit: [],
    });
    expect(publishCycleSummary({ ...figures, expiry: undefined })).toMatchObject({
      creditsExpiredMinutes: null,
      debtsAnnulledMinutes: null,
    });
    // Sister trade stands on the members of both circles behind it, and figures recorded before it was counted have none.
    const fewSisters = publishCycleSummary({
      ...figures,
      sisterTrade: { minutesGiven: 90, minutesReceived: 30, participantCount: 4 },
    });
    expect(fewSisters).toMatchObject({
      minutesGivenToSisters: null,
      minutesReceivedFromSisters: null,
      minutesExchanged: 600,
    });
    expect(publishCycleSummary({ ...figures, sisterTrade: undefined })).toMatchObject({
      minutesGivenToSisters: null,
      minutesReceivedFromSisters: null,
    });
  });
});
