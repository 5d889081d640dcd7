import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precedingCycle, runCycleOnce, type LunarCycle } from "@rhizome/kit";
import { circleSnapshot, failure, graphql, succeed, testMember, type TestMember } from "@rhizome/kit/testing";
import { scoresJob } from "../src/jobs/scores.js";
import { deliver, exchange, members, mediation } from "./support/events.js";
import { startSovereignty, type SovereigntyTestService } from "./support/service.js";

const SUBMIT = `mutation Submit($input: SubmitStoryInput!) { submitStory(input: $input) { id title body status tellerConsents cycle } }`;
const CONSENT = `mutation Consent($storyId: ID!, $consents: Boolean!) { setStoryConsent(storyId: $storyId, consents: $consents) { status } }`;
const REVIEW = `mutation Review($storyId: ID!, $approve: Boolean!) { reviewStory(storyId: $storyId, approve: $approve) { status } }`;
const STORIES = `query Stories($circleId: ID!) { circleStories(circleId: $circleId) { items { id title body status } nextCursor } }`;
const STORY_BY_REFERENCE = `query Story($story: _Any!) { _entities(representations: [$story]) { ... on SovereigntyStory { id title } } }`;
const NEWSLETTER = `query Newsletter($circleId: ID!, $cycle: String, $language: NewsletterLanguage) {
  newsletter(circleId: $circleId, cycle: $cycle, language: $language) { cycle html figures { exchanges mediations minutesExchanged isClosed } stories { title body } } }`;
const BOARD = `query Board($circleId: ID!) { needsBoard(circleId: $circleId) { categories { category openNeeds peopleWaiting } needs { id category title peopleWaiting } } }`;
const POST_NEED = `mutation Post($input: PostNeedInput!) { postNeed(input: $input) { id category title peopleWaiting } }`;
const CLOSE_NEED = `mutation Close($needId: ID!) { closeNeed(needId: $needId) { id } }`;

let service: SovereigntyTestService;
let clock: Awaited<ReturnType<typeof startSovereignty>>["clock"];
let cycle: LunarCycle;

beforeAll(async () => {
  ({ service, clock, cycle } = await startSovereignty());
});
afterAll(async () => {
  await service?.stop();
});

async function circle() {
  const circleId = randomUUID();
  return {
    circleId,
    teller: await testMember(circleId, ["member"]),
    neighbour: await testMember(circleId, ["member"]),
    steward: await testMember(circleId, ["member", "steward"]),
    organizer: await testMember(circleId, ["member", "organizer"]),
    outsider: await testMember(randomUUID(), ["member", "steward", "organizer"]),
  };
}

async function tell(teller: TestMember, consentsToPublication = true) {
  return (
    await succeed(
      service.url,
      SUBMIT,
      {
        input: {
          circleId: teller.circleId,
          title: "Ada fixed the boiler",
          body: "Ada came to 12 Elm Street on Sunday, and the landlord never heard of it.",
          replacements: [{ text: "Ada", replaceWith: "A neighbour" }, { text: "12 Elm Street" }],
          consentsToPublication,
        },
      },
      teller.token,
    )
  ).submitStory as { id: string; title: string; body: string; status: string };
}

const titles = async (circleId: string, token?: string) =>
  (await succeed(service.url, STORIES, { circleId }, token)).circleStories.items.map((s: { title: string }) => s.title);

