import { describe, expect, it } from "vitest";
import { cycleContaining, drawInOrder, followingCycle, precedingCycle } from "@rhizome/kit";
import { needsAudit } from "../src/domain/audits.js";
import { carriedOverDuo, duoFromOrder } from "../src/domain/caretakers.js";
import { lendingProblem, normaliseCategory, normaliseLocationCell } from "../src/domain/catalogue.js";
import { handOffProblem } from "../src/domain/hand-offs.js";
import { publishLoanCells } from "../src/domain/loan-map.js";
import { MAX_RENEWALS, reminderStages, remindersMissing, renewalProblem, renewedDueAt } from "../src/domain/loans.js";
import { renderTutorialHtml } from "../src/domain/tutorials.js";

describe("places", () => {
  it("are geohash cells of at most 6 characters; a finer one is refused with the limit, never cut silently", () => {
    expect(normaliseLocationCell(" U4PRU ")).toEqual({ cell: "u4pru" });
    expect(normaliseLocationCell("u4pruy")).toEqual({ cell: "u4pruy" });
    expect(normaliseLocationCell("u4pruyd")).toEqual({ problem: expect.stringContaining("at most 6 characters") });
    expect(normaliseLocationCell("u4pa")).toEqual({ problem: expect.stringContaining("is not a geohash") });
  });
});

describe("categories", () => {
  it("are lower-case words joined by dashes", () => {
    expect(normaliseCategory("  Power   Tools ")).toEqual({ category: "power-tools" });
    expect(normaliseCategory("<b>")).toMatchObject({ problem: expect.any(String) });
  });
});

