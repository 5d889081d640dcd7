import { describe, expect, it } from "vitest";
import {
  createInvitation,
  eventually,
  foundCircle,
  joinCircle,
  PASSPHRASE,
  succeed,
  type Session,
  type TestCircle,
} from "@rhizome/kit/testing";
import { captureInBothLanguages, onScreen, useMemberApp, hubUrl, UI_WAIT } from "./support/member-app.js";

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token } }`;
const UNREAD = `query { me { memberships { unreadToolNotifications unreadDefenseNotifications } } }`;
const INBOX = `query { myDefenseNotifications(first: 10) { items { id } } }`;

const app = useMemberApp();

/** A circle where `rae` answers alerts and `raiser` raises them. */
async function circleWithResponder(): Promise<{ circle: TestCircle; rae: Session; raiser: Session }> {
  const circle = await foundCircle(hubUrl(), "inbox");
  const code = await createInvitation(hubUrl(), circle, 5);
  const rae = await joinCircle(hubUrl(), code, "rae");
  const raiser = await joinCircle(hubUrl(), code, "raiser");
  const organizer = (
    await succeed(hubUrl(), LOGIN, { input: { circleSlug: circle.slug, handle: "founder", passphrase: PASSPHRASE } })
  ).login.token;
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
  return { circle, rae, raiser };
}

async function raiseAlert(circle: TestCircle, raiser: Session, rae: Session, calls: number): Promise<string> {
  const { raiseAlert: alert } = await succeed(
    hubUrl(),
    `mutation ($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }`,
    {
      input: { circleId: circle.id, kind: "EVICTION", place: "u4pruy", urgency: "HIGH", text: "Bailiffs at number 12" },
    },
    raiser.token,
  );
  await eventually(async () => {
    const items = (await succeed(hubUrl(), INBOX, {}, rae.token)).myDefenseNotifications.items;
    return items.length >= calls ? items : undefined;
  }, "the call to reach the responder's inbox");
  return alert.id;
}

const CALLS = `query ($id: ID!) { defenseAlert(id: $id) { calls { acknowledgedAt } } }`;

describe("the one inbox on a phone", { timeout: 120_000 }, () => {
  it("counts unread notifications on the home screen and in the nav, and the count falls when the member reads them, online or offline", async () => {
    const { circle, rae, raiser } = await circleWithResponder();
    await raiseAlert(circle, raiser, rae, 1);

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "rae", PASSPHRASE);
    await expect.poll(() => page.getByTestId("home-unread").textContent(), UI_WAIT).toBe("1 notification");
    await expect
      .poll(() => page.getByTestId("nav-unread").locator(".visually-hidden").textContent(), UI_WAIT)
      .toBe("1 unread");
    // The raiser's phone counts nothing: raising an alert tells no one else's count about it.
    const raiserPhone = await app.phone();
    await app.logIn(raiserPhone.page, circle.slug, "raiser", PASSPHRASE);
    await expect
      .poll(() => raiserPhone.page.getByTestId("waiting").textContent(), UI_WAIT)
      .toBe("Nothing is waiting for you.");
    expect(await raiserPhone.page.getByTestId("nav-unread").count()).toBe(0);
    await raiserPhone.context.close();

    await page.getByTestId("nav-inbox").click();
    await onScreen(page, "inbox");
    await expect.poll(() => page.getByTestId("inbox-unread").textContent(), UI_WAIT).toBe("1 unread");
    expect(await page.locator('[data-testid="inbox"] li[data-unread="true"]').count()).toBe(1);
    await captureInBothLanguages(page, "inbox-unread");

    await page.getByRole("button", { name: "Mark all as read" }).click();
    await expect.poll(() => page.getByTestId("inbox-unread").textContent(), UI_WAIT).toBe("Everything here is read.");
    await expect.poll(() => page.getByTestId("nav-unread").count(), UI_WAIT).toBe(0);
    expect(await page.locator('[data-testid="inbox"] li[data-unread="true"]').count()).toBe(0);
    expect((await succeed(hubUrl(), UNREAD, {}, rae.token)).me.memberships[0].unreadDefenseNotifications).toBe(0);
    await page.getByRole("link", { name: "Home" }).click();
    await onScreen(page, "home");
    await expect.poll(() => page.getByTestId("waiting").textContent(), UI_WAIT).toBe("Nothing is waiting for you.");

    // A second call: unread again. Read without a connection, the mark waits in the outbox and is sent when it returns.
    await raiseAlert(circle, raiser, rae, 2);
    await page.reload();
    await onScreen(page, "home");
    await expect.poll(() => page.getByTestId("home-unread").textContent(), UI_WAIT).toBe("1 notification");
    await page.getByTestId("nav-inbox").click();
    await onScreen(page, "inbox");
    await expect.poll(() => page.getByTestId("inbox-unread").textContent(), UI_WAIT).toBe("1 unread");
    await context.setOffline(true);
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await expect.poll(() => page.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");
    expect((await succeed(hubUrl(), UNREAD, {}, rae.token)).me.memberships[0].unreadDefenseNotifications).toBe(1);
    // The phone is put away and opened again later, still offline; then the connection returns.
    await page.reload();
    await onScreen(page, "inbox");
    await expect.poll(() => page.getByTestId("outbox").textContent(), UI_WAIT).toBe("1 action waiting to be sent");
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId("outbox").count(), { timeout: 30_000 }).toBe(0);
    await eventually(
      async () =>
        (await succeed(hubUrl(), UNREAD, {}, rae.token)).me.memberships[0].unreadDefenseNotifications === 0 ||
        undefined,
      "the mark sent from the outbox",
    );
    await page.reload();
    await onScreen(page, "inbox");
    await expect.poll(() => page.getByTestId("inbox-unread").textContent(), UI_WAIT).toBe("Everything here is read.");
    expect(problems.filter((problem) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(problem))).toEqual([]);
    await context.close();
  });

  it("takes a responder from a call in the inbox straight to answering it, in English and in Spanish", async () => {
    const { circle, rae, raiser } = await circleWithResponder();
    const first = await raiseAlert(circle, raiser, rae, 1);
    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "rae", PASSPHRASE);
    await page.getByTestId("nav-inbox").click();
    await onScreen(page, "inbox");

    await page.getByRole("link", { name: "Answer this call" }).click();
    await onScreen(page, "defense");
    const named = page.locator(`[data-testid="calls"] li[data-alert="${first}"]`);
    await expect.poll(() => named.textContent(), UI_WAIT).toContain("The alert your notification is about");
    expect(await named.locator("h3").textContent()).toBe("Eviction · High");
    await captureInBothLanguages(page, "inbox-call-answer");
    await named.getByRole("button", { name: "I am on it" }).click();
    await expect.poll(() => named.getByTestId("acknowledged").textContent(), UI_WAIT).toMatch(/^You answered at /);
    expect((await succeed(hubUrl(), CALLS, { id: first }, rae.token)).defenseAlert.calls).toEqual([
      { acknowledgedAt: expect.any(String) },
    ]);

    // In Spanish: a second call, answered from its own entry, not the first one's.
    const second = await raiseAlert(circle, raiser, rae, 2);
    await page.selectOption("header select", "es");
    await page.getByTestId("nav-inbox").click();
    await onScreen(page, "inbox");
    await expect.poll(() => page.getByRole("link", { name: "Atender esta llamada" }).count(), UI_WAIT).toBe(2);
    // Newest first: the second call's entry leads to the second alert.
    await page.getByRole("link", { name: "Atender esta llamada" }).first().click();
    await onScreen(page, "defense");
    const secondNamed = page.locator(`[data-testid="calls"] li[data-alert="${second}"]`);
    await expect.poll(() => secondNamed.textContent(), UI_WAIT).toContain("La alerta de tu aviso");
    await secondNamed.getByRole("button", { name: "Voy yo" }).click();
    await expect
      .poll(() => secondNamed.getByTestId("acknowledged").textContent(), UI_WAIT)
      .toMatch(/^Respondiste a las /);
    expect((await succeed(hubUrl(), CALLS, { id: second }, rae.token)).defenseAlert.calls).toEqual([
      { acknowledgedAt: expect.any(String) },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
