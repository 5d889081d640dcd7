import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { createLogger, loadConfig } from "@rhizome/kit";
import { eventually, hubEnvironment, PASSPHRASE, succeed } from "@rhizome/kit/testing";
import { gatewayConfigSchema } from "../../../gateway/src/config.js";
import { startGateway, type RunningGateway } from "../../../gateway/src/gateway.js";
import { loadSupergraph } from "../../../gateway/src/supergraph.js";
import { en } from "../../../app/src/i18n/en.js";
import { es } from "../../../app/src/i18n/es.js";

/** Debian's chromium; playwright's own browser download is not used. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = fileURLToPath(new URL("../../../test-output/app/", import.meta.url));
export const PHONE = { width: 390, height: 844 };
const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token } }`;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * The hub as a member's phone meets it: a production gateway that runs only registered operations
 * for anonymous callers (PERSISTED_OPERATIONS_ONLY), in front of the test hub's services, serving
 * the built app at /app/. The app must work there unchanged. `serviceUrls` replaces some services'
 * base URLs, e.g. with one the test runs itself on a clock it moves.
 */
export async function startPersistedOnlyGateway(serviceUrls: Record<string, string> = {}): Promise<RunningGateway> {
  const subgraphUrls = Object.fromEntries(
    Object.entries({ ...inject("serviceUrls"), ...serviceUrls }).map(([name, url]) => [
      `${name.toUpperCase()}_SUBGRAPH_URL`,
      `${url}/graphql`,
    ]),
  );
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: "production",
    PORT: "0",
    TOKEN_SECRET: inject("tokenSecret"),
    LOG_LEVEL: "silent",
    PERSISTED_OPERATIONS_ONLY: "true",
    RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
    RATE_LIMIT_LOGINS_PER_MINUTE: "1000000",
  });
  return startGateway(config, loadSupergraph(undefined, subgraphUrls), createLogger("gateway", "silent"));
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH.`);
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--no-sandbox"] });
}

/** A phone of its own (storage apart from every other), watching for anything loaded from elsewhere or refused by the page's policy. */
export async function newPhone(
  browser: Browser,
  origin: string,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: PHONE, locale: "en-GB", isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith("data:"))
      problems.push(`request to ${request.url()}`);
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/** Waits for a screen to be shown and done loading. */
export async function onScreen(page: Page, name: string): Promise<void> {
  await page.waitForSelector(`[data-screen="${name}"]`, { timeout: 15_000 });
  await page.waitForFunction(
    () => !document.querySelector('[role="status"]:not([hidden])')?.textContent?.match(/Loading|Cargando/),
    undefined,
    { timeout: 15_000 },
  );
}

interface AxeInPage {
  axe: {
    run(
      context: Document,
      options: object,
    ): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }>;
  };
}

/** axe-core in the page: no serious or critical violation is allowed on any screen. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated through the debugging protocol, which the page's script policy does not govern.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-restricted-syntax -- axe-core is injected into the page as a script, so the page's globalThis has it untyped
    const { axe } = globalThis as unknown as AxeInPage;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}

const textsOf = (message: string | { one: string; other: string }) =>
  typeof message === "string" ? [message] : [message.one, message.other];
/** Pieces of English messages (between placeholders) long enough to tell, and found nowhere in Spanish. */
const ENGLISH_ONLY = (() => {
  const spanish = Object.values(es).flatMap(textsOf).join("\n");
  return Object.values(en)
    .flatMap(textsOf)
    .flatMap((text) => text.split(/\{\w+\}/))
    .map((piece) => piece.trim())
    .filter((piece) => piece.length >= 12 && !spanish.includes(piece));
})();

/** Screenshots the screen in English and in Spanish (test-output/app/<name>.<language>.png), checking both with axe. */
export async function captureInBothLanguages(page: Page, name: string): Promise<void> {
  for (const language of ["en", "es"] as const) {
    await page.selectOption("header select", language);
    await page.waitForFunction((expected) => document.documentElement.lang === expected, language);
    await expectAccessible(page, `${name} (${language})`);
    if (language === "es") {
      const shown = await page.evaluate(() => document.body.innerText);
      expect(
        ENGLISH_ONLY.filter((piece) => shown.includes(piece)),
        `English left on ${name} in Spanish`,
      ).toEqual([]);
    }
    await page.screenshot({ path: `${SCREENSHOTS}${name}.${language}.png`, fullPage: true });
  }
  await page.selectOption("header select", "en");
}

export async function logIn(
  page: Page,
  origin: string,
  circleSlug: string,
  handle: string,
  passphrase: string,
): Promise<void> {
  await page.goto(`${origin}/app/#/login`);
  await onScreen(page, "login");
  await page.getByLabel("Circle's short name").fill(circleSlug);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Passphrase").fill(passphrase);
  await page.getByRole("button", { name: "Log in" }).click();
  await onScreen(page, "home");
}

