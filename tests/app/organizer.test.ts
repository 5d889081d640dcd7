import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, precedingCycle } from "@rhizome/kit";
import {
  createInvitation,
  foundCircle,
  joinCircle,
  PASSPHRASE,
  succeed,
  type Session,
  type TestCircle,
} from "@rhizome/kit/testing";
import {
  captureInBothLanguages,
  onScreen,
  PHONE,
  useMemberApp,
  hubUrl,
  UI_WAIT,
  tokenOf,
} from "./support/member-app.js";

const RECORD = `mutation Record($input: RecordSovereigntyEventInput!) { recordSovereigntyEvent(input: $input) { id } }`;
const POST_NEED = `mutation Post($input: PostNeedInput!) { postNeed(input: $input) { id } }`;
const HISTORY = `query History($circleId: ID!) { sovereigntyHistory(circleId: $circleId) {
  cycle sovereigntyEvents minutesExchanged exchanges activeMembers commandDisplacementPerCapita eventsByKind { kind count } } }`;
const SKILLS = `query Skills($slug: String!, $cycle: String) { circle(slug: $slug) { barterSummary(cycle: $cycle) { skillsInSurplus skillsInDeficit } } }`;
const COMPARE = `query Compare($metric: SovereigntyMetric!) { compareCircles(metric: $metric, first: 20) { items { rank value circle { id name } } } }`;
const BOARD = `query Board($circleId: ID!) { needsBoard(circleId: $circleId) {
  categories { category openNeeds peopleWaiting membersWaiting openRequests reservationsWaiting } needs { id title peopleWaiting } } }`;
const ADD_TOOL = `mutation AddTool($input: AddToolInput!) { addTool(input: $input) { id } }`;
const VOLUNTEER = `mutation Volunteer($circleId: ID!) { volunteerAsCaretaker(circleId: $circleId) }`;
const PROPOSE = `mutation Propose($toolId: ID!, $to: ID!) { proposeHandOff(toolId: $toolId, toMemberId: $to) { id } }`;
const CONFIRM = `mutation Confirm($id: ID!) { confirmHandOff(handOffId: $id) { loanStarted { id } } }`;
const LOAN_MAP = `query LoanMap($slug: String!, $cycle: String) { circle(slug: $slug) { loanMap(cycle: $cycle) { cycle precision cells { cell loans } } } }`;

/** A fresh access token for the circle's organizer. */
const organizerToken = (circle: TestCircle) => tokenOf(circle, circle.organizer.handle);

async function record(circle: TestCircle, kind: string, count: number, times: number, cycle?: string) {
  const token = await organizerToken(circle);
  for (let i = 0; i < times; i++)
    await succeed(
      hubUrl(),
      RECORD,
      { input: { circleId: circle.id, kind, count, cycle, idempotencyKey: randomUUID() } },
      token,
    );
}

/** The host lends one tool kept in `cell` to each borrower: a loan of this cycle per borrower. */
async function lend(circle: TestCircle, hostToken: string, borrowers: Session[], cell: string) {
  for (const borrower of borrowers) {
    await succeed(hubUrl(), VOLUNTEER, { circleId: circle.id }, borrower.token);
    const tool = (
      await succeed(
        hubUrl(),
        ADD_TOOL,
        {
          input: {
            circleId: circle.id,
            name: `Ladder for ${borrower.handle}`,
            category: "ladders",
            locationCell: cell,
          },
        },
        hostToken,
      )
    ).addTool;
    const handOff = (await succeed(hubUrl(), PROPOSE, { toolId: tool.id, to: borrower.memberId }, hostToken))
      .proposeHandOff;
    await succeed(hubUrl(), CONFIRM, { id: handOff.id }, borrower.token);
  }
}

const asShown = (value: number | null, digits: number) =>
  value === null ? "—" : new Intl.NumberFormat("en", { maximumFractionDigits: digits }).format(value);

let riverside: TestCircle;
let hillside: TestCircle;

const app = useMemberApp();

