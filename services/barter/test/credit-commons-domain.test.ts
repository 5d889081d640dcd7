import { describe, expect, it } from "vitest";
import {
  accountCodeFrom,
  ACCOUNT_CODE,
  completionProblem,
  exceedsTradeLimit,
  isFinalRefusal,
  joinProblem,
  mayCompleteLate,
  payerProposalProblem,
  nodeEntries,
  publishSideTrade,
  routeOf,
  sideOfNeighbour,
  traceBack,
  traceOnward,
  type NodeShape,
} from "../src/domain/credit-commons.js";

const east: NodeShape = { path: ["trunk", "east"], trunkwardName: "trunk", branchNames: ["village"] };
const trunk: NodeShape = { path: ["trunk"], branchNames: ["east", "west"] };

describe("routing an account path from a node", () => {
  it("finds a leaf ledger, a branch, or the trunkward node, and refuses what no node could hold", () => {
    expect(routeOf("trunk/east/garden/abcdefghij", east)).toEqual({
      side: "ledger:garden",
      ledger: "garden",
      accountCode: "abcdefghij",
    });
    expect(routeOf("trunk/east/village/market/abcdefghij", east)).toEqual({ side: "branch:village" });
    expect(routeOf("trunk/west/orchard/abcdefghij", east)).toEqual({ side: "trunkward" });
    expect(routeOf("trunk/west/orchard/abcdefghij", trunk)).toEqual({ side: "branch:west" });
    expect(routeOf("elsewhere/x/abcdefghij", trunk)).toMatchObject({
      problem: expect.stringContaining("root of this tree"),
    });
    expect(routeOf("trunk/east/garden/deep/abcdefghij", east)).toMatchObject({
      problem: expect.stringContaining("garden"),
    });
    for (const bad of ["", "Trunk/East", "trunk//x", "trunk/east/garden/abc def", "a/".repeat(20) + "a"])
      expect(routeOf(bad, east)).toMatchObject({ problem: expect.any(String) });
  });

  it("knows a neighbour only by a configured name", () => {
    expect(sideOfNeighbour("trunk", east)).toBe("trunkward");
    expect(sideOfNeighbour("village", east)).toBe("branch:village");
    expect(sideOfNeighbour("west", east)).toBeUndefined();
    expect(sideOfNeighbour("trunk", trunk)).toBeUndefined();
  });
});

describe("the node's own ledger and its limits", () => {
  it("writes the payer's side down and the payee's side up by the same amount", () => {
    const entries = nodeEntries("branch:east", "branch:west", 45);
    expect(entries).toEqual([
      { side: "branch:east", amountMinutes: -45 },
      { side: "branch:west", amountMinutes: 45 },
    ]);
    expect(entries.reduce((sum, entry) => sum + entry.amountMinutes, 0)).toBe(0);
  });

  it("holds a balance of trade within its limit, but always lets it move back towards zero", () => {
    expect(exceedsTradeLimit(100, 20, 120)).toBe(false);
    expect(exceedsTradeLimit(110, 20, 120)).toBe(true);
    expect(exceedsTradeLimit(-110, -20, 120)).toBe(true);
    expect(exceedsTradeLimit(150, -20, 120)).toBe(false);
  });

  it("refuses ledger names that clash with neighbours and limits out of range", () => {
    expect(joinProblem("garden", 600, east)).toBeUndefined();
    expect(joinProblem("village", 600, east)).toContain("neighbouring node");
    expect(joinProblem("Garden!", 600, east)).toContain("lowercase");
    expect(joinProblem("garden", 0, east)).toContain("minutes");
  });
});

describe("the lunar rule across hubs", () => {
  it("completes a transaction only in the cycle it was proposed in, before that cycle's expiry began", () => {
    expect(completionProblem({ state: "pending", cycle: "2041-04-28" }, "2041-04-28", null)).toBeUndefined();
    expect(completionProblem({ state: "pending", cycle: "2041-04-28" }, "2041-05-27", null)?.problem).toContain(
      "lapsed",
    );
    expect(completionProblem({ state: "pending", cycle: "2041-04-28" }, "2041-04-28", "2041-04-28")?.problem).toContain(
      "lapsed",
    );
    expect(completionProblem({ state: "erased", cycle: "2041-04-28" }, "2041-04-28", null)?.problem).toContain(
      "declined",
    );
  });
});

