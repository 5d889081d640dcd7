import { describe, expect, it } from "vitest";
import {
  boundariesBetween,
  cycleByLabel,
  cycleContaining,
  followingCycle,
  nextBoundaryAfter,
  precedingCycle,
} from "../src/rules/lunar.js";

// Published new moons (UTC), e.g. from the US Naval Observatory's tables.
const knownNewMoons = [
  "2024-01-11T11:57Z",
  "2024-04-08T18:21Z", // the total solar eclipse
  "2025-09-21T19:54Z",
  "2026-11-09T07:02Z",
  "2026-12-09T00:52Z",
];

function minutesBetween(a: Date, b: Date): number {
  return Math.abs(a.getTime() - b.getTime()) / 60_000;
}

describe("lunar calendar", () => {
  it.each(knownNewMoons)("puts a cycle boundary within two minutes of the new moon of %s", (published) => {
    const newMoon = new Date(published);
    const cycle = cycleContaining(new Date(newMoon.getTime() + 3_600_000));
    expect(minutesBetween(cycle.startsAt, newMoon)).toBeLessThan(2);
    expect(cycle.label).toBe(published.slice(0, 10));
  });

  it("finds the cycle that contains an instant, start inclusive and end exclusive", () => {
    const cycle = cycleContaining(new Date("2026-11-23T06:00:00Z"));
    expect(cycle.label).toBe("2026-11-09");
    expect(minutesBetween(cycle.endsAt, new Date("2026-12-09T00:52Z"))).toBeLessThan(2);
    expect(cycleContaining(cycle.startsAt).label).toBe(cycle.label);
    expect(cycleContaining(cycle.endsAt).label).toBe("2026-12-09");
    expect(cycleContaining(new Date(cycle.endsAt.getTime() - 1)).label).toBe(cycle.label);
  });

  it("gives the next boundary strictly after an instant", () => {
    const boundary = nextBoundaryAfter(new Date("2026-11-23T06:00:00Z"));
    expect(boundary.toISOString().slice(0, 10)).toBe("2026-12-09");
    expect(nextBoundaryAfter(boundary).getTime()).toBeGreaterThan(boundary.getTime());
  });

  it("chains cycles without gaps or overlaps over a year", () => {
    let cycle = cycleContaining(new Date("2026-01-01T00:00:00Z"));
    for (let i = 0; i < 13; i++) {
      const next = followingCycle(cycle);
      expect(next.startsAt.getTime()).toBe(cycle.endsAt.getTime());
      const lengthDays = (cycle.endsAt.getTime() - cycle.startsAt.getTime()) / 86_400_000;
      expect(lengthDays).toBeGreaterThan(29.1);
      expect(lengthDays).toBeLessThan(30);
      expect(precedingCycle(next).label).toBe(cycle.label);
      cycle = next;
    }
  });

  it("looks a cycle up by its label, and rejects dates that are not new moons", () => {
    expect(cycleByLabel("2026-11-09")?.label).toBe("2026-11-09");
    expect(cycleByLabel("2026-11-10")).toBeUndefined();
    expect(cycleByLabel("next tuesday")).toBeUndefined();
  });

  it("lists the boundaries that passed during a downtime", () => {
    const boundaries = boundariesBetween(new Date("2026-01-01T00:00:00Z"), new Date("2026-04-01T00:00:00Z"));
    expect(boundaries.map((b) => b.toISOString().slice(0, 10))).toEqual(["2026-01-18", "2026-02-17", "2026-03-19"]);
    expect(boundariesBetween(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-02T00:00:00Z"))).toEqual([]);
  });
});
