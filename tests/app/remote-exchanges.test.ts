import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvitation, foundCircle, hubEnvironment, joinCircle, PASSPHRASE } from "@rhizome/kit/testing";
import type { RunningGateway } from "../../gateway/src/gateway.js";
import {
  captureInBothLanguages,
  launchBrowser,
  logIn,
  newPhone,
  onScreen,
  startPersistedOnlyGateway,
} from "./member-app.js";

const hubUrl = () => hubEnvironment().gatewayUrl;
const UI_WAIT = { timeout: 15_000 };

let gateway: RunningGateway;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  gateway = await startPersistedOnlyGateway();
  origin = new URL(gateway.url).origin;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

/**
 * The test hub is no Credit Commons node (no CC_NODE_PATH), so trading across hubs is refused here;
 * trading itself is covered against a tree of barter nodes in tests/federation.
 */
describe("trading with another hub on a phone", { timeout: 120_000 }, () => {
  it("opens from the hours screen and says plainly that this hub trades only among its circles, with nothing pending", async () => {
    const circle = await foundCircle(hubUrl(), "remote");
    const code = await createInvitation(hubUrl(), circle, 1);
    await joinCircle(hubUrl(), code, "ines");
    const { page, context, problems } = await newPhone(browser, origin);
    await logIn(page, origin, circle.slug, "ines", PASSPHRASE);
    await page.getByRole("link", { name: "Hours" }).click();
    await onScreen(page, "barter");
    await page.getByRole("link", { name: "Trade with a member of another hub" }).click();
    await onScreen(page, "remote");
    await expect
      .poll(() => page.getByRole("alert").first().textContent(), UI_WAIT)
      .toContain("This hub is not a Credit Commons node");
    await expect.poll(() => page.getByText("No exchanges with other hubs yet.").count(), UI_WAIT).toBe(1);
    expect(await page.getByTestId("remote-address").count()).toBe(0);
    await captureInBothLanguages(page, "remote-exchanges");
    expect(problems).toEqual([]);
    await context.close();
  });
});