describe("completions past the new moon", () => {
  const cycleEndsAt = new Date("2041-05-27T12:00:00.000Z");
  const before = new Date(cycleEndsAt.getTime() - 1);

  it("asks the payer's side only for a confirmation that went out in its cycle, or when relaying one on", () => {
    expect(
      mayCompleteLate({ hasPayerSideNeighbour: true, fromPayeeMember: true, inDoubtSince: before, cycleEndsAt }),
    ).toBe(true);
    // A payee confirming for the first time after the new moon: lapsed at once.
    expect(
      mayCompleteLate({ hasPayerSideNeighbour: true, fromPayeeMember: true, inDoubtSince: undefined, cycleEndsAt }),
    ).toBe(false);
    expect(
      mayCompleteLate({ hasPayerSideNeighbour: true, fromPayeeMember: true, inDoubtSince: cycleEndsAt, cycleEndsAt }),
    ).toBe(false);
    expect(
      mayCompleteLate({ hasPayerSideNeighbour: true, fromPayeeMember: false, inDoubtSince: undefined, cycleEndsAt }),
    ).toBe(true);
    // The payer's own node never completes after its new moon.
    expect(
      mayCompleteLate({ hasPayerSideNeighbour: false, fromPayeeMember: false, inDoubtSince: undefined, cycleEndsAt }),
    ).toBe(false);
  });

  it("treats only an erased or lapsed answer from the payer's side as final", () => {
    const lapsed = completionProblem({ state: "pending", cycle: "2041-04-28" }, "2041-05-27", null)!;
    const erased = completionProblem({ state: "erased", cycle: "2041-04-28" }, "2041-04-28", null)!;
    expect(isFinalRefusal(lapsed.problem)).toBe(true);
    expect(isFinalRefusal(erased.problem)).toBe(true);
    expect(isFinalRefusal("This node is busy with the same accounts; try again.")).toBe(false);
  });
});

describe("a payer's proposal", () => {
  const standing = { memberBalanceMinutes: -60, floorMinutes: -600, remoteBalanceMinutes: 100, tradeLimitMinutes: 120 };

  it("is refused at once when it cannot fit the payer's floor or the circle's trade limit", () => {
    expect(payerProposalProblem(standing, 20)).toBeUndefined();
    expect(payerProposalProblem(standing, 541)?.limit).toBe("BALANCE_FLOOR");
    expect(payerProposalProblem(standing, 21)?.limit).toBe("TRADE_LIMIT");
    // Paying out brings a circle that is owed closer to zero: always fits the trade limit.
    expect(payerProposalProblem({ ...standing, remoteBalanceMinutes: -120 }, 200)).toBeUndefined();
  });
});

describe("what crosses a hub's border", () => {
  it("draws account codes at random, in the protocol's path alphabet", () => {
    const code = accountCodeFrom(new Uint8Array([0, 1, 2, 31, 32, 63, 64, 200, 255, 7]));
    expect(code).toMatch(ACCOUNT_CODE);
    expect(() => accountCodeFrom(new Uint8Array(3))).toThrow();
  });

  it("traces a request out and back through every node", () => {
    const outOfTrunk = traceOnward(traceOnward(undefined, "east"), "trunk");
    expect(outOfTrunk).toBe(">east, >trunk");
    expect(traceBack(traceBack(outOfTrunk, "west"), "trunk")).toBe(">east, >trunk, <west, <trunk");
  });

  it("publishes a side's trade only when 5 accounts stand on each end", () => {
    const trade = { side: "branch:west", minutesToSide: 50, minutesFromSide: 10, accountsOnSide: 5, counterparts: 5 };
    expect(publishSideTrade(trade)).toEqual({
      side: "branch:west",
      minutesToSide: 50,
      minutesFromSide: 10,
      balanceMinutes: 40,
      participantCount: 5,
    });
    expect(publishSideTrade({ ...trade, counterparts: 4 })).toEqual({
      side: "branch:west",
      minutesToSide: null,
      minutesFromSide: null,
      balanceMinutes: null,
      participantCount: null,
    });
  });
});