describe("stories", () => {
  it("are stored as the teller told them, and shown only after a steward's approval and while the teller consents", async () => {
    const c = await circle();
    const story = await tell(c.teller);
    expect(story).toMatchObject({
      title: "A neighbour fixed the boiler",
      body: "A neighbour came to [removed] on Sunday, and the landlord never heard of it.",
      status: "AWAITING_REVIEW",
    });
    const stored: Array<{ text: string }> = await service.runtime.db.query(
      `SELECT t::text AS text FROM stories t WHERE id = $1`,
      [story.id],
    );
    expect(stored[0].text).not.toMatch(/Ada|Elm/);

    expect(await titles(c.circleId)).toEqual([]);
    expect(await titles(c.circleId, c.neighbour.token)).toEqual([]);
    expect(await titles(c.circleId, c.outsider.token)).toEqual([]);
    expect(await titles(c.circleId, c.teller.token)).toEqual([story.title]);
    expect(await titles(c.circleId, c.steward.token)).toEqual([story.title]);
    const reference = { story: { __typename: "SovereigntyStory", id: story.id } };
    expect((await succeed(service.url, STORY_BY_REFERENCE, reference, c.outsider.token))._entities).toEqual([null]);
    expect((await succeed(service.url, STORY_BY_REFERENCE, reference, c.steward.token))._entities).toEqual([
      { id: story.id, title: story.title },
    ]);

    expect(
      (await succeed(service.url, REVIEW, { storyId: story.id, approve: true }, c.steward.token)).reviewStory,
    ).toEqual({ status: "PUBLISHED" });
    expect(await titles(c.circleId)).toEqual([story.title]);
    expect((await succeed(service.url, STORY_BY_REFERENCE, reference))._entities).toEqual([
      { id: story.id, title: story.title },
    ]);

    expect(
      (await succeed(service.url, CONSENT, { storyId: story.id, consents: false }, c.teller.token)).setStoryConsent,
    ).toEqual({ status: "WITHOUT_CONSENT" });
    expect(await titles(c.circleId)).toEqual([]);
    expect((await succeed(service.url, STORY_BY_REFERENCE, reference, c.outsider.token))._entities).toEqual([null]);
  });

  it("told without consent stay unpublished even when approved, until the teller consents", async () => {
    const c = await circle();
    const story = await tell(c.teller, false);
    expect(
      (await succeed(service.url, REVIEW, { storyId: story.id, approve: true }, c.steward.token)).reviewStory,
    ).toEqual({ status: "WITHOUT_CONSENT" });
    expect(await titles(c.circleId)).toEqual([]);
    await succeed(service.url, CONSENT, { storyId: story.id, consents: true }, c.teller.token);
    expect(await titles(c.circleId)).toEqual([story.title]);
  });

  it("are reviewed by another steward of their circle, once, and consent belongs to the teller alone", async () => {
    const c = await circle();
    const story = await tell(c.teller);
    const ownStory = await tell(c.steward);
    const before = await circleSnapshot(service.runtime.db, c.circleId);

    expect(await failure(service.url, REVIEW, { storyId: ownStory.id, approve: true }, c.steward.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(service.url, REVIEW, { storyId: story.id, approve: true }, c.neighbour.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(service.url, REVIEW, { storyId: story.id, approve: true }, c.outsider.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(service.url, REVIEW, { storyId: "story-1", approve: true }, c.steward.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(service.url, CONSENT, { storyId: story.id, consents: false }, c.steward.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(service.url, CONSENT, { storyId: story.id, consents: false }, c.outsider.token)).toMatchObject(
      { code: "NOT_FOUND" },
    );
    expect((await failure(service.url, STORIES, { circleId: "circle-1" })).code).toBe("NOT_FOUND");
    const refuse = (input: Record<string, unknown>) =>
      failure(
        service.url,
        SUBMIT,
        {
          input: {
            circleId: c.circleId,
            title: "t",
            body: "b",
            replacements: [],
            consentsToPublication: true,
            ...input,
          },
        },
        c.teller.token,
      );
    expect(await refuse({ title: "   " })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: "A story needs a title and a body.",
    });
    expect(await refuse({ body: "x".repeat(4001) })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await refuse({ replacements: [{ text: "" }] })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(
      (
        await failure(
          service.url,
          SUBMIT,
          { input: { circleId: c.circleId, title: "t", body: "b", replacements: [], consentsToPublication: true } },
          c.outsider.token,
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(await circleSnapshot(service.runtime.db, c.circleId)).toEqual(before);

    await succeed(service.url, REVIEW, { storyId: story.id, approve: false }, c.steward.token);
    expect(await failure(service.url, REVIEW, { storyId: story.id, approve: true }, c.steward.token)).toMatchObject({
      code: "CONFLICT",
      message: "This story was already declined.",
    });
  });
});

describe("the newsletter", () => {
  it("pairs a closed cycle's figures, suppressed where fewer than 5 people stand behind them, with its published stories, as data and as a self-contained HTML page", async () => {
    const c = await circle();
    const lastClosed = precedingCycle(cycle);
    clock.set(new Date(lastClosed.startsAt.getTime() + 3_600_000));
    try {
      const story = await tell(c.teller);
      await succeed(service.url, REVIEW, { storyId: story.id, approve: true }, c.steward.token);
      const declined = (
        await succeed(
          service.url,
          SUBMIT,
          {
            input: {
              circleId: c.circleId,
              title: "Not this one",
              body: "b",
              replacements: [],
              consentsToPublication: true,
            },
          },
          c.teller.token,
        )
      ).submitStory;
      await succeed(service.url, REVIEW, { storyId: declined.id, approve: false }, c.steward.token);
      await deliver(service.runtime.db, [
        ...members(6).map((m) => exchange(c.circleId, lastClosed.label, 30, [m], clock())),
        mediation(c.circleId, lastClosed.label, clock()),
      ]);
    } finally {
      clock.set(new Date(cycle.startsAt.getTime() + 24 * 3_600_000));
    }
    await runCycleOnce(
      service.runtime.db,
      scoresJob,
      c.circleId,
      lastClosed.label,
      clock(),
      service.runtime.logger,
      service.runtime.registry,
    );

    const letter = (await succeed(service.url, NEWSLETTER, { circleId: c.circleId })).newsletter;
    expect(letter.cycle).toBe(lastClosed.label);
    expect(letter.figures).toEqual({ exchanges: 6, mediations: null, minutesExchanged: 180, isClosed: true });
    expect(letter.stories).toEqual([
      {
        title: "A neighbour fixed the boiler",
        body: "A neighbour came to [removed] on Sunday, and the landlord never heard of it.",
      },
    ]);
    expect(letter.html).toContain("<h3>A neighbour fixed the boiler</h3>");
    expect(letter.html).toContain("Disputes mediated</text>");
    expect(letter.html).toContain("fewer than 5 people: not shown");
    expect(letter.html).not.toContain("Not this one");
    expect(letter.html).not.toMatch(/<script|https?:\/\//i);
    const spanish = (await succeed(service.url, NEWSLETTER, { circleId: c.circleId, language: "ES" })).newsletter.html;
    expect(spanish).toContain('<html lang="es">');
    expect(spanish).toContain("Intercambios de horas");

    expect(
      (await failure(service.url, NEWSLETTER, { circleId: c.circleId, cycle: cycle.label }, c.outsider.token)).code,
    ).toBe("FORBIDDEN");
    expect(
      (await succeed(service.url, NEWSLETTER, { circleId: c.circleId, cycle: cycle.label }, c.neighbour.token))
        .newsletter.figures.isClosed,
    ).toBe(false);
    expect(
      (await graphql(service.url, NEWSLETTER, { circleId: c.circleId, language: "FR" })).body.errors?.[0].extensions
        ?.code,
    ).toBe("BAD_USER_INPUT");
  });
});

describe("the needs board", () => {
  it("shows organizers' needs to anyone, grouped by category, with numbers of people below 5 suppressed", async () => {
    const c = await circle();
    const post = (category: string, title: string, peopleWaiting: number, token = c.organizer.token) => {
      clock.advance(60_000);
      return succeed(
        service.url,
        POST_NEED,
        { input: { circleId: c.circleId, category, title, peopleWaiting } },
        token,
      );
    };
    await post("Child care", "Someone to watch two toddlers on Tuesday mornings", 2);
    await post("childcare", "After-school pick-ups", 4);
    const ride = (await post("rides", "Rides to the clinic", 3, c.steward.token)).postNeed;
    await post("repair", "A ladder long enough for a second floor", 7);

    const board = (await succeed(service.url, BOARD, { circleId: c.circleId })).needsBoard;
    expect(board.categories).toEqual([
      { category: "repair", openNeeds: 1, peopleWaiting: 7 },
      { category: "child-care", openNeeds: 1, peopleWaiting: null },
      { category: "childcare", openNeeds: 1, peopleWaiting: null },
      { category: "rides", openNeeds: 1, peopleWaiting: null },
    ]);
    expect(board.needs.map((n: { title: string; peopleWaiting: number | null }) => [n.title, n.peopleWaiting])).toEqual(
      [
        ["A ladder long enough for a second floor", 7],
        ["Rides to the clinic", null],
        ["After-school pick-ups", null],
        ["Someone to watch two toddlers on Tuesday mornings", null],
      ],
    );

    await succeed(service.url, CLOSE_NEED, { needId: ride.id }, c.organizer.token);
    expect((await succeed(service.url, BOARD, { circleId: c.circleId })).needsBoard.needs).toHaveLength(3);
  });

  it("is changed only by its circle's organizers and stewards, and refuses bad input, changing nothing", async () => {
    const c = await circle();
    const need = (
      await succeed(
        service.url,
        POST_NEED,
        { input: { circleId: c.circleId, category: "food", title: "Soup pots", peopleWaiting: 9 } },
        c.organizer.token,
      )
    ).postNeed;
    const before = await circleSnapshot(service.runtime.db, c.circleId);
    const refuse = (input: Record<string, unknown>, token = c.organizer.token) =>
      failure(
        service.url,
        POST_NEED,
        { input: { circleId: c.circleId, category: "food", title: "Bread", peopleWaiting: 5, ...input } },
        token,
      );

    expect(await refuse({}, c.neighbour.token)).toMatchObject({ code: "FORBIDDEN" });
    expect(await refuse({}, c.outsider.token)).toMatchObject({ code: "FORBIDDEN" });
    expect(await refuse({ category: "!!" })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await refuse({ title: "x".repeat(121) })).toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("1 to 120 characters"),
    });
    expect(await refuse({ peopleWaiting: 0 })).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(await failure(service.url, CLOSE_NEED, { needId: need.id }, c.outsider.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(service.url, CLOSE_NEED, { needId: need.id }, c.neighbour.token)).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(service.url, CLOSE_NEED, { needId: "need-1" }, c.organizer.token)).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await failure(service.url, BOARD, { circleId: "circle-1" })).code).toBe("NOT_FOUND");
    expect(await circleSnapshot(service.runtime.db, c.circleId)).toEqual(before);

    await succeed(service.url, CLOSE_NEED, { needId: need.id }, c.steward.token);
    expect(await failure(service.url, CLOSE_NEED, { needId: need.id }, c.organizer.token)).toMatchObject({
      code: "CONFLICT",
    });
  });
});
