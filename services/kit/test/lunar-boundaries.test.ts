import { describe, expect, it } from "vitest";
import {
  boundariesBetween,
  cycleByLabel,
  cycleContaining,
  followingCycle,
  nextBoundaryAfter,
  precedingCycle,
} from "../src/rules/lunar.js";

describe("lunar cycle boundaries, however they are reached", () => {
  it("are the same instant however they are reached", () => {
    // The numeric new-moon search lands within ~0.1 s of the true instant, depending on where it
    // starts; boundaries used to differ by tens of milliseconds between these paths.
    let cycle = cycleContaining(new Date("2026-11-23T06:00:00Z"));
    for (let step = 0; step < 30; step++) {
      const before = precedingCycle(cycle);
      expect(before.endsAt.getTime()).toBe(cycle.startsAt.getTime());
      expect(before.label).not.toBe(cycle.label);
      expect(followingCycle(before)).toEqual(cycle);
      expect(cycleByLabel(before.label)).toEqual(before);
      expect(cycleContaining(new Date(before.startsAt.getTime() + 5 * 86_400_000))).toEqual(before);
      expect(nextBoundaryAfter(new Date(cycle.startsAt.getTime() - 1))).toEqual(cycle.startsAt);
      cycle = before;
    }
  });

  it("put an instant exactly on a new moon in the cycle it starts", () => {
    const cycle = cycleContaining(new Date("2026-11-23T06:00:00Z"));
    expect(cycleContaining(cycle.startsAt)).toEqual(cycle);
    expect(cycleContaining(new Date(cycle.startsAt.getTime() - 1)).endsAt).toEqual(cycle.startsAt);
    expect(boundariesBetween(new Date(cycle.startsAt.getTime() - 1), cycle.startsAt)).toEqual([cycle.startsAt]);
  });
});
