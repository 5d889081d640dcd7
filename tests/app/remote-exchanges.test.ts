import { describe, expect, it } from "vitest";
import { createInvitation, foundCircle, joinCircle, PASSPHRASE } from "@rhizome/kit/testing";
import { captureInBothLanguages, onScreen, useMemberApp, hubUrl, UI_WAIT } from "./support/member-app.js";

const app = useMemberApp();

/**
 * The test hub is no Credit Commons node (no CC_NODE_PATH), so trading across hubs is refused here;
 * trading itself is covered against a tree of barter nodes in tests/federation.
 */
describe("trading with another hub on a phone", { timeout: 120_000 }, () => {
  it("opens from the hours screen and says plainly that this hub trades only among its circles, with nothing pending", async () => {
    const circle = await foundCircle(hubUrl(), "remote");
    const code = await createInvitation(hubUrl(), circle, 1);
    await joinCircle(hubUrl(), code, "ines");
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "ines", PASSPHRASE);
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