/** The hub the tests' own API calls go to (the test hub's gateway, which accepts any operation). */
export const hubUrl = () => hubEnvironment().gatewayUrl;
/** How long a screen may take to show what the member is waiting for, on a loaded machine. */
export const UI_WAIT = { timeout: 15_000 };

export interface MemberApp {
  /** The persisted-only gateway that serves the app. */
  readonly gateway: RunningGateway;
  readonly browser: Browser;
  /** Where the app is served: `${origin}/app/`. */
  readonly origin: string;
  /** A phone of its own (see newPhone), on this gateway unless another origin is given. */
  phone(origin?: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  /** Logs in on the phone through the login screen and waits for home. */
  logIn(page: Page, circleSlug: string, handle: string, passphrase?: string): Promise<void>;
}

/**
 * One gateway and one browser for a test file, started before its tests and closed after them:
 * call once at the top of the file. `serviceUrls` (read when the gateway starts) replaces some
 * services' base URLs, as startPersistedOnlyGateway's.
 */
export function useMemberApp(serviceUrls: () => Record<string, string> = () => ({})): MemberApp {
  let gateway: RunningGateway | undefined;
  let browser: Browser | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The ${what} is not started yet: use it inside a test or a hook.`);
    return value;
  };
  const app: MemberApp = {
    get gateway() {
      return started(gateway, "gateway");
    },
    get browser() {
      return started(browser, "browser");
    },
    get origin() {
      return new URL(started(gateway, "gateway").url).origin;
    },
    phone: (origin = app.origin) => newPhone(app.browser, origin),
    logIn: (page, circleSlug, handle, passphrase = PASSPHRASE) =>
      logIn(page, app.origin, circleSlug, handle, passphrase),
  };
  beforeAll(async () => {
    gateway = await startPersistedOnlyGateway(serviceUrls());
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });
  return app;
}

/** A fresh access token for a member, through the API (the hub's tokens live a minute, shorter than some stories). */
export async function tokenOf(circle: { slug: string }, handle: string): Promise<string> {
  const answer = await succeed(hubUrl(), LOGIN, { input: { circleSlug: circle.slug, handle, passphrase: PASSPHRASE } });
  return answer.login.token as string;
}

/** Services learn circles and members from the network's events, a moment after they happen: retry until they have. */
export function once<T>(work: () => Promise<T>, what: string): Promise<T> {
  return eventually(() => work().catch(() => undefined), what);
}

/** The text of the first status message on the page that starts with `start`. */
export const said = (page: Page, start: string) =>
  page.getByRole("status").filter({ hasText: start }).first().textContent();

/** Follows links by their exact names, waiting for each screen: `openScreen(page, ["Decide", "governance"])`. */
export async function openScreen(page: Page, ...steps: Array<[link: string, screen: string]>): Promise<void> {
  for (const [link, screen] of steps) {
    await page.getByRole("link", { name: link, exact: true }).click();
    await onScreen(page, screen);
  }
}
