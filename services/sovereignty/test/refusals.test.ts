import { describe, expect, it } from "vitest";
import { cycleContaining, followingCycle, precedingCycle } from "@rhizome/kit/rules";
import { MAX_OPEN_NEEDS, needToClose, needToPost } from "../src/domain/needs.js";
import { namedCycle, retriedHandRecord } from "../src/domain/recording.js";
import { closedCycle, historyLength, TREND_CYCLES } from "../src/domain/scores.js";
import { consentChange, reviewOfStory } from "../src/domain/stories.js";

const now = new Date("2026-06-01T12:00:00Z");
const current = cycleContaining(now);

describe("the rules an action asks before it writes", () => {
  it("leave a story's consent to its teller and its review to another steward, once", () => {
    expect(consentChange({ tellerMemberId: "ada" }, "ada", false)).toEqual({ tellerConsents: false });
    expect(consentChange({ tellerMemberId: null }, "ada", true)).toMatchObject({ code: "FORBIDDEN" });
    expect(reviewOfStory({ tellerMemberId: "ada", review: "AWAITING" }, "bell", true, now)).toEqual({
      review: "APPROVED",
      reviewedBy: "bell",
      reviewedAt: now,
    });
    expect(reviewOfStory({ tellerMemberId: "ada", review: "AWAITING" }, "ada", true, now)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(reviewOfStory({ tellerMemberId: "ada", review: "DECLINED" }, "bell", true, now)).toEqual({
      problem: "This story was already declined.",
      code: "CONFLICT",
    });
  });

  it("refuse a need on a full board and a need closed twice", () => {
    const draft = { category: "Child care", title: "Saturday mornings", peopleWaiting: 3 };
    expect(needToPost(draft, MAX_OPEN_NEEDS - 1)).toEqual({ ...draft, category: "child-care" });
    expect(needToPost(draft, MAX_OPEN_NEEDS)).toMatchObject({ problem: expect.stringContaining(`${MAX_OPEN_NEEDS}`) });
    expect(needToClose({ closedAt: null }, now)).toEqual({ closedAt: now });
    expect(needToClose({ closedAt: now }, now)).toMatchObject({ code: "CONFLICT" });
  });

  it("answer a retry with the first record, and refuse a key reused for another record", () => {
    const first = { kind: "MEAL_SHARED", count: 12, cycle: current.label };
    expect(retriedHandRecord(first, { kind: "MEAL_SHARED", count: 12, cycle: precedingCycle(current) })).toBe(first);
    expect(retriedHandRecord(first, { kind: "MEAL_SHARED", count: 13, cycle: current })).toMatchObject({
      code: "CONFLICT",
    });
  });

  it("name cycles that have begun, histories of 1 to 12 cycles and comparisons of closed cycles", () => {
    expect(namedCycle(current.label, now)).toEqual(current);
    expect(namedCycle(followingCycle(current).label, now)).toMatchObject({
      problem: expect.stringContaining("not begun"),
    });
    expect(namedCycle("2026-13-01", now)).toMatchObject({ problem: expect.stringContaining("is not a cycle") });
    expect(historyLength(null)).toBe(TREND_CYCLES);
    expect(historyLength(0)).toEqual({ problem: `cycles must be from 1 to ${TREND_CYCLES}; got 0.` });
    expect(closedCycle(precedingCycle(current), now)).toEqual(precedingCycle(current));
    expect(closedCycle(current, now)).toMatchObject({ problem: expect.stringContaining("still open") });
  });
});
