import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cycleContaining, manualClock } from "@rhizome/kit";
import {
  createInvitation,
  eventually,
  foundCircle,
  joinCircle,
  PASSPHRASE,
  startTestService,
  succeed,
} from "@rhizome/kit/testing";
import {
  DefenseOverviewDocument,
  FundDocument,
  HearingsDocument,
  MyCommitmentsDocument,
  MyHousingDocument,
} from "../../app/src/generated/graphql.js";
import { sovereigntyService } from "../../services/sovereignty/src/service.js";
import { crisis, deliver, exchange, loan, members } from "../../services/sovereignty/test/support/events.js";
import {
  captureInBothLanguages,
  logIn,
  onScreen,
  SCREENSHOTS,
  startPersistedOnlyGateway,
  useMemberApp,
  hubUrl,
  UI_WAIT,
  tokenOf,
  said,
  openScreen,
} from "./support/member-app.js";

const app = useMemberApp();

/** The keys the app keeps on the phone, by name. */
const keptKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).sort());
/** The ids of the operations whose answers the defense screen keeps. */
const DEFENSE_ANSWERS = [
  DefenseOverviewDocument,
  HearingsDocument,
  MyHousingDocument,
  FundDocument,
  MyCommitmentsDocument,
].map(
  // eslint-disable-next-line no-restricted-syntax -- codegen's documents carry their persisted id in __meta__, which TypedDocumentString does not declare
  (document) => (document as unknown as { __meta__: { hash: string } }).__meta__.hash,
);
const defenseAnswersKept = async (page: Page) =>
  (await keptKeys(page)).filter((key) => DEFENSE_ANSWERS.some((id) => key.startsWith(`rhizome:answer:${id}:`)));

