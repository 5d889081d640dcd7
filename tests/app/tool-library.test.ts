import type { Page } from "playwright-core";
import { encode } from "uqr";
import { describe, expect, it } from "vitest";
import { createInvitation, foundCircle, joinCircle, PASSPHRASE, succeed } from "@rhizome/kit/testing";
import { captureInBothLanguages, useMemberApp, hubUrl, UI_WAIT, said, openScreen } from "./support/member-app.js";

const TOOL = `query ($id: ID!) { tool(id: $id) { holder { handle } waitingCount currentLoan { renewals borrower { handle } } pendingHandOff { status } } }`;

const app = useMemberApp();

/** The code on the proposer's screen, as the other member reads it off the phone held out to them. */
async function codeShown(page: Page): Promise<string> {
  await page.getByTestId("hand-off-code").waitFor(UI_WAIT);
  return (await page.getByTestId("hand-off-code").locator('[aria-hidden="true"]').textContent())!.trim();
}

/** The dark modules of the QR code of `text`, as the app draws them. */
function qrPath(text: string): string {
  const modules = encode(text, { ecc: "M", border: 2 }).data;
  return modules.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`M${x} ${y}h1v1h-1z`] : []))).join("");
}

const openTools = (page: Page) => openScreen(page, ["Tools", "tools"]);

