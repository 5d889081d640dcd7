import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createInvitation, foundCircle, hubEnvironment, joinCircle, PASSPHRASE } from "@rhizome/kit/testing";
import { captureInBothLanguages, onScreen, useMemberApp, UI_WAIT, openScreen } from "./support/member-app.js";

const app = useMemberApp();

const openAssemblies = (page: Page) => openScreen(page, ["Decide", "governance"], ["Assemblies", "assemblies"]);

describe("shadow assemblies on a phone", { timeout: 180_000 }, () => {
  it("any member calls a shadow assembly and records its minutes; the screen is the same whatever the bloc, and another member's minutes are refused by caller, not bloc", async () => {
    const hubUrl = hubEnvironment().gatewayUrl;
    const circle = await foundCircle(hubUrl, "assemble");
    const code = await createInvitation(hubUrl, circle, 2);
    await joinCircle(hubUrl, code, "ana", "EDGE");
    await joinCircle(hubUrl, code, "ben", "ADVANTAGED");

    const anaPhone = await app.phone();
    const benPhone = await app.phone();
    await app.logIn(anaPhone.page, circle.slug, "ana", PASSPHRASE);
    await app.logIn(benPhone.page, circle.slug, "ben", PASSPHRASE);
    await openAssemblies(anaPhone.page);
    await openAssemblies(benPhone.page);

    // Both members are offered the same form, word for word: nothing on it depends on a bloc.
    const anaCall = anaPhone.page.getByTestId("call-assembly");
    const benCall = benPhone.page.getByTestId("call-assembly");
    expect(await benCall.textContent()).toBe(await anaCall.textContent());
    expect(await benCall.textContent()).toContain("Any member may call one, at most 3 a cycle.");

    // Ben, whose bloc is the advantaged one, calls a shadow assembly and records its minutes.
    await benCall.getByLabel("What it is about").fill("Rent strike planning");
    await benCall.getByRole("button", { name: "Call the assembly" }).click();
    await expect.poll(() => benCall.getByRole("status").textContent(), UI_WAIT).toBe("Called: Rent strike planning.");
    const benAssembly = benPhone.page.getByTestId("assembly").filter({ hasText: "Rent strike planning" });
    await expect.poll(() => benAssembly.count(), UI_WAIT).toBe(1);
    expect(await benAssembly.textContent()).toContain("Shadow assembly");
    expect(await benAssembly.textContent()).toContain("No minutes recorded yet.");
    await captureInBothLanguages(benPhone.page, "assemblies-call");
    const benMinutes = benAssembly.getByTestId("record-minutes");
    await benMinutes.getByLabel("Record the minutes").fill("We agreed to meet the landlord's agent together.");
    await benMinutes.getByRole("button", { name: "Save the minutes" }).click();
    await expect.poll(() => benMinutes.getByRole("status").textContent(), UI_WAIT).toBe("Minutes saved.");
    await expect
      .poll(() => benAssembly.getByTestId("minutes").textContent(), UI_WAIT)
      .toBe("We agreed to meet the landlord's agent together.");

    // Ana, an edge member, reads them; correcting them is her caller's or an organizer's, and the refusal says so.
    await anaPhone.page.reload();
    await onScreen(anaPhone.page, "assemblies");
    const anaView = anaPhone.page.getByTestId("assembly").filter({ hasText: "Rent strike planning" });
    await expect
      .poll(() => anaView.getByTestId("minutes").textContent(), UI_WAIT)
      .toBe("We agreed to meet the landlord's agent together.");
    const anaMinutes = anaView.getByTestId("record-minutes");
    await anaMinutes.getByLabel("Correct the minutes").fill("Nothing was agreed.");
    await anaMinutes.getByRole("button", { name: "Save the minutes" }).click();
    await expect
      .poll(() => anaMinutes.getByRole("alert").textContent(), UI_WAIT)
      .toBe(
        "Something went wrong: Only the member who called a shadow assembly, or an organizer, records its minutes.",
      );
    await anaPhone.page.reload();
    await onScreen(anaPhone.page, "assemblies");
    await expect
      .poll(() => anaView.getByTestId("minutes").textContent(), UI_WAIT)
      .toBe("We agreed to meet the landlord's agent together.");

    // Ana calls one too and keeps its minutes herself.
    await anaCall.getByLabel("What it is about").fill("Night shift safety");
    await anaCall.getByRole("button", { name: "Call the assembly" }).click();
    const anaOwn = anaPhone.page.getByTestId("assembly").filter({ hasText: "Night shift safety" });
    await expect.poll(() => anaOwn.count(), UI_WAIT).toBe(1);
    await anaOwn.getByLabel("Record the minutes").fill("Walk home in pairs after ten.");
    await anaOwn.getByRole("button", { name: "Save the minutes" }).click();
    await expect.poll(() => anaOwn.getByTestId("minutes").textContent(), UI_WAIT).toBe("Walk home in pairs after ten.");

    for (const phone of [anaPhone, benPhone]) {
      expect(await phone.page.textContent("main")).not.toMatch(/EDGE|ADVANTAGED|edge member|advantaged/i);
      expect(phone.problems).toEqual([]);
      await phone.context.close();
    }
  });
});