beforeAll(async () => {
  riverside = await foundCircle(hubUrl(), "riverside");
  hillside = await foundCircle(hubUrl(), "hillside");
  const code = await createInvitation(hubUrl(), riverside, 10);
  const hostTokens = [await organizerToken(riverside)];
  for (const handle of ["fay", "gus", "hal", "ivo"]) hostTokens.push((await joinCircle(hubUrl(), code, handle)).token);
  const borrowers = [];
  for (const handle of ["bo", "cy", "dee", "eli", "flo"]) borrowers.push(await joinCircle(hubUrl(), code, handle));
  // Five hosts in one block, each lending to a borrower of their own: a cell on the map.
  for (const [i, hostToken] of hostTokens.entries()) await lend(riverside, hostToken, [borrowers[i]], "u4pruy");

  const lastClosed = precedingCycle(cycleContaining(new Date())).label;
  await record(riverside, "MEAL_SHARED", 2, 5);
  await record(riverside, "POLICE_CALL_AVOIDED", 1, 1);
  await record(riverside, "MEAL_SHARED", 1, 6, lastClosed);
  await record(riverside, "SABBATH_NEED_MET", 1, 5, lastClosed);
  await record(hillside, "MEAL_SHARED", 3, 5, lastClosed);
  // The last closed cycle is published, for good, at its first read: everything recorded into it is in by now.
  for (const circle of [riverside, hillside])
    await succeed(
      hubUrl(),
      `query ($circleId: ID!, $cycle: String) { sovereigntyScore(circleId: $circleId, cycle: $cycle) { cycle } }`,
      { circleId: circle.id, cycle: lastClosed },
    );
  const token = await organizerToken(riverside);
  await succeed(
    hubUrl(),
    POST_NEED,
    {
      input: {
        circleId: riverside.id,
        category: "repair",
        title: "A ladder long enough for a second floor",
        peopleWaiting: 7,
      },
    },
    token,
  );
  await succeed(
    hubUrl(),
    POST_NEED,
    { input: { circleId: riverside.id, category: "childcare", title: "After-school pick-ups", peopleWaiting: 2 } },
    token,
  );
}, 180_000);

const kpi = (page: Page, id: string) => page.getByTestId(`kpi-${id}`).locator(".value").textContent();
const chartValues = async (page: Page, id: string) =>
  JSON.parse((await page.getByTestId(id).getAttribute("data-values"))!);

