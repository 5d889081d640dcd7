import { describe, expect, it } from "vitest";
import { createInvitation, eventually, foundCircle, joinCircle, PASSPHRASE, succeed } from "@rhizome/kit/testing";
import { captureInBothLanguages, onScreen, useMemberApp, hubUrl, UI_WAIT, once } from "./support/member-app.js";

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token } }`;
const INBOX = `query { myDefenseNotifications(first: 10) { items { id } } }`;

const app = useMemberApp();

describe("the inbox in the member's language", { timeout: 120_000 }, () => {
  it("shows a responder's call and a retired tool's notice in Spanish, written by the app from their kind and fields", async () => {
    const circle = await foundCircle(hubUrl(), "idioma");
    const code = await createInvitation(hubUrl(), circle, 5);
    const rosa = await joinCircle(hubUrl(), code, "rosa");
    const host = await joinCircle(hubUrl(), code, "host");
    const raiser = await joinCircle(hubUrl(), code, "raiser");
    const organizer = (
      await succeed(hubUrl(), LOGIN, { input: { circleSlug: circle.slug, handle: "founder", passphrase: PASSPHRASE } })
    ).login.token;

    // Rosa waits for a tool its host then retires.
    const tool = (
      await once(
        () =>
          succeed(
            hubUrl(),
            `mutation ($input: AddToolInput!) { addTool(input: $input) { id } }`,
            { input: { circleId: circle.id, name: "Prensa de sidra", category: "cocina" } },
            host.token,
          ),
        "tools to know the circle",
      )
    ).addTool;
    await once(
      () => succeed(hubUrl(), `mutation ($id: ID!) { reserveTool(toolId: $id) { id } }`, { id: tool.id }, rosa.token),
      "tools to know rosa",
    );
    await succeed(hubUrl(), `mutation ($id: ID!) { retireTool(toolId: $id) { id } }`, { id: tool.id }, host.token);

    // Rosa answers alerts from the inbox, and is called to one.
    const branch = (
      await succeed(
        hubUrl(),
        `mutation ($input: CreateResponderBranchInput!) { createResponderBranch(input: $input) { id } }`,
        { input: { circleId: circle.id, name: "norte", parentBranchId: null } },
        organizer,
      )
    ).createResponderBranch;
    await succeed(
      hubUrl(),
      `mutation ($input: JoinRespondersInput!) { joinResponders(input: $input) { id } }`,
      { input: { circleId: circle.id, branchId: branch.id, contactKind: "INBOX", contact: null, shifts: [] } },
      rosa.token,
    );
    await succeed(
      hubUrl(),
      `mutation ($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }`,
      {
        input: { circleId: circle.id, kind: "EVICTION", place: "u4pruy", urgency: "HIGH", text: "Alguaciles en el 12" },
      },
      raiser.token,
    );
    await eventually(async () => {
      const items = (await succeed(hubUrl(), INBOX, {}, rosa.token)).myDefenseNotifications.items;
      return items.length >= 1 ? items : undefined;
    }, "the call to reach rosa's inbox");

    const { page, context, problems } = await app.phone();
    await app.logIn(page, circle.slug, "rosa", PASSPHRASE);
    await page.getByTestId("nav-inbox").click();
    await onScreen(page, "inbox");
    const inbox = page.getByTestId("inbox");
    await expect.poll(() => inbox.locator("li").count(), UI_WAIT).toBe(2);
    await captureInBothLanguages(page, "inbox-languages");

    await page.selectOption("header select", "es");
    await expect
      .poll(() => inbox.locator("li").allInnerTexts(), UI_WAIT)
      .toEqual([
        // Written from the notification's fields: the alert's kind, urgency, place and instant in Spanish, its words as written.
        expect.stringMatching(
          /Te llaman: Desahucio \(Alta\) en u4pruy, avisada el \d{1,2} [a-z]+\.? \d{4}, \d{1,2}:\d{2}: Alguaciles en el 12/,
        ),
        expect.stringContaining(
          "«Prensa de sidra» se retiró de la biblioteca, así que tu reserva queda cerrada. Busca otra en el catálogo.",
        ),
      ]);
    expect(await inbox.textContent()).not.toMatch(
      /You are called|was retired from the library|Eviction|High|raised| at /,
    );

    // Back in English the same notices read as the hub writes them.
    await page.selectOption("header select", "en");
    await expect
      .poll(() => inbox.textContent(), UI_WAIT)
      .toContain('"Prensa de sidra" was retired from the library, so your reservation for it is closed.');
    expect(await inbox.textContent()).toContain("You are called: Eviction (High) at u4pruy, raised ");
    expect(problems).toEqual([]);
    await context.close();
  });
});