describe("hand-off rules", () => {
  const base = {
    holderMemberId: "h",
    hostMemberId: "h",
    fromMemberId: "h",
    toMemberId: "a",
    queueHeadMemberId: undefined,
    lendingProblem: undefined,
  };
  it("send the tool to the head of the queue, or anyone when nobody waits", () => {
    expect(handOffProblem(base)).toBeUndefined();
    expect(handOffProblem({ ...base, queueHeadMemberId: "a" })).toBeUndefined();
    expect(handOffProblem({ ...base, queueHeadMemberId: "b" })).toMatchObject({ code: "CONFLICT" });
    expect(handOffProblem({ ...base, fromMemberId: "x" })).toMatchObject({ code: "CONFLICT" });
    expect(handOffProblem({ ...base, toMemberId: "h" })).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("let a tool that needs repair go home to its host, and nowhere else", () => {
    const broken = lendingProblem({ condition: "NEEDS_REPAIR", retiredAt: null });
    expect(handOffProblem({ ...base, lendingProblem: broken })).toMatchObject({ code: "CONFLICT", problem: broken });
    expect(
      handOffProblem({ ...base, holderMemberId: "a", fromMemberId: "a", toMemberId: "h", lendingProblem: broken }),
    ).toBeUndefined();
  });
});

describe("loans", () => {
  it("renew one period from the due date, or from now when overdue, at most MAX_RENEWALS times, never while someone waits", () => {
    const due = new Date("2031-01-10T00:00:00Z");
    expect(renewedDueAt(due, new Date("2031-01-08T00:00:00Z"), 7)).toEqual(new Date("2031-01-17T00:00:00Z"));
    expect(renewedDueAt(due, new Date("2031-01-12T00:00:00Z"), 7)).toEqual(new Date("2031-01-19T00:00:00Z"));
    expect(renewalProblem({ renewals: 0, returnedAt: null }, 0)).toBeUndefined();
    expect(renewalProblem({ renewals: 0, returnedAt: null }, 1)).toContain("Someone is waiting");
    expect(renewalProblem({ renewals: MAX_RENEWALS, returnedAt: null }, 0)).toContain(`at most ${MAX_RENEWALS} times`);
  });

  it("remind at the due date, one interval later, then the caretakers", () => {
    const due = new Date("2031-01-10T00:00:00Z");
    expect(reminderStages(due, 24).map((s) => [s.stage, s.at.toISOString(), s.audience])).toEqual([
      [1, "2031-01-10T00:00:00.000Z", "BORROWER"],
      [2, "2031-01-11T00:00:00.000Z", "BORROWER"],
      [3, "2031-01-12T00:00:00.000Z", "CARETAKERS"],
    ]);
  });

  it("that a sweep sends are the stages whose instant came and that nobody got", () => {
    const due = new Date("2031-01-10T00:00:00Z");
    expect(remindersMissing(due, 24, [], new Date("2031-01-09T23:59:59Z"))).toEqual([]);
    expect(remindersMissing(due, 24, [], due)).toEqual([1]);
    expect(remindersMissing(due, 24, [1], new Date("2031-01-11T00:00:00Z"))).toEqual([2]);
    expect(remindersMissing(due, 24, [2], new Date("2031-01-13T00:00:00Z"))).toEqual([1, 3]);
    expect(remindersMissing(due, 24, [1, 2, 3], new Date("2031-02-01T00:00:00Z"))).toEqual([]);
  });
});

describe("caretaker draws", () => {
  it("take the first two of the order who did not serve last cycle, and last cycle's caretakers only to fill the seats", () => {
    const pool = ["a", "b", "c", "d", "e"];
    for (let i = 0; i < 50; i++) {
      const order = drawInOrder(pool, `seed-${i}`, pool.length);
      const duo = duoFromOrder(order, ["a", "b"]);
      expect(duo).toEqual(order.filter((id) => !["a", "b"].includes(id)).slice(0, 2));
      const short = duoFromOrder(drawInOrder(["a", "b", "c"], `seed-${i}`, 3), ["a", "b"]);
      expect(short[0]).toBe("c");
      expect(short).toHaveLength(2);
    }
    expect(duoFromOrder([], ["a"])).toEqual([]);
  });

  it("carry over last cycle's caretakers who still volunteer when too few witnesses committed", () => {
    expect(carriedOverDuo(["b", "a"], ["a", "c"])).toEqual(["a"]);
    expect(carriedOverDuo([], ["a", "c"])).toEqual([]);
  });
});

describe("audits", () => {
  it("flag a tool not audited in this cycle or the one before", () => {
    const now = new Date("2031-06-01T00:00:00Z");
    const previous = precedingCycle(cycleContaining(now));
    expect(needsAudit(previous.startsAt, now)).toBe(false);
    expect(needsAudit(new Date(previous.startsAt.getTime() - 1), now)).toBe(true);
    expect(needsAudit(now, followingCycle(cycleContaining(now)).startsAt)).toBe(false);
  });
});

describe("the loan map", () => {
  const people = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  it("shows a cell only where 5 distinct hosts and 5 distinct borrowers stand, and hides more when a hidden one could be recovered", () => {
    const busy = { cell: "u4pru", loans: 9, hostIds: people("h", 5), borrowerIds: people("b", 6) };
    const busier = { cell: "u4prv", loans: 12, hostIds: people("H", 7), borrowerIds: people("B", 8) };
    const oneHost = { cell: "u4prw", loans: 30, hostIds: ["x"], borrowerIds: people("y", 9) };
    expect(publishLoanCells([busier, busy])).toEqual([
      { cell: "u4pru", loans: 9 },
      { cell: "u4prv", loans: 12 },
    ]);
    // The one-host cell is hidden, and the smaller shown cell with it, so the total minus the map does not give it back.
    expect(publishLoanCells([busy, oneHost, busier])).toEqual([{ cell: "u4prv", loans: 12 }]);
  });
});

describe("tutorial HTML", () => {
  it.each([
    ["<script>alert(1)</script>", /<script/i],
    ['<img src=x onerror="alert(1)">', /<img/i],
    ["[x](javascript:alert(1))", /href/i],
    ["[x](  JAVASCRIPT:alert(1))", /href/i],
    ["[x](vbscript:msgbox(1))", /href/i],
    ["[x](data:text/html;base64,PHNjcmlwdD4=)", /href/i],
    ["<a href='javascript:alert(1)'>x</a>", /<a/i],
    ["<iframe src='https://evil.example'></iframe>", /<iframe/i],
    ['<svg onload="alert(1)">', /<svg/i],
  ])("shows %s as harmless", (markdown, forbidden) => {
    expect(renderTutorialHtml(markdown)).not.toMatch(forbidden);
  });

  it("keeps ordinary markdown", () => {
    expect(renderTutorialHtml("**Oil** the [chain](https://example.org)")).toBe(
      '<p><strong>Oil</strong> the <a href="https://example.org" rel="nofollow noopener noreferrer">chain</a></p>\n',
    );
  });
});
