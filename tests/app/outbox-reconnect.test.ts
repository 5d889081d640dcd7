import type { Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createInvitation, eventually, foundCircle, joinCircle, PASSPHRASE, succeed } from "@rhizome/kit/testing";
import { onScreen, useMemberApp, hubUrl, UI_WAIT } from "./support/member-app.js";

/**
 * Well under the app's 15 s request timeout and 15 s retry: an outbox that waited on the send begun
 * before the connection returned would still hold the action after this.
 */
const SENT_AFTER_RECONNECT = { timeout: 8_000 };
const BALANCE = `query { me { memberships { id balance { minutes } } } }`;

const app = useMemberApp();

describe("the outbox when the connection comes back", { timeout: 120_000 }, () => {
  it("sends an action queued offline within seconds of the connection returning, even while an earlier send hangs on the lost connection, and only once", async () => {
    const circle = await foundCircle(hubUrl(), "reconnect");
    const code = await createInvitation(hubUrl(), circle, 2);
    const ana = await joinCircle(hubUrl(), code, "ana");
    const ben = await joinCircle(hubUrl(), code, "ben");
    for (const member of [ana, ben])
      await eventually(
        async () => ((await succeed(hubUrl(), BALANCE, {}, member.token)).me.memberships[0].balance ? true : undefined),
        `${member.handle}'s barter account`,
      );
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "ana", PASSPHRASE);
    await page.getByRole("link", { name: "Hours" }).click();
    await onScreen(page, "barter");
    const propose = page.locator("#propose-form");
    await expect.poll(() => propose.getByLabel("The other member").locator("option").count(), UI_WAIT).toBe(3);

    // Offline on a bus: the exchange waits on the phone.
    await context.setOffline(true);
    await propose.getByLabel("The other member").selectOption({ label: "ben" });
    await propose.getByLabel("Minutes").fill("30");
    await propose.getByLabel("Skill").fill("sewing");
    await propose.getByRole("button", { name: "Send for confirmation" }).click();
    await expect.poll(() => page.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");

    // A flicker of signal: the phone says it is online and starts sending, but the send never gets an
    // answer (held here, as a dead link holds it). Then the signal drops and returns: the browser says
    // so with its offline and online events, while the held send still waits for its answer.
    const held: Route[] = [];
    let isLinkDead = true;
    await page.route("**/graphql", (route) => {
      if (isLinkDead) held.push(route);
      else void route.continue();
    });
    await context.setOffline(false);
    await expect.poll(() => held.length, UI_WAIT).toBeGreaterThan(0);
    await page.evaluate(() => dispatchEvent(new Event("offline")));
    isLinkDead = false;

    // The connection returns for good, without a reload: the action goes within seconds.
    await page.evaluate(() => dispatchEvent(new Event("online")));
    await expect.poll(() => page.getByTestId("outbox").count(), SENT_AFTER_RECONNECT).toBe(0);
    const pending = await succeed(
      hubUrl(),
      `query ($c: ID!) { exchanges(circleId: $c, status: PENDING, first: 10) { items { minutes skill } } }`,
      { c: circle.id },
      ben.token,
    );
    expect(pending.exchanges.items).toEqual([{ minutes: 30, skill: "sewing" }]);

    // Whatever the held sends do when let go late, the hub keeps one exchange.
    await Promise.all(held.map((route) => route.continue().catch(() => undefined)));
    const after = await succeed(
      hubUrl(),
      `query ($c: ID!) { exchanges(circleId: $c, status: PENDING, first: 10) { items { minutes skill } } }`,
      { c: circle.id },
      ben.token,
    );
    expect(after.exchanges.items).toEqual([{ minutes: 30, skill: "sewing" }]);
    expect(problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await context.close();
  });
});
