import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { cycleByLabel, precedingCycle } from "@rhizome/kit";
import { circleWithMembers, eventually, PASSPHRASE, succeed } from "@rhizome/kit/testing";
import { closeBarterDatabase, barterDatabase } from "../../services/barter/test/support/database.js";
import { exchangeAt } from "../../services/barter/test/support/ledger.js";
import {
  captureInBothLanguages,
  onScreen,
  useMemberApp,
  hubUrl,
  UI_WAIT,
  tokenOf,
  once,
  said,
  openScreen,
} from "./support/member-app.js";

const BALANCE = `query { me { memberships { id balance { minutes cycle } } } }`;
const DAY_MS = 86_400_000;

const app = useMemberApp();

afterAll(async () => {
  await closeBarterDatabase();
});

async function barterAccountOpen(token: string, handle: string): Promise<{ cycle: string }> {
  return eventually(
    async () => (await succeed(hubUrl(), BALANCE, {}, token)).me.memberships[0].balance ?? undefined,
    `${handle}'s barter account`,
  );
}

const openHours = (page: Page) => openScreen(page, ["Hours", "barter"]);

describe("barter on two phones, against a hub that runs only registered operations", { timeout: 180_000 }, () => {
  it("finds listings by search, and moves hours once the other member confirms on their own phone, each seeing the balance within the circle's floor and ceiling", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["lena", "omar"], "hours");
    await barterAccountOpen(members.lena.token, "lena");
    await barterAccountOpen(members.omar.token, "omar");
    await once(
      async () =>
        succeed(
          hubUrl(),
          `mutation ($input: BarterLimitsInput!) { setBarterLimits(input: $input) { floorMinutes } }`,
          { input: { circleId: circle.id, floorMinutes: -300, ceilingMinutes: 600 } },
          await tokenOf(circle, "founder"),
        ),
      "barter to know the circle",
    );
    const publish = `mutation ($input: PublishListingInput!) { publishListing(input: $input) { id } }`;
    for (const [skills, description] of [
      [["bike repair"], "Brakes and gears fixed on your doorstep"],
      [["cooking"], "Soup for a family of four"],
    ] as const)
      await succeed(
        hubUrl(),
        publish,
        { input: { circleId: circle.id, kind: "OFFER", skills, description } },
        members.omar.token,
      );
    const lena = await app.phone();
    const omar = await app.phone();

    // Lena searches the offers by a word, and finds Omar's repair offer alone.
    await app.logIn(lena.page, circle.slug, "lena", PASSPHRASE);
    await openHours(lena.page);
    await expect.poll(() => lena.page.getByTestId("listings").locator("li").count(), UI_WAIT).toBe(2);
    await lena.page.getByLabel("Search offers and requests").fill("gears");
    await lena.page.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => lena.page.getByTestId("listings").locator("li").count(), UI_WAIT).toBe(1);
    expect(await lena.page.getByTestId("listings").textContent()).toContain("Brakes and gears fixed on your doorstep");
    expect(await lena.page.getByTestId("listings").textContent()).toContain("by omar");
    await expect
      .poll(() => lena.page.getByTestId("barter-balance").textContent(), UI_WAIT)
      .toContain("The circle keeps every balance between -5 hours and 10 hours.");
    expect(await lena.page.getByTestId("headroom").textContent()).toBe(
      "You can still receive up to 5 hours. You can still give up to 10 hours.",
    );
    await captureInBothLanguages(lena.page, "barter-search");

    // Lena records the two hours Omar gave her, by keyboard: the form's fields in reading order.
    const propose = lena.page.locator("#propose-form");
    await propose.getByLabel("I received time").check();
    await propose.getByLabel("The other member").selectOption({ label: "omar" });
    await propose.getByLabel("Minutes").focus();
    await lena.page.keyboard.type("120");
    await lena.page.keyboard.press("Tab");
    await lena.page.keyboard.type("bike-repair");
    await lena.page.keyboard.press("Tab");
    await lena.page.keyboard.press("Tab");
    await lena.page.keyboard.press("Enter");
    await expect.poll(() => said(lena.page, "Sent."), UI_WAIT).toBe("Sent. Credits move once omar confirms.");

    // Omar confirms on his own phone; his balance and what he may still give change at once.
    await app.logIn(omar.page, circle.slug, "omar", PASSPHRASE);
    await openHours(omar.page);
    await expect
      .poll(() => omar.page.getByTestId("exchanges").textContent(), UI_WAIT)
      .toContain("You gave 2 hours of bike-repair to lena");
    await omar.page.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect.poll(() => said(omar.page, "Confirmed"), UI_WAIT).toBe("Confirmed: your balance is now 2 hours.");
    await expect.poll(() => omar.page.getByTestId("balance").textContent(), UI_WAIT).toBe("2 hours");
    expect(await omar.page.getByTestId("headroom").textContent()).toBe(
      "You can still receive up to 7 hours. You can still give up to 8 hours.",
    );
    await captureInBothLanguages(omar.page, "barter-balance");

    // Lena's phone shows the hours she owes, and how much less she may still receive.
    await lena.page.reload();
    await onScreen(lena.page, "barter");
    await expect.poll(() => lena.page.getByTestId("balance").textContent(), UI_WAIT).toBe("-2 hours");
    expect(await lena.page.getByTestId("headroom").textContent()).toBe(
      "You can still receive up to 3 hours. You can still give up to 12 hours.",
    );
    expect((await succeed(hubUrl(), BALANCE, {}, members.lena.token)).me.memberships[0].balance.minutes).toBe(-120);
    expect([...lena.problems, ...omar.problems]).toEqual([]);
    await lena.context.close();
    await omar.context.close();
  });

  it("steps back from the cycle in progress to a closed one, showing the member's exchanges and balance then", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["ines", "tomas"], "history");
    const { cycle: currentLabel } = await barterAccountOpen(members.ines.token, "ines");
    await barterAccountOpen(members.tomas.token, "tomas");
    // Last cycle, as the hub's clock counts it: Ines gave Tomas three hours of gardening, through barter's own ledger.
    const lastCycle = precedingCycle(cycleByLabel(currentLabel)!);
    const barter = await barterDatabase();
    const ledgerCircle = {
      circleId: circle.id,
      members: [members.ines, members.tomas].map((member) => ({
        ...member,
        circleId: circle.id,
        personId: member.memberId,
        roles: ["member" as const],
      })),
    };
    await exchangeAt(
      barter,
      ledgerCircle,
      ledgerCircle.members[0],
      ledgerCircle.members[1],
      180,
      new Date(lastCycle.startsAt.getTime() + 2 * DAY_MS),
    );

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "ines", PASSPHRASE);
    await openHours(page);
    await page.getByRole("link", { name: "History, cycle by cycle" }).click();
    await onScreen(page, "barter-history");
    await expect.poll(() => page.getByTestId("cycle").getAttribute("data-cycle"), UI_WAIT).toBe(currentLabel);
    expect(await page.getByRole("heading", { level: 2 }).first().textContent()).toContain("The cycle in progress");
    expect(await page.getByTestId("history-exchanges").textContent()).toBe(
      "You took part in no exchange in this cycle.",
    );

    await page.getByRole("button", { name: "Earlier cycle" }).press("Enter");
    await expect.poll(() => page.getByTestId("cycle").getAttribute("data-cycle"), UI_WAIT).toBe(lastCycle.label);
    expect(await page.getByRole("heading", { level: 2 }).first().textContent()).toContain("A closed cycle");
    await expect
      .poll(() => page.getByTestId("history-exchanges").textContent(), UI_WAIT)
      .toContain("You gave 3 hours of gardening to tomas");
    expect(await page.getByTestId("history-totals").textContent()).toBe(
      "You gave 3 hours · You received 0 hours · Balance at the end: 3 hours",
    );
    // Two people took part: the circle's counts of people stay hidden.
    expect(await page.getByTestId("history-circle").textContent()).toContain(
      "Some figures are hidden: they would describe fewer than 5 people.",
    );
    await captureInBothLanguages(page, "barter-history");

    // Back to the cycle in progress, then offline: the closed cycle seen before still opens.
    await page.getByRole("button", { name: "Later cycle" }).click();
    await expect.poll(() => page.getByTestId("cycle").getAttribute("data-cycle"), UI_WAIT).toBe(currentLabel);
    await page.getByRole("button", { name: "Earlier cycle" }).click();
    await expect.poll(() => page.getByTestId("cycle").getAttribute("data-cycle"), UI_WAIT).toBe(lastCycle.label);
    await context.setOffline(true);
    await page.getByRole("button", { name: "Later cycle" }).click();
    await page.getByRole("button", { name: "Earlier cycle" }).click();
    await expect
      .poll(() => page.getByTestId("history-exchanges").textContent(), UI_WAIT)
      .toContain("You gave 3 hours of gardening to tomas");
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "No connection" }).first().textContent(), UI_WAIT)
      .toBe("No connection: showing what was last seen.");
    await context.setOffline(false);
    expect(problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await context.close();
  });

  it("shows the cycle's theme, and a skill share one member announces and another signs up for", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["rosa", "yuki"], "shares");
    await barterAccountOpen(members.rosa.token, "rosa");
    await barterAccountOpen(members.yuki.token, "yuki");
    await once(
      async () =>
        succeed(
          hubUrl(),
          `mutation ($input: SetCycleThemeInput!) { setCycleTheme(input: $input) { theme } }`,
          { input: { circleId: circle.id, theme: "repair", skills: ["sewing", "bike repair"] } },
          await tokenOf(circle, "founder"),
        ),
      "barter to know the circle",
    );
    const rosa = await app.phone();
    const yuki = await app.phone();

    await app.logIn(rosa.page, circle.slug, "rosa", PASSPHRASE);
    await openHours(rosa.page);
    await rosa.page.getByRole("link", { name: "This cycle's theme and skill shares" }).click();
    await onScreen(rosa.page, "skill-shares");
    await expect.poll(() => rosa.page.getByTestId("theme").textContent(), UI_WAIT).toContain("repair");
    expect(await rosa.page.getByTestId("theme").textContent()).toContain("Featured skills: sewing and bike-repair.");
    const announce = rosa.page.locator("#announce-form");
    await announce.getByLabel("Skill you will share").fill("sewing");
    const inThreeDays = new Date(Date.now() + 3 * DAY_MS);
    const local = new Date(inThreeDays.getTime() - inThreeDays.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await announce.getByLabel("Date and time").fill(local);
    await announce.getByLabel("Place, as a block-level geohash (up to 6 characters)").fill("u4pruy");
    await announce.getByLabel("Places").fill("1");
    await announce.getByLabel("Minutes each attendee's exchange records").fill("90");
    await announce.getByRole("button", { name: "Announce" }).click();
    await expect.poll(() => said(rosa.page, "sewing is announced"), UI_WAIT).toBe("sewing is announced.");
    await expect.poll(() => rosa.page.getByTestId("skill-shares").textContent(), UI_WAIT).toContain("sewing with rosa");
    await captureInBothLanguages(rosa.page, "skill-shares");

    // Yuki signs up on a bus without a connection: the sign-up waits in the outbox, and is sent once it returns.
    await app.logIn(yuki.page, circle.slug, "yuki", PASSPHRASE);
    await yuki.page.goto(`${app.origin}/app/#/skill-shares`);
    await onScreen(yuki.page, "skill-shares");
    await expect.poll(() => yuki.page.getByTestId("skill-shares").textContent(), UI_WAIT).toContain("0 of 1 places");
    await yuki.context.setOffline(true);
    await yuki.page.getByRole("button", { name: "Sign up: sewing" }).click();
    await expect
      .poll(() => said(yuki.page, "No connection: saved"), UI_WAIT)
      .toBe("No connection: saved on this phone. It will be sent once the connection returns.");
    await expect.poll(() => yuki.page.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");
    await yuki.context.setOffline(false);
    await expect.poll(() => yuki.page.getByTestId("outbox").count(), { timeout: 30_000 }).toBe(0);
    await yuki.page.reload();
    await onScreen(yuki.page, "skill-shares");
    await expect.poll(() => yuki.page.getByTestId("standing").textContent(), UI_WAIT).toBe("You have a place.");
    expect(await yuki.page.getByTestId("skill-shares").textContent()).toContain("1 of 1 places taken, 0 waiting");
    expect(
      [...rosa.problems, ...yuki.problems].filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED")),
    ).toEqual([]);
    await rosa.context.close();
    await yuki.context.close();
  });

  it("lists a sister circle's shared offers without who published them, and names the two to each other once the publisher confirms", async () => {
    const north = await circleWithMembers(hubUrl(), ["nadia"], "north");
    const south = await circleWithMembers(hubUrl(), ["sami"], "south");
    await barterAccountOpen(north.members.nadia.token, "nadia");
    await barterAccountOpen(south.members.sami.token, "sami");
    const link = await once(
      async () =>
        succeed(
          hubUrl(),
          `mutation ($input: ProposeSisterLinkInput!) { proposeSisterLink(input: $input) { id } }`,
          { input: { circleId: north.circle.id, sisterCircleId: south.circle.id, balanceLimitMinutes: 600 } },
          await tokenOf(north.circle, "founder"),
        ),
      "barter to know both circles",
    );
    await succeed(
      hubUrl(),
      `mutation ($circleId: ID!, $linkId: ID!) { acceptSisterLink(circleId: $circleId, linkId: $linkId) { status } }`,
      { circleId: south.circle.id, linkId: link.proposeSisterLink.id },
      await tokenOf(south.circle, "founder"),
    );
    await succeed(
      hubUrl(),
      `mutation ($input: PublishListingInput!) { publishListing(input: $input) { id } }`,
      {
        input: {
          circleId: south.circle.id,
          kind: "OFFER",
          skills: ["plumbing"],
          description: "Leaky taps mended",
          visibleToSisters: true,
        },
      },
      south.members.sami.token,
    );
    const nadia = await app.phone();
    const sami = await app.phone();

    await app.logIn(nadia.page, north.circle.slug, "nadia", PASSPHRASE);
    await openHours(nadia.page);
    await nadia.page.getByRole("link", { name: "Offers and requests of sister circles" }).click();
    await onScreen(nadia.page, "sisters");
    const listing = nadia.page.getByTestId("sister-listings").locator("li").first();
    await expect.poll(() => listing.textContent(), UI_WAIT).toContain("Leaky taps mended");
    expect(await listing.textContent()).toContain(`Offer from Circle ${south.circle.slug}`);
    expect(await nadia.page.getByTestId("sister-listings").textContent()).not.toContain("sami");
    // Without a connection the proposal waits on the phone; sent twice when it returns (as after a lost answer), it is made once.
    await nadia.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await nadia.context.setOffline(true);
    await listing.getByLabel("Minutes").fill("60");
    await listing.getByRole("button", { name: "Ask for this" }).click();
    await expect
      .poll(() => said(nadia.page, "No connection: saved"), UI_WAIT)
      .toBe("No connection: saved on this phone. It will be sent once the connection returns.");
    await nadia.page.evaluate(() => {
      const outbox = JSON.parse(localStorage.getItem("rhizome:outbox")!);
      localStorage.setItem("rhizome:outbox", JSON.stringify([...outbox, ...outbox]));
    });
    await nadia.page.reload();
    await onScreen(nadia.page, "sisters");
    await expect
      .poll(() => nadia.page.getByTestId("outbox").textContent(), UI_WAIT)
      .toBe("2 actions waiting to be sent");
    await nadia.context.setOffline(false);
    await expect.poll(() => nadia.page.getByTestId("outbox").count(), { timeout: 30_000 }).toBe(0);
    const proposed = await succeed(
      hubUrl(),
      `query ($c: ID!) { sisterExchanges(circleId: $c) { items { minutes status } } }`,
      { c: north.circle.id },
      await tokenOf(north.circle, "nadia"),
    );
    expect(proposed.sisterExchanges.items).toEqual([{ minutes: 60, status: "PENDING" }]);
    await nadia.page.reload();
    await onScreen(nadia.page, "sisters");
    await expect
      .poll(() => nadia.page.getByTestId("sister-exchanges").textContent(), UI_WAIT)
      .toContain("You receive 1 hour of plumbing from");
    expect(await nadia.page.getByTestId("sister-exchanges").textContent()).not.toContain("sami");
    await captureInBothLanguages(nadia.page, "sisters");

    await app.logIn(sami.page, south.circle.slug, "sami", PASSPHRASE);
    await sami.page.goto(`${app.origin}/app/#/sisters`);
    await onScreen(sami.page, "sisters");
    await expect
      .poll(() => sami.page.getByTestId("sister-exchanges").textContent(), UI_WAIT)
      .toContain("You give 1 hour of plumbing to");
    await sami.page.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect.poll(() => said(sami.page, "Confirmed"), UI_WAIT).toBe("Confirmed.");
    await expect
      .poll(() => sami.page.locator("[data-sister-exchange]").first().getAttribute("data-status"), UI_WAIT)
      .toBe("CONFIRMED");

    // Once both consented, each is named to the other (the hub pairs them a moment later): coming back to the screen shows it.
    for (const [phone, other] of [
      [sami.page, "nadia"],
      [nadia.page, "sami"],
    ] as const)
      await expect
        .poll(
          async () => {
            await phone.reload();
            await onScreen(phone, "sisters");
            return phone.getByTestId("sister-exchanges").textContent();
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toContain(`With ${other}`);
    expect(
      [...nadia.problems, ...sami.problems].filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED")),
    ).toEqual([]);
    await nadia.context.close();
    await sami.context.close();
  });

  it("tells a member waiting for a tool that its host retired it, in the app's inbox", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["hana", "rui"], "retired");
    const tool = (
      await once(
        async () =>
          succeed(
            hubUrl(),
            `mutation ($input: AddToolInput!) { addTool(input: $input) { id } }`,
            { input: { circleId: circle.id, name: "Cider press", category: "kitchen" } },
            members.hana.token,
          ),
        "tools to know the circle",
      )
    ).addTool;
    await once(
      () =>
        succeed(
          hubUrl(),
          `mutation ($id: ID!) { reserveTool(toolId: $id) { id } }`,
          { id: tool.id },
          members.rui.token,
        ),
      "tools to know rui",
    );
    await succeed(
      hubUrl(),
      `mutation ($id: ID!) { retireTool(toolId: $id) { id } }`,
      { id: tool.id },
      members.hana.token,
    );

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "rui", PASSPHRASE);
    await expect.poll(() => page.getByTestId("waiting").textContent(), UI_WAIT).toBe("1 notification");
    await page.getByRole("link", { name: "1 notification" }).click();
    await onScreen(page, "inbox");
    await expect
      .poll(() => page.getByTestId("inbox").textContent(), UI_WAIT)
      .toContain('"Cider press" was retired from the library, so your reservation for it is closed.');
    expect(problems).toEqual([]);
    await context.close();
  });
});