describe("the organizers' part of the app, on a phone", { timeout: 120_000 }, () => {
  it("shows an organizer the circle's figures per cycle, its loan map, the comparison and the needs board, as the API gives them", async () => {
    const { page, context, problems } = await app.phone();
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await app.logIn(page, riverside.slug, riverside.organizer.handle, PASSPHRASE);
    // The home screen downloaded none of the organizers' code (chart.js is in its chunk alone).
    expect(scripts.filter((path) => /organize/.test(path))).toEqual([]);
    await page.getByRole("link", { name: "Organize" }).click();
    await onScreen(page, "organize");
    await page.waitForSelector('[data-loaded="figures"]', UI_WAIT);
    expect(scripts.filter((path) => /organize/.test(path))).toHaveLength(1);

    const history = (await succeed(hubUrl(), HISTORY, { circleId: riverside.id }, await organizerToken(riverside)))
      .sovereigntyHistory;
    const current = history[history.length - 1];
    expect(current.sovereigntyEvents).toBe(10);
    await expect.poll(() => kpi(page, "events"), UI_WAIT).toBe(asShown(current.sovereigntyEvents, 0));
    expect(await kpi(page, "exchanges")).toBe(asShown(current.exchanges, 0));
    expect(await kpi(page, "active")).toBe(asShown(current.activeMembers, 0));
    expect(await kpi(page, "displacement")).toBe(asShown(current.commandDisplacementPerCapita, 3));
    expect(await chartValues(page, "chart-kinds")).toEqual(
      current.eventsByKind.map((k: { kind: string; count: number | null }) => [k.kind, k.count]),
    );
    expect((await chartValues(page, "chart-exchanges")).map(([, value]: [string, number]) => value)).toEqual(
      history.map((score: { exchanges: number | null }) => score.exchanges),
    );
    const skills = (
      await succeed(hubUrl(), SKILLS, { slug: riverside.slug, cycle: current.cycle }, await organizerToken(riverside))
    ).circle.barterSummary;
    await page.waitForSelector(`[data-testid="skills-surplus"][data-cycle="${current.cycle}"]`, UI_WAIT);
    const shownSkills = async (id: string) =>
      (await page.getByTestId(id).locator("li:not(.empty)").allTextContents()).map((s) => s.trim());
    expect(await shownSkills("skills-surplus")).toEqual(skills.skillsInSurplus);
    expect(await shownSkills("skills-deficit")).toEqual(skills.skillsInDeficit);

    // The loan map of the cycle shown: the cells the API publishes, drawn on the page, and nothing else.
    const map = (
      await succeed(hubUrl(), LOAN_MAP, { slug: riverside.slug, cycle: current.cycle }, await organizerToken(riverside))
    ).circle.loanMap;
    expect(map.cells).toEqual([{ cell: "u4pru", loans: 5 }]);
    await page.waitForSelector(`[data-testid="loan-map"][data-cycle="${current.cycle}"] g.cell`, UI_WAIT);
    const drawn = await page
      .locator('[data-testid="loan-map-svg"] g.cell')
      .evaluateAll((cells) =>
        cells.map((g) => ({ cell: g.getAttribute("data-cell"), loans: Number(g.getAttribute("data-loans")) })),
      );
    expect(drawn).toEqual(map.cells);
    const listed = await page
      .locator('[data-testid="loan-map-cells"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim())));
    expect(listed).toEqual(map.cells.map((c: { cell: string; loans: number }) => [c.cell, String(c.loans)]));
    const mapBox = await page.getByTestId("loan-map-svg").boundingBox();
    expect(mapBox!.width).toBeLessThanOrEqual(PHONE.width);
    expect(mapBox!.height).toBeGreaterThan(100);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await captureInBothLanguages(page, "organize-figures");

    // A closed cycle: its own figures, and no cell where fewer than 5 members lent.
    const closed = history[history.length - 2];
    expect(closed.sovereigntyEvents).toBe(11);
    await page.getByTestId("cycle-select").selectOption(closed.cycle);
    await expect.poll(() => kpi(page, "events"), UI_WAIT).toBe(asShown(closed.sovereigntyEvents, 0));
    await page.waitForSelector(`[data-testid="loan-map"][data-cycle="${closed.cycle}"]`, UI_WAIT);
    expect(await page.locator('[data-testid="loan-map-svg"] g.cell').count()).toBe(0);
    expect(await page.getByTestId("loan-map-legend").textContent()).toBe(
      "No area has loans by at least 5 members in this cycle.",
    );
    expect(await chartValues(page, "chart-kinds")).toEqual(
      closed.eventsByKind.map((k: { kind: string; count: number | null }) => [k.kind, k.count]),
    );

    // Compare: the values and ranks the API gives, whichever metric is chosen.
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForSelector('[data-loaded="compare-SOVEREIGNTY_EVENTS"]', UI_WAIT);
    await page.getByTestId("metric-select").selectOption("MEALS_SHARED");
    await page.waitForSelector('[data-loaded="compare-MEALS_SHARED"]', UI_WAIT);
    const items: Array<{ rank: number; value: number; circle: { id: string; name: string } | null }> = (
      await succeed(hubUrl(), COMPARE, { metric: "MEALS_SHARED" })
    ).compareCircles.items;
    for (const circle of [riverside, hillside]) {
      const item = items.find((i) => i.circle?.id === circle.id)!;
      expect(item).toBeDefined();
      const cells = (
        await page.locator(`[data-testid="compare-table"] tr[data-circle="${circle.id}"] td`).allTextContents()
      ).map((text) => text.trim());
      expect(cells.slice(0, 3)).toEqual([String(item.rank), item.circle!.name, asShown(item.value, 1)]);
    }
    expect(items.find((i) => i.circle?.id === hillside.id)!.value).toBe(15);
    expect(await page.locator('[data-testid="compare-table"] tbody tr').count()).toBe(items.length);
    await captureInBothLanguages(page, "organize-compare");

    // The needs board, with small numbers of people suppressed as the API does.
    await page.getByRole("button", { name: "Needs board" }).click();
    await page.waitForSelector('[data-loaded="needs"]', UI_WAIT);
    const board = (await succeed(hubUrl(), BOARD, { circleId: riverside.id })).needsBoard;
    const rows = await page
      .locator('[data-testid="needs-categories"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim())));
    type Category = {
      category: string;
      openNeeds: number;
      peopleWaiting: number | null;
      membersWaiting: number | null;
      openRequests: number | null;
      reservationsWaiting: number | null;
    };
    expect(rows).toEqual(
      board.categories.map((c: Category) => [
        c.category,
        String(c.openNeeds),
        asShown(c.peopleWaiting, 0),
        asShown(c.membersWaiting, 0),
        asShown(c.openRequests, 0),
        asShown(c.reservationsWaiting, 0),
      ]),
    );
    expect(rows).toContainEqual(["childcare", "1", "—", "—", "—", "—"]);
    expect(await page.getByTestId("needs-list").locator("li strong").allTextContents()).toEqual(
      board.needs.map((n: { title: string }) => n.title),
    );
    await captureInBothLanguages(page, "organize-needs");

    // In Spanish, the organizers' words too.
    await page.selectOption("header select", "es");
    await page.getByRole("button", { name: "Cifras" }).click();
    await page.waitForSelector('[data-loaded="figures"]', UI_WAIT);
    expect(await page.getByTestId("kpi-events").locator("dt").textContent()).toBe("Eventos de soberanía");
    expect(await page.getByTestId("loan-map").locator("figcaption").textContent()).toBe(
      "Herramientas prestadas, por zona",
    );
    await page.selectOption("header select", "en");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("opens the organizers' figures it has seen when the phone has no connection", async () => {
    const { page, context, problems } = await app.phone();
    await app.logIn(page, riverside.slug, riverside.organizer.handle, PASSPHRASE);
    await page.goto(`${app.origin}/app/#/organize`);
    await onScreen(page, "organize");
    await page.waitForSelector('[data-loaded="figures"]', UI_WAIT);
    const events = await kpi(page, "events");
    await context.setOffline(true);
    await page.reload();
    await onScreen(page, "organize");
    await page.waitForSelector('[data-loaded="figures"]', UI_WAIT);
    expect(await kpi(page, "events")).toBe(events);
    await expect.poll(() => page.getByText("No connection: showing what was last seen.").count(), UI_WAIT).toBe(1);
    await context.setOffline(false);
    expect(problems.filter((problem) => !problem.startsWith("page error"))).toEqual([]);
    await context.close();
  });

  it("offers the organizers' figures to organizers only, and sends the old dashboard's address there", async () => {
    const code = await createInvitation(hubUrl(), riverside, 1);
    const member = await joinCircle(hubUrl(), code, "plain");
    const { page, context, problems } = await app.phone();
    await app.logIn(page, riverside.slug, member.handle, PASSPHRASE);
    await expect.poll(() => page.getByTestId("nav-inbox").count(), UI_WAIT).toBe(1);
    expect(await page.getByRole("link", { name: "Organize" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();

    for (const path of ["/dashboard", "/dashboard/", "/dashboard/app.js"]) {
      const answer = await fetch(`${app.origin}${path}`, { redirect: "manual" });
      expect(answer.status).toBe(308);
      expect(answer.headers.get("location")).toBe("/app/#/organize");
    }
    expect((await fetch(`${app.origin}/dashboardx`, { redirect: "manual" })).status).not.toBe(308);
  });
});
