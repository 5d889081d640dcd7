import { describe, expect, it } from "vitest";
import { cycleContaining, followingCycle, precedingCycle } from "@rhizome/kit";
import { kindRules, sovereigntyEventKinds } from "../src/domain/kinds.js";
import {
  boardCategories,
  categoriesOfNeed,
  categoriesToReplace,
  type WaitingCategoryCounts,
} from "../src/domain/needs.js";
import { handRecordingProblem } from "../src/domain/recording.js";
import {
  commandDisplacementPerCapita,
  peopleBehind,
  publishCount,
  publishFigures,
  publishTotal,
  type KindTally,
} from "../src/domain/scores.js";
import { applyReplacements, isStoryPublished, storyStatus, tellStory } from "../src/domain/stories.js";

const tally = (kind: KindTally["kind"], count: number, records: number, people = 0, minutes = 0): KindTally => ({
  kind,
  count,
  records,
  people,
  minutes,
});

describe("which events replaced a command", () => {
  it("are mediations, crises buffered, debts annulled, agreements replacing commands and police calls avoided; not exchanges, loans, meals or sabbaths", () => {
    expect(sovereigntyEventKinds.filter((kind) => kindRules[kind].replacesCommand)).toEqual([
      "MEDIATION",
      "CRISIS_BUFFERED",
      "DEBTS_ANNULLED",
      "COMMAND_REPLACED",
      "POLICE_CALL_AVOIDED",
    ]);
  });
});

describe("published figures", () => {
  it("suppress every count behind fewer than 5 people and publish zero", () => {
    const figures = publishFigures({
      kinds: [tally("EXCHANGE", 7, 7, 4, 300), { ...tally("MEDIATION", 5, 5), pseudonyms: 5 }],
      activeMembers: 4,
    });
    expect(figures.EXCHANGES).toBeNull();
    expect(figures.MINUTES_EXCHANGED).toBeNull();
    expect(figures.ACTIVE_MEMBERS).toBeNull();
    expect(figures.MEDIATIONS).toBe(5);
    expect(figures.LOANS).toBe(0);
    expect(figures.COMMAND_DISPLACEMENT_PER_CAPITA).toBeNull();
  });

  it("keep a total from giving away a small suppressed kind by difference", () => {
    // 6 exchanges shown, 1 crisis hidden: a total of 7 would reveal the crisis.
    expect(publishTotal([tally("EXCHANGE", 6, 6, 6), tally("CRISIS_BUFFERED", 1, 1)])).toBe(6);
    // Hidden kinds that together stand for 5 people may be counted: two people helped and three agreements.
    expect(
      publishTotal([
        tally("EXCHANGE", 6, 6, 6),
        { ...tally("CRISIS_BUFFERED", 2, 2), pseudonyms: 2 },
        tally("COMMAND_REPLACED", 3, 3),
      ]),
    ).toBe(11);
    // Two people helped and three disputes' openers may be the same three people: not counted.
    expect(
      publishTotal([
        tally("EXCHANGE", 6, 6, 6),
        { ...tally("CRISIS_BUFFERED", 2, 2), pseudonyms: 2 },
        { ...tally("MEDIATION", 3, 3), pseudonyms: 3 },
      ]),
    ).toBe(6);
    // Two crises that do not say who was helped may be one person helped twice: 4 people, not counted.
    expect(publishTotal([tally("EXCHANGE", 6, 6, 6), tally("CRISIS_BUFFERED", 2, 2), tally("MEDIATION", 3, 3)])).toBe(
      6,
    );
    // Five payments to one person are one person; so are five disputes one member opened.
    expect(publishCount(5, peopleBehind({ ...tally("CRISIS_BUFFERED", 5, 5), pseudonyms: 1 }))).toBeNull();
    expect(publishCount(5, peopleBehind({ ...tally("MEDIATION", 5, 5), pseudonyms: 1 }))).toBeNull();
    // Members of several hidden kinds may be the same people: the largest kind counts, not their sum.
    expect(publishTotal([tally("EXCHANGE", 4, 4, 4), tally("LOAN", 3, 3, 4)])).toBeNull();
    expect(publishTotal([])).toBe(0);
  });

  it("give command displacement per capita to 3 decimals, only with both figures published", () => {
    expect(commandDisplacementPerCapita(5, 8)).toBe(0.625);
    expect(commandDisplacementPerCapita(2, 3)).toBe(0.667);
    expect(commandDisplacementPerCapita(null, 8)).toBeNull();
    expect(commandDisplacementPerCapita(5, null)).toBeNull();
    expect(commandDisplacementPerCapita(0, 0)).toBeNull();
  });
});

describe("recording by hand", () => {
  const now = new Date("2026-03-01T12:00:00Z");
  const current = cycleContaining(now);
  it("goes to the current cycle by default, and never to one not begun or one settled", () => {
    expect(handRecordingProblem({ kind: "MEAL_SHARED", count: 1 }, now)).toEqual({ cycle: current });
    expect(
      handRecordingProblem({ kind: "MEAL_SHARED", count: 1, cycle: followingCycle(current).label }, now),
    ).toMatchObject({ problem: expect.stringContaining("has not begun") });
    expect(handRecordingProblem({ kind: "LOAN", count: 1 }, now)).toMatchObject({
      problem: expect.stringContaining("come from the services"),
    });
    const fourBack = precedingCycle(precedingCycle(precedingCycle(precedingCycle(current))));
    expect(handRecordingProblem({ kind: "MEAL_SHARED", count: 1, cycle: fourBack.label }, now)).toMatchObject({
      problem: expect.stringContaining("is settled"),
    });
    expect(handRecordingProblem({ kind: "MEAL_SHARED", count: 1, cycle: followingCycle(fourBack).label }, now)).toEqual(
      { cycle: followingCycle(fourBack) },
    );
  });
});