describe(
  "mutual defense on two phones, against a hub that runs only registered operations",
  { timeout: 180_000 },
  () => {
    it("raises an alert with one tap and a confirmation that cannot be hit by accident, and a responder on another phone answers the call", async () => {
      const circle = await foundCircle(hubUrl(), "alert");
      const code = await createInvitation(hubUrl(), circle, 5);
      await joinCircle(hubUrl(), code, "rae");
      await joinCircle(hubUrl(), code, "tenant");
      await succeed(
        hubUrl(),
        `mutation ($input: CreateResponderBranchInput!) { createResponderBranch(input: $input) { id } }`,
        { input: { circleId: circle.id, name: "north", parentBranchId: null } },
        await tokenOf(circle, "founder"),
      );
      const responder = await app.phone();
      const tenant = await app.phone();

      // Rae joins the responders from the defense screen.
      await app.logIn(responder.page, circle.slug, "rae", PASSPHRASE);
      await openScreen(responder.page, ["Defense", "defense"]);
      await responder.page.getByLabel("Branch").selectOption({ label: "north" });
      await responder.page.getByRole("button", { name: "Join the responders" }).click();
      await expect
        .poll(() => responder.page.getByTestId("calls").textContent(), UI_WAIT)
        .toBe("No calls for you right now.");

      // The tenant raises an eviction alert: one tap on what is happening, then the confirmation.
      await app.logIn(tenant.page, circle.slug, "tenant", PASSPHRASE);
      await openScreen(tenant.page, ["Defense", "defense"]);
      await captureInBothLanguages(tenant.page, "defense");
      await tenant.page.getByLabel("Your block").fill("u4pruy");
      await tenant.page.getByLabel("Note for responders (optional)").fill("Bailiffs at the door");
      // A double tap on what is happening: the confirmation takes the place of the button tapped, and ignores the second tap.
      await tenant.page.getByRole("button", { name: "Eviction", exact: true }).dblclick();
      await expect
        .poll(() => tenant.page.getByRole("alert").textContent(), UI_WAIT)
        .toBe("Send this alert now? Eviction, block u4pruy.");
      const alertsRaised = async () =>
        (
          await succeed(
            hubUrl(),
            `query ($c: ID!) { defenseAlerts(circleId: $c, first: 5) { items { kind text calls { acknowledgedAt } } } }`,
            { c: circle.id },
            // A fresh login each time: an access token lives a minute.
            await tokenOf(circle, "rae"),
          )
        ).defenseAlerts.items;
      expect(await alertsRaised()).toEqual([]);
      // One more deliberate press sends it, by keyboard too: the confirmation takes the focus once it can be used.
      await expect
        .poll(() => tenant.page.evaluate(() => document.activeElement?.textContent), UI_WAIT)
        .toBe("Yes, send the alert");
      await captureInBothLanguages(tenant.page, "defense-alert-confirm");
      // Choosing the language moved the focus: back to the confirmation, and Enter sends it.
      await tenant.page.getByRole("button", { name: "Yes, send the alert" }).focus();
      await tenant.page.keyboard.press("Enter");
      await expect
        .poll(() => said(tenant.page, "Alert sent"), UI_WAIT)
        .toBe("Alert sent: responders are being called.");

      // Rae's phone: the call is there, without who raised it; Rae answers it.
      await eventually(async () => {
        await responder.page.reload();
        await onScreen(responder.page, "defense");
        return (await responder.page.getByTestId("calls").textContent())?.includes("Bailiffs at the door") || undefined;
      }, "the call to reach the responder's phone");
      const call = responder.page.getByTestId("calls").locator("li").first();
      expect(await call.textContent()).not.toContain("tenant");
      await captureInBothLanguages(responder.page, "defense-call");
      await call.getByRole("button", { name: "I am on it" }).click();
      await expect.poll(() => call.getByTestId("acknowledged").textContent(), UI_WAIT).toMatch(/^You answered at /);
      const [alert] = await alertsRaised();
      expect(await alertsRaised()).toHaveLength(1);
      expect(alert).toMatchObject({ kind: "EVICTION", text: "Bailiffs at the door" });
      expect(alert.calls[0].acknowledgedAt).not.toBeNull();
      expect([...responder.problems, ...tenant.problems]).toEqual([]);
      await responder.context.close();
      await tenant.context.close();
    });

    it("leaves the defense screen for a neutral page with the quick exit or Escape twice, forgetting what it showed, and Back does not return to it", async () => {
      const circle = await foundCircle(hubUrl(), "exit");
      const { page, context, problems } = await app.phone();
      await app.logIn(page, circle.slug, "founder", PASSPHRASE);
      await openScreen(page, ["Defense", "defense"]);
      await page.getByLabel("Your block").fill("u4pruy");
      await expect.poll(async () => (await defenseAnswersKept(page)).length, UI_WAIT).toBe(5);

      await page.getByRole("button", { name: "Quick exit" }).click();
      await page.waitForURL(`${app.origin}/app/soup.html`, UI_WAIT);
      expect(await page.title()).toBe("Red lentil soup");
      expect(await page.textContent("body")).not.toMatch(/Rhizome|defense|alert/i);
      // What the defense screen kept is gone; the session stays.
      expect(await defenseAnswersKept(page)).toEqual([]);
      expect(await keptKeys(page)).toContain("rhizome:session");
      await page.screenshot({ path: `${SCREENSHOTS}quick-exit.png`, fullPage: true });
      await page.goBack();
      await page.waitForURL((url) => !url.pathname.endsWith("soup.html"), UI_WAIT);
      expect(page.url()).not.toContain("defense");
      await onScreen(page, "home");

      // Escape twice, as from a keyboard.
      await openScreen(page, ["Defense", "defense"]);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Escape");
      await page.waitForURL(`${app.origin}/app/soup.html`, UI_WAIT);
      await page.goBack();
      await page.waitForURL((url) => !url.pathname.endsWith("soup.html"), UI_WAIT);
      expect(page.url()).not.toContain("defense");
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);

describe("mutual support on the defense screen", { timeout: 180_000 }, () => {
  it("signs the circle's solidarity agreement and signs up for a court accompaniment shift, then finds it among their shifts", async () => {
    const circle = await foundCircle(hubUrl(), "shifts");
    const code = await createInvitation(hubUrl(), circle, 5);
    await joinCircle(hubUrl(), code, "ida");
    const hana = await joinCircle(hubUrl(), code, "hana");
    await succeed(
      hubUrl(),
      `mutation ($c: ID!, $text: String!) { publishAgreement(circleId: $c, text: $text) { version } }`,
      { c: circle.id, text: "We answer each other's calls, and we never call the police on a neighbour." },
      await tokenOf(circle, "founder"),
    );
    const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await succeed(
      hubUrl(),
      `mutation ($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { id } }`,
      { input: { circleId: circle.id, startsAt, place: "u4pruy", companionsNeeded: 2 } },
      hana.token,
    );
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "ida", PASSPHRASE);
    await openScreen(page, ["Defense", "defense"]);
    await page.getByText("Read the agreement", { exact: true }).click();
    expect(await page.getByTestId("agreement-text").textContent()).toContain("never call the police");
    await page.getByRole("button", { name: "Sign version 1" }).click();
    await expect.poll(() => page.getByTestId("agreement-signed").textContent(), UI_WAIT).toBe("You signed version 1.");
    await expect
      .poll(() => page.getByTestId("my-shifts").textContent(), UI_WAIT)
      .toBe("You have not signed up for a shift.");
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await expect.poll(() => page.getByTestId("my-shifts").locator("li").textContent(), UI_WAIT).toContain("u4pruy");
    expect(await page.getByText("You are signed up").count()).toBe(1);
    await captureInBothLanguages(page, "defense-shift");
    const recorded = await succeed(
      hubUrl(),
      `query ($c: ID!) { solidarityAgreement(circleId: $c) { signedByMe } hearings(circleId: $c) { shifts { isSignedUpByMe companions } } }`,
      { c: circle.id },
      await tokenOf(circle, "ida"),
    );
    expect(recorded.solidarityAgreement.signedByMe).toBe(true);
    expect(recorded.hearings[0].shifts[0]).toEqual({ isSignedUpByMe: true, companions: 1 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("matches a room offered on one phone with a place asked for on another, and shows each their contact once the host accepts", async () => {
    const circle = await foundCircle(hubUrl(), "housing");
    const code = await createInvitation(hubUrl(), circle, 5);
    await joinCircle(hubUrl(), code, "host");
    await joinCircle(hubUrl(), code, "guest");
    const host = await app.phone();
    const guest = await app.phone();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

    await app.logIn(host.page, circle.slug, "host", PASSPHRASE);
    await openScreen(host.page, ["Defense", "defense"]);
    await host.page.getByText("Offer a room", { exact: true }).click();
    const offer = host.page.locator("form", { hasText: "Offer the room" });
    await offer.getByLabel("How many people you can host").fill("2");
    await offer.getByLabel("From").fill(day(1));
    await offer.getByLabel("Until").fill(day(30));
    await offer.getByLabel("Children welcome").check();
    await offer.getByLabel("How to reach you").fill("host: signal 555-0101");
    await offer.getByRole("button", { name: "Offer the room" }).click();
    await expect.poll(() => said(host.page, "Thank you"), UI_WAIT).toBe("Thank you: your room is offered.");
    // The host finds the room among their own pledges, which only they see.
    await expect
      .poll(() => host.page.getByTestId("my-commitments").textContent(), UI_WAIT)
      .toContain("A room for 2 people");

    await app.logIn(guest.page, circle.slug, "guest", PASSPHRASE);
    await openScreen(guest.page, ["Defense", "defense"]);
    await guest.page.getByText("Ask for a place to stay", { exact: true }).click();
    const ask = guest.page.locator("form", { hasText: "Ask for a place" });
    await ask.getByLabel("How many people").fill("1");
    await ask.getByLabel("From").fill(day(2));
    await ask.getByLabel("Until").fill(day(9));
    await ask.getByLabel("With children").check();
    await ask.getByLabel("How to reach you").fill("guest: signal 555-0202");
    await ask.getByRole("button", { name: "Ask for a place" }).click();
    await expect.poll(() => guest.page.getByTestId("housing-suggestions").locator("li").count(), UI_WAIT).toBe(1);
    expect(await guest.page.getByTestId("housing-suggestions").textContent()).toContain("Has room for your request");
    await captureInBothLanguages(guest.page, "defense-housing");
    await guest.page.getByRole("button", { name: "Ask this host" }).click();
    await expect.poll(() => said(guest.page, "Asked"), UI_WAIT).toBe("Asked: the host will answer here.");

    await host.page.reload();
    await onScreen(host.page, "defense");
    await host.page.getByRole("button", { name: "Accept" }).click();
    await expect.poll(() => said(host.page, "Accepted"), UI_WAIT).toBe("Accepted.");
    await expect.poll(() => host.page.getByText("Contact: guest: signal 555-0202").count(), UI_WAIT).toBe(1);
    await guest.page.reload();
    await onScreen(guest.page, "defense");
    await expect.poll(() => guest.page.getByText("Contact: host: signal 555-0101").count(), UI_WAIT).toBe(1);
    expect([...host.problems, ...guest.problems]).toEqual([]);
    await host.context.close();
    await guest.context.close();
  });
});

describe("defense and the commons without a connection", { timeout: 180_000 }, () => {
  it("opens the defense and commons screens it has seen when the phone has no connection, and pledges to the fund once online", async () => {
    const circle = await foundCircle(hubUrl(), "offline-defense");
    await succeed(
      hubUrl(),
      `mutation ($c: ID!, $text: String!) { publishAgreement(circleId: $c, text: $text) { version } }`,
      { c: circle.id, text: "We keep each other safe." },
      await tokenOf(circle, "founder"),
    );
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "founder", PASSPHRASE);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), UI_WAIT).toBe(true);
    await openScreen(page, ["Defense", "defense"]);
    await expect.poll(() => page.getByText("Sign version 1").count(), UI_WAIT).toBe(1);
    await openScreen(page, ["Commons", "sovereignty"]);
    await expect.poll(() => page.getByTestId("figures").locator("li").count(), UI_WAIT).toBeGreaterThan(0);

    await context.setOffline(true);
    for (const screen of ["defense", "sovereignty"]) {
      await page.goto(`${app.origin}/app/#/${screen}`);
      await page.reload();
      await onScreen(page, screen);
      await expect
        .poll(() => page.getByRole("status").filter({ hasText: "No connection" }).first().textContent(), UI_WAIT)
        .toBe("No connection: showing what was last seen.");
    }
    await page.goto(`${app.origin}/app/#/defense`);
    await onScreen(page, "defense");
    expect(await page.getByText("Sign version 1").count()).toBe(1);
    await captureInBothLanguages(page, "defense-offline");
    await context.setOffline(false);

    await page.getByText("Pledge money to the fund", { exact: true }).click();
    const pledge = page
      .locator("form", { hasText: "Pledge" })
      .filter({ has: page.getByRole("button", { name: "Pledge", exact: true }) });
    await pledge.getByLabel("Amount").fill("12,50");
    await pledge.getByLabel("Currency (3 letters, e.g. EUR)").fill("EUR");
    await pledge.getByRole("button", { name: "Pledge", exact: true }).click();
    await expect.poll(() => said(page, "Thank you"), UI_WAIT).toBe("Thank you: you pledged €12.50.");
    expect(problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await context.close();
  });
});

describe("the circle's commons on a phone", { timeout: 180_000 }, () => {
  it("tells a story with the teller's consent, leaving a name out, and shows it once another steward approved it", async () => {
    const circle = await foundCircle(hubUrl(), "story");
    const code = await createInvitation(hubUrl(), circle, 5);
    await joinCircle(hubUrl(), code, "teller");
    const stella = await joinCircle(hubUrl(), code, "stella");
    await succeed(
      hubUrl(),
      `mutation ($input: RoleChangeInput!) { grantRole(input: $input) { handle } }`,
      { input: { memberId: stella.memberId, role: "STEWARD" } },
      await tokenOf(circle, "founder"),
    );
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "teller", PASSPHRASE);
    await openScreen(page, ["Commons", "sovereignty"]);
    await page.getByText("Tell a story", { exact: true }).click();
    const form = page.locator("#story-form");
    await form.getByLabel("Title").fill("The boiler in winter");
    await form.getByLabel("Your story").fill("Ada fixed our boiler in January, and the landlord never heard of it.");
    await form.getByLabel("Words to leave out").fill("Ada");
    await form.getByLabel("Say instead (optional)").fill("A neighbour");
    await form.getByLabel("I agree that this story is published").check();
    await captureInBothLanguages(page, "commons-story-form");
    await form.getByRole("button", { name: "Send my story" }).click();
    await expect
      .poll(() => said(page, "Thank you"), UI_WAIT)
      .toBe("Thank you: a steward will read it before it is shown.");
    const story = page.getByTestId("stories").locator("li").first();
    await expect
      .poll(() => story.getByTestId("story-status").textContent(), UI_WAIT)
      .toBe("Waiting for a steward to read it");
    expect(await story.textContent()).toContain("A neighbour fixed our boiler");
    expect(await story.textContent()).not.toContain("Ada");

    // Another steward approves it: it is published, and anyone reads it without the name.
    const stellaToken = await tokenOf(circle, "stella");
    const storyId = await story.getAttribute("data-story");
    await succeed(
      hubUrl(),
      `mutation ($id: ID!) { reviewStory(storyId: $id, approve: true) { status } }`,
      { id: storyId },
      stellaToken,
    );
    await page.reload();
    await onScreen(page, "sovereignty");
    await expect.poll(() => story.getByTestId("story-status").textContent(), UI_WAIT).toBe("Published");
    await captureInBothLanguages(page, "commons-story-published");
    const published = await succeed(
      hubUrl(),
      `query ($c: ID!) { circleStories(circleId: $c, first: 5) { items { title body } } }`,
      { c: circle.id },
    );
    expect(published.circleStories.items).toEqual([
      {
        title: "The boiler in winter",
        body: "A neighbour fixed our boiler in January, and the landlord never heard of it.",
      },
    ]);

    // The teller withdraws consent from the phone: it disappears for everyone at once.
    await story.getByRole("button", { name: "Withdraw my consent" }).click();
    await expect.poll(() => said(page, "Withdrawn"), UI_WAIT).toBe("Withdrawn: it is no longer shown.");
    const after = await succeed(
      hubUrl(),
      `query ($c: ID!) { circleStories(circleId: $c, first: 5) { items { title } } }`,
      { c: circle.id },
    );
    expect(after.circleStories.items).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("lets an organizer record needs met without a coercive intermediary, counted once however often it is sent", async () => {
    const circle = await foundCircle(hubUrl(), "needs-met");
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "founder", PASSPHRASE);
    await openScreen(page, ["Commons", "sovereignty"]);
    const record = page.locator("section.card", { has: page.getByRole("heading", { name: "Record a need met" }) });
    await record.getByLabel("What happened").selectOption({ label: "A meal shared" });
    await record.getByLabel("How many times").fill("12");
    await record.getByRole("button", { name: "Record" }).dblclick();
    await expect.poll(() => said(page, "Recorded"), UI_WAIT).toBe("Recorded: it counts in this cycle's figures.");
    await captureInBothLanguages(page, "commons-need-met");
    const ledger = await succeed(
      hubUrl(),
      `query ($c: ID!) { sovereigntyEvents(circleId: $c, first: 10) { items { kind count source } } }`,
      { c: circle.id },
      await tokenOf(circle, "founder"),
    );
    expect(ledger.sovereigntyEvents.items).toEqual([{ kind: "MEAL_SHARED", count: 12, source: "HAND" }]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the money a closed cycle kept out of banks, at the rates the circle's organizer set on the phone, and nothing about fewer than 5 people", async () => {
    // Sovereignty with a clock this test moves past the new moon, behind a gateway of its own.
    const cycle = cycleContaining(new Date());
    const clock = manualClock(new Date(cycle.startsAt.getTime() + 24 * 3_600_000));
    const sovereignty = await startTestService(sovereigntyService, { clock, ownDatabase: true });
    const movedGateway = await startPersistedOnlyGateway({
      sovereignty: sovereignty.url.replace(/\/graphql$/, ""),
    });
    const movedOrigin = new URL(movedGateway.url).origin;
    try {
      const circle = await foundCircle(hubUrl(), "money");
      const { page, context, problems } = await app.phone(movedOrigin);
      await logIn(page, movedOrigin, circle.slug, "founder", PASSPHRASE);
      await openScreen(page, ["Commons", "sovereignty"]);
      await page.getByText("What an hour and a loan are worth", { exact: true }).click();
      const rates = page.locator("#rates-form");
      await rates.getByLabel("Currency (3 letters, e.g. EUR)").fill("EUR");
      await rates.getByLabel("One hour of help").fill("15");
      await rates.getByLabel("One tool lent").fill("25");
      await rates.getByRole("button", { name: "Save the rates" }).click();
      await expect.poll(() => said(page, "Saved"), UI_WAIT).toBe("Saved: the next cycles are valued at these rates.");

      // This cycle: six members exchange 5 hours, six share 3 loans, and one person is helped through a crisis; the new moon closes it.
      const people = members(6);
      const at = clock();
      await deliver(sovereignty.runtime.db, [
        exchange(circle.id, cycle.label, 120, [people[0], people[1]], at),
        exchange(circle.id, cycle.label, 90, [people[2], people[3]], at),
        exchange(circle.id, cycle.label, 90, [people[4], people[5]], at),
        loan(circle.id, cycle.label, [people[0], people[1]], at),
        loan(circle.id, cycle.label, [people[2], people[3]], at),
        loan(circle.id, cycle.label, [people[4], people[5]], at),
        // One person helped through a crisis: a figure about fewer than 5 people.
        crisis(circle.id, cycle.label, at),
      ]);
      clock.set(new Date(cycle.endsAt.getTime() + 60_000));
      await page.reload();
      await onScreen(page, "sovereignty");
      const closed = page.locator(`[data-cycle="${cycle.label}"]`);
      // Worked by hand: 5 hours x €15 + 3 loans x €25 = €150.
      await expect.poll(() => closed.getByTestId("money-total").textContent(), UI_WAIT).toBe("€150.00");
      expect(await closed.getByTestId("money-parts").textContent()).toBe(
        "Hours exchanged: €75.00 (at €15.00 an hour). Tools lent: €75.00 (at €25.00 a loan).",
      );
      const crises = await closed
        .locator("dt", { hasText: "Crises buffered" })
        .evaluate((term) => term.nextElementSibling?.textContent);
      expect(crises).toBe("fewer than 5");
      expect(
        await closed
          .locator("dt", { hasText: "Hours exchanged" })
          .evaluate((term) => term.nextElementSibling?.textContent),
      ).toBe("5 hours");
      await captureInBothLanguages(page, "commons-figures");
      await page.selectOption("header select", "es");
      await expect.poll(() => closed.getByTestId("money-total").textContent(), UI_WAIT).toBe("150,00\u00a0€");
      await page.selectOption("header select", "en");
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await movedGateway.close();
      await sovereignty.stop();
    }
  }, 300_000);
});
