import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { circleWithMembers, eventually, PASSPHRASE, succeed } from "@rhizome/kit/testing";
import {
  captureInBothLanguages,
  onScreen,
  useMemberApp,
  hubUrl,
  UI_WAIT,
  said,
  openScreen,
} from "./support/member-app.js";

const ADD_TOOL = `mutation ($input: AddToolInput!) { addTool(input: $input) { id } }`;
const CARE = `query ($slug: String!) { circle(slug: $slug) { isCaretakerVolunteer nextCaretakerDraw { id witnesses { memberId commitment } } } }`;
const TOOL = `query ($id: ID!) { tool(id: $id) { condition maintenance(first: 5) { items { kind minutes recordedBy { handle } } } } }`;

const app = useMemberApp();

const openCaretaking = (page: Page) =>
  openScreen(page, ["Tools", "tools"], ["Caretaking: volunteer, audits and repairs", "caretaking"]);

describe("caretaking on two phones, against a hub that runs only registered operations", { timeout: 180_000 }, () => {
  it("a member volunteers as caretaker and commits a seed to the draw, another records a repair that brings a broken tool back to good, and an organizer records an audit that every member sees", async () => {
    const { circle, members } = await circleWithMembers(hubUrl(), ["ines", "tomas"], "caretaking");
    const { ines, tomas } = members;
    // Tomás hosts a ladder that needs repair (the tools service learns of the circle a moment later).
    const ladder = (
      await eventually(
        () =>
          succeed(
            hubUrl(),
            ADD_TOOL,
            { input: { circleId: circle.id, name: "Ladder", category: "garden", condition: "NEEDS_REPAIR" } },
            tomas.token,
          ).catch(() => undefined),
        "tools to know the circle",
      )
    ).addTool.id as string;

    const inesPage = (await app.phone()).page;
    const tomasPage = (await app.phone()).page;

    // Inés volunteers for the next draw.
    await app.logIn(inesPage, circle.slug, "ines", PASSPHRASE);
    await openCaretaking(inesPage);
    expect(await inesPage.getByTestId("volunteering").textContent()).toBe("You do not volunteer.");
    await inesPage.getByRole("button", { name: "Volunteer as caretaker" }).click();
    await expect
      .poll(() => inesPage.getByTestId("volunteering").textContent(), UI_WAIT)
      .toBe("You volunteer for the next draw.");
    expect(await said(inesPage, "You are in")).toBe("You are in the pool for the next draw.");
    expect((await succeed(hubUrl(), CARE, { slug: circle.slug }, ines.token)).circle.isCaretakerVolunteer).toBe(true);

    // She commits the seed the phone suggests: the hub shows the fingerprint of exactly that seed.
    const seed = await inesPage.getByLabel("Your seed (keep a copy to check the draw)").inputValue();
    expect(seed).toMatch(/^[0-9a-f]{32}$/);
    await inesPage.getByRole("button", { name: "Commit my seed" }).click();
    await expect
      .poll(() => inesPage.getByTestId("my-commitment").textContent(), UI_WAIT)
      .toMatch(/^You are a witness of this draw\. Fingerprint: [0-9a-f]{64}$/);
    const draw = (await succeed(hubUrl(), CARE, { slug: circle.slug }, ines.token)).circle.nextCaretakerDraw;
    const expected = createHash("sha256")
      .update(JSON.stringify([draw.id, ines.memberId, seed]))
      .digest("hex");
    expect(draw.witnesses).toEqual([{ memberId: ines.memberId, commitment: expected }]);
    expect(await inesPage.getByTestId("my-commitment").textContent()).toContain(expected);
    await captureInBothLanguages(inesPage, "caretaking-witness");

    // Tomás sees one witness so far, and the ladder that needs repair; he repairs it in 45 minutes.
    await app.logIn(tomasPage, circle.slug, "tomas", PASSPHRASE);
    await openCaretaking(tomasPage);
    expect(await tomasPage.getByTestId("witnesses").textContent()).toMatch(/^1 witness so far, \d+ needed\.$/);
    const ladderCard = tomasPage.getByTestId("care-tools").locator(`li[data-tool="${ladder}"]`);
    expect(await ladderCard.getByTestId("tool-condition").textContent()).toBe("Ladder: needs repair");
    await ladderCard.getByLabel("Minutes of repair: Ladder").fill("45");
    await ladderCard.getByLabel("Condition after: Ladder").selectOption({ label: "good" });
    await captureInBothLanguages(tomasPage, "caretaking-repair");
    await ladderCard.getByRole("button", { name: "Record repair: Ladder" }).click();
    await expect.poll(() => said(tomasPage, "Repair of"), UI_WAIT).toBe("Repair of Ladder recorded.");
    await expect.poll(() => ladderCard.getByTestId("tool-condition").textContent(), UI_WAIT).toBe("Ladder: good");
    expect(await ladderCard.getByTestId("last-record").textContent()).toMatch(/^Repair by tomas, .+: good$/);
    expect(await ladderCard.getByRole("button", { name: "Record repair: Ladder" }).count()).toBe(0);
    const tool = (await succeed(hubUrl(), TOOL, { id: ladder }, ines.token)).tool;
    expect(tool.condition).toBe("GOOD");
    expect(tool.maintenance.items).toEqual([{ kind: "REPAIR", minutes: 45, recordedBy: { handle: "tomas" } }]);

    // The circle's organizer audits it and finds it worn; Inés, on her phone, sees the audit.
    const founderPage = (await app.phone()).page;
    await app.logIn(founderPage, circle.slug, "founder", PASSPHRASE);
    await openCaretaking(founderPage);
    const auditedCard = founderPage.getByTestId("care-tools").locator(`li[data-tool="${ladder}"]`);
    await auditedCard.getByLabel("Condition found: Ladder").selectOption({ label: "worn" });
    await auditedCard.getByRole("button", { name: "Record audit: Ladder" }).click();
    await expect.poll(() => said(founderPage, "Audit of"), UI_WAIT).toBe("Audit of Ladder recorded.");
    await expect.poll(() => auditedCard.getByTestId("tool-condition").textContent(), UI_WAIT).toBe("Ladder: worn");
    expect(await auditedCard.getByTestId("last-record").textContent()).toMatch(/^Audit by founder, .+: worn$/);
    await captureInBothLanguages(founderPage, "caretaking-audit");
    // Tomás, who is neither a caretaker nor an organizer, is not offered an audit.
    expect(await ladderCard.getByRole("button", { name: "Record audit: Ladder" }).count()).toBe(0);

    // Inés, on her phone, sees the ladder's condition as the audit found it.
    await inesPage.reload();
    await onScreen(inesPage, "caretaking");
    await expect
      .poll(
        () =>
          inesPage
            .getByTestId("care-tools")
            .locator(`li[data-tool="${ladder}"]`)
            .getByTestId("tool-condition")
            .textContent(),
        UI_WAIT,
      )
      .toBe("Ladder: worn");
  });
});