describe("a story as the teller tells it", () => {
  it("replaces handles and places the teller named, in any case, longest first, and removes what has no replacement", () => {
    const told = tellStory({
      title: "How Ada fixed the boiler",
      body: "ada came to 12 Elm Street with Bo. Elm Street folks cheered; Ada smiled.",
      replacements: [
        { text: "Ada", replaceWith: "a neighbour" },
        { text: "12 Elm Street", replaceWith: "a flat nearby" },
        { text: "Elm Street" },
        { text: "Bo" },
      ],
    });
    expect(told).toEqual({
      title: "How a neighbour fixed the boiler",
      body: "a neighbour came to a flat nearby with [removed]. [removed] folks cheered; a neighbour smiled.",
    });
    expect(applyReplacements("a.b a+b", [{ text: "a.b", replaceWith: "x" }])).toBe("x a+b");
  });

  it("is refused when empty, too long or with too many replacements", () => {
    expect(tellStory({ title: " ", body: "b", replacements: [] })).toEqual({
      problem: "A story needs a title and a body.",
    });
    expect(tellStory({ title: "t", body: "b".repeat(4001), replacements: [] })).toMatchObject({
      problem: expect.stringContaining("4000 characters"),
    });
    expect(
      tellStory({ title: "t", body: "b", replacements: Array.from({ length: 51 }, () => ({ text: "x" })) }),
    ).toMatchObject({ problem: expect.stringContaining("at most 50") });
    expect(tellStory({ title: "t", body: "b", replacements: [{ text: "  " }] })).toEqual({
      problem: "A replacement needs the text to replace.",
    });
  });

  it("is published only with the teller's consent and a steward's approval", () => {
    expect(isStoryPublished({ tellerConsents: true, review: "APPROVED" })).toBe(true);
    expect(isStoryPublished({ tellerConsents: false, review: "APPROVED" })).toBe(false);
    expect(isStoryPublished({ tellerConsents: true, review: "AWAITING" })).toBe(false);
    expect(storyStatus({ tellerConsents: false, review: "APPROVED" })).toBe("WITHOUT_CONSENT");
    expect(storyStatus({ tellerConsents: true, review: "DECLINED" })).toBe("DECLINED");
  });
});

describe("the needs board's categories", () => {
  const waiting = (
    category: string,
    requests: number,
    requesters: number,
    reservations: number,
    reservers: number,
    members: number,
  ): WaitingCategoryCounts => ({
    category,
    requests,
    requesters,
    reservations,
    reservers,
    members,
  });

  it("leave out members' needs behind which fewer than 5 distinct people stand, and show a split only when each side is 0 or at least 5 people", () => {
    expect(
      boardCategories(
        [{ category: "repair", peopleWaiting: 2 }],
        [
          waiting("repair", 3, 3, 1, 1, 4),
          waiting("plumbing", 4, 4, 0, 0, 4),
          waiting("childcare", 6, 5, 0, 0, 5),
          waiting("garden", 7, 5, 2, 1, 6),
          waiting("ladders", 5, 5, 9, 6, 11),
        ],
      ),
    ).toEqual([
      {
        category: "ladders",
        openNeeds: 0,
        peopleWaiting: null,
        membersWaiting: 11,
        openRequests: 5,
        reservationsWaiting: 9,
      },
      {
        category: "garden",
        openNeeds: 0,
        peopleWaiting: null,
        membersWaiting: 6,
        openRequests: null,
        reservationsWaiting: null,
      },
      {
        category: "childcare",
        openNeeds: 0,
        peopleWaiting: null,
        membersWaiting: 5,
        openRequests: 6,
        reservationsWaiting: 0,
      },
      {
        category: "repair",
        openNeeds: 1,
        peopleWaiting: null,
        membersWaiting: null,
        openRequests: null,
        reservationsWaiting: null,
      },
    ]);
  });

  it("sort by published people only, so a suppressed number never moves a row", () => {
    const rows = (hidden: number) =>
      boardCategories(
        [
          { category: "a", peopleWaiting: hidden },
          { category: "b", peopleWaiting: 1 },
        ],
        [waiting("b", 2, 2, 0, 0, 2)],
      ).map((row) => row.category);
    expect(rows(1)).toEqual(rows(4));
    expect(rows(1)).toEqual(["a", "b"]);
  });

  it("take a need's tags as categories once each, normalised like posted needs", () => {
    expect(categoriesOfNeed(["Bike Repair", "bike-repair", "  ", "x".repeat(41), "Tire patching"])).toEqual([
      "bike-repair",
      "tire-patching",
    ]);
  });
});

describe("the needs board's snapshot", () => {
  const group = (...ids: string[]) => new Set(ids);
  it("replaces a category's figure only when at least 5 members came, or at least 5 left, and never for one", () => {
    const published = new Map([["ladders", group("a", "b", "c", "d", "e")]]);
    expect(categoriesToReplace(published, new Map([["ladders", group("a", "b", "c", "d", "e", "f")]]))).toEqual([]);
    expect(categoriesToReplace(published, new Map([["ladders", group("a", "b", "c", "d")]]))).toEqual([]);
    expect(
      categoriesToReplace(published, new Map([["ladders", group("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")]])),
    ).toEqual(["ladders"]);
    // Everyone left: the category goes, five people at once.
    expect(categoriesToReplace(published, new Map())).toEqual(["ladders"]);
    // Four newcomers in a new category: not yet.
    expect(categoriesToReplace(new Map(), new Map([["childcare", group("w", "x", "y", "z")]]))).toEqual([]);
  });
});
