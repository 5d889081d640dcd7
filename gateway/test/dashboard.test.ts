import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cycleContaining, precedingCycle } from "@rhizome/kit";
import {
  createInvitation,
  foundCircle,
  hubEnvironment,
  joinCircle,
  PASSPHRASE,
  succeed,
  type Session,
  type TestCircle,
} from "@rhizome/kit/testing";

/** Debian's chromium (.ci/run installs it); playwright's own browser download is not used. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = fileURLToPath(new URL("../../test-output/", import.meta.url));
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token } }`;
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

const gatewayUrl = () => hubEnvironment().gatewayUrl;
const origin = () => new URL(gatewayUrl()).origin;

/** A fresh access token for the circle's organizer (the hub's tokens live a minute). */
async function tokenOf(circle: TestCircle): Promise<string> {
  return (
    await succeed(gatewayUrl(), LOGIN, {
      input: { circleSlug: circle.slug, handle: circle.organizer.handle, passphrase: PASSPHRASE },
    })
  ).login.token;
}

async function record(circle: TestCircle, kind: string, count: number, times: number, cycle?: string) {
  const token = await tokenOf(circle);
  for (let i = 0; i < times; i++)
    await succeed(
      gatewayUrl(),
      RECORD,
      { input: { circleId: circle.id, kind, count, cycle, idempotencyKey: randomUUID() } },
      token,
    );
}

