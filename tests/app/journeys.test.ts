import { describe, expect, it } from "vitest";
import {
  createInvitation,
  eventually,
  foundCircle,
  graphql,
  joinCircle,
  PASSPHRASE,
  succeed,
} from "@rhizome/kit/testing";
import {
  captureInBothLanguages,
  expectAccessible,
  onScreen,
  SCREENSHOTS,
  useMemberApp,
  hubUrl,
  UI_WAIT,
  tokenOf,
} from "./support/member-app.js";

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token member { id } } }`;
const BALANCE = `query { me { memberships { id balance { minutes } } } }`;

const app = useMemberApp();

/** Barter opens each member's account when it reads that they joined, a moment later: wait for it. */
async function barterAccountsOpen(...members: Array<{ token: string; handle: string }>): Promise<void> {
  for (const member of members) {
    await eventually(
      async () => ((await succeed(hubUrl(), BALANCE, {}, member.token)).me.memberships[0].balance ? true : undefined),
      `${member.handle}'s barter account`,
    );
  }
}

describe("the member app on a phone, against a hub that runs only registered operations", { timeout: 90_000 }, () => {
  it("is served by the hub itself, compressed, under a policy that lets the page load nothing from elsewhere", async () => {
    const page = await fetch(`${app.origin}/app/`, { headers: { "accept-encoding": "gzip" } });
    expect(page.status).toBe(200);
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/);
    const script = /<script[^>]+src="(\/app\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${app.origin}${script}`, { headers: { "accept-encoding": "gzip" } });
    expect(asset.headers.get("content-encoding")).toBe("gzip");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${app.origin}/app/manifest.webmanifest`)).headers.get("content-type")).toBe(
      "application/manifest+json",
    );
    // Nothing outside the build is served, however the path is spelled.
    expect((await fetch(`${app.origin}/app/assets%2f..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it("logs a member in to their home screen, and logging out leaves nothing of theirs on the phone", async () => {
    const circle = await foundCircle(hubUrl(), "home");
    const { page, context, problems } = await app.phone();

    await page.goto(`${app.origin}/app/`);
    await onScreen(page, "login");
    await expectAccessible(page, "login");
    await captureInBothLanguages(page, "login");

    await page.getByLabel("Circle's short name").fill(circle.slug);
    await page.getByLabel("Handle").fill("founder");
    await page.getByLabel("Passphrase").fill("not the passphrase");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent(), UI_WAIT)
      .toBe("The circle, handle or passphrase is not right.");

    // Again by keyboard alone: the screen's title holds focus when it opens, Tab moves through the form in reading order, Enter sends it.
    await page.reload();
    await onScreen(page, "login");
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        return element.getAttribute("name") ?? element.textContent?.trim();
      });
    expect(await focused()).toBe("Log in");
    const typed = [circle.slug, "founder", PASSPHRASE];
    const focusOrder: Array<string | undefined> = [];
    for (const text of typed) {
      await page.keyboard.press("Tab");
      focusOrder.push(await focused());
      await page.keyboard.type(text);
    }
    await page.keyboard.press("Tab");
    focusOrder.push(await focused());
    expect(focusOrder).toEqual(["circleSlug", "handle", "passphrase", "Log in"]);
    await page.keyboard.press("Enter");
    await onScreen(page, "home");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), UI_WAIT).toBe("Hello, founder");
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    const card = page.getByTestId(`circle-${circle.slug}`);
    await expect.poll(() => card.getByTestId("balance").textContent(), UI_WAIT).toBe("0 hours");
    expect(await card.textContent()).toMatch(/Between -?\d+([.,]\d+)? hours and \d+([.,]\d+)? hours/);
    await expect
      .poll(() => page.getByTestId("new-moon").textContent(), UI_WAIT)
      .toMatch(/^New moon (in \d+ days|tomorrow|today): balances return to zero\.$/);
    await expect.poll(() => page.getByTestId("waiting").textContent(), UI_WAIT).toBe("Nothing is waiting for you.");
    await captureInBothLanguages(page, "home");
    expect(await page.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith("rhizome:")))).toBe(true);

    // Coming back after the access token expired (it lives a minute): the app renews it and the home screen still opens.
    const before = await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem("rhizome:session")!);
      localStorage.setItem(
        "rhizome:session",
        JSON.stringify({ ...session, expiresAt: new Date(Date.now() - 1_000).toISOString() }),
      );
      localStorage.removeItem(Object.keys(localStorage).find((key) => key.startsWith("rhizome:answer:"))!);
      return session.refreshToken as string;
    });
    await page.reload();
    await onScreen(page, "home");
    await expect.poll(() => card.getByTestId("balance").textContent(), UI_WAIT).toBe("0 hours");
    // A refresh token works once: the renewal replaced it.
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem("rhizome:session")!).refreshToken)).not.toBe(
      before,
    );

    await page.getByRole("button", { name: "Log out" }).click();
    await onScreen(page, "login");
    await expect
      .poll(() => page.getByRole("status").first().textContent(), UI_WAIT)
      .toBe("You are logged out. Nothing of yours is kept on this phone.");
    const left = await page.evaluate(async () => ({
      local: Object.fromEntries(Object.entries(localStorage)),
      session: Object.fromEntries(Object.entries(sessionStorage)),
      // Only the service worker's copy of the app's own files may stay: the same for everyone.
      cached: await Promise.all(
        (await caches.keys()).map(async (name) => ({
          name,
          urls: (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname),
        })),
      ),
    }));
    expect(left.local).toEqual({ "rhizome.language": "en" });
    expect(left.session).toEqual({});
    expect(left.cached.map((cache) => cache.name).filter((name) => name !== "rhizome-app-shell")).toEqual([]);
    for (const cache of left.cached)
      for (const url of cache.urls) expect(url).toMatch(/^\/app\/(assets\/[\w.-]+|[\w.-]*)$/);
    // The home screen is gone with the session: going back to it asks for a login.
    await page.goto(`${app.origin}/app/#/home`);
    await onScreen(page, "login");
    expect(await page.textContent("body")).not.toContain("founder");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("joins a circle with an invitation code, choosing a handle, a passphrase and a bloc", async () => {
    const circle = await foundCircle(hubUrl(), "join");
    const code = await createInvitation(hubUrl(), circle, 5);
    const { page, context, problems } = await app.phone();

    await page.goto(`${app.origin}/app/#/login`);
    await onScreen(page, "login");
    await page.getByRole("link", { name: "Join with an invitation code" }).click();
    await onScreen(page, "join");
    await captureInBothLanguages(page, "join");
    await page.getByLabel("Invitation code").fill(code);
    await page.getByLabel("Handle").fill("newcomer");
    await page.getByLabel("Passphrase", { exact: true }).fill("my own long passphrase");
    await page.getByLabel(/I face the sharpest pressure/).check();
    await page.getByRole("button", { name: "Join" }).click();

    await onScreen(page, "home");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), UI_WAIT).toBe("Hello, newcomer");
    await expect
      .poll(() => page.getByTestId(`circle-${circle.slug}`).getByTestId("balance").textContent(), UI_WAIT)
      .toBe("0 hours");
    // The passphrase chosen on the phone opens the membership.
    const login = await succeed(hubUrl(), LOGIN, {
      input: { circleSlug: circle.slug, handle: "newcomer", passphrase: "my own long passphrase" },
    });
    const me = await succeed(hubUrl(), `query { me { memberships { handle bloc } } }`, {}, login.login.token);
    expect(me.me.memberships).toEqual([{ handle: "newcomer", bloc: "EDGE" }]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("moves hours between two members only once the other confirms, and both see their balances", async () => {
    const circle = await foundCircle(hubUrl(), "barter");
    const code = await createInvitation(hubUrl(), circle, 5);
    const ana = await joinCircle(hubUrl(), code, "ana");
    const ben = await joinCircle(hubUrl(), code, "ben");
    await barterAccountsOpen(ana, ben);
    const anaPhone = await app.phone();
    const benPhone = await app.phone();

    // Ana publishes an offer, then records the hour and a half she gave Ben.
    await app.logIn(anaPhone.page, circle.slug, "ana", PASSPHRASE);
    await anaPhone.page.getByRole("link", { name: "Hours" }).click();
    await onScreen(anaPhone.page, "barter");
    const publish = anaPhone.page.locator("#publish-form");
    await publish.getByLabel("Skills, separated by commas").fill("bike repair");
    await publish.getByLabel("Description").fill("I fix brakes and gears");
    await publish.getByRole("button", { name: "Publish" }).click();
    await expect
      .poll(() => anaPhone.page.getByTestId("listings").textContent(), UI_WAIT)
      .toContain("I fix brakes and gears");
    const propose = anaPhone.page.locator("#propose-form");
    await propose.getByLabel("I gave time").check();
    await propose.getByLabel("The other member").selectOption({ label: "ben" });
    await propose.getByLabel("Minutes").fill("90");
    await propose.getByLabel("Skill").fill("bike-repair");
    await propose.getByRole("button", { name: "Send for confirmation" }).click();
    await expect
      .poll(() => propose.getByRole("status").textContent(), UI_WAIT)
      .toBe("Sent. Credits move once ben confirms.");
    await expect
      .poll(() => anaPhone.page.getByTestId("exchanges").textContent(), UI_WAIT)
      .toContain("You gave 1.5 hours of bike-repair to ben");
    await captureInBothLanguages(anaPhone.page, "barter");
    expect((await succeed(hubUrl(), BALANCE, {}, ana.token)).me.memberships[0].balance.minutes).toBe(0);

    // Ben sees it waiting on his home screen and confirms it.
    await app.logIn(benPhone.page, circle.slug, "ben", PASSPHRASE);
    await expect.poll(() => benPhone.page.getByTestId("waiting").textContent(), UI_WAIT).toBe("1 exchange to confirm");
    await captureInBothLanguages(benPhone.page, "home-exchange-waiting");
    await benPhone.page.getByRole("link", { name: "1 exchange to confirm" }).click();
    await onScreen(benPhone.page, "barter");
    await expect
      .poll(() => benPhone.page.getByTestId("exchanges").textContent(), UI_WAIT)
      .toContain("You received 1.5 hours of bike-repair from ana");
    await benPhone.page.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect
      .poll(() => benPhone.page.getByRole("status").filter({ hasText: "Confirmed" }).textContent(), UI_WAIT)
      .toBe("Confirmed: your balance is now -1.5 hours.");
    await expect
      .poll(() => benPhone.page.locator(`[data-exchange]`).first().getAttribute("data-status"), UI_WAIT)
      .toBe("CONFIRMED");

    // Both home screens show the hours moved.
    await benPhone.page.getByRole("link", { name: "Home" }).click();
    await expect
      .poll(() => benPhone.page.getByTestId(`circle-${circle.slug}`).getByTestId("balance").textContent(), UI_WAIT)
      .toBe("-1.5 hours");
    await expect
      .poll(() => benPhone.page.getByTestId("waiting").textContent(), UI_WAIT)
      .toBe("Nothing is waiting for you.");
    await anaPhone.page.getByRole("link", { name: "Home" }).click();
    await expect
      .poll(() => anaPhone.page.getByTestId(`circle-${circle.slug}`).getByTestId("balance").textContent(), UI_WAIT)
      .toBe("1.5 hours");
    await captureInBothLanguages(anaPhone.page, "home-after-exchange");
    expect((await succeed(hubUrl(), BALANCE, {}, ben.token)).me.memberships[0].balance.minutes).toBe(-90);
    expect([...anaPhone.problems, ...benPhone.problems]).toEqual([]);
    await anaPhone.context.close();
    await benPhone.context.close();
  });

  it("finds a tool in the catalogue and reserves it, showing the member's place in the queue", async () => {
    const circle = await foundCircle(hubUrl(), "tools");
    const code = await createInvitation(hubUrl(), circle, 5);
    const early = await joinCircle(hubUrl(), code, "early");
    await joinCircle(hubUrl(), code, "cora");
    const organizer = await tokenOf(circle, "founder");
    const drill = (
      await succeed(
        hubUrl(),
        `mutation ($input: AddToolInput!) { addTool(input: $input) { id } }`,
        { input: { circleId: circle.id, name: "Cordless drill", category: "power tools", locationCell: "u4pru" } },
        organizer,
      )
    ).addTool;
    await succeed(
      hubUrl(),
      `mutation ($input: AddToolInput!) { addTool(input: $input) { id } }`,
      { input: { circleId: circle.id, name: "Ladder", category: "ladders" } },
      organizer,
    );
    await succeed(hubUrl(), `mutation ($id: ID!) { reserveTool(toolId: $id) { id } }`, { id: drill.id }, early.token);

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "cora", PASSPHRASE);
    await page.getByRole("link", { name: "Tools" }).click();
    await onScreen(page, "tools");
    await page.getByLabel("Search the catalogue").fill("drill");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => page.getByTestId("tools").locator("li").count(), UI_WAIT).toBe(1);
    expect(await page.getByTestId("tools").textContent()).toContain("1 person waiting");
    await page.getByRole("button", { name: "Reserve Cordless drill" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Reserved" }).textContent(), UI_WAIT)
      .toBe("Reserved: you are number 2 in the queue for Cordless drill.");
    await expect
      .poll(() => page.getByTestId("reservations").locator("li p").textContent(), UI_WAIT)
      .toBe("Cordless drill: number 2 in the queue");
    await expect.poll(() => page.getByTestId("tools").textContent(), UI_WAIT).toContain("2 people waiting");
    await captureInBothLanguages(page, "tools");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("answers a proposal with a veto and its reason, and shows the answer recorded", async () => {
    const circle = await foundCircle(hubUrl(), "decide");
    const code = await createInvitation(hubUrl(), circle, 5);
    const proposer = await joinCircle(hubUrl(), code, "proposer", "EDGE");
    const dana = await joinCircle(hubUrl(), code, "dana", "EDGE");
    const organizer = await tokenOf(circle, "founder");
    const body = (
      await succeed(
        hubUrl(),
        `mutation ($input: CreateBodyInput!) { createBody(input: $input) { id } }`,
        {
          input: {
            circleId: circle.id,
            name: "Garden stewards",
            kind: "STEWARD_TEAM",
            decisionRule: "CONSENSUS_MINUS_ONE",
            size: 3,
          },
        },
        organizer,
      )
    ).createBody;
    for (const member of [proposer, dana])
      await succeed(hubUrl(), `mutation ($id: ID!) { takeSeat(bodyId: $id) { kind } }`, { id: body.id }, member.token);
    const closesAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await succeed(
      hubUrl(),
      `mutation ($input: CreateProposalInput!) { createProposal(input: $input) { id } }`,
      { input: { bodyId: body.id, title: "Pave the garden path", text: "Concrete over the herb beds.", closesAt } },
      proposer.token,
    );

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "dana", PASSPHRASE);
    await page.getByRole("link", { name: "Decide" }).click();
    await onScreen(page, "governance");
    await expect.poll(() => page.getByTestId("proposal").count(), UI_WAIT).toBe(1);
    expect(await page.getByTestId("proposal").textContent()).toContain("Pave the garden path");
    await captureInBothLanguages(page, "governance");
    const proposal = page.getByTestId("proposal");
    await proposal.getByLabel("Veto").check();
    await proposal.getByRole("button", { name: "Send my answer" }).click();
    // A veto needs a reason: the browser asks for it before anything is sent.
    expect(
      await proposal.getByLabel("Reason").evaluate((field) => (field as HTMLTextAreaElement).validity.valueMissing),
    ).toBe(true);
    await proposal.getByLabel("Reason").fill("The herb beds feed three households.");
    await proposal.getByRole("button", { name: "Send my answer" }).click();
    await expect.poll(() => page.getByTestId("my-answer").textContent(), UI_WAIT).toBe("Your answer: Veto");
    await captureInBothLanguages(page, "governance-answered");

    const recorded = await succeed(
      hubUrl(),
      `query ($id: ID!) { proposals(bodyId: $id, first: 5) { items { myResponse { response reason } } } }`,
      { id: body.id },
      dana.token,
    );
    expect(recorded.proposals.items[0].myResponse).toEqual({
      response: "VETO",
      reason: "The herb beds feed three households.",
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("counts what waits on the home screen and opens it in one inbox: a call to answer an alert", async () => {
    const circle = await foundCircle(hubUrl(), "inbox");
    const code = await createInvitation(hubUrl(), circle, 5);
    const rae = await joinCircle(hubUrl(), code, "rae");
    const raiser = await joinCircle(hubUrl(), code, "raiser");
    const organizer = await tokenOf(circle, "founder");
    const branch = (
      await succeed(
        hubUrl(),
        `mutation ($input: CreateResponderBranchInput!) { createResponderBranch(input: $input) { id } }`,
        { input: { circleId: circle.id, name: "north", parentBranchId: null } },
        organizer,
      )
    ).createResponderBranch;
    await succeed(
      hubUrl(),
      `mutation ($input: JoinRespondersInput!) { joinResponders(input: $input) { id } }`,
      { input: { circleId: circle.id, branchId: branch.id, contactKind: "INBOX", contact: null, shifts: [] } },
      rae.token,
    );
    await succeed(
      hubUrl(),
      `mutation ($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }`,
      {
        input: {
          circleId: circle.id,
          kind: "EVICTION",
          place: "u4pruy",
          urgency: "HIGH",
          text: "Bailiffs at number 12",
        },
      },
      raiser.token,
    );
    const inbox = `query { myDefenseNotifications(first: 10) { items { message } } }`;
    const [call] = await eventually(async () => {
      const items = (await succeed(hubUrl(), inbox, {}, rae.token)).myDefenseNotifications.items;
      return items.length > 0 ? items : undefined;
    }, "the call to reach the responder's inbox");

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "rae", PASSPHRASE);
    await expect.poll(() => page.getByTestId("waiting").textContent(), UI_WAIT).toBe("1 notification");
    await page.getByRole("link", { name: "1 notification" }).click();
    await onScreen(page, "inbox");
    await expect.poll(() => page.getByTestId("inbox").locator("li").count(), UI_WAIT).toBe(1);
    // The app writes the call in the member's language from its kind and fields, not the hub's English text.
    expect(call.message).toContain("EVICTION (HIGH)");
    expect(await page.getByTestId("inbox").textContent()).toMatch(
      /You are called: Eviction \(High\) at u4pruy, raised .+: Bailiffs at number 12/,
    );
    expect(await page.getByTestId("inbox").textContent()).toContain("Mutual defense");
    await captureInBothLanguages(page, "inbox");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("opens the home screen it has seen when the phone has no connection, and says so", async () => {
    const circle = await foundCircle(hubUrl(), "offline");
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "founder", PASSPHRASE);
    await expect
      .poll(() => page.getByTestId(`circle-${circle.slug}`).getByTestId("balance").textContent(), UI_WAIT)
      .toBe("0 hours");
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), UI_WAIT).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await onScreen(page, "home");
    await expect
      .poll(() => page.getByTestId(`circle-${circle.slug}`).getByTestId("balance").textContent(), UI_WAIT)
      .toBe("0 hours");
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "No connection" }).textContent(), UI_WAIT)
      .toBe("No connection: showing what was last seen.");
    await captureInBothLanguages(page, "home-offline");
    await context.setOffline(false);
    expect(problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await context.close();
  });

  it("keeps an exchange recorded without a connection in a visible outbox and sends it once when the connection returns, never twice", async () => {
    const circle = await foundCircle(hubUrl(), "outbox");
    const code = await createInvitation(hubUrl(), circle, 5);
    const ana = await joinCircle(hubUrl(), code, "ana");
    const ben = await joinCircle(hubUrl(), code, "ben");
    await barterAccountsOpen(ana, ben);
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "ana", PASSPHRASE);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.getByRole("link", { name: "Hours" }).click();
    await onScreen(page, "barter");
    const propose = page.locator("#propose-form");
    await expect.poll(() => propose.getByLabel("The other member").locator("option").count(), UI_WAIT).toBe(3);

    await context.setOffline(true);
    await propose.getByLabel("The other member").selectOption({ label: "ben" });
    await propose.getByLabel("Minutes").fill("45");
    await propose.getByLabel("Skill").fill("cooking");
    await propose.getByRole("button", { name: "Send for confirmation" }).click();
    await expect
      .poll(() => propose.getByRole("status").textContent(), UI_WAIT)
      .toBe("No connection: saved on this phone. It will be sent once the connection returns.");
    await expect.poll(() => page.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");
    await captureInBothLanguages(page, "barter-outbox");
    // As if a first send had reached the hub but its answer was lost: the same action waits twice.
    await page.evaluate(() => {
      const outbox = JSON.parse(localStorage.getItem("rhizome:outbox")!);
      localStorage.setItem("rhizome:outbox", JSON.stringify([...outbox, ...outbox]));
    });
    await page.reload();
    await onScreen(page, "barter");
    await expect.poll(() => page.getByTestId("outbox").textContent(), UI_WAIT).toBe("2 actions waiting to be sent");

    await context.setOffline(false);
    await expect.poll(() => page.getByTestId("outbox").count(), { timeout: 30_000 }).toBe(0);
    const pending = await succeed(
      hubUrl(),
      `query ($c: ID!) { exchanges(circleId: $c, status: PENDING, first: 10) { items { minutes skill } } }`,
      { c: circle.id },
      ben.token,
    );
    expect(pending.exchanges.items).toEqual([{ minutes: 45, skill: "cooking" }]);
    expect(problems.filter((problem) => !problem.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await context.close();
  });

  it("leaves a circle after saying yes twice, and then nothing of the member is left on the phone or able to log in", async () => {
    const circle = await foundCircle(hubUrl(), "leave");
    const code = await createInvitation(hubUrl(), circle, 5);
    await joinCircle(hubUrl(), code, "leo");
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "leo", PASSPHRASE);
    await page.getByRole("button", { name: "Leave this circle" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent(), UI_WAIT)
      .toBe(`Leave Circle ${circle.slug} for good? This cannot be undone.`);
    await captureInBothLanguages(page, "home-leave");
    await page.getByRole("button", { name: "Yes, leave" }).click();
    await onScreen(page, "login");
    await expect
      .poll(() => page.getByRole("status").first().textContent(), UI_WAIT)
      .toBe("You left the circle. Nothing of yours is kept on this phone.");
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("rhizome:")))).toEqual(
      [],
    );
    const again = await fetch(hubUrl(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: LOGIN,
        variables: { input: { circleSlug: circle.slug, handle: "leo", passphrase: PASSPHRASE } },
      }),
    });
    expect((await again.json()).errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("cancels an exchange it recorded before the other member confirms, and no credits move", async () => {
    const circle = await foundCircle(hubUrl(), "cancel");
    const code = await createInvitation(hubUrl(), circle, 5);
    const ana = await joinCircle(hubUrl(), code, "ana");
    const ben = await joinCircle(hubUrl(), code, "ben");
    // Barter opens each member's account when it reads that they joined: a moment after joining.
    await eventually(async () => {
      const proposed = await graphql(
        hubUrl(),
        `
          mutation ($input: ProposeExchangeInput!) {
            proposeExchange(input: $input) {
              id
            }
          }
        `,
        {
          input: {
            circleId: circle.id,
            providerMemberId: ana.memberId,
            receiverMemberId: ben.memberId,
            minutes: 30,
            skill: "sewing",
            idempotencyKey: "cancel-test",
          },
        },
        ana.token,
      );
      return proposed.body.data?.proposeExchange;
    }, "barter to know both members");
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "ana", PASSPHRASE);
    await page.getByRole("link", { name: "Hours" }).click();
    await onScreen(page, "barter");
    await expect
      .poll(() => page.getByTestId("exchanges").textContent(), UI_WAIT)
      .toContain("Waiting for ben to confirm");
    await page.getByTestId("exchanges").getByRole("button", { name: "Cancel" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Cancelled" }).textContent(), UI_WAIT)
      .toBe("Cancelled: no credits moved.");
    await expect
      .poll(() => page.locator("[data-exchange]").first().getAttribute("data-status"), UI_WAIT)
      .toBe("CANCELLED");
    await captureInBothLanguages(page, "barter-cancelled");
    const pending = await succeed(
      hubUrl(),
      `query ($c: ID!) { exchanges(circleId: $c, status: PENDING, first: 10) { items { id } } }`,
      { c: circle.id },
      ben.token,
    );
    expect(pending.exchanges.items).toEqual([]);
    expect((await succeed(hubUrl(), BALANCE, {}, ana.token)).me.memberships[0].balance.minutes).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

// Screenshots land in test-output/app/ (not committed).
void SCREENSHOTS;
