import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  DEMO_CIRCLES,
  DEMO_PASSPHRASE,
  DEMO_PAST_CYCLES,
  startDemoHub,
  startLocalStack,
  type DemoHub,
  type LocalStack,
} from "@rhizome/infra";
import { cycleContaining, precedingCycle } from "@rhizome/kit";
import { captureInBothLanguages, onScreen, useMemberApp, UI_WAIT } from "./support/member-app.js";

// The demo `npm start` seeds on an empty hub, on a hub of its own: the seed moves its services'
// clock through past lunar cycles, which the shared test hub (other tests' circles, the system's
// clock) must not see. Only its services run; the app's gateway is the test's own, in front of them.
let stack: LocalStack | undefined;
let demo: DemoHub | undefined;

/** Six members, each giving the next 3 h down to 30 min: 10 h 30 and six exchanges a cycle. */
const EXCHANGES_PER_CYCLE = 6;
const HOURS_PER_CYCLE = 10.5;
/** Five tools lent hand to hand each cycle, in the circle's one block. */
const LOANS_PER_CYCLE = 5;

beforeAll(async () => {
  stack = await startLocalStack({ ephemeral: true });
  const startedAtMs = performance.now();
  demo = await startDemoHub({
    databaseUrl: stack.databaseUrl,
    redisUrl: stack.redisUrl,
    // The app's gateway signs for the test hub's secret: this hub shares it.
    tokenSecret: inject("tokenSecret"),
    ports: "free",
    gateway: null,
    nodeEnv: "test",
    logLevel: "warn",
    readyTimeoutMs: 240_000,
    servicesInOneProcess: true,
    env: { ...process.env, RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000", RATE_LIMIT_LOGINS_PER_MINUTE: "1000000" },
  });
  console.log(
    `Started a hub and seeded the demo with ${DEMO_PAST_CYCLES} past cycles in ${((performance.now() - startedAtMs) / 1000).toFixed(1)} s (${demo.timings.join(", ")}).`,
  );
}, 600_000);

afterAll(async () => {
  await demo?.hub.stop();
  await stack?.stop();
});

const app = useMemberApp(() => demo!.hub.serviceUrls);

/** The closed cycles the seed lived, oldest first, and the current one. */
function demoCycles(): { past: string[]; current: string } {
  const current = cycleContaining(new Date());
  const past = [precedingCycle(current)];
  while (past.length < DEMO_PAST_CYCLES) past.unshift(precedingCycle(past[0]));
  return { past: past.map((cycle) => cycle.label), current: current.label };
}

type Series = Array<[string, number | null]>;

describe("the demo a newcomer opens after npm start", { timeout: 180_000 }, () => {
  const [riverside] = DEMO_CIRCLES;

  it("seeds past lunar cycles, closed by real new moons, and says so", () => {
    expect(demo!.seed).toMatchObject({ hasSeeded: true, pastCycles: DEMO_PAST_CYCLES });
    expect(demo!.seed.activityProblem).toBeUndefined();
  });

  it("shows the organizer exchanges, hours, loans and events in each past closed cycle, not zeros", async () => {
    const { past, current } = demoCycles();
    const { page, context, problems } = await app.phone();
    await app.logIn(page, riverside.slug, riverside.members[0].handle, DEMO_PASSPHRASE);
    await page.getByRole("link", { name: "Organize" }).click();
    await onScreen(page, "organize");
    await page.waitForSelector('[data-loaded="figures"]', UI_WAIT);

    // The charts' bars, by cycle: each past cycle the circle lived has its six exchanges and 10.5 hours.
    const series = async (chart: string): Promise<Series> =>
      JSON.parse((await page.getByTestId(chart).getAttribute("data-values"))!);
    const exchanges = await series("chart-exchanges");
    const hours = await series("chart-hours");
    const events = await series("chart-events");
    // A bar is named by its cycle's label, or by its month and day ("08-12") where the chart names no keys.
    const valueIn = (values: Series, cycle: string) =>
      values.find(([key]) => key === cycle || key === cycle.slice(5))?.[1];
    for (const cycle of past) {
      expect(valueIn(exchanges, cycle), `exchanges in ${cycle}`).toBe(EXCHANGES_PER_CYCLE);
      expect(valueIn(hours, cycle), `hours in ${cycle}`).toBe(HOURS_PER_CYCLE);
      expect(valueIn(events, cycle), `events in ${cycle}`).toBeGreaterThan(0);
    }
    await captureInBothLanguages(page, "demo-organize-figures");

    // A past cycle chosen: closed by its new moon, with its own figures and its loans on the map.
    const [oldest, , lastClosed] = past;
    await page.getByTestId("cycle-select").selectOption(lastClosed);
    await expect
      .poll(async () => page.locator('[data-testid="figures-view"] dl.kpis').getAttribute("data-cycle"), UI_WAIT)
      .toBe(lastClosed);
    expect(await page.getByTestId("kpi-exchanges").locator(".value").textContent()).toBe(String(EXCHANGES_PER_CYCLE));
    // Credits expired and debts annulled at the new moon before: five members' debts, enough to be shown.
    expect(await page.getByTestId("kpi-debt").locator(".value").textContent()).not.toMatch(/^(—|-|0)$/);
    await page.waitForSelector('[data-testid="loan-map"] g.cell', UI_WAIT);
    expect(
      await page
        .locator('[data-testid="loan-map-svg"] g.cell')
        .evaluateAll((cells) => cells.map((g) => Number(g.getAttribute("data-loans")))),
    ).toEqual([LOANS_PER_CYCLE]);
    const kinds: Series = JSON.parse((await page.getByTestId("chart-kinds").getAttribute("data-values"))!);
    expect(kinds.filter(([, count]) => (count ?? 0) > 0).map(([kind]) => kind)).toEqual(
      expect.arrayContaining(["MEAL_SHARED", "SABBATH_NEED_MET"]),
    );
    await page.getByTestId("cycle-select").selectOption(oldest);
    await expect
      .poll(async () => page.getByTestId("kpi-exchanges").locator(".value").textContent(), UI_WAIT)
      .toBe(String(EXCHANGES_PER_CYCLE));

    // This cycle too, as before: its exchanges, and the two needs still open on the board.
    await page.getByTestId("cycle-select").selectOption(current);
    await expect
      .poll(async () => page.getByTestId("kpi-exchanges").locator(".value").textContent(), { timeout: 30_000 })
      .toBe(String(EXCHANGES_PER_CYCLE));
    await page.getByRole("button", { name: "Needs board" }).click();
    await page.waitForSelector('[data-loaded="needs"]', UI_WAIT);
    expect(await page.getByTestId("needs-list").locator("li strong").count()).toBe(2);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows a member their exchanges in past cycles, cycle by cycle", async () => {
    const member = riverside.members[2];
    const { page, context, problems } = await app.phone();
    await app.logIn(page, riverside.slug, member.handle, DEMO_PASSPHRASE);
    await page.goto(`${app.origin}/app/#/barter-history`);
    await onScreen(page, "barter-history");
    const { past, current } = demoCycles();
    await expect.poll(async () => page.getByTestId("cycle").getAttribute("data-cycle"), UI_WAIT).toBe(current);
    for (const cycle of [...past].reverse()) {
      await page.getByRole("button", { name: "Earlier cycle" }).click();
      await expect.poll(async () => page.getByTestId("cycle").getAttribute("data-cycle"), UI_WAIT).toBe(cycle);
      // One hour-gift given and one received, each cycle.
      await expect
        .poll(async () => page.getByTestId("history-exchanges").locator("li:not(.muted)").count(), UI_WAIT)
        .toBe(2);
    }
    await captureInBothLanguages(page, "demo-barter-history");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the decisions taken in past cycles and the alerts dealt with", async () => {
    const { page, context, problems } = await app.phone();
    const responder = riverside.members[1];
    await app.logIn(page, riverside.slug, responder.handle, DEMO_PASSPHRASE);

    await page.goto(`${app.origin}/app/#/decisions`);
    await onScreen(page, "decisions");
    // One proposal a past cycle, consented and closed; this cycle's is still open.
    await expect.poll(async () => page.getByTestId("decision").count(), UI_WAIT).toBe(DEMO_PAST_CYCLES);
    await captureInBothLanguages(page, "demo-decisions");

    await page.goto(`${app.origin}/app/#/defense`);
    await onScreen(page, "defense");
    // The responder's calls: an alert each cycle, every one verified.
    await expect
      .poll(async () => page.locator('[data-testid="calls"] > li[data-alert]').count(), UI_WAIT)
      .toBe(DEMO_PAST_CYCLES + 1);
    const statuses = await page
      .locator('[data-testid="calls"] > li[data-alert]')
      .evaluateAll((items) => items.map((item) => item.getAttribute("data-status")));
    expect(statuses.every((status) => status === "VERIFIED")).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