/** The host lends one tool kept in `cell` to each borrower: a loan of this cycle per borrower. */
async function lend(circle: TestCircle, hostToken: string, borrowers: Session[], cell: string) {
  for (const borrower of borrowers) {
    await succeed(gatewayUrl(), VOLUNTEER, { circleId: circle.id }, borrower.token);
    const tool = (
      await succeed(
        gatewayUrl(),
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
    const handOff = (await succeed(gatewayUrl(), PROPOSE, { toolId: tool.id, to: borrower.memberId }, hostToken))
      .proposeHandOff;
    await succeed(gatewayUrl(), CONFIRM, { id: handOff.id }, borrower.token);
  }
}

const asShown = (value: number | null, digits: number) =>
  value === null ? "—" : new Intl.NumberFormat("en", { maximumFractionDigits: digits }).format(value);

let browser: Browser;
let page: Page;
let riverside: TestCircle;
let hillside: TestCircle;
const requestedUrls: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH.`,
    );
  await mkdir(SCREENSHOTS, { recursive: true });
  riverside = await foundCircle(gatewayUrl(), "riverside");
  hillside = await foundCircle(gatewayUrl(), "hillside");
  const code = await createInvitation(gatewayUrl(), riverside, 10);
  const hostTokens = [await tokenOf(riverside)];
  for (const handle of ["fay", "gus", "hal", "ivo"])
    hostTokens.push((await joinCircle(gatewayUrl(), code, handle)).token);
  const borrowers = [];
  for (const handle of ["bo", "cy", "dee", "eli", "flo"]) borrowers.push(await joinCircle(gatewayUrl(), code, handle));
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
      gatewayUrl(),
      `query ($circleId: ID!, $cycle: String) { sovereigntyScore(circleId: $circleId, cycle: $cycle) { cycle } }`,
      { circleId: circle.id, cycle: lastClosed },
    );
  const token = await tokenOf(riverside);
  await succeed(
    gatewayUrl(),
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
    gatewayUrl(),
    POST_NEED,
    { input: { circleId: riverside.id, category: "childcare", title: "After-school pick-ups", peopleWaiting: 2 } },
    token,
  );

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: DESKTOP, locale: "en-GB" });
  page.on("request", (request) => requestedUrls.push(request.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function loaded(view: string) {
  await page.waitForSelector(`body[data-loaded="${view}"]`, { timeout: 15_000 });
}

async function kpi(id: string): Promise<string> {
  return (await page.locator(`[data-testid="kpi-${id}"] .value`).textContent())?.trim() ?? "";
}

describe("the organizer dashboard, in a real browser", () => {
  it("logs in and shows the circle's figures per cycle as the API gives them", async () => {
    await page.goto(`${origin()}/dashboard/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('input[name="circleSlug"]', riverside.slug);
    await page.fill('input[name="handle"]', riverside.organizer.handle);
    await page.fill('input[name="passphrase"]', PASSPHRASE);
    await page.click('#login-form button[type="submit"]');
    await loaded("figures");

    const history = (await succeed(gatewayUrl(), HISTORY, { circleId: riverside.id }, await tokenOf(riverside)))
      .sovereigntyHistory;
    const current = history[history.length - 1];
    expect(current.sovereigntyEvents).toBe(10);
    expect(await kpi("events")).toBe(asShown(current.sovereigntyEvents, 0));
    expect(await kpi("exchanges")).toBe(asShown(current.exchanges, 0));
    expect(await kpi("active")).toBe(asShown(current.activeMembers, 0));
    expect(await kpi("displacement")).toBe(asShown(current.commandDisplacementPerCapita, 3));
    expect(JSON.parse((await page.locator("#chart-kinds").getAttribute("data-values"))!)).toEqual(
      current.eventsByKind.map((k: { kind: string; count: number | null }) => [k.kind, k.count]),
    );
    const skills = (
      await succeed(gatewayUrl(), SKILLS, { slug: riverside.slug, cycle: current.cycle }, await tokenOf(riverside))
    ).circle.barterSummary;
    const shownSkills = async (id: string) =>
      (await page.locator(`${id} li:not(.empty)`).allTextContents()).map((s) => s.trim());
    expect(await shownSkills("#skills-surplus")).toEqual(skills.skillsInSurplus);
    expect(await shownSkills("#skills-deficit")).toEqual(skills.skillsInDeficit);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-figures.png`, fullPage: true });

    // The loan map of the cycle shown: the cells the API publishes, drawn on the page, and nothing else.
    const map = (
      await succeed(gatewayUrl(), LOAN_MAP, { slug: riverside.slug, cycle: current.cycle }, await tokenOf(riverside))
    ).circle.loanMap;
    expect(map.cells).toEqual([{ cell: "u4pru", loans: 5 }]);
    await page.waitForSelector(`#loan-map[data-cycle="${current.cycle}"] g.cell`);
    const drawn = await page
      .locator("#loan-map-svg g.cell")
      .evaluateAll((cells) =>
        cells.map((g) => ({ cell: g.getAttribute("data-cell"), loans: Number(g.getAttribute("data-loans")) })),
      );
    expect(drawn).toEqual(map.cells);
    const listed = await page
      .locator("#loan-map-cells tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim())));
    expect(listed).toEqual(map.cells.map((c: { cell: string; loans: number }) => [c.cell, String(c.loans)]));
    expect(await page.locator("#loan-map-svg g.cell text").allTextContents()).toEqual(["5"]);
    await page.locator("#loan-map").screenshot({ path: `${SCREENSHOTS}dashboard-loan-map.png` });

    const closed = history[history.length - 2];
    await page.selectOption("#cycle-select", closed.cycle);
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="kpi-events"] .value')?.textContent === expected,
      asShown(closed.sovereigntyEvents, 0),
    );
    expect(closed.sovereigntyEvents).toBe(11);
    await page.waitForSelector(`#loan-map[data-cycle="${closed.cycle}"]`);
    expect(await page.locator("#loan-map-svg g.cell").count()).toBe(0);
    expect(await page.locator("#loan-map-legend").textContent()).toBe(
      "No area has loans by at least 5 members in this cycle.",
    );
    expect(JSON.parse((await page.locator("#chart-kinds").getAttribute("data-values"))!)).toEqual(
      closed.eventsByKind.map((k: { kind: string; count: number | null }) => [k.kind, k.count]),
    );
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-figures-closed-cycle.png`, fullPage: true });
  });

  it("compares neighbourhoods on any metric, with the values and ranks the API gives", async () => {
    await page.click('[data-view="compare"]');
    await loaded("compare");
    await page.evaluate(() => delete document.body.dataset.loaded);
    await page.selectOption("#metric-select", "MEALS_SHARED");
    await loaded("compare");

    // A circle that network does not resolve comes back as null: the hub these tests share ranks some that network never founded.
    const items: Array<{ rank: number; value: number; circle: { id: string; name: string } | null }> = (
      await succeed(gatewayUrl(), COMPARE, { metric: "MEALS_SHARED" })
    ).compareCircles.items;
    for (const circle of [riverside, hillside]) {
      const item = items.find((i) => i.circle?.id === circle.id)!;
      expect(item).toBeDefined();
      const cells = (await page.locator(`#compare-table tr[data-circle="${circle.id}"] td`).allTextContents()).map(
        (text) => text.trim(),
      );
      expect(cells.slice(0, 3)).toEqual([String(item.rank), item.circle!.name, asShown(item.value, 1)]);
    }
    expect(items.find((i) => i.circle?.id === hillside.id)!.value).toBe(15);
    expect(await page.locator("#compare-table tbody tr").count()).toBe(items.length);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-compare.png`, fullPage: true });
  });

  it("shows the needs board with small numbers of people suppressed, as the API does", async () => {
    await page.click('[data-view="needs"]');
    await loaded("needs");
    const board = (await succeed(gatewayUrl(), BOARD, { circleId: riverside.id })).needsBoard;
    const rows = await page
      .locator("#needs-categories tbody tr")
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
    expect(await page.locator("#needs-list li strong").allTextContents()).toEqual(
      board.needs.map((n: { title: string }) => n.title),
    );
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-needs.png`, fullPage: true });
  });

  it("switches to Spanish and fits a phone screen", async () => {
    await page.setViewportSize(PHONE);
    await page.click('[data-language="es"]');
    await page.click('[data-view="figures"]');
    await loaded("figures");
    expect(await page.getAttribute("html", "lang")).toBe("es");
    expect(await page.locator('[data-view="needs"]').textContent()).toBe("Tablón de necesidades");
    expect(await page.locator('[data-testid="kpi-events"] .label').textContent()).toBe("Eventos de soberanía");
    expect(await page.locator("#loan-map figcaption").textContent()).toBe("Herramientas prestadas, por zona");
    const current = cycleContaining(new Date()).label;
    await page.selectOption("#cycle-select", current);
    await page.waitForSelector(`#loan-map[data-cycle="${current}"] g.cell`);
    const mapBox = await page.locator("#loan-map-svg").boundingBox();
    expect(mapBox!.width).toBeLessThanOrEqual(PHONE.width);
    expect(mapBox!.height).toBeGreaterThan(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-figures-phone-es.png`, fullPage: true });
    await page.click('[data-view="compare"]');
    await loaded("compare");
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-compare-phone-es.png`, fullPage: true });
  });

  it("loaded every script, style and font from the hub itself", () => {
    expect(requestedUrls.length).toBeGreaterThan(4);
    expect(requestedUrls.filter((url) => new URL(url).origin !== origin())).toEqual([]);
    expect(requestedUrls).toContain(`${origin()}/dashboard/vendor/chart.umd.min.js`);
  });
});

describe("the dashboard's files", () => {
  it("are served with a policy that allows nothing from elsewhere, and nothing else is served", async () => {
    const page = await fetch(`${origin()}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self'");
    const chart = await fetch(`${origin()}/dashboard/vendor/chart.umd.min.js`);
    expect(chart.headers.get("content-type")).toContain("javascript");
    expect((await chart.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${origin()}/dashboard`, { redirect: "manual" })).status).toBe(308);
    expect((await fetch(`${origin()}/dashboard/../package.json`)).status).toBe(404);
    expect((await fetch(`${origin()}/dashboard/vendor/../../gateway/src/config.ts`)).status).toBe(404);
    expect((await fetch(`${origin()}/dashboard/app.js`, { method: "POST" })).status).toBe(405);
  });
});