describe(
  "the tool library on two phones, against a hub that runs only registered operations",
  { timeout: 180_000 },
  () => {
    it("hosts a tool, lends it to a member who reserved it with both confirming the hand-off in person, renews the loan, takes the tool back, and lends it again when the member asks", async () => {
      const circle = await foundCircle(hubUrl(), "lending");
      const invitation = await createInvitation(hubUrl(), circle, 5);
      const hana = await joinCircle(hubUrl(), invitation, "hana");
      await joinCircle(hubUrl(), invitation, "rui");
      const hanaPhone = await app.phone();
      const ruiPhone = await app.phone();
      const hanaPage = hanaPhone.page;
      const ruiPage = ruiPhone.page;

      // Hana hosts a pruning saw: it is in the catalogue and in her hands, at home.
      await app.logIn(hanaPage, circle.slug, "hana", PASSPHRASE);
      await openTools(hanaPage);
      const host = hanaPage.locator("#host-form");
      await host.getByLabel("Tool's name").fill("Pruning saw");
      await host.getByLabel("Category (for example garden)").fill("garden");
      await host.getByLabel("Condition").selectOption({ label: "worn" });
      await host.getByLabel("Description (optional)").fill("Folding, 20 cm blade");
      await host.getByLabel("Safety notes (optional)").fill("Fold the blade before carrying it");
      await host.getByRole("button", { name: "Add to the library" }).click();
      await expect
        .poll(() => host.getByRole("status").textContent(), UI_WAIT)
        .toBe("Pruning saw is in the library, with you as its host.");
      await expect
        .poll(() => hanaPage.getByTestId("tools").textContent(), UI_WAIT)
        .toContain("garden · worn · Folding, 20 cm blade");
      expect(await hanaPage.getByTestId("tools").textContent()).toContain("Safety: Fold the blade before carrying it");
      await expect
        .poll(() => hanaPage.getByTestId("in-hand").textContent(), UI_WAIT)
        .toBe("Pruning sawAt home with you, its host.");
      await captureInBothLanguages(hanaPage, "tools-hosted");
      const sawId = (await hanaPage.getByTestId("in-hand").locator("li").first().getAttribute("data-tool"))!;

      // Rui reserves it, changes his mind and cancels, then reserves it again.
      await app.logIn(ruiPage, circle.slug, "rui", PASSPHRASE);
      await openTools(ruiPage);
      await ruiPage.getByRole("button", { name: "Reserve Pruning saw" }).click();
      await expect
        .poll(() => said(ruiPage, "Reserved"), UI_WAIT)
        .toBe("Reserved: you are number 1 in the queue for Pruning saw.");
      await ruiPage.getByRole("button", { name: "Cancel my reservation of Pruning saw" }).click();
      await expect.poll(() => said(ruiPage, "You left"), UI_WAIT).toBe("You left the queue for Pruning saw.");
      await expect
        .poll(() => ruiPage.getByTestId("reservations").textContent(), UI_WAIT)
        .toBe("You have not reserved anything.");
      expect((await succeed(hubUrl(), TOOL, { id: sawId }, hana.token)).tool.waitingCount).toBe(0);
      await ruiPage.getByRole("button", { name: "Reserve Pruning saw" }).click();
      await expect
        .poll(() => ruiPage.getByTestId("reservations").locator("li p").textContent(), UI_WAIT)
        .toBe("Pruning saw: number 1 in the queue");
      await captureInBothLanguages(ruiPage, "tools-reserved");

      // Hana offers it to Rui, first in the queue: her phone shows a code.
      await hanaPage.getByRole("button", { name: "Check again" }).click();
      await hanaPage.getByRole("button", { name: "Hand Pruning saw to rui" }).click();
      await expect
        .poll(() => said(hanaPage, "Meet"), UI_WAIT)
        .toBe("Meet rui and show them the code below; Pruning saw changes hands when they type it.");
      const lending = await codeShown(hanaPage);
      expect(lending).toMatch(/^[0-9A-Z]{6}$/);
      // The same code as a QR code, for a phone's camera: it encodes exactly the code shown.
      await expect.poll(() => hanaPage.getByTestId("hand-off-qr").isVisible(), UI_WAIT).toBe(true);
      expect(await hanaPage.getByTestId("hand-off-qr").locator("path").getAttribute("d")).toBe(qrPath(lending));
      await captureInBothLanguages(hanaPage, "tools-hand-off-code");
      expect((await succeed(hubUrl(), TOOL, { id: sawId }, hana.token)).tool).toMatchObject({
        holder: { handle: "hana" },
        pendingHandOff: { status: "PROPOSED" },
      });

      // Rui, beside her, types a wrong code first: nothing changes hands. Then the right one.
      await ruiPage.getByRole("button", { name: "Check again" }).click();
      const toConfirm = ruiPage.getByTestId("to-confirm");
      await expect
        .poll(() => toConfirm.locator("li p").first().textContent(), UI_WAIT)
        .toBe("hana is giving you Pruning saw.");
      await captureInBothLanguages(ruiPage, "tools-hand-off-confirm");
      await toConfirm.getByLabel("Code shown on hana's phone").fill(lending === "000000" ? "111111" : "000000");
      await toConfirm.getByRole("button", { name: "I have it" }).click();
      await expect
        .poll(() => ruiPage.getByRole("alert").textContent(), UI_WAIT)
        .toBe("That code is not the one for this hand-off: ask to see it again.");
      expect((await succeed(hubUrl(), TOOL, { id: sawId }, hana.token)).tool.holder.handle).toBe("hana");
      await toConfirm.getByLabel("Code shown on hana's phone").fill(lending.toLowerCase());
      await toConfirm.getByRole("button", { name: "I have it" }).click();
      await expect
        .poll(() => said(ruiPage, "Confirmed"), UI_WAIT)
        .toMatch(/^Confirmed: Pruning saw is in your hands until .+\.$/);
      await expect
        .poll(() => ruiPage.getByTestId("in-hand").textContent(), UI_WAIT)
        .toMatch(/Borrowed from hana: due back .+\./);
      expect(await ruiPage.getByRole("alert").count()).toBe(0);
      expect((await succeed(hubUrl(), TOOL, { id: sawId }, hana.token)).tool).toMatchObject({
        holder: { handle: "rui" },
        currentLoan: { renewals: 0, borrower: { handle: "rui" } },
        pendingHandOff: null,
      });
      await hanaPage.getByRole("button", { name: "Check again" }).click();
      await expect
        .poll(() => hanaPage.getByTestId("in-hand").textContent(), UI_WAIT)
        .toBe("You hold no tool of the library.");
      expect(await hanaPage.getByTestId("tools").textContent()).toContain("With rui");

      // Rui keeps it longer: nobody else waits.
      const dueBefore = await ruiPage.getByTestId("in-hand").locator("li p").first().textContent();
      await ruiPage.getByRole("button", { name: "Keep Pruning saw longer" }).click();
      await expect.poll(() => said(ruiPage, "Renewed"), UI_WAIT).toMatch(/^Renewed: Pruning saw is due back .+\.$/);
      await expect
        .poll(() => ruiPage.getByTestId("in-hand").locator("li p").first().textContent(), UI_WAIT)
        .not.toBe(dueBefore);
      await captureInBothLanguages(ruiPage, "tools-on-loan");
      expect((await succeed(hubUrl(), TOOL, { id: sawId }, hana.token)).tool.currentLoan.renewals).toBe(1);

      // Rui brings it back: now his phone shows a code and Hana types it.
      await ruiPage.getByRole("button", { name: "Return Pruning saw to hana" }).click();
      const returning = await codeShown(ruiPage);
      await hanaPage.getByRole("button", { name: "Check again" }).click();
      const hanaConfirm = hanaPage.getByTestId("to-confirm");
      await expect
        .poll(() => hanaConfirm.locator("li p").first().textContent(), UI_WAIT)
        .toBe("rui is giving you Pruning saw.");
      await hanaConfirm.getByLabel("Code shown on rui's phone").fill(returning);
      await hanaConfirm.getByRole("button", { name: "I have it" }).click();
      await expect.poll(() => said(hanaPage, "Confirmed"), UI_WAIT).toBe("Confirmed: Pruning saw is in your hands.");
      await expect
        .poll(() => hanaPage.getByTestId("in-hand").textContent(), UI_WAIT)
        .toBe("Pruning sawAt home with you, its host.");
      expect((await succeed(hubUrl(), TOOL, { id: sawId }, hana.token)).tool).toMatchObject({
        holder: { handle: "hana" },
        currentLoan: null,
        pendingHandOff: null,
      });
      // Rui's phone, still showing the code, sees by itself that Hana confirmed.
      await expect
        .poll(() => ruiPage.getByTestId("in-hand").textContent(), UI_WAIT)
        .toBe("You hold no tool of the library.");

      // Next time Rui reserves it and, first in the queue, asks Hana for it: his phone shows the code, hers confirms.
      await ruiPage.getByRole("button", { name: "Reserve Pruning saw" }).click();
      await ruiPage.getByRole("button", { name: "Ask hana for Pruning saw" }).click();
      const asking = await codeShown(ruiPage);
      expect(asking).not.toBe(returning);
      await captureInBothLanguages(ruiPage, "tools-hand-off-asked");
      await hanaPage.getByRole("button", { name: "Check again" }).click();
      await expect
        .poll(() => hanaConfirm.locator("li p").first().textContent(), UI_WAIT)
        .toBe("rui asks you for Pruning saw.");
      await hanaConfirm.getByLabel("Code shown on rui's phone").fill(asking);
      await hanaConfirm.getByRole("button", { name: "I gave it" }).click();
      await expect.poll(() => said(hanaPage, "Confirmed"), UI_WAIT).toBe("Confirmed: Pruning saw is with rui now.");
      expect((await succeed(hubUrl(), TOOL, { id: sawId }, hana.token)).tool).toMatchObject({
        holder: { handle: "rui" },
        waitingCount: 0,
        currentLoan: { renewals: 0, borrower: { handle: "rui" } },
      });
      await expect
        .poll(() => ruiPage.getByTestId("in-hand").textContent(), UI_WAIT)
        .toMatch(/Borrowed from hana: due back .+\./);
      await expect
        .poll(() => ruiPage.getByTestId("reservations").textContent(), UI_WAIT)
        .toBe("You have not reserved anything.");

      expect([...hanaPhone.problems, ...ruiPhone.problems]).toEqual([]);
      await hanaPhone.context.close();
      await ruiPhone.context.close();
    });
    it("publishes a repair tutorial and reads it in each of its categories, the HTML written in it shown as text", async () => {
      const circle = await foundCircle(hubUrl(), "menders");
      const invitation = await createInvitation(hubUrl(), circle, 5);
      await joinCircle(hubUrl(), invitation, "iris");
      const { page, context, problems } = await app.phone();
      await app.logIn(page, circle.slug, "iris", PASSPHRASE);
      await openTools(page);
      await expect
        .poll(() => page.getByTestId("tools").textContent(), UI_WAIT)
        .toBe("The library has no tool yet: host the first below.");

      const publish = page.locator("#tutorial-form");
      await publish.getByLabel("Title").fill("Sharpening a pruning saw");
      await publish.getByLabel("Categories, separated by commas").fill("garden, hand tools");
      await publish.getByLabel("What to know").fill("Use a **triangular file**. <script>alert(1)</script>");
      await publish.getByLabel("Steps, one per line (optional)").fill("Clamp the blade\nFile each tooth three strokes");
      await publish.getByRole("button", { name: "Publish the tutorial" }).click();
      await expect
        .poll(() => publish.getByRole("status").textContent(), UI_WAIT)
        .toBe("Published: Sharpening a pruning saw.");

      // It is listed in its first category at once, and found in the other.
      const list = page.getByTestId("tutorials");
      await expect
        .poll(() => list.locator("summary").first().textContent(), UI_WAIT)
        .toMatch(/^Sharpening a pruning saw · /);
      await list.locator("summary").first().click();
      await expect.poll(() => list.locator(".tutorial strong").first().textContent(), UI_WAIT).toBe("triangular file");
      expect(await list.locator(".tutorial").textContent()).toContain("<script>alert(1)</script>");
      expect((await list.locator("ol.steps li").allTextContents()).map((step) => step.trim())).toEqual([
        "Clamp the blade",
        "File each tooth three strokes",
      ]);
      await captureInBothLanguages(page, "tools-tutorials");

      await page.getByLabel("Tool category").fill("hand tools");
      await page.getByRole("button", { name: "Find tutorials" }).click();
      await expect
        .poll(() => list.locator("summary").first().textContent(), UI_WAIT)
        .toMatch(/^Sharpening a pruning saw · /);
      await page.getByLabel("Tool category").fill("welding");
      await page.getByRole("button", { name: "Find tutorials" }).click();
      await expect.poll(() => list.textContent(), UI_WAIT).toBe("No tutorial for welding yet.");
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
