import { describe, expect, it } from "vitest";
import { cellsToPublish, mayReplaceSnapshot, publishBreakdown } from "../src/rules/privacy.js";

const people = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe("the privacy rule", () => {
  it("shows a cell only when each of its groups stands for 5 distinct people", () => {
    // One host lending to four borrowers: five people, but one host, whose block the cell would give away.
    expect(cellsToPublish([[["host"], people("b", 4)]])).toEqual([false]);
    expect(cellsToPublish([[people("h", 5), people("b", 5)]])).toEqual([true]);
    // The same person twice is one person.
    expect(cellsToPublish([[["a", "a", "a", "a", "a"]]])).toEqual([false]);
  });

  it("hides more cells when the hidden ones alone could be recovered from a total", () => {
    const big = [people("h", 6), people("b", 6)];
    const bigger = [people("H", 8), people("B", 8)];
    const small = [["x"], ["y"]];
    // Without a second hidden cell, total minus the two shown cells is the small cell.
    expect(cellsToPublish([big, small, bigger])).toEqual([false, false, true]);
    // Two small cells that together stand for 5 people in each group are safe to leave hidden alone.
    const otherSmall = [people("p", 4), people("q", 4)];
    expect(cellsToPublish([bigger, small, otherSmall])).toEqual([true, false, false]);
    // When hiding everything still leaves a small group, nothing is shown.
    expect(cellsToPublish([big, small])).toEqual([false, false]);
    // Nothing hidden, nothing more to hide; empty cells hide nobody.
    expect(cellsToPublish([big, bigger, [[], []]])).toEqual([true, true, false]);
  });

  it("shows a breakdown whole or not at all, and replaces a snapshot only by cohorts of 5", () => {
    expect(publishBreakdown({ edge: 5, advantaged: 4 })).toEqual({ edge: null, advantaged: null });
    expect(publishBreakdown({ edge: 5, advantaged: 7 })).toEqual({ edge: 5, advantaged: 7 });
    expect(mayReplaceSnapshot({ joined: 1, left: 0 })).toBe(false);
    expect(mayReplaceSnapshot({ joined: 5, left: 0 })).toBe(true);
    expect(mayReplaceSnapshot({ joined: 5, left: 1 })).toBe(false);
    expect(mayReplaceSnapshot({ joined: 0, left: 0 })).toBe(false);
  });
});
